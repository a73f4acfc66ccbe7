"""Remote NLU mode: Rasa's own server (`rasa run --enable-api`) as the model, and going down."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.content import ContentStore
from bot.engine import Engine, User
from bot.nlu import NLUUnavailable, RemoteParser
from tests.botapi import BotAPI
from tests.conftest import MODEL
from tests.rasa_server import free_port, start_rasa_server, stop_rasa_server
from tests.telegram_harness import running_bot

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def rasa_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Rasa's HTTP server on the project's trained model."""
    process, url = start_rasa_server(MODEL, tmp_path_factory.mktemp("rasa"))
    yield url, process
    stop_rasa_server(process)


async def test_the_engine_works_with_rasas_own_server(
    rasa_server: tuple[str, subprocess.Popen[bytes]], content_store: ContentStore
) -> None:
    url, _ = rasa_server
    parser = RemoteParser(url)
    try:
        engine = Engine(content=content_store, parser=parser)
        reply = await engine.answer("can i report someone without giving my name", User("t", "1"))
        assert reply.topic == "reporting" and "0800 555 111" in reply.text
        parse = await parser.parse("who can i talk to")
        assert parse.top is not None and parse.top.name == "support_talk"
    finally:
        await parser.close()


async def test_the_nlu_server_going_down_loses_no_reply(
    rasa_server: tuple[str, subprocess.Popen[bytes]], content_store: ContentStore, tmp_path: Path
) -> None:
    """While the remote model is down, every message still gets exactly one answer: the honest
    fallback, and for emergencies the safety net's answer, which needs no model."""
    _, process = rasa_server
    stop_rasa_server(process)
    url = "http://127.0.0.1:" + str(free_port())  # nothing listens here any more
    parser = RemoteParser(url, timeout=1.0)
    with pytest.raises(NLUUnavailable):
        await parser.parse("hello")
    with BotAPI() as api:
        async with running_bot(api, tmp_path, parser, content_store):
            chats = range(9000, 9006)
            for chat in chats:
                api.message(chat, "what happens if i carry a knife")
            api.message(9100, "my mate is bleeding loads")
            await api.until(
                lambda s: len({m.chat_id for m in s.sent}) == len(chats) + 1, timeout=60
            )
            await asyncio.sleep(0.3)
            for chat in chats:
                (reply,) = api.sent_to(chat)
                assert "not sure I understood" in reply.text
            (urgent,) = api.sent_to(9100)
            assert "999" in urgent.text.split("\n\n")[0]
    await parser.close()
