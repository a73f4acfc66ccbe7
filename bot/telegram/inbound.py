"""What comes from Telegram is untrusted text: cleaned here before the engine or the store sees it.

A modified Telegram client can put anything in a message or in a button's callback data: NUL
characters (which PostgreSQL refuses), lone halves of surrogate pairs (which cannot be written
as UTF-8, so SQLite refuses them), terminal escape codes (which `stats` would print to a staff
member's terminal), or more text than Telegram itself allows. Every string is cleaned once, at
the edge, so nothing further in has to wonder.
"""

from __future__ import annotations

import re

# Telegram's own limits: 4,096 characters in a message, 64 bytes of callback data.
TEXT_LIMIT = 4096
CALLBACK_LIMIT = 64
# Control characters other than tab and newline (C0, DEL and C1), and lone surrogates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# A reply id, as content/replies/*.yml allows it: what a button tap may name.
REPLY_ID = re.compile(r"[a-z][a-z0-9_]{0,59}")


def clean_text(text: str | None, limit: int = TEXT_LIMIT) -> str | None:
    """`text` with control characters as spaces and broken characters as U+FFFD, cut to
    Telegram's length limit; None stays None."""
    if text is None:
        return None
    text = _SURROGATE.sub("\ufffd", text[:limit])
    return _CONTROL.sub(" ", text)


def clean_callback(data: str | None) -> str | None:
    """Callback data from a button tap, cleaned the same way."""
    return clean_text(data, CALLBACK_LIMIT)
