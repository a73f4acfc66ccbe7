"""The audit log: who changed what and when, with every file change kept whole so that it can
be shown as a diff and undone."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from bot.console.accounts import utcnow
from bot.content.writing import Change, EditError, write_text
from bot.storage.tables import audit_log


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    staff_email: str
    action: str
    target: str
    summary: str
    before: str | None
    after: str | None
    undone_by: int | None

    @property
    def can_undo(self) -> bool:
        return self.before is not None and self.after is not None and self.undone_by is None

    def diff(self) -> list[str]:
        """The change as a unified diff, one line per item."""
        if self.before is None or self.after is None:
            return []
        return list(
            difflib.unified_diff(
                self.before.splitlines(),
                self.after.splitlines(),
                fromfile=f"{self.target} before",
                tofile=f"{self.target} after",
                n=2,
                lineterm="",
            )
        )


class History:
    def __init__(self, engine: Engine, root: Path, clock: Callable[[], datetime] = utcnow) -> None:
        self.engine = engine
        self.root = root
        self.clock = clock

    def record(
        self,
        email: str,
        action: str,
        target: str,
        summary: str,
        change: Change | None = None,
    ) -> int:
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    insert(audit_log).values(
                        at=self.clock(),
                        staff_email=email,
                        action=action,
                        target=target[:300],
                        summary=summary,
                        before=change.before if change else None,
                        after=change.after if change else None,
                    )
                ).inserted_primary_key[0]
            )

    def entries(self, limit: int = 100) -> list[Entry]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(audit_log).order_by(audit_log.c.id.desc()).limit(limit))
            return [Entry(**row._mapping) for row in rows]

    def entry(self, entry_id: int) -> Entry | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(audit_log).where(audit_log.c.id == entry_id)).first()
        return Entry(**row._mapping) if row else None

    def undo(self, entry: Entry, email: str) -> int:
        """Put the file back as it was before `entry`; refused when it has changed since."""
        if not entry.can_undo or entry.before is None or entry.after is None:
            raise EditError(
                "this change cannot be undone (it was undone already, or it is not "
                "a change to a file)"
            )
        path = self.root / entry.target
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != entry.after:
            raise EditError(
                f"{entry.target} has changed since; undo the later changes to it first (they "
                "are higher up this page)"
            )
        write_text(path, entry.before)
        undo_id = self.record(
            email,
            "undo",
            entry.target,
            f"undid change {entry.id}: {entry.summary}",
            Change(entry.target, entry.after, entry.before),
        )
        with self.engine.begin() as conn:
            conn.execute(
                update(audit_log).where(audit_log.c.id == entry.id).values(undone_by=undo_id)
            )
        return undo_id
