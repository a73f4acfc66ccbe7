"""The Telegram bot: python-telegram-bot's Application, its handlers, polling and webhook mode.

Long-lived things (the model, the content, the database) are made once in `post_init` and
closed in `post_shutdown`; handlers reach them through a typed context. Polling is the default;
with WEBHOOK_URL set the bot serves Telegram's calls itself (bot.telegram.webhook).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackContext,
    CallbackQueryHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)

from bot.content import ContentStore
from bot.nlu import Parser
from bot.settings import Settings, SettingsError
from bot.storage.store import Store
from bot.telegram.conversation import PERSONAL_COMMANDS, TelegramChannel
from bot.telegram.pacing import PacedRateLimiter
from bot.telegram.transport import AiohttpRequest

log = logging.getLogger(__name__)
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]


class SturdyBot(ExtBot[int]):
    """An ExtBot that skips an update it cannot read instead of stopping on it.

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


@dataclass
class Services:
    """The bot's long-lived parts (Application.bot_data); filled in by `post_init`."""

    settings: Settings | None = None
    channel: TelegramChannel | None = None
    parser: Parser | None = None
    grader: Parser | None = None  # the safety net's classifier
    store: Store | None = None
    owned: bool = True  # False when a test hands in its own parts: it closes them itself
    heartbeat: asyncio.Task[None] | None = None

    def require_channel(self) -> TelegramChannel:
        if self.channel is None:
            raise RuntimeError("the bot is not started yet (post_init has not run)")
        return self.channel


class HelperContext(CallbackContext[ExtBot[int], dict[Any, Any], dict[Any, Any], Services]):
    """The context every handler gets, with the channel typed."""

    @property
    def channel(self) -> TelegramChannel:
        return self.bot_data.require_channel()


async def on_private_message(update: Update, context: HelperContext) -> None:
    """Text, captions, commands and everything else people send in a private chat."""
    if update.effective_message is not None:
        await context.channel.private_message(context.bot, update.effective_message)


async def on_group_message(update: Update, context: HelperContext) -> None:
    """Text in groups: only commands and mentions are answered."""
    if update.effective_message is not None:
        await context.channel.group_message(context.bot, update.effective_message)


async def on_added_to_group(update: Update, context: HelperContext) -> None:
    """Someone added the bot to a group: say what it does there."""
    if update.effective_message is not None:
        await context.channel.added_to_group(context.bot, update.effective_message)


async def on_tap(update: Update, context: HelperContext) -> None:
    """A button tap: routed by reply id, never through the model."""
    if update.callback_query is not None:
        await context.channel.tap(context.bot, update.callback_query)


async def on_error(update: object, context: HelperContext) -> None:
    """Log the error with its traceback and, where there is a chat, say sorry."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        await context.channel.send_error(context.bot, update.effective_chat.id)


def add_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGES
    groups = filters.ChatType.GROUPS & filters.UpdateType.MESSAGES
    application.add_handler(
        MessageHandler(filters.StatusUpdate.NEW_CHAT_MEMBERS, on_added_to_group)
    )
    application.add_handler(MessageHandler(private, on_private_message))
    application.add_handler(MessageHandler(groups & filters.TEXT, on_group_message))
    application.add_handler(CallbackQueryHandler(on_tap))
    # Channel posts, polls, chat member changes and other update types are ignored on purpose:
    # they are not people asking for help.
    application.add_error_handler(on_error)


def build_application(
    settings: Settings,
    services: Services | None = None,
    rate_limiter: PacedRateLimiter | None = None,
    concurrent_updates: int = 64,
    read_timeout: float = 10.0,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The bot, ready to start; `services` lets tests hand in their own engine and store."""
    token = settings.require_token()
    base = settings.telegram_api_base_url.rstrip("/")
    bot = SturdyBot(
        token,
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        request=AiohttpRequest(connection_pool_size=16, read_timeout=read_timeout),
        get_updates_request=AiohttpRequest(connection_pool_size=2, read_timeout=40),
        rate_limiter=rate_limiter or PacedRateLimiter(overall_per_second=settings.send_rate),
    )
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .bot(bot)
        .concurrent_updates(concurrent_updates)
        .context_types(ContextTypes(context=HelperContext, bot_data=Services))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.webhook_url:
        builder = builder.updater(None)
    application = builder.build()
    if services is not None:
        application.bot_data.channel = services.channel
        application.bot_data.parser = services.parser
        application.bot_data.store = services.store
        application.bot_data.owned = services.owned
    application.bot_data.settings = settings
    add_handlers(application)
    return application


async def post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Load the model, open the database, learn the bot's name, publish the command menu."""
    services: Services = application.bot_data
    if services.channel is None:
        settings = services.settings
        assert settings is not None
        from bot.cli import make_engine, make_grader, make_parser, open_store

        services.parser = make_parser(settings)
        services.grader = make_grader(settings)
        services.store = open_store(settings)
        engine = make_engine(settings, services.parser, services.store, services.grader)
        services.channel = TelegramChannel(engine, services.store)
    channel = services.require_channel()
    me = await application.bot.get_me()
    channel.username = me.username or ""
    channel.bot_id = me.id
    await publish_commands(application, channel.engine.content)
    if services.settings is not None:
        services.heartbeat = asyncio.create_task(beat(application, services.settings.var_dir))
    hangup = getattr(signal, "SIGHUP", None)  # there is no SIGHUP on Windows
    if hangup is not None and threading.current_thread() is threading.main_thread():
        asyncio.get_running_loop().add_signal_handler(hangup, reload_content, channel)
    log.info("bot @%s ready", channel.username)


def reload_content(channel: TelegramChannel) -> None:
    """SIGHUP: read the content files now (edits are also picked up by themselves)."""
    channel.engine.content.reload()


HEARTBEAT_FILE = "heartbeat"
HEARTBEAT_EVERY = 30.0


async def beat(application: Application[Any, Any, Any, Any, Any, Any], var_dir: Path) -> None:
    """Touch var/heartbeat while the bot runs, for `python -m bot health` in polling mode."""
    await asyncio.to_thread(var_dir.mkdir, parents=True, exist_ok=True)
    path = var_dir / HEARTBEAT_FILE
    while True:
        if application.running:
            await asyncio.to_thread(path.touch)
        await asyncio.sleep(HEARTBEAT_EVERY)


async def publish_commands(
    application: Application[Any, Any, Any, Any, Any, Any], content: ContentStore
) -> None:
    commands = content.current().commands
    private = [BotCommand(c.name, c.description) for c in commands.values()]
    group = [
        BotCommand(c.name, c.description)
        for c in commands.values()
        if c.name not in PERSONAL_COMMANDS
    ]
    try:
        await application.bot.set_my_commands(private, scope=BotCommandScopeAllPrivateChats())
        await application.bot.set_my_commands(group, scope=BotCommandScopeAllGroupChats())
    except TelegramError as exc:  # the menu is a nicety; answering questions is not
        log.warning("could not publish the command menu: %s", exc)


async def post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Close what post_init opened: the model's worker and the database (after a last flush)."""
    services: Services = application.bot_data
    if services.heartbeat is not None:
        services.heartbeat.cancel()
    if not services.owned:
        return
    for model in (services.parser, services.grader):
        if model is not None:
            await model.close()
    if services.store is not None:
        await asyncio.to_thread(services.store.close)


def health(settings: Settings) -> tuple[bool, str]:
    """Is the bot up? Webhook mode asks /healthz; polling mode looks at the heartbeat file."""
    if settings.webhook_url:
        import httpx

        try:
            response = httpx.get(f"http://127.0.0.1:{settings.port}/healthz", timeout=3)
        except httpx.HTTPError as exc:
            return False, f"no answer from the webhook server: {type(exc).__name__}"
        return response.status_code == 200, response.text
    path = settings.var_dir / HEARTBEAT_FILE
    if not path.exists():
        return False, "no heartbeat yet"
    age = time.time() - path.stat().st_mtime
    return age < 3 * HEARTBEAT_EVERY, f"last heartbeat {age:.0f} s ago"


def run(settings: Settings) -> int:
    """Start the bot and run until SIGTERM or Ctrl-C: polling, or webhook mode."""
    if settings.webhook_url:
        from bot.telegram.webhook import serve

        if not settings.webhook_secret:
            raise SettingsError(
                "WEBHOOK_SECRET is not set. In webhook mode Telegram sends it with every call so "
                "the bot can refuse anyone else: set it to a long random string of letters, "
                "digits, _ and -."
            )
        asyncio.run(serve(settings))
        return 0
    application = build_application(settings)
    log.info("starting in polling mode against %s", settings.telegram_api_base_url)
    application.run_polling(
        allowed_updates=ALLOWED_UPDATES,
        stop_signals=(signal.SIGINT, signal.SIGTERM, signal.SIGABRT),
        close_loop=False,
    )
    return 0
