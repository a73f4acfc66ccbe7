"""Webhook mode: Telegram calls the bot over HTTPS instead of the bot polling Telegram.

An aiohttp server (behind your HTTPS proxy or load balancer) takes Telegram's calls on the path
of WEBHOOK_URL. Every call must carry WEBHOOK_SECRET in the X-Telegram-Bot-Api-Secret-Token
header (403 otherwise); bodies that are not a Telegram update get 400. GET /healthz says
whether the bot is up, for load balancers and the container's health check.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update

from bot.settings import Settings
from bot.telegram.app import ALLOWED_UPDATES, Services, build_application, post_init, post_shutdown

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
        services: Services = application.bot_data
        store = services.store
        body = {
            "status": "ok" if application.running else "starting",
            "pending_database_writes": store.pending if store else 0,
        }
        return web.json_response(body, status=200 if application.running else 503)

    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", health)
    return app


async def serve(
    settings: Settings,
    services: Services | None = None,
    host: str = "0.0.0.0",
    stop: asyncio.Event | None = None,
) -> None:
    """Run in webhook mode until SIGTERM or SIGINT (or `stop`), then finish what is in hand."""
    assert settings.webhook_url and settings.webhook_secret
    application = build_application(settings, services)
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    await application.initialize()
    await post_init(application)
    await application.bot.set_webhook(
        url=settings.webhook_url,
        secret_token=settings.webhook_secret,
        allowed_updates=ALLOWED_UPDATES,
    )
    await application.start()
    runner = web.AppRunner(
        make_app(application, settings.webhook_secret, webhook_path(settings.webhook_url))
    )
    await runner.setup()
    site = web.TCPSite(runner, host, settings.port)
    await site.start()
    log.info("webhook mode: listening on port %d for %s", settings.port, settings.webhook_url)
    try:
        await stop.wait()
    finally:
        log.info("stopping: answering the updates in hand first")
        await runner.cleanup()  # no new calls; Telegram retries them on another worker
        await application.stop()
        await post_shutdown(application)
        await application.shutdown()
