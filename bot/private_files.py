"""Files only the bot's own user may read: the pseudonym key, the SQLite database, the journal.

With the key, every Telegram id can be tried against the stored pseudonyms in a few core-hours,
so the key and the database are created readable by the owner alone (0600, folders 0700), and
files left readable by an older version are tightened when the bot starts.
"""

from __future__ import annotations

import os
import stat
from contextlib import suppress
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> None:
    """Create `path` (and its parents) if needed; a folder the bot creates is 0700."""
    if not path.is_dir():
        path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)


def private_file(path: Path) -> None:
    """Make sure `path` exists and only its owner can read or write it."""
    private_folder(path.parent)
    # O_EXCL: created here with mode 0600 from the first moment, never 0644 for an instant.
    with suppress(FileExistsError, IsADirectoryError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    tighten(path)


def tighten(path: Path) -> None:
    """Take away group and other access from a file made by an older version (if ours)."""
    with suppress(FileNotFoundError, PermissionError):
        mode = path.stat().st_mode
        if stat.S_ISREG(mode) and mode & 0o077:
            path.chmod(FILE_MODE)


def write_private(path: Path, text: str) -> None:
    """Replace `path` with `text` in one step (a crash leaves the old or the new file), 0600."""
    private_folder(path.parent)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)  # a leftover from a crash may have had another mode
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except BaseException:
        with suppress(FileNotFoundError):
            temporary.unlink()
        raise
    sync_folder(path.parent)


def sync_folder(path: Path) -> None:
    """Make a rename or a new file in `path` survive a power cut, where the system allows it."""
    with suppress(OSError):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
