"""The /forget journal: a promise to delete someone's data that survives a restart.

When a young person sends /forget while the database cannot be reached, they are told it will
happen as soon as it is back. That promise must outlive the process: their pseudonym (the keyed
hash, nothing else) is written here, on local disk, before the deletion is queued, and taken out
only after the database has committed the deletion. At start the bot runs every pseudonym
still listed before anything else. One pseudonym per line, in a file only the bot may read.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path

from bot.private_files import FILE_MODE, private_file, sync_folder, write_private

log = logging.getLogger(__name__)

PSEUDONYM = re.compile(r"[0-9a-f]{64}")


class ForgetJournal:
    """Pending /forget requests, one pseudonym a line, in `path` (e.g. var/forget-journal)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def pending(self) -> list[str]:
        """The pseudonyms whose deletion has not been confirmed yet, oldest first."""
        with self._lock:
            return self._read()

    def add(self, pseudonym: str) -> None:
        """Write the promise down (and to the disk itself) before anything else happens."""
        if not PSEUDONYM.fullmatch(pseudonym):
            raise ValueError("only a pseudonym (64 hex digits) may be journaled")
        with self._lock:
            if pseudonym in self._read():
                return
            private_file(self.path)
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND, FILE_MODE)
            try:
                os.write(descriptor, f"{pseudonym}\n".encode())
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
            sync_folder(self.path.parent)

    def done(self, pseudonym: str) -> None:
        """The deletion is committed: the promise is kept and can be crossed out."""
        with self._lock:
            listed = self._read()
            if pseudonym not in listed:
                return
            left = [p for p in listed if p != pseudonym]
            if left:
                write_private(self.path, "".join(f"{p}\n" for p in left))
            else:
                self.path.unlink(missing_ok=True)
                sync_folder(self.path.parent)

    def _read(self) -> list[str]:
        try:
            lines = self.path.read_text(encoding="ascii", errors="replace").splitlines()
        except FileNotFoundError:
            return []
        seen: dict[str, None] = {}
        for line in lines:
            line = line.strip()
            if PSEUDONYM.fullmatch(line):
                seen[line] = None
            elif line:
                log.error("a line of %s is not a pseudonym and was ignored", self.path)
        return list(seen)
