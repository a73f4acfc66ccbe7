"""Webhook mode: Telegram calls the bot over HTTPS instead of the bot polling Telegram.

An aiohttp server (behind your HTTPS proxy or load balancer) takes Telegram's calls on the path
of WEBHOOK_URL. Every call must carry WEBHOOK_SECRET in the X-Telegram-Bot-Api-Secret-Token
header (403 otherwise); bodies that are not a Telegram update get 400. GET /healthz says
whether the bot can do its job, for load balancers and the container's health check.
"""

from __future__ import annotations

import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update

from bot.settings import Settings

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1_000_000


def webhook_path(url: str) -> str:
    path = urlsplit(url).path
    return path if path not in ("", "/") else "/telegram"


def make_app(application: Any, secret: str, path: str) -> web.Application:
    """The HTTP side: Telegram's calls on `path`, and a health check on /healthz."""

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook call refused: wrong or missing secret token")
            return web.json_response({"ok": False, "error": "forbidden"}, status=403)
        try:
            data = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return web.json_response({"ok": False, "error": "body is not JSON"}, status=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return web.json_response({"ok": False, "error": "not a Telegram update"}, status=400)
        try:
            update = Update.de_json(data, application.bot)
        except Exception:
            # Telegram would send it again and again if refused: log it and let it go.
            log.error("skipped update %s: it could not be read", data["update_id"], exc_info=True)
            return web.json_response({"ok": True, "skipped": True})
        await application.update_queue.put(update)
        return web.json_response({"ok": True})

    async def health(_request: web.Request) -> web.Response:
        from bot.telegram.app import check_health

        if not application.running:
            return web.json_response({"status": "starting", "detail": "starting"}, status=503)
        ok, detail = await check_health(application.bot_data)
        return web.json_response(
            {"status": "ok" if ok else "unhealthy", "detail": detail}, status=200 if ok else 503
        )

    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", health)
    return app


@dataclass
class WebhookServer:
    """aiohttp's runner and its site, closed together."""

    runner: web.AppRunner

    async def close(self) -> None:
        await self.runner.cleanup()  # no new calls; requests in hand finish


async def start_webhook_server(application: Any, settings: Settings, host: str) -> WebhookServer:
    """Listen on `host`:PORT for Telegram's calls (and /healthz)."""
    assert settings.webhook_url and settings.webhook_secret
    runner = web.AppRunner(
        make_app(application, settings.webhook_secret, webhook_path(settings.webhook_url))
    )
    await runner.setup()
    await web.TCPSite(runner, host, settings.port).start()
    return WebhookServer(runner)
