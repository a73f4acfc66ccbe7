"""The store: pseudonymous users, events, feedback, areas and /hide message ids, in SQL.

SQLAlchemy 1.4 in 2.0 style. One writer thread does every write, in order, in batches, so
the bot never waits for the database to answer a message: `record()` only puts the event in a
bounded queue. If the database is down or slow, events wait in that queue (the oldest are
dropped only if it fills) and are written when it is back; the outage is logged once when it
starts and once when it ends. Reads that a reply depends on (a remembered area) give up
quickly and the reply goes out without them.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, event, insert, select, update
from sqlalchemy.engine import Connection, Engine, create_engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.pool import QueuePool

from bot.engine import Event, User
from bot.storage.tables import events, feedback, hide_messages, not_understood, users

log = logging.getLogger(__name__)

HIDE_WINDOW = timedelta(hours=48)
GATHER_SECONDS = 0.05
_LATE = object()  # what _run_and_wait gives back when the database did not answer in time
PURGE_EVERY = timedelta(days=1)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _insert_for(conn: Connection) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL both do)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def _resolve(op: _Op, result: Any) -> None:
    if op.done is not None and not op.done.done():
        op.done.set_result(result)


class StorageError(Exception):
    """The database cannot be used; the message says why and what to do."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def resolve_pseudonym_key(configured: str | None, var_dir: Path) -> bytes:
    """PSEUDONYM_KEY, or a key generated once and kept in var/ (with a warning)."""
    if configured:
        return configured.encode()
    path = var_dir / "pseudonym.key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip().encode()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key + "\n", encoding="utf-8")
    path.chmod(0o600)
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


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine for `url`; SQLite gets foreign keys and a directory to live in."""
    if url.startswith("sqlite"):
        target = url.split("///", 1)[1] if "///" in url else ""
        if target and target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
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
    connect_args = {"connect_timeout": 3} if url.startswith("postgresql") else {}
    return create_engine(
        url, future=True, pool_pre_ping=True, pool_size=5, connect_args=connect_args
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


@dataclass
class _Op:
    """One piece of work for the writer thread: plain rows to insert for a user (written in
    bulk with the rows of neighbouring ops), or a function to run in order (forget, votes...)."""

    run: Callable[[Connection], Any] | None
    pseudonym: str | None
    is_event: bool = False
    done: Future[Any] | None = None
    rows: tuple[tuple[Table, dict[str, Any]], ...] = ()


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
    _queue: deque[_Op] = field(default_factory=deque, init=False)
    _cond: threading.Condition = field(default_factory=threading.Condition, init=False)
    _thread: threading.Thread | None = field(default=None, init=False)
    _stopping: bool = field(default=False, init=False)
    _user_ids: dict[str, int] = field(default_factory=dict, init=False)
    _areas: dict[str, str | None] = field(default_factory=dict, init=False)
    _outage: Outage = field(default_factory=Outage, init=False)
    _last_purge: datetime | None = field(default=None, init=False)
    _busy: bool = field(default=False, init=False)

    @classmethod
    def open(
        cls,
        url: str,
        key: bytes,
        retention_days: int = 30,
        clock: Callable[[], datetime] = utcnow,
    ) -> Store:
        """Connect, upgrade the schema, purge old rows and start the writer."""
        engine = make_engine(url)
        try:
            upgrade(engine)
        except SQLAlchemyError as exc:
            raise StorageError(
                f"the database at {engine.url.render_as_string(hide_password=True)} could not be "
                f"opened or upgraded ({type(exc).__name__}: {str(exc).splitlines()[0]}). Check "
                "DATABASE_URL and that the database is running; the bot upgrades the schema by "
                "itself once it can connect."
            ) from exc
        store = cls(engine=engine, key=key, retention=timedelta(days=retention_days), clock=clock)
        store.purge()
        store.start()
        return store

    # -- identity

    def pseudonym(self, user: User) -> str:
        """The keyed hash that stands for a user: the raw id never reaches the database."""
        message = f"{user.channel}:{user.id}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()

    def _user_id(self, conn: Connection, pseudonym: str, create: bool = True) -> int | None:
        cached = self._user_ids.get(pseudonym)
        if cached is not None:
            return cached
        found = conn.execute(select(users.c.id).where(users.c.pseudonym == pseudonym)).scalar()
        if found is None and create:
            # "Insert unless it exists" in one statement: another worker may be creating the
            # same person at the same moment.
            upsert = _insert_for(conn)(users).values(pseudonym=pseudonym, created_at=self.clock())
            conn.execute(upsert.on_conflict_do_nothing(index_elements=["pseudonym"]))
            found = conn.execute(
                select(users.c.id).where(users.c.pseudonym == pseudonym)
            ).scalar_one()
        if found is not None:
            self._user_ids[pseudonym] = int(found)
        return int(found) if found is not None else None

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
        self._submit(_Op(None, pseudonym, is_event=True, rows=tuple(rows)))

    async def forget(self, user: User, wait: float = 5.0) -> bool:
        """Delete every row that belongs to the user, in one transaction.

        True when it is done; False when the database is unreachable, in which case it stays
        queued and runs as soon as the database is back.
        """
        pseudonym = self.pseudonym(user)

        def wipe(conn: Connection) -> None:
            user_id = self._user_id(conn, pseudonym, create=False)
            if user_id is None:
                return
            for table in (events, feedback, not_understood, hide_messages):
                conn.execute(delete(table).where(table.c.user_id == user_id))
            conn.execute(delete(users).where(users.c.id == user_id))
            self._user_ids.pop(pseudonym, None)

        with self._cond:
            # Anything still waiting to be written for this user is dropped, not written later.
            kept = [op for op in self._queue if op.pseudonym != pseudonym]
            self._queue.clear()
            self._queue.extend(kept)
            self._areas.pop(pseudonym, None)
        if await self._run_and_wait(wipe, pseudonym, wait, front=True) is _LATE:
            log.warning("forget is waiting for the database; it will run when it is back")
            return False
        return True

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
        """Keep message ids for /hide (both sides of a private chat), for 48 hours."""
        if not message_ids:
            return
        sent_at = self.clock()
        rows = tuple((hide_messages, {"message_id": m, "sent_at": sent_at}) for m in message_ids)
        self._submit(_Op(None, self.pseudonym(user), rows=rows))

    async def take_messages(self, user: User) -> list[int] | None:
        """The user's message ids still young enough to delete, removed from the store.

        None when the database cannot be reached.
        """
        pseudonym = self.pseudonym(user)
        since = self.clock() - HIDE_WINDOW

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
            return sorted(set(ids))

        result = await self._run_and_wait(take, pseudonym, 5.0)
        return None if result is _LATE else list(result)

    async def _run_and_wait(
        self, run: Callable[[Connection], Any], pseudonym: str, wait: float, front: bool = False
    ) -> Any:
        """Queue work someone is waiting for; its result, or _LATE if the database is too slow
        (the work stays queued and still runs when the database is back)."""
        done: Future[Any] = Future()
        self._submit(_Op(run, pseudonym, done=done), front=front)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(done), timeout=wait)
        except asyncio.TimeoutError:
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
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
            self._thread.start()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued is written; False if it could not be done in time."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued (for up to `timeout` seconds), stop the writer, disconnect."""
        left = 0 if self.flush(timeout) else len(self._queue)
        if left:
            log.error("%d events could not be written before shutdown", left)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self.engine.dispose()

    @property
    def pending(self) -> int:
        return len(self._queue)

    # -- the writer thread

    def _submit(self, op: _Op, front: bool = False) -> None:
        with self._cond:
            if op.is_event and len(self._queue) >= self.buffer_limit:
                for index, queued in enumerate(self._queue):
                    if queued.is_event:
                        del self._queue[index]
                        self._outage.dropped += 1
                        break
            if front:
                self._queue.appendleft(op)
            else:
                self._queue.append(op)
            self._cond.notify_all()

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
                self._busy = bool(batch)
            if not batch:
                self._maybe_purge()
                continue
            failed, error = self._write(batch)
            with self._cond:
                if failed:
                    self._queue.extendleft(reversed(failed))
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
        """Only when nothing queued has someone waiting for it (forget, /hide) and it is small."""
        return len(self._queue) < 200 and all(op.done is None for op in self._queue)

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
                conn.execute(insert(table), rows)
            pending.clear()

        for op in batch:
            if op.run is None:
                assert op.pseudonym is not None
                user_id = self._user_id(conn, op.pseudonym)
                for table, row in op.rows:
                    pending.setdefault(table, []).append({**row, "user_id": user_id})
                results.append(None)
            else:
                flush()
                results.append(op.run(conn))
        flush()
        return results

    def _write(self, batch: list[_Op]) -> tuple[list[_Op], BaseException | None]:
        """Write a batch in one transaction; return what must be retried, and why."""
        try:
            with self.engine.begin() as conn:
                results = self._apply(conn, batch)
        except IntegrityError:
            # One bad write must not hold up the rest: write them one by one.
            self._user_ids.clear()
            return self._write_one_by_one(batch)
        except (SQLAlchemyError, OSError) as exc:
            return batch, exc
        for op, result in zip(batch, results, strict=True):
            _resolve(op, result)
        return [], None

    def _write_one_by_one(self, batch: list[_Op]) -> tuple[list[_Op], BaseException | None]:
        for index, op in enumerate(batch):
            try:
                with self.engine.begin() as conn:
                    (result,) = self._apply(conn, [op])
            except IntegrityError as exc:
                log.error("a write was refused by the database and dropped: %s", exc.orig)
                if op.done is not None and not op.done.done():
                    op.done.set_exception(exc)
                continue
            except (SQLAlchemyError, OSError) as exc:
                return batch[index:], exc
            _resolve(op, result)
        return [], None

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
