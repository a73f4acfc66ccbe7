"""While the models are still loading, the bot answers what needs no model (bot/startup.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.engine import Engine, User
from bot.nlu import NLUUnavailable, Parser
from bot.startup import PendingParser
from tests.conftest import FakeParser

USER = User("test", "loading")


async def test_commands_and_buttons_are_answered_while_the_model_loads(
    fake_engine: Callable[..., Engine],
) -> None:
    loaded: asyncio.Future[Parser | None] = asyncio.get_running_loop().create_future()
    model = FakeParser({"who can i talk to": [("support_talk", 0.9)]})
    graded: asyncio.Future[Parser | None] = asyncio.get_running_loop().create_future()
    grader = FakeParser(default=[("general", 0.9)])
    engine = fake_engine(PendingParser(loaded), grader=PendingParser(graded))

    start = await engine.answer("/start", USER)
    tapped = await engine.show("menu_support", USER)
    assert start.reply_id == "start" and tapped.reply_id == "menu_support"
    assert model.asked == []

    question = asyncio.ensure_future(engine.answer("who can i talk to", USER))
    for _ in range(20):
        await asyncio.sleep(0)
    assert not question.done()  # a question waits for the models...
    loaded.set_result(model)
    graded.set_result(grader)
    reply = await question  # ...and is answered by it once it is there
    assert reply.intent == "support_talk"
    assert model.asked == grader.asked == ["who can i talk to"]


async def test_a_model_that_is_not_there_is_an_outage_not_a_hang() -> None:
    loaded: asyncio.Future[Parser | None] = asyncio.get_running_loop().create_future()
    loaded.set_result(None)
    with pytest.raises(NLUUnavailable):
        await PendingParser(loaded).parse("hello")


async def test_closing_waits_for_the_load_and_closes_what_it_made() -> None:
    closed: list[str] = []

    class Closing(FakeParser):
        async def close(self) -> None:
            closed.append("model")

    async def load() -> Parser | None:
        await asyncio.sleep(0.01)
        return Closing()

    await PendingParser(load()).close()
    assert closed == ["model"]


async def test_closing_after_a_failed_load_does_not_raise_again() -> None:
    async def load() -> Parser | None:
        raise FileNotFoundError("no model")

    pending = PendingParser(load())
    with pytest.raises(FileNotFoundError):
        await pending.parse("hello")
    await pending.close()
