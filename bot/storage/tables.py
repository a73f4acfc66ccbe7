"""The database tables: what the bot keeps, and nothing more.

No message text and no Telegram id is ever stored. A user is a keyed hash (HMAC) of their id.
Events keep when, where, which topic, intent, confidence and reply. Questions the bot did not
understand are kept only when staff turn it on, redacted before they are written, and deleted
after the retention period. The Alembic migrations in bot/storage/migrations/ create these.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    # HMAC-SHA256 of "channel:id" with PSEUDONYM_KEY, as hex: the raw id is never kept.
    Column("pseudonym", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # The area chosen for local services (a key from content/services.yml), if any.
    Column("area", String(40), nullable=True),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("topic", String(16), nullable=False),
    Column("intent", String(64), nullable=True),
    Column("confidence", Float, nullable=False),
    Column("fell_back", Boolean, nullable=False),
    Column("reply_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Index("ix_events_at", "at"),
    Index("ix_events_user_id", "user_id"),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    # Which answer was rated: the channel's id for the answer message (one vote per answer).
    Column("answer_key", String(64), nullable=False),
    Column("reply_id", String(64), nullable=False),
    Column("vote", SmallInteger, nullable=False),  # +1 for 👍, -1 for 👎
    Column("at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("user_id", "answer_key", name="uq_feedback_user_answer"),
)

not_understood = Table(
    "not_understood",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    # Already redacted when it arrives: names, numbers, emails, postcodes, addresses removed.
    Column("text", Text, nullable=False),
    # What a reviewer did with it: new, added (as a training example), needs_answer, discarded.
    Column("status", String(16), nullable=False, server_default="new"),
    Column("reviewed_at", DateTime(timezone=True), nullable=True),
    Index("ix_not_understood_at", "at"),
)

hide_messages = Table(
    "hide_messages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    # Telegram message ids in the user's private chat, kept only while Telegram still allows
    # deleting them (48 hours), so /hide can clear the chat.
    Column("message_id", Integer, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
    Index("ix_hide_messages_user_id", "user_id"),
)

# -- the staff console (bot.console): accounts, sessions, failed logins, and the audit log.
# Staff are identified by email; nothing here is about the young people who use the bot.

staff = Table(
    "staff",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    # argon2id, from argon2-cffi: never the password itself.
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),  # admin, editor or reviewer
    Column("created_at", DateTime(timezone=True), nullable=False),
)

staff_sessions = Table(
    "staff_sessions",
    metadata,
    # SHA-256 of the random value in the cookie: a stolen copy of the database holds no session.
    Column("id", String(64), primary_key=True),
    Column("staff_id", Integer, ForeignKey("staff.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("data", Text, nullable=False),  # the session's JSON (the CSRF secret)
    Index("ix_staff_sessions_staff_id", "staff_id"),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    # "email:<address>" or "ip:<address>": failed logins are slowed per account and per address.
    Column("key", String(300), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failures_key_at", "key", "at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("staff_email", String(254), nullable=False),
    Column("action", String(40), nullable=False),  # edit, undo, review, train, activate...
    Column("target", String(300), nullable=False),  # a file under content/ or nlu/, a model...
    Column("summary", Text, nullable=False),
    # For file changes: the whole file before and after, so it can be shown as a diff and undone.
    Column("before", Text, nullable=True),
    Column("after", Text, nullable=True),
    Column("undone_by", Integer, nullable=True),
    Index("ix_audit_log_at", "at"),
)
