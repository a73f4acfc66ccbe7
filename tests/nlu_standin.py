"""A stand-in Rasa server on 127.0.0.1 (`/status` and `/model/parse`), for tests that run the
bot as a process with remote NLU: the process stays small and starts in a second, where the real
model would take 15. It checks Rasa's `?token=` like `rasa run --enable-api --auth-token` does,
and can be told to stop answering."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from aiohttp import web


class StandInNLU:
    """Start with `with StandInNLU() as nlu:`; point NLU_URL at `nlu.url`."""

    def __init__(self, token: str | None = None, intent: str = "report_anonymous") -> None:
        self.token = token
        self.intent = intent
        self.down = False
        self.asked = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> StandInNLU:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/status", self._status)
        app.router.add_post("/model/parse", self._parse)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def _refused(self, request: web.Request) -> web.Response | None:
        if self.down:
            return web.json_response({"error": "down"}, status=503)
        if self.token is not None and request.query.get("token") != self.token:
            return web.json_response({"error": "unauthorized"}, status=401)
        return None

    async def _status(self, request: web.Request) -> web.Response:
        return self._refused(request) or web.json_response({"model_file": "nlu.tar.gz"})

    async def _parse(self, request: web.Request) -> web.Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        self.asked += 1
        ranking: list[dict[str, Any]] = [{"name": self.intent, "confidence": 0.95}]
        return web.json_response({"intent": ranking[0], "intent_ranking": ranking})
