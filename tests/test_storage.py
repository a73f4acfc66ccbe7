"""Storage on real SQLite and real PostgreSQL: what is kept, what is never kept, and outages."""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.event import listens_for as event_listens_for

from bot.content import ContentStore
from bot.engine import Engine, Event, User
from bot.nlu import RasaParser
from bot.redact import redact
from bot.storage.journal import ForgetJournal
from bot.storage.store import (
    _ADD_USER,
    StorageError,
    Store,
    Taken,
    current_revision,
    make_engine,
    resolve_pseudonym_key,
    upgrade,
)
from bot.storage.tables import events, feedback, hide_messages, metadata, not_understood, users
from tests.conftest import FakeParser
from tests.db import Proxy, postgres_database

ALICE = User("telegram", "5550001")
BOB = User("telegram", "5550002")
KEY = b"test-key-not-secret"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'var' / 'bot.sqlite3'}"
    else:
        with postgres_database() as url:
            yield url


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db_url: str, clock: Clock) -> Iterator[Store]:
    opened = Store.open(db_url, KEY, retention_days=30, clock=clock)
    yield opened
    opened.close()


def event(
    user: User, topic: str = "reporting", at: datetime | None = None, **extra: object
) -> Event:
    return Event(
        user=user,
        at=at or datetime.now(timezone.utc),
        topic=topic,
        intent=extra.pop("intent", "report_anonymous"),  # type: ignore[arg-type]
        confidence=0.9,
        fell_back=bool(extra.pop("fell_back", False)),
        reply_id=str(extra.pop("reply_id", "report_anonymous")),
        kind="answer",
        not_understood=extra.pop("not_understood", None),  # type: ignore[arg-type]
    )


def everything(store: Store) -> str:
    """Every value in every table, as one string, to search for things that must not be there."""
    parts = []
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                parts.append(" ".join(str(value) for value in row))
    return "\n".join(parts)


def count(store: Store, table: object) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_a_new_database_is_migrated_to_the_latest_schema(store: Store) -> None:
    assert current_revision(store.engine) == "0003"
    names = set(inspect(store.engine).get_table_names())
    assert {"users", "events", "feedback", "not_understood", "hide_messages"} <= names
    assert {"staff", "staff_sessions", "login_failures", "audit_log"} <= names


def test_migration_from_the_previous_revision_keeps_the_data(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO users (id, pseudonym, created_at) VALUES (1, 'abc', :at)"),
            {"at": datetime.now(timezone.utc)},
        )
        conn.execute(
            text(
                "INSERT INTO events (user_id, at, channel, topic, intent, confidence, fell_back, reply_id, kind) "
                "VALUES (1, :at, 'telegram', 'support', 'support_talk', 0.8, false, 'support_talk', 'answer')"
            ),
            {"at": datetime.now(timezone.utc)},
        )
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO not_understood (user_id, at, text) VALUES (1, :at, 'is [word] ok')"),
            {"at": datetime.now(timezone.utc)},
        )
    upgrade(engine)
    assert current_revision(engine) == "0003"
    with engine.connect() as conn:
        assert conn.execute(select(users.c.pseudonym, users.c.area)).all() == [("abc", None)]
        # A question kept before the console existed is waiting for review.
        assert conn.execute(select(not_understood.c.status)).scalars().all() == ["new"]
        assert conn.execute(select(events.c.topic)).scalars().all() == ["support"]
    engine.dispose()


def test_opening_an_unreachable_database_says_what_to_check() -> None:
    with pytest.raises(StorageError, match="check DATABASE_URL"):
        Store.open("postgresql://nobody@127.0.0.1:1/none", KEY)


def test_events_are_stored_without_text_or_raw_ids(store: Store) -> None:
    store.record(event(ALICE))
    store.record(event(ALICE, topic="support", intent="support_talk", reply_id="support_talk"))
    assert store.flush()
    with store.engine.connect() as conn:
        rows = conn.execute(select(events.c.topic, events.c.intent, events.c.channel)).all()
        pseudonyms = conn.execute(select(users.c.pseudonym)).scalars().all()
    assert sorted(rows) == [
        ("reporting", "report_anonymous", "telegram"),
        ("support", "support_talk", "telegram"),
    ]
    assert pseudonyms == [store.pseudonym(ALICE)]
    assert "5550001" not in everything(store)
    # The same person always maps to the same pseudonym; another key would give another.
    assert store.pseudonym(ALICE) == Store(engine=store.engine, key=KEY).pseudonym(ALICE)
    assert store.pseudonym(ALICE) != Store(engine=store.engine, key=b"other").pseudonym(ALICE)


def test_pseudonyms_are_remembered_within_a_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worked out once for each recent user, the same every time, and never more kept than
    the bound however many people write."""
    from bot.storage import store as store_module

    monkeypatch.setattr(store_module, "PSEUDONYMS_KEPT", 50)
    fresh = Store(engine=None, key=KEY)  # type: ignore[arg-type]
    first = fresh.pseudonym(ALICE)
    for number in range(500):
        fresh.pseudonym(User("telegram", str(number)))
        assert len(fresh._pseudonyms) <= 50
    assert fresh.pseudonym(ALICE) == first == Store(engine=None, key=KEY).pseudonym(ALICE)  # type: ignore[arg-type]


PERSONAL = [
    "my name is Jayden Smith and i live at 14 Elm Road N7 0AB, ring me on 07700 900123",
    "email me at jayden.smith99@gmail.com or snap jaydenxx99 pls",
    "my mate Tyrese Campbell lives in flat 3 on Holloway Road, his number is 020 7946 0958",
    "asdkj Priya Patel qwe @priya_p 07911 123456",
    "zxcv Marcus Brown SW1A 1AA mmmm",
]
DETAILS = [
    "Jayden", "Smith", "14 Elm", "Elm Road", "N7 0AB", "07700", "900123", "jayden.smith99",
    "gmail", "jaydenxx99", "Tyrese", "Campbell", "Holloway", "7946", "0958", "Priya", "Patel",
    "priya_p", "07911", "123456", "Marcus", "Brown", "SW1A",
]  # fmt: skip


@pytest.mark.model
async def test_personal_details_never_reach_the_database(
    store: Store, rasa_parser: RasaParser, content_store: ContentStore
) -> None:
    engine = Engine(content=content_store, parser=rasa_parser, memory=store, redact=redact)
    for message in PERSONAL:
        reply = await engine.answer(message, ALICE)
        assert reply.text
    assert store.flush()
    stored = everything(store)
    for detail in DETAILS:
        assert detail.lower() not in stored.lower(), detail
    # Not-understood questions were kept (staff turned it on), redacted.
    assert count(store, not_understood) >= 1
    assert re.search(r"\[(?:name|number|email|username|word)\]", stored)


async def test_forget_leaves_no_row_for_that_user(store: Store) -> None:
    for user in (ALICE, BOB):
        store.record(event(user, not_understood="a [name] question"))
        store.vote(user, "msg-1", "report_anonymous", -1)
        store.remember_messages(user, [10, 11])
        await store.remember_area(user, "islington")
    assert store.flush()
    assert await store.forget(ALICE) is True
    mine = store.pseudonym(ALICE)
    with store.engine.connect() as conn:
        assert conn.execute(select(users).where(users.c.pseudonym == mine)).all() == []
        alice_rows = [
            conn.execute(
                select(func.count()).select_from(t).where(t.c.user_id.notin_(select(users.c.id)))
            ).scalar_one()
            for t in (events, feedback, not_understood, hide_messages)
        ]
    assert alice_rows == [0, 0, 0, 0]
    # Bob is untouched.
    assert count(store, events) == 1 and count(store, feedback) == 1
    assert await store.area(BOB) == "islington"
    assert await store.area(ALICE) is None


async def test_forget_drops_events_still_waiting_to_be_written(store: Store) -> None:
    store.record(event(ALICE))
    await store.forget(ALICE)
    store.record(event(BOB))
    assert store.flush()
    with store.engine.connect() as conn:
        assert conn.execute(select(users.c.pseudonym)).scalars().all() == [store.pseudonym(BOB)]


def test_retention_purge(store: Store, clock: Clock) -> None:
    old = clock.now - timedelta(days=31)
    recent = clock.now - timedelta(days=2)
    store.record(event(ALICE, at=old, not_understood="old question"))
    store.record(event(ALICE, at=recent, not_understood="recent question"))
    store.remember_messages(ALICE, [1])
    assert store.flush()
    clock.now += timedelta(hours=49)  # the /hide ids are now too old for Telegram to delete
    store.remember_messages(ALICE, [2])
    assert store.flush()
    store.purge()  # (the writer thread's daily purge may already have done it)
    with store.engine.connect() as conn:
        assert conn.execute(select(not_understood.c.text)).scalars().all() == ["recent question"]
        assert conn.execute(select(hide_messages.c.message_id)).scalars().all() == [2]
    # Events themselves (no text) are statistics and stay.
    assert count(store, events) == 2


async def test_one_vote_per_answer(store: Store) -> None:
    store.vote(ALICE, "chat-msg-7", "law_carrying", +1)
    store.vote(ALICE, "chat-msg-7", "law_carrying", -1)
    store.vote(ALICE, "chat-msg-8", "law_carrying", -1)
    store.vote(BOB, "chat-msg-7", "law_carrying", +1)
    assert store.flush()
    with store.engine.connect() as conn:
        votes = sorted(conn.execute(select(feedback.c.answer_key, feedback.c.vote)).all())
    assert votes == [("chat-msg-7", -1), ("chat-msg-7", 1), ("chat-msg-8", -1)]


async def test_hide_ids_are_taken_once(store: Store, clock: Clock) -> None:
    store.remember_messages(ALICE, [5, 6])
    store.remember_messages(ALICE, [7])
    assert await store.take_messages(ALICE) == Taken([5, 6, 7], complete=True)
    assert await store.take_messages(ALICE) == Taken([], complete=True)
    assert await store.take_messages(BOB) == Taken([], complete=True)


def test_the_event_queue_is_bounded() -> None:
    store = Store(
        engine=make_engine("postgresql://nobody@127.0.0.1:1/none"), key=KEY, buffer_limit=5
    )
    for _ in range(8):
        store.record(event(ALICE))
    assert store.pending == 5
    store.engine.dispose()


async def test_answering_through_a_postgresql_outage(
    content_store: ContentStore, caplog: pytest.LogCaptureFixture
) -> None:
    proxy = Proxy()
    try:
        with postgres_database(port=proxy.port) as url:
            store = Store.open(url, KEY)
            engine = Engine(content=content_store, parser=FakeParser(), memory=store)
            await engine.answer("/start", ALICE)
            assert store.flush()
            caplog.set_level(logging.WARNING, logger="bot.storage.store")
            proxy.cut()
            replies = [
                await engine.answer(f"/{cmd}", ALICE) for cmd in ["law", "support", "report"] * 4
            ]
            assert all(r.text for r in replies)  # every message answered while the database is down
            assert await store.area(ALICE) is None  # reads give up instead of hanging the reply
            assert not store.flush(timeout=2)
            outage_logs = [r for r in caplog.records if "unavailable" in r.getMessage()]
            proxy.restore()
            assert store.flush(timeout=30)
            assert len(outage_logs) == 1  # logged once, not per message
            assert any("is back" in r.getMessage() for r in caplog.records)
            assert count(store, events) == 13  # /start plus 12 during the outage, each once
            store.close()
    finally:
        proxy.close()


async def test_answering_while_sqlite_is_locked(
    tmp_path: Path, content_store: ContentStore
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    store = Store.open(url, KEY)
    engine = Engine(content=content_store, parser=FakeParser(), memory=store)
    blocker = create_engine(url, future=True, connect_args={"timeout": 0.1})
    with blocker.connect() as conn:
        conn.exec_driver_sql("BEGIN EXCLUSIVE")
        replies = [await engine.answer("/law", ALICE) for _ in range(3)]
        assert all(r.topic == "consequences" for r in replies)
        conn.exec_driver_sql("ROLLBACK")
    assert store.flush(timeout=30)
    assert count(store, events) == 3
    store.close()
    blocker.dispose()


def test_forget_waits_for_the_database_and_says_so() -> None:
    import asyncio

    store = Store(engine=make_engine("postgresql://nobody@127.0.0.1:1/none"), key=KEY)
    store.start()
    assert asyncio.run(store.forget(ALICE, wait=0.5)) is False
    store.close(timeout=0.1)


# -- nothing a stranger sends stops the writer


@pytest.mark.parametrize("poison", ["report\x00x", "report\ud800x"])
async def test_a_row_the_database_refuses_is_skipped_and_writing_goes_on(
    store: Store, poison: str, caplog: pytest.LogCaptureFixture
) -> None:
    """NUL is refused by PostgreSQL, a lone surrogate by SQLite (it cannot be UTF-8)."""
    caplog.set_level(logging.ERROR, logger="bot.storage.store")
    store.record(event(ALICE))
    store.vote(ALICE, "msg-1", poison, +1)
    store.record(event(ALICE, not_understood=f"what about {poison}"))
    store.record(event(BOB))
    assert store.flush(timeout=30)
    assert store.writer_alive
    assert await store.forget(ALICE) is True  # and a /forget after it completes
    assert count(store, events) == 1  # Bob's; Alice's are gone with her /forget
    assert store.health()[0]
    refused = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    # SQLite keeps a NUL; everything else here is refused, and logged without its content.
    if store.engine.dialect.name == "postgresql" or "\ud800" in poison:
        assert len(refused) == 2
    assert all("report" not in line and "what about" not in line for line in refused)


async def test_both_poisons_on_both_databases_leave_a_working_store(store: Store) -> None:
    for index, poison in enumerate(("\x00", "\ud800", "\x1b[31m")):
        store.vote(ALICE, f"m{index}", f"law{poison}", -1)
        store.record(event(ALICE, not_understood=f"x{poison}y", reply_id=f"r{poison}"))
    assert store.flush(timeout=30)
    store.record(event(BOB))
    assert store.flush(timeout=30)
    with store.engine.connect() as conn:
        bob_rows = conn.execute(
            select(func.count())
            .select_from(events)
            .join(users)
            .where(users.c.pseudonym == store.pseudonym(BOB))
        ).scalar_one()
    assert bob_rows == 1
    assert await store.forget(ALICE) is True


class FailingClock(Clock):
    """A clock that fails while the writer does its daily upkeep, a few times: a stand-in for
    a bug anywhere in the writer's own loop."""

    def __init__(self, failures: int, error: type[BaseException] = RuntimeError) -> None:
        super().__init__()
        self.failures = failures
        self.error = error

    def __call__(self) -> datetime:
        upkeep = sys._getframe(1).f_code.co_name == "purge"
        if self.failures and upkeep and threading.current_thread().name == "store-writer":
            self.failures -= 1
            raise self.error("a bug in the writer's loop")
        return self.now


def eventually(condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_the_writer_is_restarted_when_it_fails(db_url: str) -> None:
    clock = FailingClock(failures=2)
    store = Store.open(db_url, KEY, clock=clock)
    try:
        for restarts, user in enumerate((ALICE, BOB, ALICE), start=1):
            store._last_purge = None  # the daily upkeep is due after this write
            store.record(event(user))
            assert store.flush(timeout=30)
            expected = min(restarts, 2)
            eventually(lambda expected=expected: store.writer_restarts >= expected)  # type: ignore[misc]
        assert store.flush(timeout=30)
        assert store.writer_restarts == 2 and store.writer_alive
        assert count(store, events) == 3  # nothing lost to the failures
    finally:
        store.close()


def test_even_a_system_exit_in_the_writer_is_survived(db_url: str) -> None:
    store = Store.open(db_url, KEY, clock=FailingClock(failures=1, error=SystemExit))
    try:
        store._last_purge = None  # the daily upkeep is due after the next write
        store.record(event(ALICE))
        eventually(lambda: store.writer_restarts == 1)
        store.record(event(BOB))
        assert store.flush(timeout=30)
        assert store.health()[0] and count(store, events) == 2
    finally:
        store.close()
    assert store.health() == (False, "the database writer is not running")  # once closed


# -- a /forget survives an outage and a restart


async def test_a_forget_during_an_outage_survives_a_restart(tmp_path: Path) -> None:
    journal = ForgetJournal(tmp_path / "var" / "forget-journal")
    proxy = Proxy()
    try:
        with postgres_database(port=proxy.port) as url:
            store = Store.open(url, KEY, journal=journal)
            store.record(event(ALICE, not_understood="a [name] question"))
            store.vote(ALICE, "m1", "law_carrying", -1)
            store.remember_messages(ALICE, [1, 2])
            store.record(event(BOB))
            assert store.flush()
            proxy.cut()
            assert await store.forget(ALICE, wait=1.0) is False  # "as soon as they're back"
            store.close(timeout=1.0)  # SIGTERM while the database is still away
            assert journal.pending() == [store.pseudonym(ALICE)]
            path = journal.path
            assert path.stat().st_mode & 0o777 == 0o600
            assert path.read_text() == store.pseudonym(ALICE) + "\n"  # the pseudonym only
            proxy.restore()
            restarted = Store.open(url, KEY, journal=journal)
            try:
                assert restarted.flush(timeout=30)
                mine = restarted.pseudonym(ALICE)
                with restarted.engine.connect() as conn:
                    assert conn.execute(select(users.c.pseudonym)).scalars().all() == [
                        restarted.pseudonym(BOB)
                    ]
                    for table in (events, feedback, not_understood, hide_messages):
                        left = conn.execute(
                            select(func.count()).select_from(table).join(users)
                        ).scalar_one()
                        assert left == (1 if table is events else 0), table.name
                assert mine not in path.read_text() if path.exists() else True
                assert journal.pending() == []
            finally:
                restarted.close()
    finally:
        proxy.close()


def test_the_journal_entry_is_crossed_out_only_after_the_commit(
    db_url: str, tmp_path: Path
) -> None:
    journal = ForgetJournal(tmp_path / "journal")
    seen_during_commit: list[list[str]] = []
    store = Store.open(db_url, KEY, journal=journal)
    try:
        store.record(event(ALICE))
        assert store.flush()

        @event_listens_for(store.engine, "commit")
        def look(_conn: object) -> None:
            seen_during_commit.append(journal.pending())

        assert asyncio.run(store.forget(ALICE)) is True
        assert [store.pseudonym(ALICE)] in seen_during_commit  # still listed while committing
        assert journal.pending() == []
    finally:
        store.close()


# -- /hide while the database is away


async def test_hide_ids_are_kept_in_memory_through_an_outage() -> None:
    proxy = Proxy()
    try:
        with postgres_database(port=proxy.port) as url:
            store = Store.open(url, KEY)
            store.remember_messages(ALICE, [1, 2])
            assert store.flush()
            proxy.cut()
            store.remember_messages(ALICE, [3, 4])
            taken = await store.take_messages(ALICE, wait=1.0)
            # Everything this process saw is there; the stored ones are not known to be all.
            assert taken == Taken([1, 2, 3, 4], complete=False)
            proxy.restore()
            assert store.flush(timeout=30)
            # The withdrawn request did not use the stored ids up: a retry gets them.
            assert await store.take_messages(ALICE) == Taken([1, 2], complete=True)
            assert await store.take_messages(ALICE) == Taken([], complete=True)
            store.close()
    finally:
        proxy.close()


# -- files only the bot may read


def test_the_key_the_database_and_its_journal_are_private(tmp_path: Path) -> None:
    var = tmp_path / "var"
    key = resolve_pseudonym_key(None, var)
    store = Store.open(f"sqlite:///{var / 'bot.sqlite3'}", key, journal=ForgetJournal(var / "j"))
    try:
        store.record(event(ALICE))
        assert store.flush()
        assert asyncio.run(store.forget(BOB)) is True
        store.journal.add(store.pseudonym(BOB))  # type: ignore[union-attr]
        modes = {p.name: p.stat().st_mode & 0o777 for p in var.iterdir()}
    finally:
        store.close()
    assert modes == {
        "pseudonym.key": 0o600,
        "bot.sqlite3": 0o600,
        "bot.sqlite3-wal": 0o600,
        "bot.sqlite3-shm": 0o600,
        "j": 0o600,
    }
    assert var.stat().st_mode & 0o777 == 0o700


def test_files_left_readable_by_an_older_version_are_tightened(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir()
    (var / "pseudonym.key").write_text("old-key\n")
    (var / "pseudonym.key").chmod(0o644)
    (var / "bot.sqlite3").touch(mode=0o644)
    (var / "bot.sqlite3").chmod(0o644)
    assert resolve_pseudonym_key(None, var) == b"old-key"
    Store.open(f"sqlite:///{var / 'bot.sqlite3'}", b"old-key").close()
    assert (var / "pseudonym.key").stat().st_mode & 0o777 == 0o600
    assert (var / "bot.sqlite3").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("url", "sentence"),
    [
        ("garbage", "DATABASE_URL is not a database address"),
        ("mysql://bot:pw@localhost/bot", "asks for mysql, which this bot does not support"),
        ("postgres://bot:pw@localhost/bot", "write postgresql:// instead"),
        ("postgresql+asyncpg://bot:pw@localhost/bot", "driver 'asyncpg', which is not installed"),
    ],
)
def test_a_database_url_the_bot_cannot_use_is_one_sentence(url: str, sentence: str) -> None:
    with pytest.raises(StorageError, match=sentence) as raised:
        make_engine(url)
    assert "pw" not in str(raised.value)


def test_a_sqlite_file_that_cannot_be_opened_gets_the_right_advice(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as raised:
        Store.open(f"sqlite:///{tmp_path}", KEY)  # a folder, not a file
    message = str(raised.value)
    assert "unable to open database file" in message
    assert "folder exists" in message and "running" not in message


def test_a_burst_of_first_time_users_each_get_their_own_row(store: Store) -> None:
    """Users are looked up and created a whole batch at a time: nobody is mixed up."""
    people = [User("telegram", str(9_000_000 + i)) for i in range(300)]
    for person in people:
        store.record(event(person))
        store.record(event(person, topic="support"))
    store.record(event(people[0], topic="consequences"))
    assert store.flush()
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(users)).scalar() == 300
        per_user = dict(
            conn.execute(
                select(users.c.pseudonym, func.count())
                .join(events, events.c.user_id == users.c.id)
                .group_by(users.c.pseudonym)
            ).all()
        )
    assert per_user == {
        store.pseudonym(person): 3 if person is people[0] else 2 for person in people
    }


def test_two_bots_on_one_database_share_a_new_persons_row(
    db_url: str, store: Store, clock: Clock
) -> None:
    """Two workers (a second bot, or one restarted) meet the same new person at the same
    moment: each adds them only if they are not there yet. There is one row for that person,
    with both replies on it, and the time they first wrote is kept."""
    other = Store.open(db_url, KEY, clock=lambda: clock.now + timedelta(hours=1))
    try:
        person = User("telegram", "424242")
        pseudonym = store.pseudonym(person)
        store.record(event(person, topic="support"))
        assert store.flush()
        # The other worker looked before the row was there, and adds the person too.
        with other.engine.begin() as conn:
            conn.execute(_ADD_USER, [{"pseudonym": pseudonym, "created_at": other.clock()}])
        other.record(event(person, topic="reporting"))
        assert other.flush()
        with store.engine.connect() as conn:
            rows = conn.execute(select(users.c.id, users.c.created_at)).all()
            assert len(rows) == 1
            first = rows[0].created_at
            assert (first if first.tzinfo else first.replace(tzinfo=timezone.utc)) == clock.now
            topics = conn.execute(
                select(events.c.topic).where(events.c.user_id == rows[0].id).order_by(events.c.id)
            ).scalars()
            assert list(topics) == ["support", "reporting"]
    finally:
        other.close()
