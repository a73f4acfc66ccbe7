"""Building the bot's parts from its settings, in the order that fails fastest.

The one place that turns Settings into the engine, the store and the parser: the command line,
the Telegram front end and the terminal chat all build them here. The cheap checks come first,
so a wrong setting fails in about a second with one sentence saying what to do: var/ must be a
folder the bot can write to, then the database must open. The NLU models load in a fraction of
a second on the fast path (bot/fastpath.py), or with Rasa itself when the fast path cannot run
them (10 to 20 seconds); the Telegram bot loads them alongside its other start-up work
(`PendingParser`), and reports a missing model only after the cheaper checks.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine as SqlEngine
from sqlalchemy.exc import SQLAlchemyError

from bot import safety
from bot.content import ContentStore
from bot.engine import Engine, Memory, NoMemory
from bot.health import WatchedParser
from bot.nlu import (
    NLUUnavailable,
    Parse,
    Parser,
    RasaParser,
    RemoteParser,
    missing_model,
    model_is_stale,
)
from bot.private_files import private_folder
from bot.settings import Settings
from bot.storage.journal import ForgetJournal
from bot.storage.store import (
    KEY_FILE,
    StorageError,
    Store,
    opening_advice,
    resolve_pseudonym_key,
    sqlite_file,
    upgrade,
)
from bot.storage.store import make_engine as make_database_engine

if TYPE_CHECKING:
    from bot.fastpath import FastParser

log = logging.getLogger("bot")

JOURNAL_FILE = "forget-journal"


class StartupError(Exception):
    """The bot cannot start; the message is one sentence saying why and what to do."""


def prepare_var_dir(settings: Settings) -> None:
    """var/ (VAR_DIR) exists and the bot can write in it, or StartupError saying what to do."""
    folder = settings.var_dir
    probe = folder / f".write-test-{os.getpid()}"
    try:
        private_folder(folder)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise StartupError(
            f"The bot cannot write to its folder {folder} ({exc.strerror or type(exc).__name__}):"
            " make it writable by the user the bot runs as, or set VAR_DIR to a folder it may "
            "write to."
        ) from None


def open_store(settings: Settings) -> Store:
    """The database, after checking var/: the pseudonym key, the /forget journal, the schema."""
    prepare_var_dir(settings)
    try:
        key = resolve_pseudonym_key(settings.pseudonym_key, settings.var_dir)
    except OSError as exc:
        raise StartupError(
            f"The pseudonym key in {settings.var_dir} cannot be read or written "
            f"({exc.strerror or type(exc).__name__}): fix its permissions, or set PSEUDONYM_KEY."
        ) from None
    warn_if_key_beside_database(settings)
    journal = ForgetJournal(settings.var_dir / JOURNAL_FILE)
    return Store.open(settings.database_url, key, settings.retention_days, journal=journal)


def open_database(settings: Settings) -> SqlEngine:
    """The database alone, its schema upgraded (for the staff console and `staff`): no
    pseudonym key, no writer thread."""
    prepare_var_dir(settings)
    engine = make_database_engine(settings.database_url)
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StorageError(opening_advice(engine, exc)) from exc
    return engine


def warn_if_key_beside_database(settings: Settings) -> None:
    """In production (webhook mode), a key kept in the same folder as the SQLite database ends
    up in the same backups, and with it every pseudonym can be reversed."""
    if not settings.webhook_url or settings.pseudonym_key:
        return
    database = sqlite_file(settings.database_url)
    if database is not None and database.resolve().parent == settings.var_dir.resolve():
        log.warning(
            "the pseudonym key (%s) is in the same folder as the database (%s), so a backup of "
            "that folder makes the pseudonyms reversible: set PSEUDONYM_KEY, or keep %s out of "
            "database backups",
            settings.var_dir / KEY_FILE,
            database,
            KEY_FILE,
        )


# What the fast path made of an archive read ahead of time (ModelLoader): its parser, or why
# it cannot run it.
Preloaded = Mapping[Path, "FastParser | Exception"]


def make_parser(settings: Settings, preloaded: Preloaded | None = None) -> WatchedParser:
    """The remote Rasa server when NLU_URL is set, otherwise the model in this process."""
    return WatchedParser(make_nlu(settings, preloaded))


def make_nlu(settings: Settings, preloaded: Preloaded | None = None) -> Parser:
    """make_parser's parser, before the health watch is put around it."""
    if settings.nlu_url:
        log.info("using the NLU server at %s", settings.nlu_url)
        return RemoteParser(settings.nlu_url, token=settings.nlu_token)
    stale = model_is_stale(settings.model_path, settings.config_file, settings.nlu_dir)
    if stale and settings.model_path.exists():  # a missing one is one sentence, from load()
        log.warning(
            "the NLU model is older than config.yml or nlu/; "
            "'make run' retrains it, or run: python -m bot train"
        )
    started = time.perf_counter()
    ready = (preloaded or {}).get(settings.model_path)
    parser = load_model(settings.model_path, ready)
    if ready is None or isinstance(ready, Exception):
        log.info("NLU model loaded in %.1f s", time.perf_counter() - started)
    return parser


def read_fast(path: Path) -> FastParser | Exception:
    """The fast path's reading of an archive, or why it could not; logs nothing (it runs
    while the cheaper start-up checks may still fail, and those are one sentence)."""
    from bot.fastpath import FastParser

    try:
        return FastParser.load(path)
    except Exception as exc:
        return exc


def load_model(path: Path, preloaded: FastParser | Exception | None = None) -> Parser:
    """A trained model archive on the fast path (bot/fastpath.py: a fraction of a second, no
    TensorFlow), or, when the archive holds something the fast path does not reproduce
    exactly, with Rasa's own loader (seconds, and hundreds of MB more), saying why."""
    from bot.fastpath import UnsupportedModel

    fast = read_fast(path) if preloaded is None else preloaded
    if not isinstance(fast, Exception):
        return fast
    if isinstance(fast, FileNotFoundError):
        raise fast  # one sentence: there is no trained model
    # Anything else the fast path could not do, expected (UnsupportedModel) or not, is left
    # to Rasa: slower, never different.
    why = fast if isinstance(fast, UnsupportedModel) else f"{type(fast).__name__}: {fast}"
    log.warning(
        "%s is loaded with Rasa itself, which starts slower and takes more memory, because "
        "the fast path cannot run it exactly: %s",
        path,
        why,
    )
    return RasaParser.load(path)


def make_grader(
    settings: Settings, lazy: bool = False, preloaded: Preloaded | None = None
) -> Parser | None:
    """The safety net's classifier, always in this process (it is small). Without it the
    rules decide alone, which is safe but gives more 999 replies to everyday messages.
    `lazy`: load it only when a message needs it."""
    path = settings.safety_model_path
    if not path.exists():
        # `ask` (lazy) is a one-off tool whose output is read by scripts: there it is a note,
        # for the bot itself a warning.
        log.log(
            logging.INFO if lazy else logging.WARNING,
            "there is no safety classifier at %s, so the safety rules decide alone; "
            "'make run' trains it, or run: python -m bot train",
            path,
        )
        return None
    if lazy:
        return LazyParser(lambda: load_model(path))
    return load_model(path, (preloaded or {}).get(path))


class ModelLoader:
    """The two models, loaded alongside the bot's other start-up work.

    `begin` has the fast path read both archives on worker threads, silently, while the
    database opens and Telegram is asked who the bot is. `finish`, called after those checks
    passed, says what there is to say (a missing or stale model, a fallback to Rasa) and gives
    the parser and the grader: ready when the fast path runs them, otherwise still loading
    with Rasa's own loader on a worker thread (PendingParser), so that commands and buttons
    are answered meanwhile and only typed messages wait.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._reading: dict[Path, asyncio.Future[FastParser | Exception]] = {}
        self._rules: asyncio.Future[Any] | None = None
        self.pending: list[asyncio.Future[Any]] = []  # loads still running after `finish`

    def begin(self) -> None:
        # The safety rules' prefilter too, so the first message does not wait for it.
        self._rules = asyncio.ensure_future(asyncio.to_thread(safety.rules))
        paths = [self.settings.safety_model_path]
        if not self.settings.nlu_url:
            paths.append(self.settings.model_path)
        for path in paths:
            if path.exists():
                self._reading[path] = asyncio.ensure_future(asyncio.to_thread(read_fast, path))

    async def finish(self) -> tuple[WatchedParser, Parser | None]:
        settings = self.settings
        if not settings.nlu_url and not settings.model_path.exists():
            raise missing_model(settings.model_path)
        if self._rules is not None:
            await self._rules
        preloaded = {path: await reading for path, reading in self._reading.items()}
        if not any(isinstance(read, Exception) for read in preloaded.values()):
            if settings.model_path in preloaded:
                log.info("NLU models loaded by the fast path, alongside the start-up checks")
            return make_parser(settings, preloaded), make_grader(settings, preloaded=preloaded)
        nlu = asyncio.ensure_future(asyncio.to_thread(make_nlu, settings, preloaded))
        self.pending.append(nlu)
        if not settings.safety_model_path.exists():
            return WatchedParser(PendingParser(nlu)), make_grader(settings)
        grader = asyncio.ensure_future(asyncio.to_thread(make_grader, settings, False, preloaded))
        self.pending.append(grader)
        return WatchedParser(PendingParser(nlu)), PendingParser(grader)

    def abandon(self) -> None:
        """Start-up failed before `finish`: nothing is waited for or reported."""
        for future in (*self._reading.values(), self._rules):
            if future is not None:
                future.cancel()


class LazyParser:
    """Loads a parser the first time a message needs it: `ask` with nothing to ask, or with
    only commands, never waits for a model."""

    def __init__(self, load: Callable[[], Parser]) -> None:
        self._load = load
        self._parser: Parser | None = None

    async def parse(self, text: str) -> Parse:
        if self._parser is None:
            self._parser = self._load()
        return await self._parser.parse(text)

    async def close(self) -> None:
        if self._parser is not None:
            await self._parser.close()


class PendingParser:
    """A parser still being loaded (on a worker thread): a message that needs it waits for it,
    while commands and button taps, which never do, are answered meanwhile."""

    def __init__(self, loading: Awaitable[Parser | None]) -> None:
        self._loading = asyncio.ensure_future(loading)

    async def parse(self, text: str) -> Parse:
        parser = await asyncio.shield(self._loading)
        if parser is None:
            raise NLUUnavailable("there is no model to ask")
        return await parser.parse(text)

    async def close(self) -> None:
        try:
            parser = await self._loading
        except Exception:  # the failure was reported where the bot is started
            return
        if parser is not None:
            await parser.close()


def make_engine(
    settings: Settings,
    parser: Parser,
    memory: Memory | None = None,
    grader: Parser | None = None,
) -> Engine:
    """The engine; when staff keep not-understood questions (COLLECT_NOT_UNDERSTOOD=yes), with
    the redaction they pass through before they are stored."""
    redact = None
    if settings.collect_not_understood:
        from bot.redact import make_redactor

        redact = make_redactor(settings.content_dir, settings.nlu_dir / "data")
    return Engine(
        content=ContentStore(settings.content_dir),
        parser=parser,
        memory=memory or NoMemory(),
        grader=grader,
        redact=redact,
    )
