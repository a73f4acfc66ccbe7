"""The bot over real HTTP when things go wrong: webhook secrets, Telegram errors, restarts."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select

from bot.content import ContentStore
from bot.engine import Engine
from bot.redact import redact
from bot.storage.store import Store
from bot.storage.tables import events, feedback, hide_messages, not_understood, users
from bot.telegram import app as app_module
from bot.telegram.app import Services, check_health, health, serve
from bot.telegram.conversation import TelegramChannel
from tests.botapi import BotAPI
from tests.conftest import MODEL, ROOT, SAFETY_MODEL, FakeParser, shelve
from tests.db import PG_PORT, Proxy, postgres_database
from tests.nlu_standin import StandInNLU
from tests.telegram_harness import running_bot, settings_for, start_bot_process


@pytest.fixture
def api() -> Iterator[BotAPI]:
    with BotAPI() as server:
        yield server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def one_reply_each(api: BotAPI, chats: range) -> None:
    counts = Counter(m.chat_id for m in api.state.sent)
    assert {chat: counts[chat] for chat in chats} == dict.fromkeys(chats, 1)


async def test_429_and_500_for_a_while_then_every_reply_arrives_once(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    api.fail("sendMessage", 429, times=2, retry_after=1)
    api.fail("sendMessage", 500, times=4)
    chats = range(6000, 6010)
    async with running_bot(api, tmp_path, FakeParser(), content_store):
        for chat in chats:
            api.message(chat, "/report")
        await api.until(lambda s: len({m.chat_id for m in s.sent}) == len(chats), timeout=60)
        await asyncio.sleep(0.5)
    one_reply_each(api, chats)
    assert api.state.refused["sendMessage"] == 6  # the faults really happened
    assert all("0800 555 111" in m.text for m in api.state.sent)


async def test_timeouts_and_dropped_connections_are_retried(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    api.slow("sendMessage", seconds=2.0, times=2)
    api.drop("sendMessage", times=2)
    chats = range(6100, 6105)
    async with running_bot(api, tmp_path, FakeParser(), content_store, read_timeout=0.5):
        for chat in chats:
            api.message(chat, "/law")
        await api.until(lambda s: len({m.chat_id for m in s.sent}) == len(chats), timeout=60)
        await asyncio.sleep(2.5)  # let any abandoned slow request finish, to catch duplicates
    one_reply_each(api, chats)
    assert api.state.refused["sendMessage"] == 4


async def test_webhook_mode_checks_the_secret(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    port = free_port()
    settings = settings_for(
        api,
        tmp_path,
        WEBHOOK_URL="https://bot.example.org/tg-hook",
        WEBHOOK_SECRET="s3cret_Token-1",
        PORT=str(port),
    )
    store = Store.open(settings.database_url, b"k")
    engine = Engine(content=content_store, parser=FakeParser(), memory=store)
    services = Services(channel=TelegramChannel(engine, store), store=store, owned=False)
    stop = asyncio.Event()
    server = asyncio.create_task(serve(settings, services, host="127.0.0.1", stop=stop))
    url = f"http://127.0.0.1:{port}"
    update = {
        "update_id": 1,
        "message": {"message_id": 1, "date": 0, "chat": {"id": 7001, "type": "private"}, "from": {"id": 7001, "is_bot": False, "first_name": "A"}, "text": "/report", "entities": [{"type": "bot_command", "offset": 0, "length": 7}]},
    }  # fmt: skip
    try:
        async with httpx.AsyncClient(base_url=url) as client:
            for _ in range(100):
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            health = await client.get("/healthz")
            assert health.status_code == 200 and health.json()["status"] == "ok"
            assert api.state.webhook["url"] == "https://bot.example.org/tg-hook"
            assert api.state.webhook["secret_token"] == "s3cret_Token-1"
            wrong = await client.post(
                "/tg-hook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}
            )
            missing = await client.post("/tg-hook", json=update)
            assert (wrong.status_code, missing.status_code) == (403, 403)
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret_Token-1"}
            not_json = await client.post("/tg-hook", content=b"{not json", headers=headers)
            not_update = await client.post("/tg-hook", json=[1, 2], headers=headers)
            assert (not_json.status_code, not_update.status_code) == (400, 400)
            right = await client.post("/tg-hook", content=json.dumps(update), headers=headers)
            assert right.status_code == 200
            (reply,) = await api.messages_to(7001, 1)
            assert "0800 555 111" in reply.text
            await asyncio.sleep(0.3)
            assert len(api.sent_to(7001)) == 1  # the refused calls did nothing
            # a load balancer asking /healthz learns when the database writer has stopped
            await asyncio.to_thread(store.close)
            dead = await client.get("/healthz")
            assert dead.status_code == 503
            assert dead.json() == {
                "status": "unhealthy",
                "detail": "the database writer is not running",
            }
    finally:
        stop.set()
        await server
        await asyncio.to_thread(store.close)


def run_bot(api: BotAPI, tmp_path: Path) -> subprocess.Popen[bytes]:
    return start_bot_process(api, tmp_path, PSEUDONYM_KEY="restart-test")


def stop_bot(process: subprocess.Popen[bytes]) -> bytes:
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode(errors="replace")
    return err


@pytest.mark.model
def test_a_restart_mid_stream_loses_and_repeats_nothing(api: BotAPI, tmp_path: Path) -> None:
    first_batch = range(8000, 8040)
    for chat in first_batch:
        api.message(chat, "/law")
    bot = run_bot(api, tmp_path)
    try:
        api.wait_for(lambda s: len(s.sent) >= 10, timeout=120)
    finally:
        stop_bot(bot)
    answered_before = len(api.state.sent)
    second_batch = range(8040, 8060)
    for chat in second_batch:
        api.message(chat, "/report")
    bot = run_bot(api, tmp_path)
    try:
        api.wait_for(lambda s: len({m.chat_id for m in s.sent}) == 60, timeout=120)
        api.wait_for(lambda s: s.confirmed_offset >= 61, timeout=30)
    finally:
        stop_bot(bot)
    assert answered_before >= 10
    one_reply_each(api, range(8000, 8060))
    assert api.state.confirmed_offset == 61  # every update acknowledged, none left to repeat


@pytest.mark.parametrize(
    ("token", "expected"),
    [("", "TELEGRAM_BOT_TOKEN is not set"), ("not-a-token", "does not look like a bot token")],
)
def test_a_missing_or_malformed_token_fails_fast(token: str, expected: str, tmp_path: Path) -> None:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": token, "VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert expected in done.stderr


# -- what a modified client can send


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'bot.sqlite3'}"
    else:
        with postgres_database() as url:
            yield url


async def test_poisoned_button_taps_and_messages_do_not_stop_the_bot(
    api: BotAPI, tmp_path: Path, content_store: ContentStore, db_url: str
) -> None:
    """NUL stopped every database write on PostgreSQL, a lone surrogate on SQLite: after
    these taps the bot must still write, and a /forget must still complete."""
    chat = 6500
    store = Store.open(db_url, b"test-key")
    parser = FakeParser(
        {"how do i report": [("report_anonymous", 0.97)]}, default=[("law_carrying", 0.1)]
    )
    try:
        async with running_bot(
            api, tmp_path, parser, content_store, store=store, redact=redact
        ) as (_, channel):
            api.message(chat, "how do i report")
            (answer,) = await api.messages_to(chat, 1)
            poisoned = [
                "v:+:report\x00x",
                "v:-:report_anonymous\ud800",
                "r:\ud800",
                "r:menu_law\x00",
                "v:+:\x1b[31mred",
                "v:+:no_such_reply",  # well formed, but no such answer
                "v:+:report_anonymous",  # the one real vote
            ]
            for data in poisoned:
                api.tap(chat, answer, data)
            await api.until(lambda s: len(s.callback_answers) == len(poisoned))
            api.message(chat, "wot about \x00 this \ud800 and \x1b[2J that")  # typed, too
            api.message(chat, "/law")
            await api.messages_to(chat, 3)
            assert store.flush(timeout=30)
            with store.engine.connect() as conn:
                votes = conn.execute(select(feedback.c.reply_id, feedback.c.vote)).all()
                questions = conn.execute(select(not_understood.c.text)).scalars().all()
            assert votes == [("report_anonymous", 1)]  # only the vote on a real answer
            (question,) = questions
            assert "\x00" not in question and "\x1b" not in question and question.isprintable()
            api.message(chat, "/forget")
            forgot = (await api.messages_to(chat, 4))[3]
            assert "deleted everything" in forgot.text
            assert store.writer_alive and store.skipped_writes == 0
            assert (await check_health(channel_services(channel)))[0]
            with store.engine.connect() as conn:
                for table in (users, events, feedback, not_understood, hide_messages):
                    assert conn.execute(select(table)).all() == [], table.name
    finally:
        store.close()


def channel_services(channel: TelegramChannel) -> Services:
    return Services(channel=channel, store=channel.store, owned=False)


async def test_hide_during_a_database_outage_clears_what_it_can_and_says_so(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    chat = 6600
    proxy = Proxy()
    try:
        with postgres_database(port=proxy.port) as url:
            store = Store.open(url, b"test-key")
            async with running_bot(api, tmp_path, FakeParser(), content_store, store=store):
                _, start = api.message(chat, "/start")
                await api.messages_to(chat, 1)
                assert store.flush()
                proxy.cut()
                _, law = api.message(chat, "/law")  # while the database is away
                await api.messages_to(chat, 2)
                ours = [m.message_id for m in api.sent_to(chat)]
                _, hide = api.message(chat, "/hide")
                said = (await api.messages_to(chat, 3, timeout=60))[2]
                deleted = {m for c, m in api.state.deleted if c == chat}
                assert {start, law, hide, *ours} <= deleted  # everything so far, both sides
                assert "couldn't reach my records" in said.text  # and honest about the rest
                assert "/hide again" in said.text
                proxy.restore()
                assert store.flush(timeout=30)
                api.message(chat, "/hide")  # the retry it suggested
                again = (await api.messages_to(chat, 4, timeout=60))[3]
                assert "couldn't reach" not in again.text
            store.close()
    finally:
        proxy.close()


def test_a_forget_during_an_outage_survives_sigterm_and_a_restart(
    api: BotAPI, tmp_path: Path
) -> None:
    """The promise "it will happen as soon as they're back" is kept across a restart."""
    chat = 6700
    proxy = Proxy()
    try:
        with postgres_database(port=proxy.port) as url, StandInNLU() as nlu:
            direct = url.replace(f":{proxy.port}/", f":{PG_PORT}/")
            settings = {"DATABASE_URL": url, "NLU_URL": nlu.url, "PSEUDONYM_KEY": "restart-key"}
            bot = start_bot_process(api, tmp_path, **settings)
            try:
                for text in ("/start", "/law", "how do i report"):
                    api.message(chat, text)
                api.wait_for_messages(chat, 3, timeout=60)
                wait_until(lambda: rows_of(direct, chat) >= 3)
                proxy.cut()
                api.message(chat, "/forget")
                (*_, later) = api.wait_for_messages(chat, 4, timeout=60)
                assert "as soon as they're back" in later.text
            finally:
                stop_bot(bot)  # SIGTERM while the database is still away
            journal = tmp_path / "var" / "forget-journal"
            assert journal.stat().st_mode & 0o777 == 0o600
            assert journal.read_text() == pseudonym_of(chat) + "\n"  # the pseudonym, nothing else
            assert rows_of(direct, chat) >= 3  # not deleted yet: the database was away
            proxy.restore()
            bot = start_bot_process(api, tmp_path, **settings)
            try:
                wait_until(lambda: rows_of(direct, chat) == 0 and not journal.exists())
            finally:
                stop_bot(bot)
            assert rows_of(direct, chat) == 0 and not journal.exists()
    finally:
        proxy.close()


def pseudonym_of(chat: int) -> str:
    return hmac.new(b"restart-key", f"telegram:{chat}".encode(), hashlib.sha256).hexdigest()


def rows_of(url: str, chat: int) -> int:
    """Every row held about this person, read straight from PostgreSQL."""
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            user_id = conn.execute(
                select(users.c.id).where(users.c.pseudonym == pseudonym_of(chat))
            ).scalar()
            if user_id is None:
                return 0
            total = 1
            for table in (events, feedback, not_understood, hide_messages):
                total += conn.execute(
                    select(func.count()).select_from(table).where(table.c.user_id == user_id)
                ).scalar_one()
            return int(total)
    finally:
        engine.dispose()


def wait_until(condition: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


async def test_polling_mode_health_reports_a_stopped_database_writer(
    api: BotAPI, tmp_path: Path, content_store: ContentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The heartbeat the bot writes says so when the database writer has stopped, and `python
    -m bot health` (the container's health check) reads that as unhealthy."""
    monkeypatch.setattr(app_module, "HEARTBEAT_EVERY", 0.2)
    settings = settings_for(api, tmp_path)
    store = Store.open(settings.database_url, b"test-key")
    async with running_bot(api, tmp_path, FakeParser(), content_store, store=store) as (
        application,
        _,
    ):
        heartbeat = tmp_path / "var" / "heartbeat"
        await asyncio.to_thread(wait_until, heartbeat.exists, 30)
        assert health(settings) == (True, "database ok")
        store.close()  # the writer stops
        ok, detail = await check_health(application.bot_data)
        assert (ok, detail) == (False, "the database writer is not running")
        # the next beat writes it down
        await asyncio.to_thread(wait_until, lambda: health(settings)[0] is False, 30)
        assert health(settings) == (False, "the database writer is not running")


async def test_the_health_check_never_reads_a_half_written_heartbeat(
    api: BotAPI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m bot health` (the container's health check) may run at any moment, also while
    the heartbeat is being written; it must see the old beat or the new one, never an empty file."""
    settings = settings_for(api, tmp_path)

    async def healthy(_services: Any) -> tuple[bool, str]:
        return True, "database ok"

    monkeypatch.setattr(app_module, "check_health", healthy)
    monkeypatch.setattr(app_module, "HEARTBEAT_EVERY", 0)
    application = SimpleNamespace(running=True, bot_data=None)
    beating = asyncio.create_task(app_module.beat(application, settings.var_dir))  # type: ignore[arg-type]
    try:
        heartbeat = settings.var_dir / app_module.HEARTBEAT_FILE
        await asyncio.to_thread(wait_until, heartbeat.exists, 30)

        def read_while_beating() -> Counter[tuple[bool, str]]:
            return Counter(health(settings) for _ in range(3000))

        seen = await asyncio.to_thread(read_while_beating)
    finally:
        beating.cancel()
    assert set(seen) == {(True, "database ok")}


def test_the_running_bot_switches_to_a_model_activated_in_the_console(
    api: BotAPI, tmp_path: Path
) -> None:
    """An admin activates a retrained pair (as the console does, through models/active.json):
    the running bot answers with it within seconds, without a restart."""
    from bot.models import ModelShelf
    from bot.settings import Settings

    models = tmp_path / "models"
    models.mkdir()
    shutil.copyfile(MODEL, models / "nlu.tar.gz")
    shutil.copyfile(SAFETY_MODEL, models / "safety.tar.gz")
    log = tmp_path / "bot.log"
    chat = 6800
    with log.open("wb") as stderr:
        bot = start_bot_process(
            api, tmp_path, stderr=stderr, MODEL_PATH=str(models / "nlu.tar.gz"), LOG_LEVEL="INFO"
        )
        try:
            api.message(chat, "can i report a knife without giving my name")
            (before,) = api.wait_for_messages(chat, 1, timeout=120)
            assert "0800 555 111" in before.text
            # The "retrained" pair's NLU model is the safety classifier, which knows no topic:
            # the answers show which model is in use.
            shelf = ModelShelf(Settings.from_env({"MODEL_PATH": str(models / "nlu.tar.gz")}, ROOT))
            safety_only = SAFETY_MODEL.read_bytes()
            shelve(shelf, "20261206-120000", (safety_only, safety_only))
            shelf.activate("20261206-120000", "admin@example.org")
            wait_until(lambda: b"switched to the newly activated model" in log.read_bytes(), 60)
            api.message(chat, "can i report a knife without giving my name")
            (_, after) = api.wait_for_messages(chat, 2, timeout=60)
            assert after.text != before.text and "0800 555 111" not in after.text
        finally:
            stop_bot(bot)
    assert bot.poll() == 0
