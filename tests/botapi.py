"""A stand-in Telegram Bot API server on 127.0.0.1, speaking the same HTTP as Telegram.

Telegram cannot be reached from the test machines, so the real bot (python-telegram-bot, its
HTTP client, its update loop) talks to this instead. It keeps a queue of updates for
getUpdates, records every message the bot sends, deletes, edits or acknowledges, and can be told
to misbehave: answer 429 with retry_after, answer 500, answer slowly, or drop the connection.
A request that fails that way is not carried out, as with Telegram, so a reply that arrives
exactly once means the bot retried exactly right.

It runs in a thread with its own event loop, so sync tests, async tests and the load benchmark
can all use it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 777000111
BOT_USERNAME = "KnifeHelpTestBot"


@dataclass
class Fault:
    method: str
    kind: str  # "status", "slow" or "drop"
    times: int
    status: int = 500
    retry_after: int | None = None
    seconds: float = 0.0


@dataclass
class Sent:
    """A message the bot sent."""

    chat_id: int
    message_id: int
    text: str
    reply_markup: dict[str, Any] | None
    reply_to: int | None
    at: float

    @property
    def buttons(self) -> list[tuple[str, str]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


@dataclass
class State:
    updates: list[dict[str, Any]] = field(default_factory=list)
    confirmed_offset: int = 0
    sent: list[Sent] = field(default_factory=list)
    deleted: list[tuple[int, int]] = field(default_factory=list)
    edited_markup: list[tuple[int, int, dict[str, Any] | None]] = field(default_factory=list)
    callback_answers: list[tuple[str, str | None]] = field(default_factory=list)
    chat_actions: list[tuple[int, str]] = field(default_factory=list)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    webhook: dict[str, Any] = field(default_factory=dict)
    calls: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    refused: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    injected: dict[int, float] = field(default_factory=dict)  # update id -> time pushed


class BotAPI:
    """Start with `with BotAPI() as api:`; point the bot at `api.base_url`."""

    def __init__(self, token: str = "123456789:TESTtokenTESTtokenTESTtokenTESTtoke") -> None:
        self.token = token
        self.state = State()
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self._update_ids = itertools.count(1)
        self._message_ids: defaultdict[int, itertools.count[int]] = defaultdict(
            lambda: itertools.count(1)
        )
        self._by_chat: defaultdict[int, list[Sent]] = defaultdict(list)
        self._loop = asyncio.new_event_loop()
        self._new_update: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = 0
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    # -- lifecycle

    def __enter__(self) -> BotAPI:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _start(self) -> None:
        self._new_update = asyncio.Event()
        app = web.Application(client_max_size=10_000_000)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _stop(self) -> None:
        self._closing = True
        self._wake()  # long polls in progress answer now, instead of being cut off
        await asyncio.sleep(0.05)
        if self._runner is not None:
            await self._runner.shutdown()
            await self._runner.cleanup()

    # -- what tests do

    def fail(self, method: str, status: int, times: int, retry_after: int | None = None) -> None:
        with self._lock:
            self.faults.append(Fault(method, "status", times, status, retry_after))

    def slow(self, method: str, seconds: float, times: int) -> None:
        with self._lock:
            self.faults.append(Fault(method, "slow", times, seconds=seconds))

    def drop(self, method: str, times: int) -> None:
        with self._lock:
            self.faults.append(Fault(method, "drop", times))

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue a raw update of `kind` (message, edited_message, callback_query...)."""
        with self._lock:
            update_id = next(self._update_ids)
            self.state.updates.append({"update_id": update_id, kind: payload})
            self.state.injected[update_id] = time.perf_counter()
        self._loop.call_soon_threadsafe(self._wake)
        return update_id

    def message(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        edited: bool = False,
        extra: dict[str, Any] | None = None,
        entities: list[dict[str, Any]] | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> tuple[int, int]:
        """Someone sends a message; returns (update id, message id)."""
        user_id = user_id if user_id is not None else chat_id
        message_id = next(self._message_ids[chat_id])
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "Sam"
        else:
            chat["title"] = "Year 10 group"
        payload: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "Sam"},
        }
        if text is not None:
            payload["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                payload["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if entities:
            payload["entities"] = entities
        if reply_to:
            payload["reply_to_message"] = reply_to
        if edited:
            payload["edit_date"] = int(time.time())
        payload.update(extra or {})
        update_id = self.push("edited_message" if edited else "message", payload)
        return update_id, message_id

    def tap(self, chat_id: int, sent: Sent, data: str, user_id: int | None = None) -> int:
        """Someone taps a button under a message the bot sent."""
        user_id = user_id if user_id is not None else chat_id
        payload = {
            "id": f"cb{next(self._update_ids)}",
            "from": {"id": user_id, "is_bot": False, "first_name": "Sam"},
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": sent.message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Helper"},
                "text": sent.text,
                **({"reply_markup": sent.reply_markup} if sent.reply_markup else {}),
            },
        }
        return self.push("callback_query", payload)

    def sent_to(self, chat_id: int) -> list[Sent]:
        with self._lock:
            return list(self._by_chat.get(chat_id, ()))

    def wait_for(self, predicate: Any, timeout: float = 30.0) -> None:
        """Wait until predicate(state) is true, or fail with what was seen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if predicate(self.state):
                    return
            time.sleep(0.02)
        with self._lock:
            seen = [(s.chat_id, s.text[:60]) for s in self.state.sent]
        raise AssertionError(f"timed out; the bot sent: {seen[-20:]}")

    async def until(self, predicate: Any, timeout: float = 30.0) -> None:
        """As wait_for, without blocking an event loop the bot may be running on."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if predicate(self.state):
                    return
            await asyncio.sleep(0.02)
        with self._lock:
            seen = [(s.chat_id, s.text[:60]) for s in self.state.sent]
        raise AssertionError(f"timed out; the bot sent: {seen[-20:]}")

    async def messages_to(self, chat_id: int, count: int, timeout: float = 30.0) -> list[Sent]:
        """Wait until the bot has sent `count` messages to `chat_id`; return them all."""
        await self.until(lambda s: sum(1 for m in s.sent if m.chat_id == chat_id) >= count, timeout)
        return self.sent_to(chat_id)

    def wait_for_messages(self, chat_id: int, count: int, timeout: float = 30.0) -> list[Sent]:
        self.wait_for(lambda s: sum(1 for m in s.sent if m.chat_id == chat_id) >= count, timeout)
        return self.sent_to(chat_id)

    # -- the Bot API

    def _wake(self) -> None:
        if self._new_update is not None:
            self._new_update.set()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        params = await _params(request)
        with self._lock:
            self.state.calls[method] += 1
            fault = next((f for f in self.faults if f.method == method and f.times > 0), None)
            if fault is not None:
                fault.times -= 1
                self.state.refused[method] += 1
        if fault is not None:
            if fault.kind == "drop":
                assert request.transport is not None
                request.transport.close()
                return web.Response(status=500)
            if fault.kind == "slow":
                await asyncio.sleep(fault.seconds)
                if request.transport is None or request.transport.is_closing():
                    return web.Response(status=499)  # the client gave up: nothing was done
            else:
                parameters = {"retry_after": fault.retry_after} if fault.retry_after else None
                return _error(
                    fault.status,
                    "Too Many Requests" if fault.status == 429 else "Internal Server Error",
                    parameters,
                )
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, f"Not Found: method {method} is not in this stand-in")
        result = await handler(params)
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    async def _api_getMe(self, p: dict[str, Any]) -> Any:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Helper",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, p: dict[str, Any]) -> Any:
        offset = int(p.get("offset") or 0)
        timeout = float(p.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        assert self._new_update is not None
        while True:
            with self._lock:
                if offset:
                    self.state.confirmed_offset = max(self.state.confirmed_offset, offset)
                    self.state.updates = [u for u in self.state.updates if u["update_id"] >= offset]
                ready = list(self.state.updates[: int(p.get("limit") or 100)])
            if ready or time.monotonic() >= deadline or self._closing:
                return ready
            self._new_update.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(
                    self._new_update.wait(), timeout=max(deadline - time.monotonic(), 0.01)
                )

    async def _api_sendMessage(self, p: dict[str, Any]) -> Any:
        chat_id = int(p["chat_id"])
        text = str(p["text"])
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return _error(400, "Bad Request: message is too long")
        reply = p.get("reply_parameters") or {}
        with self._lock:
            message_id = next(self._message_ids[chat_id])
            sent = Sent(
                chat_id,
                message_id,
                text,
                p.get("reply_markup"),
                reply.get("message_id"),
                time.perf_counter(),
            )
            self.state.sent.append(sent)
            self._by_chat[chat_id].append(sent)
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Helper"},
            "text": text,
            **({"reply_markup": p["reply_markup"]} if p.get("reply_markup") else {}),
        }

    async def _api_sendChatAction(self, p: dict[str, Any]) -> Any:
        with self._lock:
            self.state.chat_actions.append((int(p["chat_id"]), str(p["action"])))
        return True

    async def _api_answerCallbackQuery(self, p: dict[str, Any]) -> Any:
        with self._lock:
            self.state.callback_answers.append((str(p["callback_query_id"]), p.get("text")))
        return True

    async def _api_editMessageReplyMarkup(self, p: dict[str, Any]) -> Any:
        with self._lock:
            self.state.edited_markup.append(
                (int(p["chat_id"]), int(p["message_id"]), p.get("reply_markup"))
            )
        return True

    async def _api_deleteMessage(self, p: dict[str, Any]) -> Any:
        with self._lock:
            self.state.deleted.append((int(p["chat_id"]), int(p["message_id"])))
        return True

    async def _api_deleteMessages(self, p: dict[str, Any]) -> Any:
        ids = p["message_ids"]
        if not 1 <= len(ids) <= 100:
            return _error(400, "Bad Request: too many messages to delete")
        with self._lock:
            self.state.deleted.extend((int(p["chat_id"]), int(m)) for m in ids)
        return True

    async def _api_setMyCommands(self, p: dict[str, Any]) -> Any:
        scope = (p.get("scope") or {}).get("type", "default")
        with self._lock:
            self.state.commands[scope] = p["commands"]
        return True

    async def _api_deleteWebhook(self, p: dict[str, Any]) -> Any:
        with self._lock:
            self.state.webhook = {}
        return True

    async def _api_setWebhook(self, p: dict[str, Any]) -> Any:
        with self._lock:
            self.state.webhook = dict(p)
        return True

    async def _api_getWebhookInfo(self, p: dict[str, Any]) -> Any:
        return {
            "url": self.state.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


async def _params(request: web.Request) -> dict[str, Any]:
    """Bot API parameters, as JSON or as form fields whose complex values are JSON strings."""
    if request.content_type == "application/json":
        data = await request.json()
        return dict(data) if isinstance(data, dict) else {}
    form = await request.post() if request.can_read_body else {}
    params = dict(request.query)
    for key, value in form.items():
        params[key] = value
    for key, value in list(params.items()):
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(ValueError):
                params[key] = json.loads(value)
    return params
