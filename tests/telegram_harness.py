"""Running the real bot, in this process, against the stand-in Bot API server."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.content import ContentStore
from bot.engine import Engine
from bot.nlu import Parser
from bot.settings import Settings
from bot.storage.store import Store
from bot.telegram.app import ALLOWED_UPDATES, Services, build_application, post_init, post_shutdown
from bot.telegram.conversation import FloodGuard, TelegramChannel
from bot.telegram.pacing import PacedRateLimiter
from tests.botapi import BotAPI
from tests.conftest import MODEL, ROOT


def bot_environment(api: BotAPI, workdir: Path, **extra: str) -> dict[str, str]:
    """The settings that point a bot at the stand-in API, with its own SQLite file and var/."""
    return {
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "DATABASE_URL": f"sqlite:///{workdir / 'bot.sqlite3'}",
        "PSEUDONYM_KEY": "test-key",
        "VAR_DIR": str(workdir / "var"),
        **extra,
    }


def settings_for(api: BotAPI, tmp_path: Path, **extra: str) -> Settings:
    return Settings.from_env(bot_environment(api, tmp_path, **extra), root=ROOT)


def start_bot_process(
    api: BotAPI, workdir: Path, stdout: int | None = subprocess.PIPE, **extra: str
) -> subprocess.Popen[bytes]:
    """`python -m bot run` as its own process, on the trained model, against the stand-in."""
    env = {
        **os.environ,
        **bot_environment(api, workdir, MODEL_PATH=str(MODEL), LOG_LEVEL="WARNING", **extra),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )


@asynccontextmanager
async def running_bot(
    api: BotAPI,
    tmp_path: Path,
    parser: Parser,
    content: ContentStore,
    *,
    flood: FloodGuard | None = None,
    typing_after: float = 0.4,
    pacing: PacedRateLimiter | None = None,
    store: Store | None = None,
    read_timeout: float = 10.0,
) -> AsyncIterator[tuple[Any, TelegramChannel]]:
    """The real Application, polling the stand-in, with the given parser (real or fake)."""
    settings = settings_for(api, tmp_path)
    own_store = store is None
    store = store or Store.open(settings.database_url, b"test-key")
    engine = Engine(content=content, parser=parser, memory=store)
    channel = TelegramChannel(engine, store, flood=flood, typing_after=typing_after)
    services = Services(channel=channel, store=store, owned=False)
    application = build_application(
        settings,
        services,
        rate_limiter=pacing or PacedRateLimiter(first_pause=0.05, max_pause=0.2),
        read_timeout=read_timeout,
    )
    await application.initialize()
    await post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES
    )
    try:
        yield application, channel
    finally:
        await application.updater.stop()
        await application.stop()
        await post_shutdown(application)
        await application.shutdown()
        if own_store:
            await asyncio.to_thread(store.close)
