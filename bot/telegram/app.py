"""The Telegram bot: python-telegram-bot's Application, its handlers, polling and webhook mode.

Long-lived things (the model, the content, the database) are made once, before the bot starts
taking updates, and closed in `post_shutdown`; handlers reach them through a typed context.
`serve` starts everything in the order that fails fastest (var/ and the database, then the
token with Telegram, then the slow model load), turns every start-up failure into one sentence,
and closes whatever it had opened. Polling is the default; with WEBHOOK_URL set the bot serves
Telegram's calls itself (bot.telegram.webhook).
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
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackContext,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import health as bot_health
from bot.content import ContentStore
from bot.models import ModelShelf
from bot.modelswitch import Loaded, ModelSwitch
from bot.nlu import Parser
from bot.private_files import private_folder, write_private
from bot.settings import Settings, SettingsError
from bot.startup import (
    ModelLoader,
    StartupError,
    make_engine,
    make_grader,
    make_parser,
    open_store,
)
from bot.storage.store import Store
from bot.telegram.client import SturdyBot
from bot.telegram.conversation import PERSONAL_COMMANDS, TelegramChannel
from bot.telegram.pacing import PacedRateLimiter
from bot.telegram.transport import BotAPIRequest

log = logging.getLogger(__name__)
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]


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
    # Swaps in a model activated in the staff console (models/active.json), and its task.
    switch: ModelSwitch | None = None
    switching: asyncio.Task[None] | None = None

    def swapped(self, models: Loaded) -> None:
        """The model switch put a new pair in use: health checks and shutdown see it."""
        self.parser, self.grader = models

    def require_channel(self) -> TelegramChannel:
        if self.channel is None:
            raise RuntimeError("the bot is not started yet (post_init has not run)")
        return self.channel


class HelperContext(CallbackContext[SturdyBot, dict[Any, Any], dict[Any, Any], Services]):
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
        request=BotAPIRequest(connection_pool_size=16, read_timeout=read_timeout),
        get_updates_request=BotAPIRequest(connection_pool_size=2, read_timeout=40),
        rate_limiter=rate_limiter or PacedRateLimiter(overall_per_second=settings.send_rate),
    )
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .bot(bot)
        .concurrent_updates(concurrent_updates)
        .context_types(ContextTypes(context=HelperContext, bot_data=Services))
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
    """Learn the bot's name, publish the command menu, start the heartbeat and SIGHUP."""
    services: Services = application.bot_data
    channel = services.require_channel()
    me = await application.bot.get_me()
    channel.username = me.username or ""
    channel.bot_id = me.id
    await publish_commands(application, channel.engine.content)
    if services.settings is not None:
        services.heartbeat = asyncio.create_task(beat(application, services.settings.var_dir))
    if services.switch is not None:
        services.switching = asyncio.create_task(services.switch.run())
    hangup = getattr(signal, "SIGHUP", None)  # there is no SIGHUP on Windows
    if hangup is not None and threading.current_thread() is threading.main_thread():
        asyncio.get_running_loop().add_signal_handler(hangup, reload_content, channel)
    log.info("bot @%s ready", channel.username)


def reload_content(channel: TelegramChannel) -> None:
    """SIGHUP: read the content files now (edits are also picked up by themselves)."""
    channel.engine.content.reload()


HEARTBEAT_FILE = "heartbeat"
HEARTBEAT_EVERY = 30.0
HEARTBEAT_STALE_AFTER = 3 * HEARTBEAT_EVERY  # three beats missed: the bot has stopped


async def beat(application: Application[Any, Any, Any, Any, Any, Any], var_dir: Path) -> None:
    """Write var/heartbeat while the bot runs, with its health, for `python -m bot health` in
    polling mode (a dead database writer or NLU makes the container unhealthy)."""
    path = var_dir / HEARTBEAT_FILE
    await asyncio.to_thread(private_folder, var_dir)
    await asyncio.to_thread(path.unlink, missing_ok=True)  # a heartbeat from before the restart
    pause = 0.5  # the first heartbeat as soon as the bot is running, then every 30 s
    while True:
        await asyncio.sleep(pause)
        if application.running:
            ok, detail = await check_health(application.bot_data)
            line = ("ok: " if ok else "unhealthy: ") + detail + "\n"
            try:
                # in one step: `python -m bot health` must never read a half-written beat
                await asyncio.to_thread(write_private, path, line)
            except OSError as exc:
                log.error("the heartbeat file could not be written (%s)", type(exc).__name__)
            pause = HEARTBEAT_EVERY


async def check_health(services: Services) -> tuple[bool, str]:
    """The database writer and the NLU, as /healthz and the heartbeat report them."""
    return await bot_health.check(services.store, services.parser)


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
    for task in (services.heartbeat, services.switching):
        if task is not None:
            task.cancel()
    if not services.owned:
        return
    for model in (services.parser, services.grader):
        if model is not None:
            await model.close()
    services.parser = services.grader = None
    if services.store is not None:
        await asyncio.to_thread(services.store.close)
        services.store = None


def health(settings: Settings) -> tuple[bool, str]:
    """Is the bot up? Webhook mode asks /healthz; polling mode reads the heartbeat file."""
    if settings.webhook_url:
        import httpx

        try:
            response = httpx.get(f"http://127.0.0.1:{settings.port}/healthz", timeout=5)
        except httpx.HTTPError as exc:
            return False, f"no answer from the webhook server: {type(exc).__name__}"
        try:
            detail = str(response.json().get("detail", response.text))
        except ValueError:
            detail = response.text
        return response.status_code == 200, detail
    path = settings.var_dir / HEARTBEAT_FILE
    try:
        line = path.read_text(encoding="utf-8").strip()
        age = time.time() - path.stat().st_mtime
    except OSError:
        return False, "no heartbeat yet"
    if age >= HEARTBEAT_STALE_AFTER:
        return False, f"last heartbeat {age:.0f} s ago"
    ok = line.startswith("ok")
    return ok, line.partition(": ")[2] or line


def run(settings: Settings) -> int:
    """Start the bot and run until SIGTERM or Ctrl-C: polling, or webhook mode."""
    settings.require_token()
    if settings.webhook_url and not settings.webhook_secret:
        raise SettingsError(
            "WEBHOOK_SECRET is not set. In webhook mode Telegram sends it with every call so "
            "the bot can refuse anyone else: set it to a long random string of letters, "
            "digits, _ and -."
        )
    asyncio.run(serve(settings))
    return 0


async def serve(
    settings: Settings,
    services: Services | None = None,
    host: str = "0.0.0.0",
    stop: asyncio.Event | None = None,
) -> None:
    """Run until SIGTERM or SIGINT (or `stop`), then finish the updates in hand.

    The order is chosen so a wrong setting fails fast: var/ and the database first (about a
    second), then the token and the network with Telegram. The NLU models load meanwhile, on
    worker threads; a model that failed to load is reported after those checks, and one still
    loading (Rasa's own loader takes 10 to 20 seconds) is waited for by the first message that
    needs it. Whatever fails, what was opened is closed again. Tests hand in their
    own `services` (engine, store), which they close themselves.
    """
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    stopping = stop
    building = services is None or services.channel is None
    loader = ModelLoader(settings) if building else None
    if loader is not None:
        loader.begin()
    store = None
    try:
        if services is None:
            store = await asyncio.to_thread(open_store, settings)
        application = build_application(settings, services)
    except BaseException:
        if loader is not None:
            loader.abandon()
        if store is not None:
            await asyncio.to_thread(store.close)
        raise
    webhook: Any = None
    parts: Services = application.bot_data
    try:
        if store is not None:
            parts.store = store
        try:
            await _initialize(application, settings)
        except BaseException:
            if loader is not None:
                loader.abandon()
            raise
        if loader is not None:
            parts.parser, parts.grader = await loader.finish()
            for task in loader.pending:  # a model that fails to load later stops the bot
                task.add_done_callback(lambda task: _stop_if_failed(task, stopping))
            engine = make_engine(settings, parts.parser, parts.store, parts.grader)
            parts.channel = TelegramChannel(engine, parts.store)
            parts.switch = ModelSwitch(
                ModelShelf(settings).pointer,
                engine,
                load=lambda: (make_parser(settings), make_grader(settings)),
                on_swap=parts.swapped,
            )
        await post_init(application)
        if settings.webhook_url:
            from bot.telegram.webhook import start_webhook_server

            assert settings.webhook_secret is not None
            await application.bot.set_webhook(
                url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            await application.start()
            webhook = await start_webhook_server(application, settings, host)
            log.info(
                "webhook mode: listening on port %d for %s", settings.port, settings.webhook_url
            )
        else:
            assert application.updater is not None
            log.info("starting in polling mode against %s", settings.telegram_api_base_url)
            await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
            await application.start()
        await stop.wait()
        log.info("stopping: answering the updates in hand first")
        for task in loader.pending if loader is not None else []:
            failure = _failure(task)
            if failure is not None:
                raise failure
    finally:
        await _stop(application, webhook)


def _failure(task: asyncio.Future[Any]) -> BaseException | None:
    """What a finished task raised (None while it runs, when it succeeded or was cancelled)."""
    if not task.done() or task.cancelled():
        return None
    return task.exception()


def _stop_if_failed(task: asyncio.Future[Any], stop: asyncio.Event) -> None:
    """A model that fails to load after the bot started stops it (serve raises the failure)."""
    if _failure(task) is not None:
        stop.set()


async def _initialize(
    application: Application[Any, Any, Any, Any, Any, Any], settings: Settings
) -> None:
    """Check the token and the way to Telegram (getMe), as one sentence if it fails.

    python-telegram-bot puts the token itself in the InvalidToken message, and network errors
    can carry the URL (which holds the token): neither message is ever shown.
    """
    try:
        await application.initialize()
    except InvalidToken:
        raise StartupError(
            "Telegram refused TELEGRAM_BOT_TOKEN: copy it again from @BotFather (or make a new "
            "one there with /token) and check it was copied whole."
        ) from None
    except NetworkError as exc:
        raise StartupError(
            f"The Telegram Bot API at {settings.telegram_api_base_url} could not be reached "
            f"({type(exc).__name__}): check this machine's network connection and "
            "TELEGRAM_API_BASE_URL, then start the bot again."
        ) from None
    except TelegramError as exc:
        raise StartupError(
            f"The Telegram Bot API at {settings.telegram_api_base_url} refused to start the bot "
            f"({type(exc).__name__}): wait a minute and start it again; if it keeps happening, "
            "check TELEGRAM_API_BASE_URL."
        ) from None


async def _stop(application: Application[Any, Any, Any, Any, Any, Any], webhook: Any) -> None:
    """Stop taking updates, answer those in hand, then close the database and the model."""
    if webhook is not None:
        await webhook.close()  # no new calls; Telegram retries them on another worker
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await post_shutdown(application)
    await application.shutdown()
    # Application.shutdown skips the bot when getMe failed; this closes its HTTP sessions in
    # every case, so nothing is left for "Unclosed client session" warnings at exit.
    await application.bot.shutdown()
