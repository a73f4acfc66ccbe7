"""Logging a person can read: one line per message, libraries quietened, never message text.

Rasa logs every parsed message, text included, through structlog at debug level; TensorFlow,
httpx and the scheduler are chatty at INFO. This sets them to warnings only, sends everything to
stderr (stdout belongs to `ask`'s JSON lines), keeps tokens out of the log, and stops a stranger
from filling the disk: a warning or error that repeats is written a few times a minute, then
counted.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager

QUIET = {
    "rasa": logging.ERROR,
    "tensorflow": logging.ERROR,
    "absl": logging.ERROR,
    "h5py": logging.ERROR,
    "matplotlib": logging.WARNING,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "apscheduler": logging.WARNING,
    "telegram": logging.WARNING,
    "telegram.ext": logging.WARNING,
    "sanic": logging.WARNING,
    "asyncio": logging.WARNING,
    "aiohttp.access": logging.WARNING,
    "alembic": logging.WARNING,
    "sqlalchemy": logging.WARNING,
    "PIL": logging.WARNING,
}
# Set before TensorFlow is imported, or it prints its C++ start-up chatter.
QUIET_ENVIRONMENT = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "LOG_LEVEL_LIBRARIES": "ERROR",
    "RASA_TELEMETRY_ENABLED": "false",
    # python-telegram-bot's announced future: time periods as timedelta, without warnings.
    "PTB_TIMEDELTA": "true",
}
_BOT_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}\b")


class _HideTokens(logging.Filter):
    """Replaces anything shaped like a Telegram bot token (URLs in errors carry it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _BOT_TOKEN.search(message):
            record.msg = _BOT_TOKEN.sub("<token>", message)
            record.args = None
        return True


class _Repeats(logging.Filter):
    """Lets the same warning or error through `burst` times a `period`, then counts it.

    "The same" is the same logger and message template ("webhook call refused: %s"), so a
    stranger knocking 5,000 times writes a handful of lines, not 5,000. The first line let
    through after a quiet spell says how many were held back. INFO lines (one per message
    answered) are never held back.
    """

    def __init__(
        self, burst: int = 5, period: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.burst = burst
        self.period = period
        self.clock = clock
        self._seen: dict[tuple[str, int, str], tuple[float, int, int]] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.name, record.levelno, str(record.msg))
        now = self.clock()
        with self._lock:
            started, shown, held = self._seen.get(key, (now, 0, 0))
            if now - started >= self.period:
                started, shown = now, 0
            if shown >= self.burst:
                self._seen[key] = (started, shown, held + 1)
                return False
            self._seen[key] = (started, shown + 1, 0)
            if len(self._seen) > 10_000:  # templates are few; this only guards the dict
                self._seen.clear()
        if held:
            record.msg = f"{record.getMessage()} (and {held} more like it, not shown)"
            record.args = None
        return True


def quiet_environment() -> None:
    for name, value in QUIET_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def configure_logging(level: str = "INFO") -> None:
    """Send our log lines to stderr and quieten the libraries (call once, at start-up)."""
    quiet_environment()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_HideTokens())
    handler.addFilter(_Repeats())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name, library_level in QUIET.items():
        logging.getLogger(name).setLevel(max(library_level, logging.getLevelName(level)))
    quiet_warnings()
    quiet_structlog()


def quiet_warnings() -> None:
    """Third-party deprecation notices are for their maintainers, not people running the bot.

    Called again after Rasa is imported: one of its dependencies puts its own warning filter
    in front of ours.
    """
    if getattr(sys, "_called_from_test", False) or "pytest" in sys.modules:
        return  # the test suite decides about warnings itself (pyproject.toml)
    for category in (DeprecationWarning, PendingDeprecationWarning, FutureWarning, UserWarning):
        warnings.filterwarnings("ignore", category=category)


@contextmanager
def quiet_imports() -> Iterator[None]:
    """Import Rasa and TensorFlow without their import-time deprecation notices.

    Their dependencies also change the warning filters while importing, and one of them
    (numpy's distutils, through setuptools) sets the root logger to WARNING, which would hide
    the one line per message; leaving this block puts both back.
    """
    root = logging.getLogger()
    level = root.level
    try:
        if "pytest" in sys.modules:
            yield
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # Some of them put "once" filters in front of ours while importing; not printing
            # anything in this block is the only reliable way to keep the terminal readable.
            warnings.showwarning = _ignore_warning
            yield
    finally:
        root.setLevel(level)


def _ignore_warning(*_args: object, **_kwargs: object) -> None:
    return None


def quiet_structlog() -> None:
    """Rasa logs each message's text through structlog at debug level: keep only errors."""
    try:
        import structlog
    except ImportError:  # pragma: no cover - comes with rasa
        return
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )
