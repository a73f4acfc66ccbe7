"""Webhook mode: Telegram calls the bot over HTTPS instead of the bot polling Telegram.

An aiohttp server (behind your HTTPS proxy or load balancer) takes Telegram's calls on the path
of WEBHOOK_URL; GET /healthz says whether the bot can do its job, for load balancers and the
container's health check. Anyone on the internet can reach this port, so:

- the secret (X-Telegram-Bot-Api-Secret-Token) is checked before anything of the body is read
  (403 otherwise, and the connection is closed so nothing more of the body is taken in);
- bodies are never inflated by aiohttp itself: Telegram sends plain JSON, and a gzip or
  deflate body (only after the secret) is inflated here, up to the same 1 MB as a plain one;
- the body must arrive within 10 s, and its JSON be an update (400 otherwise, 400 for JSON
  nested too deeply to read);
- connections that do not send a request in time are closed, and their number is capped
  (bot.telegram.connections).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update

from bot.settings import Settings
from bot.telegram.connections import ACCEPT_BURST, ConnectionGuard

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1_000_000
HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 10.0
KEEPALIVE_TIMEOUT = 75.0
ENCODINGS = ("identity", "gzip", "x-gzip", "deflate")


class BodyTooLarge(ValueError):
    """The body, once inflated, is larger than MAX_BODY."""


def webhook_path(url: str) -> str:
    path = urlsplit(url).path
    return path if path not in ("", "/") else "/telegram"


def secret_matches(given: str, secret: str) -> bool:
    """Constant-time comparison; a header that is not plain ASCII never matches (aiohttp hands
    bytes that are not UTF-8 over as lone surrogates, which cannot even be encoded)."""
    if not given.isascii():
        return False
    return hmac.compare_digest(given.encode("ascii"), secret.encode("ascii"))


def inflate(body: bytes, encoding: str, limit: int = MAX_BODY) -> bytes:
    """The body as sent (identity), or inflated from gzip or deflate, never beyond `limit`.

    Raises BodyTooLarge past the limit and ValueError for a stream that is not complete.
    """
    if encoding == "identity":
        return body
    if encoding in ("gzip", "x-gzip"):
        wbits = 16 + zlib.MAX_WBITS
    else:  # HTTP's "deflate" is the zlib format, but some clients send raw deflate
        wbits = zlib.MAX_WBITS if body[:1] and body[0] & 0x0F == 8 else -zlib.MAX_WBITS
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise ValueError("the body is not valid compressed data") from exc
    if len(out) > limit or inflater.unconsumed_tail:
        raise BodyTooLarge(f"the body inflates to more than {limit} bytes")
    if not inflater.eof:
        raise ValueError("the compressed body is cut short")
    return out


def _refuse(status: int, error: str) -> web.Response:
    """An error answer that also closes the connection: whatever else was sent is not read."""
    response = web.json_response({"ok": False, "error": error}, status=status)
    response.force_close()
    return response


def make_app(
    application: Any, secret: str, path: str, guard: ConnectionGuard | None = None
) -> web.Application:
    """The HTTP side: Telegram's calls on `path`, and a health check on /healthz."""

    async def receive(request: web.Request) -> web.Response:
        if not secret_matches(request.headers.get(SECRET_HEADER, ""), secret):
            log.warning("webhook call refused: wrong or missing secret token")
            return _refuse(403, "forbidden")
        if request.content_length is not None and request.content_length > MAX_BODY:
            return _refuse(413, "body too large")
        encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ENCODINGS:
            return _refuse(415, "unsupported content encoding")
        try:
            raw = await asyncio.wait_for(request.read(), timeout=BODY_TIMEOUT)
            body = inflate(raw, encoding)
        except asyncio.TimeoutError:
            return _refuse(408, "the body took too long")
        except (web.HTTPRequestEntityTooLarge, BodyTooLarge):
            return _refuse(413, "body too large")
        except ValueError:
            return _refuse(400, "body is not readable")
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return _refuse(400, "body is not JSON")
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return _refuse(400, "not a Telegram update")
        try:
            update = Update.de_json(data, application.bot)
        except Exception:
            # Telegram would send it again and again if refused: log it and let it go.
            log.error("skipped update %s: it could not be read", data["update_id"])
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

    middlewares = [guard.middleware] if guard is not None else []
    app = web.Application(client_max_size=MAX_BODY, middlewares=middlewares)
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", health)
    return app


@dataclass
class WebhookServer:
    """The listening socket, aiohttp's runner and the guard, closed together."""

    server: asyncio.base_events.Server
    runner: web.AppRunner
    guard: ConnectionGuard

    @property
    def port(self) -> int:
        return int(self.server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        self.server.close()  # no new connections
        await self.runner.cleanup()  # lets requests in hand finish, closes the rest
        await self.guard.close()


async def start_webhook_server(
    application: Any, settings: Settings, host: str, max_connections: int | None = None
) -> WebhookServer:
    """Listen on `host`:PORT for Telegram's calls (and /healthz)."""
    assert settings.webhook_url and settings.webhook_secret
    guard = ConnectionGuard(
        max_connections=max_connections,
        header_timeout=HEADER_TIMEOUT,
        idle_timeout=KEEPALIVE_TIMEOUT,
    )
    app = make_app(
        application, settings.webhook_secret, webhook_path(settings.webhook_url), guard=guard
    )
    runner = web.AppRunner(
        app,
        access_log=None,
        # Telegram sends plain JSON; inflating before the secret is checked let one 1 MB body
        # become 1 GB in memory. Bodies are inflated by `inflate`, with a limit, if at all.
        auto_decompress=False,
        keepalive_timeout=KEEPALIVE_TIMEOUT,
    )
    await runner.setup()
    assert runner.server is not None
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(_without_accept_tracebacks)
    server = await loop.create_server(
        guard.guarding(runner.server), host, settings.port, backlog=ACCEPT_BURST
    )
    guard.start()
    return WebhookServer(server, runner, guard)


def _without_accept_tracebacks(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """When the process runs out of file descriptors, asyncio stops accepting for a second and
    logs a traceback each time; one line (rate-limited like any warning) says it instead."""
    if str(context.get("message", "")).startswith("socket.accept() out of system resource"):
        error = context.get("exception")
        log.warning(
            "too many open connections (%s): new ones wait a moment",
            type(error).__name__ if error else "no file descriptors left",
        )
        return
    loop.default_exception_handler(context)
