"""The store: pseudonymous users, events, feedback, areas and /hide message ids, in SQL.

SQLAlchemy 1.4 in 2.0 style. One writer thread does every write, in order, in batches, so
the bot never waits for the database to answer a message: `record()` only puts the event in a
bounded queue. If the database is down or slow, events wait in that queue (the oldest are
dropped only if it fills) and are written when it is back; the outage is logged once when it
starts and once when it ends. Reads that a reply depends on (a remembered area) give up
quickly and the reply goes out without them.

Nothing a stranger sends can stop the writer: a row the database refuses is logged (without
its content) and skipped, and if the writer thread itself fails it is restarted. A /forget
that cannot be done at once is written to a journal on local disk first (bot.storage.journal)
and crossed out only after the deletion is committed, so a restart cannot lose it. The ids
/hide needs are also kept in memory, so /hide can clear recent messages while the database is
down.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Table, bindparam, delete, event, insert, select, text, update
from sqlalchemy.engine import Connection, Engine, create_engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import QueuePool

from bot.engine import Event, User
from bot.private_files import private_file, tighten
from bot.storage.journal import ForgetJournal
from bot.storage.tables import events, feedback, hide_messages, not_understood, users

log = logging.getLogger(__name__)

HIDE_WINDOW = timedelta(hours=48)
# A trickle of events (30 a second, Telegram's own limit for a bot) waits this long to become
# one transaction: a transaction costs the writer far more than the rows in it (one a message
# was a fifth of the bot's CPU at that rate). Nobody waits for these rows: a /forget or /hide
# is written at once, flush() and close() cut the wait short, and statistics can be a moment
# late.
GATHER_SECONDS = 0.5
GATHER_AT_MOST = 200  # rows: a batch this big is written at once
_LATE = object()  # what _run_and_wait gives back when the database did not answer in time
PURGE_EVERY = timedelta(days=1)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SUPPORTED_DATABASES = ("sqlite", "postgresql")
PSEUDONYMS_KEPT = 10_000
# /hide ids kept in memory as well as in the database: enough for a long conversation, for
# the people who wrote most recently.
RECENT_IDS_PER_PERSON = 200
RECENT_PEOPLE = 20_000
# After a write someone waits for was given up on, how long to wait for one already being
# written to finish (a statement in flight ends within the connection's own timeouts).
IN_FLIGHT_WAIT = 10.0
OpKind = Literal["event", "hide_ids", "forget", "take", "write"]
WHAT_IS_WRITTEN = {
    "event": "an event",
    "hide_ids": "message ids for /hide",
    "forget": "a /forget",
    "take": "a /hide",
    "write": "a vote or an area",
}


# "Insert unless it exists", in the words SQLite and PostgreSQL share. SQLAlchemy 1.4 cannot
# cache the dialects' on_conflict_do_nothing() constructs, so that form was compiled afresh for
# every new user (about a third of the writer's time when many people write for the first time);
# a text() statement with typed parameters is compiled once.
_ADD_USER = text(
    "INSERT INTO users (pseudonym, created_at) VALUES (:pseudonym, :created_at) "
    "ON CONFLICT (pseudonym) DO NOTHING"
).bindparams(
    bindparam("pseudonym", type_=users.c.pseudonym.type),
    bindparam("created_at", type_=users.c.created_at.type),
)
# Built once: making a statement costs more than running a cached one.
_USER_IDS = select(users.c.pseudonym, users.c.id).where(
    users.c.pseudonym.in_(bindparam("pseudonyms", expanding=True))
)


@cache
def _insert(table: Table) -> Any:
    """The plain INSERT for a table, built once."""
    return insert(table)


def _resolve(op: _Op, result: Any) -> None:
    if op.done is not None and not op.done.done():
        op.done.set_result(result)


class StorageError(Exception):
    """The database cannot be used; the message is a sentence saying why and what to do."""


@dataclass(frozen=True)
class Taken:
    """The message ids /hide may delete; `complete` is False when the database could not be
    asked, so older ones may remain (they are kept for the next /hide)."""

    ids: list[int]
    complete: bool


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


KEY_FILE = "pseudonym.key"


def resolve_pseudonym_key(configured: str | None, var_dir: Path) -> bytes:
    """PSEUDONYM_KEY, or a key generated once and kept in var/ (0600, with a warning)."""
    if configured:
        return configured.encode()
    path = var_dir / KEY_FILE
    if path.exists():
        tighten(path)
        return path.read_text(encoding="utf-8").strip().encode()
    key = secrets.token_hex(32)
    private_file(path)
    path.write_text(key + "\n", encoding="utf-8")
    log.warning(
        "PSEUDONYM_KEY is not set, so a key was generated and kept in %s. Back it up, or set "
        "PSEUDONYM_KEY: without the same key, returning users cannot be recognised.",
        path,
    )
    return key.encode()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys on; write-ahead logging so readers never wait for the writer, and fewer
    # disk flushes (still safe against a crash of the bot, which is what matters here).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sqlite_file(url: str) -> Path | None:
    """The file a sqlite:/// URL points to (None for other databases and in-memory ones)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:":
        return None
    return None if name.startswith("file:") else Path(name)


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine for `url`; SQLite gets foreign keys and a private file to live in.

    A URL the bot cannot use raises StorageError with a sentence saying how to write it.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(
            "DATABASE_URL is not a database address: write it like "
            "postgresql://user:password@host:5432/name, or leave it empty for a SQLite file "
            "in var/."
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgres":
        raise StorageError("DATABASE_URL starts with postgres://; write postgresql:// instead.")
    if backend not in SUPPORTED_DATABASES:
        raise StorageError(
            f"DATABASE_URL asks for {backend}, which this bot does not support: use "
            "PostgreSQL (postgresql://user:password@host:5432/name), or leave it empty for a "
            "SQLite file in var/."
        )
    try:
        return _create_engine(url, backend)
    except ImportError:
        raise StorageError(
            f"DATABASE_URL asks for the database driver '{parsed.get_driver_name()}', which is "
            f"not installed: write it as {backend}://... to use the one that comes with the bot."
        ) from None


def _create_engine(url: str, backend: str) -> Engine:
    if backend == "sqlite":
        path = sqlite_file(url)
        if path is not None:
            try:
                private_file(path)
            except OSError as exc:
                raise StorageError(
                    _sqlite_advice(path, exc.strerror or type(exc).__name__)
                ) from exc
        # A pool of kept-open connections (SQLAlchemy 1.4 would open a new one per transaction).
        engine = create_engine(
            url,
            future=True,
            poolclass=QueuePool,
            pool_size=4,
            connect_args={"check_same_thread": False, "timeout": 5},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url, future=True, pool_pre_ping=True, pool_size=5, connect_args={"connect_timeout": 3}
    )


def _sqlite_advice(path: Path, problem: str) -> str:
    return (
        f"The database file {path} cannot be opened ({problem}): check that its folder exists "
        "and that the bot's user may write to it, or set DATABASE_URL to another place."
    )


def opening_advice(engine: Engine, exc: SQLAlchemyError) -> str:
    """What to tell a person whose database could not be opened or upgraded."""
    first_line = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else ""
    path = sqlite_file(str(engine.url))
    if path is not None:
        return _sqlite_advice(path, first_line or type(exc).__name__)
    return (
        f"The database at {engine.url.render_as_string(hide_password=True)} could not be "
        f"opened or upgraded ({type(exc).__name__}: {first_line}): check DATABASE_URL and that "
        "the database is running; the bot upgrades the schema by itself once it can connect."
    )


def _is_outage(exc: BaseException) -> bool:
    """True when the database cannot be reached or used right now (try again later); False
    when it refused what was written (a bad row: skip it, do not stop)."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    # ProgrammingError: a missing table or a permission; fixed by people, not by dropping rows.
    return isinstance(
        exc, (OperationalError, InterfaceError, ProgrammingError, PoolTimeout, OSError)
    )


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` with the Alembic migrations."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@dataclass(eq=False)
class _Op:
    """One piece of work for the writer thread: plain rows to insert for a user (written in
    bulk with the rows of neighbouring ops), or a function to run in order (forget, votes...).

    `after_commit` runs once the transaction holding it is committed (the journal entry of a
    /forget is crossed out there). An `abandoned` op is one its waiter gave up on: if the
    database fails it, it is dropped instead of retried.
    """

    run: Callable[[Connection], Any] | None
    pseudonym: str | None
    kind: OpKind = "write"
    done: Future[Any] | None = None
    rows: tuple[tuple[Table, dict[str, Any]], ...] = ()
    after_commit: Callable[[], None] | None = None
    abandoned: bool = False


@dataclass
class Outage:
    started: float | None = None
    failures: int = 0
    dropped: int = 0


@dataclass
class Store:
    """What the bot remembers, behind one writer thread. Implements the engine's Memory."""

    engine: Engine
    key: bytes
    retention: timedelta = timedelta(days=30)
    buffer_limit: int = 10_000
    clock: Callable[[], datetime] = utcnow
    read_timeout: float = 1.5
    journal: ForgetJournal | None = None
    _queue: deque[_Op] = field(default_factory=deque, init=False)
    _cond: threading.Condition = field(default_factory=threading.Condition, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)
    _stopping: bool = field(default=False, init=False)
    _user_ids: dict[str, int] = field(default_factory=dict, init=False)
    # The keyed hash of recent users: worked out twice for each message otherwise.
    _pseudonyms: dict[tuple[str, str], str] = field(default_factory=dict, init=False)
    _areas: dict[str, str | None] = field(default_factory=dict, init=False)
    _outage: Outage = field(default_factory=Outage, init=False)
    _last_purge: datetime | None = field(default=None, init=False)
    _busy: bool = field(default=False, init=False)
    _in_hand: list[_Op] = field(default_factory=list, init=False)
    _flushing: int = field(default=0, init=False)  # callers of flush() waiting: write now
    _recent: OrderedDict[str, deque[tuple[int, datetime]]] = field(
        default_factory=OrderedDict, init=False
    )
    writer_restarts: int = field(default=0, init=False)
    skipped_writes: int = field(default=0, init=False)

    @classmethod
    def open(
        cls,
        url: str,
        key: bytes,
        retention_days: int = 30,
        clock: Callable[[], datetime] = utcnow,
        journal: ForgetJournal | None = None,
    ) -> Store:
        """Connect, upgrade the schema, purge old rows, queue the journaled /forget requests
        first, and start the writer."""
        engine = make_engine(url)
        try:
            upgrade(engine)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StorageError(opening_advice(engine, exc)) from exc
        path = sqlite_file(url)
        if path is not None:
            # SQLite makes the -wal and -shm files with the database file's mode; an older
            # version may have left them readable by others.
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                tighten(leftover)
        store = cls(
            engine=engine,
            key=key,
            retention=timedelta(days=retention_days),
            clock=clock,
            journal=journal,
        )
        store.purge()
        store.replay_journal()
        store.start()
        return store

    # -- identity

    def pseudonym(self, user: User) -> str:
        """The keyed hash that stands for a user: the raw id never reaches the database."""
        known = self._pseudonyms.get((user.channel, user.id))
        if known is None:
            message = f"{user.channel}:{user.id}".encode()
            known = hmac.new(self.key, message, hashlib.sha256).hexdigest()
            if len(self._pseudonyms) >= PSEUDONYMS_KEPT:
                self._pseudonyms.clear()  # bounded: a crowd of new users cannot fill memory
            self._pseudonyms[(user.channel, user.id)] = known
        return known

    def _user_id(self, conn: Connection, pseudonym: str, create: bool = True) -> int | None:
        if pseudonym not in self._user_ids:
            self._look_up_users(conn, [pseudonym], create)
        return self._user_ids.get(pseudonym)

    def _look_up_users(self, conn: Connection, pseudonyms: list[str], create: bool) -> None:
        """Learn the ids of these users, creating the missing ones when `create`: three
        statements however many there are."""
        found = conn.execute(_USER_IDS, {"pseudonyms": pseudonyms})
        self._user_ids.update((row[0], int(row[1])) for row in found)
        new = [pseudonym for pseudonym in pseudonyms if pseudonym not in self._user_ids]
        if new and create:
            # "Insert unless it exists": another worker may be creating the same person at
            # the same moment.
            now = self.clock()
            conn.execute(_ADD_USER, [{"pseudonym": p, "created_at": now} for p in new])
            created = conn.execute(_USER_IDS, {"pseudonyms": new})
            self._user_ids.update((row[0], int(row[1])) for row in created)

    # -- the engine's Memory

    def record(self, event: Event) -> None:
        pseudonym = self.pseudonym(event.user)
        rows: list[tuple[Table, dict[str, Any]]] = [
            (
                events,
                {
                    "at": event.at,
                    "channel": event.user.channel[:16],
                    "topic": event.topic,
                    "intent": event.intent,
                    "confidence": float(event.confidence),
                    "fell_back": event.fell_back,
                    "reply_id": event.reply_id,
                    "kind": event.kind,
                },
            )
        ]
        if event.not_understood:
            rows.append((not_understood, {"at": event.at, "text": event.not_understood[:500]}))
        self._submit(_Op(None, pseudonym, kind="event", rows=tuple(rows)))

    async def forget(self, user: User, wait: float = 5.0) -> bool:
        """Delete every row that belongs to the user, in one transaction.

        True when it is done; False when the database is unreachable, in which case it stays
        queued (and journaled on disk) and runs as soon as the database is back, even after a
        restart.
        """
        pseudonym = self.pseudonym(user)
        if self.journal is not None:
            try:
                await asyncio.to_thread(self.journal.add, pseudonym)
            except OSError as exc:
                log.error(
                    "a /forget could not be written to the journal (%s); it is queued in memory",
                    type(exc).__name__,
                )
        with self._cond:
            # Anything still waiting to be written for this user is dropped, not written later.
            self._drop_queued(pseudonym)
            self._areas.pop(pseudonym, None)
            self._recent.pop(pseudonym, None)
        try:
            result = await self._run_and_wait(
                self._wipe(pseudonym), pseudonym, wait, front=True, kind="forget"
            )
        except Exception as exc:  # the database refused it: the journal keeps it for next start
            log.error("a /forget failed (%s); it runs again at the next start", type(exc).__name__)
            return False
        if result is _LATE:
            log.warning("forget is waiting for the database; it will run when it is back")
            return False
        return True

    def _wipe(self, pseudonym: str) -> Callable[[Connection], None]:
        def wipe(conn: Connection) -> None:
            user_id = self._user_id(conn, pseudonym, create=False)
            if user_id is None:
                return
            for table in (events, feedback, not_understood, hide_messages):
                conn.execute(delete(table).where(table.c.user_id == user_id))
            conn.execute(delete(users).where(users.c.id == user_id))
            self._user_ids.pop(pseudonym, None)

        return wipe

    def replay_journal(self) -> int:
        """Queue every journaled /forget ahead of anything else; how many there were."""
        pending = self.journal.pending() if self.journal is not None else []
        for pseudonym in reversed(pending):
            self._submit(
                _Op(
                    self._wipe(pseudonym),
                    pseudonym,
                    kind="forget",
                    after_commit=self._crossing_out(pseudonym),
                ),
                front=True,
            )
        if pending:
            log.warning(
                "%d /forget requests from before the restart are being done first", len(pending)
            )
        return len(pending)

    def _crossing_out(self, pseudonym: str) -> Callable[[], None] | None:
        journal = self.journal
        if journal is None:
            return None

        def cross_out() -> None:
            journal.done(pseudonym)

        return cross_out

    def _drop_queued(self, pseudonym: str, kinds: Iterable[OpKind] | None = None) -> None:
        """Take a person's queued writes (of `kinds`, or all but a /forget) out of the queue.
        The caller holds the lock."""
        dropping = set(kinds) if kinds is not None else {"event", "hide_ids", "write"}

        def kept(op: _Op) -> bool:
            return op.pseudonym != pseudonym or op.kind not in dropping or op.done is not None

        remaining = [op for op in self._queue if kept(op)]
        self._queue.clear()
        self._queue.extend(remaining)

    async def area(self, user: User) -> str | None:
        pseudonym = self.pseudonym(user)
        if pseudonym in self._areas:
            return self._areas[pseudonym]

        def read() -> str | None:
            with self.engine.connect() as conn:
                value = conn.execute(
                    select(users.c.area).where(users.c.pseudonym == pseudonym)
                ).scalar()
                return str(value) if value else None

        try:
            value = await asyncio.wait_for(asyncio.to_thread(read), timeout=self.read_timeout)
        except (asyncio.TimeoutError, SQLAlchemyError):
            return None
        self._areas[pseudonym] = value
        return value

    async def remember_area(self, user: User, area: str) -> None:
        pseudonym = self.pseudonym(user)
        self._areas[pseudonym] = area

        def write(conn: Connection) -> None:
            user_id = self._user_id(conn, pseudonym)
            conn.execute(update(users).where(users.c.id == user_id).values(area=area))

        self._submit(_Op(write, pseudonym))

    # -- feedback and /hide

    def vote(self, user: User, answer_key: str, reply_id: str, vote: int) -> None:
        """👍 (+1) or 👎 (-1) on one answer; voting again on the same answer changes the vote."""
        pseudonym = self.pseudonym(user)
        value = 1 if vote > 0 else -1
        at = self.clock()

        def write(conn: Connection) -> None:
            user_id = self._user_id(conn, pseudonym)
            changed = conn.execute(
                update(feedback)
                .where(feedback.c.user_id == user_id, feedback.c.answer_key == answer_key)
                .values(vote=value, at=at)
            ).rowcount
            if not changed:
                conn.execute(
                    insert(feedback).values(
                        user_id=user_id,
                        answer_key=answer_key[:64],
                        reply_id=reply_id,
                        vote=value,
                        at=at,
                    )
                )

        self._submit(_Op(write, pseudonym))

    def remember_messages(self, user: User, message_ids: list[int]) -> None:
        """Keep message ids for /hide (both sides of a private chat), for 48 hours: in the
        database, and in memory so /hide still works while the database is down."""
        if not message_ids:
            return
        pseudonym = self.pseudonym(user)
        sent_at = self.clock()
        with self._cond:
            recent = self._recent.pop(pseudonym, None)
            if recent is None:
                recent = deque(maxlen=RECENT_IDS_PER_PERSON)
            recent.extend((m, sent_at) for m in message_ids)
            self._recent[pseudonym] = recent  # most recently active last
            while len(self._recent) > RECENT_PEOPLE:
                self._recent.popitem(last=False)
        rows = tuple((hide_messages, {"message_id": m, "sent_at": sent_at}) for m in message_ids)
        self._submit(_Op(None, pseudonym, kind="hide_ids", rows=rows))

    async def take_messages(self, user: User, wait: float = 3.0) -> Taken:
        """The user's message ids still young enough to delete, removed from the store.

        The ids kept in memory are always given. When the database does not answer within
        `wait` seconds, the result says it is incomplete and the stored ids stay for the next
        /hide (the request is withdrawn, not left to use them up later).
        """
        pseudonym = self.pseudonym(user)
        since = self.clock() - HIDE_WINDOW
        with self._cond:
            recent = self._recent.pop(pseudonym, None) or ()
            # Their ids still queued for the database are in memory too, and are being deleted
            # now: writing them later would only make a later /hide try them again.
            self._drop_queued(pseudonym, kinds=("hide_ids",))
        in_memory = {message_id for message_id, at in recent if at >= since}

        def take(conn: Connection) -> list[int]:
            user_id = self._user_id(conn, pseudonym, create=False)
            if user_id is None:
                return []
            ids = list(
                conn.execute(
                    select(hide_messages.c.message_id).where(
                        hide_messages.c.user_id == user_id, hide_messages.c.sent_at >= since
                    )
                ).scalars()
            )
            conn.execute(delete(hide_messages).where(hide_messages.c.user_id == user_id))
            return ids

        try:
            stored = await self._run_and_wait(take, pseudonym, wait, kind="take", abandon=True)
        except Exception as exc:
            log.error("/hide could not read the stored message ids (%s)", type(exc).__name__)
            stored = _LATE
        if stored is _LATE:
            return Taken(sorted(in_memory), complete=False)
        return Taken(sorted(in_memory | set(stored)), complete=True)

    async def _run_and_wait(
        self,
        run: Callable[[Connection], Any],
        pseudonym: str,
        wait: float,
        front: bool = False,
        kind: OpKind = "write",
        abandon: bool = False,
    ) -> Any:
        """Queue work someone is waiting for; its result, or _LATE if the database is too slow.

        Late work stays queued and still runs when the database is back, unless `abandon`:
        then it is withdrawn (or, if it is being written at that very moment, its outcome is
        awaited a little longer, so it is never half-known).
        """
        done: Future[Any] = Future()
        after_commit = self._crossing_out(pseudonym) if kind == "forget" else None
        op = _Op(run, pseudonym, kind=kind, done=done, after_commit=after_commit)
        self._submit(op, front=front)
        waiting = asyncio.wrap_future(done)
        try:
            return await asyncio.wait_for(asyncio.shield(waiting), timeout=wait)
        except asyncio.TimeoutError:
            if not abandon:
                waiting.cancel()  # nobody will read the result; the work itself still runs
                return _LATE
        with self._cond:
            if any(queued is op for queued in self._queue):
                self._queue.remove(op)
                done.cancel()
                return _LATE
            op.abandoned = True  # being written right now: its outcome decides
        try:
            return await asyncio.wait_for(waiting, timeout=IN_FLIGHT_WAIT)
        except (asyncio.TimeoutError, asyncio.CancelledError, CancelledError):
            return _LATE

    # -- upkeep

    def purge(self) -> dict[str, int]:
        """Delete not-understood questions past retention and /hide ids past 48 hours."""
        now = self.clock()
        with self.engine.begin() as conn:
            questions = conn.execute(
                delete(not_understood).where(not_understood.c.at < now - self.retention)
            ).rowcount
            hidden = conn.execute(
                delete(hide_messages).where(hide_messages.c.sent_at < now - HIDE_WINDOW)
            ).rowcount
        self._last_purge = now
        if questions or hidden:
            log.info("purged %d old questions and %d old /hide ids", questions, hidden)
        return {"not_understood": int(questions or 0), "hide_messages": int(hidden or 0)}

    def start(self) -> None:
        """Start the writer thread, under a supervisor that restarts it if it fails."""
        with self._cond:
            if self._stopping or (self._thread is not None and self._thread.is_alive()):
                return
            self._thread = threading.Thread(
                target=self._supervise, name="store-writer", daemon=True
            )
            self._thread.start()

    @property
    def writer_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def health(self) -> tuple[bool, str]:
        """Is the writer able to do its job? A database outage is reported but is not
        unhealthy: the bot answers through it and writes everything when it is back."""
        if not self.writer_alive:
            return False, "the database writer is not running"
        if self._outage.started is not None:
            seconds = time.monotonic() - self._outage.started
            return True, f"database unavailable for {seconds:.0f} s, {self.pending} writes waiting"
        return True, "database ok"

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued is written; False if it could not be done in time."""
        deadline = time.monotonic() + timeout
        with self._cond:
            self._flushing += 1
            self._cond.notify_all()  # the writer stops gathering and writes what it has
            try:
                while self._queue or self._busy:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self._cond.wait(remaining)
            finally:
                self._flushing -= 1
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued (for up to `timeout` seconds), stop the writer, disconnect.

        Whatever could not be written is lost, except /forget requests: those are in the
        journal and run first at the next start.
        """
        self.flush(timeout)
        with self._cond:
            left = [*self._in_hand, *self._queue] if self._busy else list(self._queue)
            self._stopping = True
            self._cond.notify_all()
        forgets = [op.pseudonym for op in left if op.kind == "forget" and op.pseudonym]
        if forgets and self.journal is not None:
            for pseudonym in forgets:  # already there unless the disk refused it earlier
                try:
                    self.journal.add(pseudonym)
                except OSError as exc:
                    log.error("a /forget could not be journaled (%s)", type(exc).__name__)
        if left:
            log.error(
                "%d writes could not be made before shutdown (the database did not answer)%s",
                len(left),
                f"; {len(forgets)} /forget requests are kept in {self.journal.path} and run "
                "first at the next start"
                if forgets and self.journal is not None
                else "",
            )
        if self._thread is not None:
            self._thread.join(timeout=2)
        self.engine.dispose()

    @property
    def pending(self) -> int:
        return len(self._queue)

    # -- the writer thread

    def _submit(self, op: _Op, front: bool = False) -> None:
        with self._cond:
            if op.kind == "event" and len(self._queue) >= self.buffer_limit:
                for index, queued in enumerate(self._queue):
                    if queued.kind == "event":
                        del self._queue[index]
                        self._outage.dropped += 1
                        break
            idle = not self._queue
            if front:
                self._queue.appendleft(op)
            else:
                self._queue.append(op)
            # Wake the writer only when it has something new to do: it was waiting for work,
            # or someone waits for this write, or the queue is a batch. While it gathers a
            # trickle it wakes by itself when the moment is over (a wake-up a row cost more
            # CPU than writing it).
            if idle or op.done is not None or len(self._queue) >= GATHER_AT_MOST:
                self._cond.notify_all()

    def _supervise(self) -> None:
        """Run the writer; if it fails for any reason, say so and run it again.

        Even SystemExit is caught: in this thread it could only end the writer, never the bot.
        """
        pause = 0.5
        while True:
            try:
                self._run()
                return
            except BaseException as exc:
                self.writer_restarts += 1
                log.error(
                    "the database writer failed (%s) and is being restarted",
                    type(exc).__name__,
                )
                with self._cond:
                    self._queue.extendleft(reversed(self._in_hand))
                    self._in_hand = []
                    self._busy = False
                    self._cond.notify_all()
                if not self._pause(pause):
                    return
                pause = min(pause * 2, 15.0)

    def _run(self) -> None:
        backoff = 0.5
        while True:
            with self._cond:
                if not self._queue and not self._stopping:
                    self._cond.wait(timeout=60)
                # Give a trickle of events a moment to become one transaction: a commit costs
                # more than the rows in it, and nobody waits for these writes.
                deadline = time.monotonic() + GATHER_SECONDS
                while self._queue and not self._stopping and self._may_gather():
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(timeout=remaining)
                if self._stopping and not self._queue:
                    return
                batch = [self._queue.popleft() for _ in range(min(len(self._queue), 500))]
                self._in_hand = batch
                self._busy = bool(batch)
            if not batch:
                self._maybe_purge()
                continue
            failed, error = self._write(batch)
            with self._cond:
                retry = [op for op in failed if not op.abandoned]
                for op in failed:
                    if op.abandoned and op.done is not None and not op.done.done():
                        op.done.cancel()
                self._queue.extendleft(reversed(retry))
                self._in_hand = []
                self._busy = False
                self._cond.notify_all()
            if error is None:
                backoff = 0.5
                self._note_recovery()
                self._maybe_purge()
                continue
            self._user_ids.clear()
            self._note_outage(error)
            if not self._pause(backoff):
                return
            backoff = min(backoff * 2, 15.0)

    def _may_gather(self) -> bool:
        """Only when nothing queued has someone waiting for it (forget, /hide, flush) and it is
        small."""
        return (
            not self._flushing
            and len(self._queue) < GATHER_AT_MOST
            and all(op.done is None for op in self._queue)
        )

    def _pause(self, seconds: float) -> bool:
        """Wait before trying the database again (new events do not cut it short)."""
        deadline = time.monotonic() + seconds
        with self._cond:
            while not self._stopping:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return True
                self._cond.wait(remaining)
        return False

    def _apply(self, conn: Connection, batch: list[_Op]) -> list[Any]:
        """Run a batch in order on one connection; plain rows go in with one statement a table
        for each run of them (executemany), which is much cheaper than a statement a row."""
        results: list[Any] = []
        pending: dict[Table, list[dict[str, Any]]] = {}

        def flush() -> None:
            for table, rows in pending.items():
                conn.execute(_insert(table), rows)
            pending.clear()

        known_until = 0
        for position, op in enumerate(batch):
            if op.run is None:
                assert op.pseudonym is not None
                if position >= known_until:
                    known_until = self._know_users(conn, batch, position)
                user_id = self._user_id(conn, op.pseudonym)
                for table, row in op.rows:
                    pending.setdefault(table, []).append({**row, "user_id": user_id})
                results.append(None)
            else:
                flush()
                results.append(op.run(conn))
        flush()
        return results

    def _know_users(self, conn: Connection, batch: list[_Op], start: int) -> int:
        """Look up (creating the missing ones) the users of the run of plain rows that begins
        at `start`, with three statements for the whole run instead of up to three a person:
        a burst of people writing for the first time costs the writer a fraction of the CPU.
        Returns where the run ends (the next operation that runs its own statements, such as
        a /forget, after which users are looked up again)."""
        end = start
        while end < len(batch) and batch[end].run is None:
            end += 1
        missing = sorted(
            {
                op.pseudonym
                for op in batch[start:end]
                if op.pseudonym is not None and op.pseudonym not in self._user_ids
            }
        )
        if missing:
            self._look_up_users(conn, missing, create=True)
        return end

    def _write(self, batch: list[_Op]) -> tuple[list[_Op], BaseException | None]:
        """Write a batch in one transaction; return what must be retried, and why."""
        try:
            with self.engine.begin() as conn:
                results = self._apply(conn, batch)
        except Exception as exc:
            self._user_ids.clear()  # ids cached in a rolled-back transaction may not exist
            if _is_outage(exc):
                return batch, exc
            # Something in the batch was refused: write them one by one to find it.
            return self._write_one_by_one(batch)
        self._committed(batch, results)
        return [], None

    def _write_one_by_one(self, batch: list[_Op]) -> tuple[list[_Op], BaseException | None]:
        for index, op in enumerate(batch):
            try:
                with self.engine.begin() as conn:
                    (result,) = self._apply(conn, [op])
            except Exception as exc:
                self._user_ids.clear()
                if _is_outage(exc):
                    return batch[index:], exc
                self._skip(op, exc)
                continue
            self._committed([op], [result])
        return [], None

    def _skip(self, op: _Op, exc: Exception) -> None:
        """A write the database refused: logged without its content, and left out."""
        self.skipped_writes += 1
        log.error(
            "the database refused %s, which was skipped (%s)",
            WHAT_IS_WRITTEN[op.kind],
            type(exc).__name__,
        )
        if op.done is not None and not op.done.done():
            op.done.set_exception(exc)

    def _committed(self, batch: list[_Op], results: list[Any]) -> None:
        for op, result in zip(batch, results, strict=True):
            if op.after_commit is not None:
                try:
                    op.after_commit()
                except OSError as exc:
                    log.error(
                        "a done /forget could not be crossed out of the journal (%s)",
                        type(exc).__name__,
                    )
            _resolve(op, result)

    def _note_outage(self, exc: BaseException) -> None:
        self._outage.failures += 1
        if self._outage.started is None:
            self._outage.started = time.monotonic()
            log.error(
                "the database is unavailable (%s); answering as usual and keeping up to %d "
                "events in memory until it is back",
                type(exc).__name__,
                self.buffer_limit,
            )

    def _note_recovery(self) -> None:
        if self._outage.started is None:
            return
        seconds = time.monotonic() - self._outage.started
        log.warning(
            "the database is back after %.0f s; queued events written%s",
            seconds,
            f" ({self._outage.dropped} oldest dropped: the queue was full)"
            if self._outage.dropped
            else "",
        )
        self._outage = Outage()

    def _maybe_purge(self) -> None:
        if self._last_purge is not None and self.clock() - self._last_purge < PURGE_EVERY:
            return
        try:
            self.purge()
        except SQLAlchemyError as exc:
            log.warning("the daily purge will be retried: %s", type(exc).__name__)
