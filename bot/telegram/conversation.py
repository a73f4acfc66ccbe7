"""What the bot does with each kind of Telegram update, apart from Telegram's own plumbing.

Private chats: every text (and caption) goes through the engine; stickers, photos, voice notes
and the like get a kind "I can only read text"; button taps are answered and routed by reply id;
/hide deletes the recent messages on both sides; a flood of messages gets one "slow down"
(but the safety net still reads every one of them). Group chats: only commands and messages
that mention the bot are answered, and anything personal is pointed to a private chat.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from contextlib import suppress
from typing import Literal

from telegram import CallbackQuery, Message, MessageEntity
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.engine import Engine, Reply, User
from bot.storage.store import Store, Taken
from bot.telegram.client import SturdyBot
from bot.telegram.inbound import clean_callback, clean_text
from bot.telegram.layout import keyboard_json, read_tap, split_text, without_votes

log = logging.getLogger(__name__)

PERSONAL_COMMANDS = ("forget", "hide")
PERSONAL_TOPICS = ("support", "crisis", "emergency")
BUSY = 8  # answers being worked on at once, past which no typing indicator is sent
Verdict = Literal["ok", "warn", "quiet"]


class FloodGuard:
    """At most `limit` messages per person in `window` seconds; past that, one kind warning."""

    def __init__(
        self,
        limit: int = 8,
        window: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        remembered: int = 50_000,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.remembered = remembered
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._warned: dict[str, float] = {}

    def check(self, key: str) -> Verdict:
        now = self.clock()
        times = self._seen.setdefault(key, deque())
        self._seen.move_to_end(key)
        while times and now - times[0] > self.window:
            times.popleft()
        times.append(now)
        if len(self._seen) > self.remembered:
            old, _ = self._seen.popitem(last=False)
            self._warned.pop(old, None)
        if len(times) <= self.limit:
            return "ok"
        if now - self._warned.get(key, -self.window) > self.window:
            self._warned[key] = now
            return "warn"
        return "quiet"


class ChatLocks:
    """One lock per chat, so one person's messages are answered in the order they were sent."""

    def __init__(self, remembered: int = 10_000) -> None:
        self._locks: OrderedDict[int, asyncio.Lock] = OrderedDict()
        self.remembered = remembered

    def __call__(self, chat_id: int) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = self._locks[chat_id] = asyncio.Lock()
            if len(self._locks) > self.remembered:
                for key, old in list(self._locks.items()):
                    if not old.locked():
                        del self._locks[key]
                        break
        else:
            self._locks.move_to_end(chat_id)
        return lock


class TelegramChannel:
    """The Telegram side of the bot. Handlers in bot.telegram.app call these methods."""

    def __init__(
        self,
        engine: Engine,
        store: Store | None,
        flood: FloodGuard | None = None,
        typing_after: float = 0.4,
    ) -> None:
        self.engine = engine
        self.store = store
        self.flood = flood or FloodGuard()
        self.typing_after = typing_after
        self.username = ""
        self.bot_id = 0
        self._locks = ChatLocks()
        self._thinking = 0
        self._typing_tasks: set[asyncio.Task[None]] = set()

    # -- private chats

    async def private_message(self, bot: SturdyBot, message: Message) -> None:
        """A private message: text or caption through the engine, anything else politely."""
        user = _user(message)
        text = clean_text(message.text if message.text is not None else message.caption)
        # Their message id is kept (with ours) so /hide can delete both sides later.
        theirs = [message.message_id]
        async with self._locks(message.chat_id):
            if text is None:
                if message.effective_attachment is None:
                    return  # a service message (pinned, joined...): nothing to answer
                not_text = self.engine.system("not_text", user)
                await self._send(bot, message.chat_id, not_text, user, also_remember=theirs)
                return
            verdict = self.flood.check(f"{user.channel}:{user.id}")
            if verdict != "ok" and self.engine.safety.check(text) is None:
                if verdict == "warn":
                    slow = self.engine.system("slow_down")
                    await self._send(bot, message.chat_id, slow, user, also_remember=theirs)
                else:
                    self._remember(user, theirs)
                log.info("flood guard: message not answered (%s)", verdict)
                return
            reply = await self._think(bot, message.chat_id, text, user)
            if reply.action == "hide":
                await self._hide(bot, message, user)
                return
            forgetting = reply.action == "forget"
            await self._send(
                bot, message.chat_id, reply, user, remember=not forgetting, also_remember=theirs
            )

    async def _think(self, bot: SturdyBot, chat_id: int, text: str, user: User) -> Reply:
        """The engine's answer, with a typing indicator if it takes a moment.

        When many answers are already waiting (a burst), the indicator is left out: under load
        every request to Telegram is better spent on an answer.
        """
        busy = self._thinking >= BUSY
        self._thinking += 1
        # A timer, not a task: almost every answer comes before it fires (a task for each
        # message was measured at a few per cent of the bot's CPU under load).
        typing = (
            None
            if busy
            else asyncio.get_running_loop().call_later(
                self.typing_after, self._start_typing, bot, chat_id
            )
        )
        try:
            return await self.engine.answer(text, user)
        finally:
            self._thinking -= 1
            if typing is not None:
                typing.cancel()

    def _start_typing(self, bot: SturdyBot, chat_id: int) -> None:
        task = asyncio.get_running_loop().create_task(self._typing(bot, chat_id))
        self._typing_tasks.add(task)  # held until done, so it is not collected half-way
        task.add_done_callback(self._typing_tasks.discard)

    async def _typing(self, bot: SturdyBot, chat_id: int) -> None:
        with suppress(TelegramError):
            await bot.send_chat_action(chat_id, ChatAction.TYPING)

    async def _hide(self, bot: SturdyBot, message: Message, user: User) -> None:
        """Delete our recent messages and theirs from this chat (Telegram allows 48 hours).

        The ids come from memory and the database. When the database cannot be reached, what
        memory holds is still deleted, and the reply says honestly that some may be left and
        to try again (the stored ids stay for that).
        """
        taken = await self.store.take_messages(user) if self.store else Taken([], True)
        ids = sorted({*taken.ids, message.message_id})
        for start in range(0, len(ids), 100):
            batch = ids[start : start + 100]
            try:
                await bot.delete_messages(message.chat_id, batch)
            except BadRequest:
                # Some were too old or already gone: delete the rest one by one.
                for message_id in batch:
                    with suppress(BadRequest):
                        await bot.delete_message(message.chat_id, message_id)
        if not taken.complete:
            reply_id = "hide_later"
        else:
            reply_id = "hide_done" if len(ids) > 1 else "hide_nothing"
        await self._send(bot, message.chat_id, self.engine.system(reply_id, user), user)

    # -- group chats

    async def group_message(self, bot: SturdyBot, message: Message) -> None:
        """In a group: answer commands and mentions only; point personal things elsewhere."""
        text = clean_text(message.text) or ""
        asked = self._addressed(message, text)
        if asked is None:
            return
        user = _user(message)
        command = re.match(r"/([A-Za-z0-9_]+)", asked)
        if command and command.group(1).lower() in PERSONAL_COMMANDS:
            await self._send(
                bot, message.chat_id, self.engine.system("group_private"), user, message
            )
            return
        async with self._locks(message.chat_id):
            reply = await self._think(bot, message.chat_id, asked, user)
            await self._send(bot, message.chat_id, reply, user, message, feedback=False)
            if reply.topic in PERSONAL_TOPICS:
                await self._send(bot, message.chat_id, self.engine.system("group_private"), user)

    def _addressed(self, message: Message, text: str) -> str | None:
        """The question, if this group message is for the bot; None if it is not."""
        name = self.username.lower()
        if not text:
            return None
        if text.startswith("/"):
            target = re.match(r"/[A-Za-z0-9_]+@([A-Za-z0-9_]+)", text)
            if target and target.group(1).lower() != name:
                return None  # a command for another bot
            return text
        mentioned = any(
            entity.type == MessageEntity.MENTION and _entity_text(message, entity) == "@" + name
            for entity in message.entities
        )
        replied_to_us = (
            message.reply_to_message is not None
            and message.reply_to_message.from_user is not None
            and message.reply_to_message.from_user.id == self.bot_id
        )
        if not (mentioned or replied_to_us):
            return None
        return re.sub(rf"@{re.escape(self.username)}\b", " ", text, flags=re.I).strip()

    async def added_to_group(self, bot: SturdyBot, message: Message) -> None:
        if any(member.id == self.bot_id for member in message.new_chat_members):
            await self._send(bot, message.chat_id, self.engine.system("group_private"), None)

    # -- button taps

    async def tap(self, bot: SturdyBot, query: CallbackQuery) -> None:
        """A button tap: a vote, or a reply to show; always acknowledged."""
        tap = read_tap(clean_callback(query.data))
        user = User("telegram", str(query.from_user.id))
        message = query.message if isinstance(query.message, Message) else None
        chat_id = message.chat_id if message else query.from_user.id
        if tap is not None and tap.vote and message is not None:
            # Only a vote on an answer that exists is kept: the id comes from the phone.
            known = tap.reply_id in self.engine.content.current().replies
            if self.store is not None and known:
                self.store.vote(user, str(message.message_id), tap.reply_id, tap.vote)
            await _acknowledge(query, "Thanks for telling me.")
            with suppress(BadRequest):
                await bot.edit_message_reply_markup(
                    chat_id, message.message_id, reply_markup=without_votes(message.reply_markup)
                )
            return
        await _acknowledge(query, None)
        if tap is None:
            return
        private = message is None or message.chat.type == ChatType.PRIVATE
        async with self._locks(chat_id):
            reply = await self.engine.show(tap.reply_id, user)
            await self._send(
                bot, chat_id, reply, user, None if private else message, feedback=private
            )

    # -- sending

    async def _send(
        self,
        bot: SturdyBot,
        chat_id: int,
        reply: Reply,
        user: User | None,
        reply_to: Message | None = None,
        feedback: bool = True,
        remember: bool = True,
        also_remember: list[int] | None = None,
    ) -> list[int]:
        """Send a reply (split to fit if it is long), buttons on its last part."""
        chunks = split_text(reply.text)
        sent: list[int] = []
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            sent.append(
                await bot.send_reply(
                    chat_id,
                    chunk,
                    keyboard=keyboard_json(reply, feedback) if last else None,
                    reply_to=reply_to.message_id if reply_to is not None and index == 0 else None,
                )
            )
        if remember and user is not None and chat_id > 0:
            self._remember(user, [*(also_remember or []), *sent])
        return sent

    def _remember(self, user: User, message_ids: list[int]) -> None:
        if self.store is not None:
            self.store.remember_messages(user, message_ids)

    async def send_error(self, bot: SturdyBot, chat_id: int) -> None:
        """After an unexpected error: say so kindly (and that 999 is there), if Telegram lets us."""
        with suppress(TelegramError):
            await self._send(bot, chat_id, self.engine.system("error"), None)


async def _acknowledge(query: CallbackQuery, text: str | None) -> None:
    with suppress(BadRequest, Forbidden):
        await query.answer(text=text)


def _entity_text(message: Message, entity: MessageEntity) -> str:
    """The part of the text an entity marks, lower case ("" for an entity that does not fit
    the text, such as one that cuts an emoji in half: nothing Telegram sends, but possible)."""
    try:
        return message.parse_entity(entity).lower()
    except (UnicodeDecodeError, ValueError, RuntimeError):
        return ""


def _user(message: Message) -> User:
    who = message.from_user.id if message.from_user else message.chat_id
    return User("telegram", str(who))
