"""Is the bot able to do its job? What /healthz and `python -m bot health` report.

Two parts can fail without the process noticing: the thread that writes to the database, and
the NLU (the model in this process, or a Rasa server). `WatchedParser` wraps the parser the
engine uses and remembers whether it answered lately; when it has not been asked for a while,
a health check asks it one short question itself (at most every few seconds, however often
the check is called, so calling /healthz cannot be used to load the model).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bot.nlu import NLUUnavailable, Parse, Parser
from bot.storage.store import Store

PROBE_TEXT = "hello"


class WatchedParser:
    """A Parser that remembers whether the NLU answered lately."""

    def __init__(
        self,
        parser: Parser,
        clock: Callable[[], float] = time.monotonic,
        fresh: float = 10.0,
        probe_every: float = 10.0,
        probe_timeout: float = 3.0,
    ) -> None:
        self.parser = parser
        self.clock = clock
        self.fresh = fresh
        self.probe_every = probe_every
        self.probe_timeout = probe_timeout
        self._last_ok: float | None = None
        self._last_failure: tuple[float, str] | None = None
        self._probed: tuple[float, bool, str] | None = None

    async def parse(self, text: str) -> Parse:
        try:
            parse = await self.parser.parse(text)
        except NLUUnavailable as exc:
            self._last_failure = (self.clock(), str(exc))
            raise
        self._last_ok = self.clock()
        self._last_failure = None
        return parse

    async def close(self) -> None:
        await self.parser.close()

    async def health(self) -> tuple[bool, str]:
        """(healthy, why): recent answers count; otherwise one short question, now and then."""
        now = self.clock()
        answered_lately = self._last_ok is not None and now - self._last_ok < self.fresh
        if answered_lately and self._last_failure is None:
            return True, "NLU ok"
        if self._probed is not None and now - self._probed[0] < self.probe_every:
            return self._probed[1], self._probed[2]
        try:
            await asyncio.wait_for(self.parse(PROBE_TEXT), timeout=self.probe_timeout)
            result = (True, "NLU ok")
        except asyncio.TimeoutError:
            result = (False, f"the NLU did not answer within {self.probe_timeout:.0f} s")
        except NLUUnavailable as exc:
            result = (False, f"the NLU is not answering ({exc})")
        self._probed = (self.clock(), *result)
        return result


async def check(store: Store | None, parser: Parser | None) -> tuple[bool, str]:
    """The whole bot's health: the database writer and the NLU."""
    parts: list[tuple[bool, str]] = []
    if store is not None:
        parts.append(store.health())
    if isinstance(parser, WatchedParser):
        parts.append(await parser.health())
    healthy = all(ok for ok, _ in parts)
    return healthy, "; ".join(detail for _, detail in parts) or "ok"
