"""Telling whether the NLU is answering, and asking a token-protected Rasa server."""

from __future__ import annotations

import pytest

from bot.health import WatchedParser
from bot.nlu import NLUUnavailable, RemoteParser
from tests.nlu_standin import StandInNLU


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_token_protected_rasa_server_is_asked_with_its_token() -> None:
    with StandInNLU(token="rasa-secret") as nlu:
        with_token = RemoteParser(nlu.url, token="rasa-secret")
        without = RemoteParser(nlu.url)
        try:
            parse = await with_token.parse("how do i report")
            assert parse.top is not None and parse.top.name == "report_anonymous"
            with pytest.raises(NLUUnavailable):
                await without.parse("how do i report")
        finally:
            await with_token.close()
            await without.close()


async def test_a_dead_nlu_is_reported_and_checks_are_not_a_way_to_load_it() -> None:
    with StandInNLU() as nlu:
        clock = Clock()
        watched = WatchedParser(RemoteParser(nlu.url, timeout=2), clock=clock)
        try:
            assert await watched.health() == (True, "NLU ok")
            asked = nlu.asked
            for _ in range(100):  # a load balancer asking every few milliseconds
                assert (await watched.health())[0]
            assert nlu.asked == asked  # answered from what it knew, not by asking 100 times
            nlu.down = True
            clock.now += 11
            ok, detail = await watched.health()
            assert not ok and "NLU is not answering" in detail
            nlu.down = False
            assert not (await watched.health())[0]  # the last check stands for a while...
            clock.now += 11
            assert (await watched.health())[0]  # ...then it is asked again
        finally:
            await watched.close()
