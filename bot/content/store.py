"""The content in use by the running bot: reloaded when the files change, and kept as it is
when an edit is broken."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from bot.content.loading import load_content
from bot.content.schema import Content, Problem

log = logging.getLogger("bot.content")


class ContentError(Exception):
    """The content has errors, so it cannot be used."""

    def __init__(self, problems: list[Problem], root: Path | None = None) -> None:
        errors = [p for p in problems if p.level == "error"]
        shown = "\n".join(p.format(root) for p in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"the content has {len(errors)} error(s):\n{shown}{more}")
        self.problems = errors


def _fingerprint(content_dir: Path) -> tuple[tuple[str, int, int], ...]:
    entries = []
    for path in sorted(content_dir.rglob("*.yml")):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


class ContentStore:
    """The content in use: reloaded when the files change, kept as it is when an edit is broken.

    `current()` looks at the files' modification times at most once every `check_every`
    seconds, so a saved edit is live within that time without a restart. `reload()` forces a
    look (the bot calls it on SIGHUP).
    """

    def __init__(self, content_dir: Path, check_every: float = 2.0) -> None:
        self.dir = content_dir
        self.check_every = check_every
        self._lock = threading.Lock()
        content, problems = load_content(content_dir)
        if content is None:
            raise ContentError(problems, content_dir.parent)
        self._content = content
        self._fingerprint = _fingerprint(content_dir)
        self._checked_at = time.monotonic()
        self._rejected: tuple[tuple[str, int, int], ...] | None = None

    def current(self) -> Content:
        if time.monotonic() - self._checked_at >= self.check_every:
            self.reload()
        return self._content

    def reload(self) -> bool:
        """Load the files again if they changed; True when new content is now in use."""
        with self._lock:
            self._checked_at = time.monotonic()
            fingerprint = _fingerprint(self.dir)
            if fingerprint in (self._fingerprint, self._rejected):
                return False
            content, problems = load_content(self.dir)
            if content is None:
                self._rejected = fingerprint
                errors = [p.format(self.dir.parent) for p in problems if p.level == "error"]
                log.error(
                    "content edit rejected, still serving the last good content: %s",
                    "; ".join(errors[:10]),
                )
                return False
            self._content = content
            self._fingerprint = fingerprint
            self._rejected = None
            log.info("content reloaded: %d replies", len(content.replies))
            return True
