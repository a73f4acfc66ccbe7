"""The running bot's model switch: when models/active.json changes (a model was activated or
restored in the staff console), the pair it names is loaded and swapped in, without a restart.

Loading takes several seconds and happens on a worker thread; the old pair keeps answering
until the new one is ready, then is closed. A pair that fails to load is logged and the old
one stays in use.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from bot.engine import Engine
from bot.nlu import Parser

log = logging.getLogger(__name__)

Loaded = tuple[Parser, Parser | None]


class ModelSwitch:
    def __init__(
        self,
        pointer: Path,
        engine: Engine,
        load: Callable[[], Loaded],
        on_swap: Callable[[Loaded], None] | None = None,
        check_every: float = 5.0,
    ) -> None:
        self.pointer = pointer
        self.engine = engine
        self.load = load
        self.on_swap = on_swap
        self.check_every = check_every
        self._seen = self._stamp()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.pointer.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    async def check(self) -> bool:
        """Swap in the pair active.json names if it changed; True when it was swapped."""
        stamp = self._stamp()
        if stamp == self._seen or stamp is None:
            return False
        self._seen = stamp
        try:
            parser, grader = await asyncio.to_thread(self.load)
        except Exception:
            log.error(
                "the newly activated model could not be loaded; keeping the old one", exc_info=True
            )
            return False
        old = (self.engine.parser, self.engine.grader)
        self.engine.parser, self.engine.grader = parser, grader
        if self.on_swap is not None:
            self.on_swap((parser, grader))
        log.info("switched to the newly activated model")
        for model in old:
            if model is not None:
                await model.close()
        return True

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.check_every)
            await self.check()
