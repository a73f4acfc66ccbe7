"""Running the real bot, in this process, against the stand-in Bot API server."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

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
    api: BotAPI,
    workdir: Path,
    stdout: Any = subprocess.PIPE,
    stderr: Any = subprocess.PIPE,
    preexec_fn: Callable[[], None] | None = None,
    cwd: Path = ROOT,
    **extra: str,
) -> subprocess.Popen[bytes]:
    """`python -m bot run` as its own process, on the trained model (or NLU_URL if given in
    `extra`), against the stand-in; `cwd` is the checkout to run (bench/ measures others)."""
    env = {
        **os.environ,
        **bot_environment(
            api, workdir, **{"MODEL_PATH": str(MODEL), "LOG_LEVEL": "WARNING", **extra}
        ),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=cwd,
        env=env,
        stdout=stdout,
        stderr=stderr,
        preexec_fn=preexec_fn,
    )


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Wait until something answers HTTP on 127.0.0.1:`port` (the bot in webhook mode)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the bot exited with {process.returncode} before listening")
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listened on port {port} within {timeout} s")


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
    redact: Callable[[str], str] | None = None,
) -> AsyncIterator[tuple[Any, TelegramChannel]]:
    """The real Application, polling the stand-in, with the given parser (real or fake)."""
    settings = settings_for(api, tmp_path)
    own_store = store is None
    store = store or Store.open(settings.database_url, b"test-key")
    engine = Engine(content=content, parser=parser, memory=store, redact=redact)
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
