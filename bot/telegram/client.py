"""The bot's side of the Bot API: python-telegram-bot's ExtBot, with two changes."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ExtBot

log = logging.getLogger(__name__)

NO_PREVIEW = {"is_disabled": True}  # link_preview_options: links in replies show no preview


class SturdyBot(ExtBot[int]):
    """An ExtBot that skips an update it cannot read instead of stopping on it, and sends
    replies more cheaply (`send_reply`).

    python-telegram-bot reads a whole batch of updates at once; one it cannot read (a field
    from a newer Bot API, say) fails the batch, and the same batch is fetched again forever, so
    nobody gets an answer. Here the batch is read one update at a time: an unreadable one is
    logged and replaced by an empty update with the same id, which no handler answers but which
    moves the polling offset past it.
    """

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: Any = None,
        allowed_updates: Any = None,
        **kwargs: Any,
    ) -> tuple[Update, ...]:
        try:
            return await super().get_updates(offset, limit, timeout, allowed_updates, **kwargs)
        except TelegramError:
            raise
        except Exception:
            raw = await self._post(
                "getUpdates",
                {
                    "offset": offset,
                    "limit": limit,
                    "timeout": 0,
                    "allowed_updates": allowed_updates,
                },
            )
        updates = []
        for item in raw if isinstance(raw, list) else []:
            try:
                updates.append(Update.de_json(item, self))
            except Exception:
                log.error("skipped update %s: it could not be read", item.get("update_id"))
                updates.append(Update(update_id=int(item.get("update_id", 0))))
        return tuple(updates)

    async def send_reply(
        self,
        chat_id: int,
        text: str,
        keyboard: dict[str, Any] | None = None,
        reply_to: int | None = None,
    ) -> int:
        """sendMessage for one part of a reply; the new message's id.

        python-telegram-bot's send_message turns the keyboard into JSON for every message and
        reads Telegram's answer into a Message object with all its parts, of which only the id
        is used here: at 30 messages a second the two were a fifth of the bot's CPU
        (bench/profile_path.py). Here the keyboard comes as its JSON-ready dict, made once for
        each set of buttons (bot/telegram/layout.py), and only the id is read from the answer.
        The request goes the same way as every other (the pacing, retries and errors too).
        """
        data: dict[str, Any] = {
            "chat_id": chat_id,
            "text": text,
            "link_preview_options": NO_PREVIEW,
        }
        if keyboard is not None:
            data["reply_markup"] = keyboard
        if reply_to is not None:
            data["reply_parameters"] = {
                "message_id": reply_to,
                "allow_sending_without_reply": True,
            }
        result = await self._post("sendMessage", data)
        return int(result["message_id"])
