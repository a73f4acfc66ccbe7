"""How a reply looks in Telegram: text cut to fit, buttons, and what a tap sends back."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine import Button, Reply
from bot.telegram.inbound import REPLY_ID

TELEGRAM_LIMIT = 4096
# Callback data (what a button tap sends back) is at most 64 bytes: "r:" + reply id, or
# "v:+:" / "v:-:" + reply id for the 👍/👎 under an answer.
SHOW = "r:"
VOTE = "v:"


def split_text(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Cut text into messages Telegram accepts, at a paragraph, line, sentence or word."""
    text = text.strip()
    parts: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = -1
        for separator in ("\n\n", "\n", ". ", " "):
            cut = window.rfind(separator)
            if cut > limit // 2:
                cut += len(separator)
                break
        if cut <= limit // 2:
            cut = limit
        parts.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        parts.append(text)
    return parts or [""]


@dataclass(frozen=True)
class Tap:
    """What a button tap asks for: a reply to show, or a vote on an answer."""

    reply_id: str
    vote: int = 0


def read_tap(data: str | None) -> Tap | None:
    """What a tap asks for, or None when its data is not something this bot's buttons send
    (a modified client can send anything: only a well-formed reply id gets through)."""
    if not data:
        return None
    tap = None
    if data.startswith(SHOW):
        tap = Tap(data[len(SHOW) :])
    elif data.startswith(VOTE) and len(data) > len(VOTE) + 2 and data[len(VOTE)] in "+-":
        tap = Tap(data[len(VOTE) + 2 :], 1 if data[len(VOTE)] == "+" else -1)
    return tap if tap is not None and REPLY_ID.fullmatch(tap.reply_id) else None


def _keyboard(buttons: tuple[Button, ...], rated: str | None) -> InlineKeyboardMarkup | None:
    """One button per row (labels stay readable on a phone), 👍/👎 side by side at the end."""
    rows = [
        [InlineKeyboardButton(b.label, callback_data=f"{SHOW}{b.reply_id}"[:64])] for b in buttons
    ]
    if rated is not None:
        rows.append(
            [
                InlineKeyboardButton("👍", callback_data=f"{VOTE}+:{rated}"[:64]),
                InlineKeyboardButton("👎", callback_data=f"{VOTE}-:{rated}"[:64]),
            ]
        )
    return InlineKeyboardMarkup(rows) if rows else None


def keyboard_json(reply: Reply, feedback: bool) -> dict[str, Any] | None:
    """The keyboard as the Bot API's JSON takes it. The same few keyboards are sent again and
    again, so each is made once (do not change the dict)."""
    rated = reply.reply_id if feedback and reply.invites_feedback else None
    return _keyboard_json(reply.buttons, rated)


@lru_cache(maxsize=1024)
def _keyboard_json(buttons: tuple[Button, ...], rated: str | None) -> dict[str, Any] | None:
    markup = _keyboard(buttons, rated)
    return markup.to_dict() if markup is not None else None


def without_votes(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The same buttons with the 👍/👎 row taken away (after a vote: one vote per answer)."""
    if markup is None:
        return None
    rows = [
        list(row)
        for row in markup.inline_keyboard
        if not any(str(b.callback_data or "").startswith(VOTE) for b in row)
    ]
    return InlineKeyboardMarkup(rows) if rows else None
