"""The staff console (`python -m bot console`): outreach staff edit the content, review the
questions the bot did not understand, and retrain the model, from a web page.

`app` serves it (sessions, CSRF, roles, the login page); `accounts` and `history` hold staff
accounts and the audit log; the pages are `dashboard`, `content_pages`, `question_pages`,
`model_pages` and `staff_pages`.
"""

from __future__ import annotations
