"""Sending at the pace Telegram allows, and never losing a reply to a passing error.

Telegram lets one bot send about 30 messages a second in total, about one a second to each
private chat and 20 a minute to a group. `PacedRateLimiter` queues bursts to those rates (the
overall and group limits come from python-telegram-bot's AIORateLimiter, which also waits out
429 "retry after" answers for every request at once), adds the one-a-second pace per private
chat, and retries network errors, timeouts and 5xx answers with growing pauses. Requests that
Telegram refuses for good (400 bad request, 403 blocked by the user) are not retried.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]
# Endpoints that put a message in a chat count towards its one-a-second pace.
PACED = ("send", "copyMessage", "forwardMessage", "editMessage")


class PacedRateLimiter(AIORateLimiter):
    """AIORateLimiter plus a per-chat pace for private chats and retries on network errors."""

    def __init__(
        self,
        overall_per_second: float = 30,
        per_chat_per_second: float = 1,
        group_per_minute: float = 20,
        retry_after_attempts: int = 5,
        network_attempts: int = 6,
        first_pause: float = 0.5,
        max_pause: float = 8.0,
        chats_remembered: int = 10_000,
    ) -> None:
        super().__init__(
            overall_max_rate=overall_per_second,
            overall_time_period=1,
            group_max_rate=group_per_minute,
            group_time_period=60,
            max_retries=retry_after_attempts,
        )
        self._per_chat = per_chat_per_second
        self._network_attempts = network_attempts
        self._first_pause = first_pause
        self._max_pause = max_pause
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._chats_remembered = chats_remembered

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            limiter = AsyncLimiter(1, 1 / self._per_chat)
            self._chats[chat_id] = limiter
            if len(self._chats) > self._chats_remembered:
                self._chats.popitem(last=False)
        else:
            self._chats.move_to_end(chat_id)
        return limiter

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        chat_id = data.get("chat_id")
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        paced = (
            isinstance(chat_id, int)
            and chat_id > 0
            and endpoint.startswith(PACED)
            and endpoint != "sendChatAction"
        )
        pause = self._first_pause
        for attempt in range(1, self._network_attempts + 1):
            try:
                if paced:
                    assert isinstance(chat_id, int)
                    async with self._chat_limiter(chat_id):
                        return await super().process_request(
                            callback, args, kwargs, endpoint, data, rate_limit_args
                        )
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except BadRequest:
                raise  # Telegram refused the request itself: sending it again will not help
            except NetworkError as exc:
                # Timeouts, dropped connections and 5xx answers: worth another try.
                # getUpdates has its own retries; getMe runs at start, where a failure is
                # reported at once in one sentence (the service manager starts the bot again).
                if attempt == self._network_attempts or endpoint in ("getUpdates", "getMe"):
                    raise
                log.warning(
                    "%s failed (%s), attempt %d of %d; retrying in %.1f s",
                    endpoint,
                    type(exc).__name__,
                    attempt,
                    self._network_attempts,
                    pause,
                )
                await asyncio.sleep(pause)
                pause = min(pause * 2, self._max_pause)
        raise AssertionError("unreachable")  # pragma: no cover
