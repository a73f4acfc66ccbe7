"""Feedback on answers, a user's chosen area, redacted not-understood questions, /hide ids.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("area", sa.String(40), nullable=True))
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("answer_key", sa.String(64), nullable=False),
        sa.Column("reply_id", sa.String(64), nullable=False),
        sa.Column("vote", sa.SmallInteger, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "answer_key", name="uq_feedback_user_answer"),
    )
    op.create_table(
        "not_understood",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )
    op.create_index("ix_not_understood_at", "not_understood", ["at"])
    op.create_table(
        "hide_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("message_id", sa.Integer, nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_hide_messages_user_id", "hide_messages", ["user_id"])


def downgrade() -> None:
    op.drop_table("hide_messages")
    op.drop_table("not_understood")
    op.drop_table("feedback")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("area")
