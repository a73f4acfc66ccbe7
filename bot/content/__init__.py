"""The curated content: replies, contacts, commands and local services, read from `content/`.

Outreach staff edit the YAML files (by hand or in the staff console); this package reads them,
checks them and fills in the contact placeholders ({crimestoppers.phone}). It has one room per
job: `schema` (what the content is made of), `loading` (reading the files), `checks` (the rules,
each problem naming the file, the line and the fix), `store` (the live content the bot serves,
picking up a good edit without a restart) and `writing` (the console's edits, written back
keeping comments and layout).
"""

from __future__ import annotations

from bot.content.loading import ContentLoader, load_content
from bot.content.schema import (
    AGE_BANDS,
    CONTACT_FIELDS,
    REPLY_FIELDS,
    SYSTEM_REPLIES,
    TOPICS,
    Area,
    Command,
    Contact,
    Content,
    ContentReply,
    Level,
    Problem,
    Service,
    render,
    valid_uk_number,
)
from bot.content.store import ContentError, ContentStore

__all__ = [
    "AGE_BANDS",
    "CONTACT_FIELDS",
    "REPLY_FIELDS",
    "SYSTEM_REPLIES",
    "TOPICS",
    "Area",
    "Command",
    "Contact",
    "Content",
    "ContentError",
    "ContentLoader",
    "ContentReply",
    "ContentStore",
    "Level",
    "Problem",
    "Service",
    "load_content",
    "render",
    "valid_uk_number",
]
