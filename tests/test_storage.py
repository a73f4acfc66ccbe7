"""Storage on real SQLite and real PostgreSQL: what is kept, what is never kept, and outages."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from bot.content import ContentStore
from bot.engine import Engine, Event, User
from bot.nlu import RasaParser
from bot.redact import redact
from bot.storage.store import StorageError, Store, current_revision, make_engine, upgrade
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
    assert current_revision(store.engine) == "0002"
    names = set(inspect(store.engine).get_table_names())
    assert {"users", "events", "feedback", "not_understood", "hide_messages"} <= names


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
    upgrade(engine)
    assert current_revision(engine) == "0002"
    with engine.connect() as conn:
        assert conn.execute(select(users.c.pseudonym, users.c.area)).all() == [("abc", None)]
        assert conn.execute(select(events.c.topic)).scalars().all() == ["support"]
    engine.dispose()


def test_opening_an_unreachable_database_says_what_to_check() -> None:
    with pytest.raises(StorageError, match="Check DATABASE_URL"):
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
    assert "[name]" in stored or "[number]" in stored


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
    assert await store.take_messages(ALICE) == [5, 6, 7]
    assert await store.take_messages(ALICE) == []
    assert await store.take_messages(BOB) == []


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
