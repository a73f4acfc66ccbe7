"""For the staff console's tests: a copy of the project to edit (and a tiny one that trains in
seconds), the console on a port of its own, accounts, and Debian's headless chromium."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web

from bot.console.accounts import Accounts, utcnow
from bot.console.app import build
from bot.generalisation import read_blocks, write_blocks
from bot.redact import redact
from bot.settings import Settings
from bot.startup import open_database
from bot.storage.store import Store
from tests.conftest import ROOT, not_understood

SCREENSHOTS = ROOT / "reports" / "console"
PASSWORD = "a long staff password"
# The intents and safety grades of the tiny project: enough for every topic the safety sets
# and the held-out messages touch, small enough to train in seconds.
TINY_INTENTS = (
    "report_anonymous",
    "law_carrying",
    "support_talk",
    "greet",
    "out_of_scope",
    "emergency_help",
    "crisis_self_harm",
)
# How many writers' blocks of each safety grade the tiny project keeps.
SAFETY_BLOCKS = 6


def copy_project(target: Path) -> Path:
    """A private copy of content/, nlu/ and config.yml that a test may change."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "content", target / "content")
    shutil.copytree(ROOT / "nlu", target / "nlu")
    shutil.copyfile(ROOT / "config.yml", target / "config.yml")
    return target


def shrink(project: Path, per_block: int = 12) -> Path:
    """Make a copied project tiny: a few intents, a few examples each, small test sets."""
    data = project / "nlu" / "data"
    for path in sorted(data.glob("*.yml")):
        blocks, other = read_blocks([path])
        kept = [
            type(b)(b.name, b.writer, b.examples[:per_block])
            for b in blocks
            if b.name in TINY_INTENTS
        ]
        if kept or other:
            write_blocks(kept, other, path)
        else:
            path.unlink()
    # The safety classifier: a few writers' blocks of each grade, not every writer's (with all
    # of them it still learnt from some 13,700 messages and each training took minutes).
    safety = project / "nlu" / "safety" / "data"
    per_grade: dict[str, int] = {}
    for path in sorted(safety.glob("*.yml")):
        blocks, other = read_blocks([path])
        kept = []
        for b in blocks:
            per_grade[b.name] = per_grade.get(b.name, 0) + 1
            if per_grade[b.name] <= SAFETY_BLOCKS:
                kept.append(type(b)(b.name, b.writer, b.examples[:8]))
        if kept:
            write_blocks(kept, other, path)
        else:
            path.unlink()
    test = project / "nlu" / "test"
    for name in ("blind.yml", "test_nlu.yml"):
        blocks, other = read_blocks([test / name])
        kept = [type(b)(b.name, b.writer, b.examples[:4]) for b in blocks if b.name in TINY_INTENTS]
        write_blocks(kept, other, test / name)
    blocks, other = read_blocks([test / "blind_safety.yml"])
    write_blocks(
        [type(b)(b.name, b.writer, b.examples[:3]) for b in blocks],
        other,
        test / "blind_safety.yml",
    )
    old = yaml.safe_load((test / "safety.yml").read_text(encoding="utf-8"))
    (test / "safety.yml").write_text(
        yaml.safe_dump({k: v[:4] for k, v in old.items()}, allow_unicode=True), encoding="utf-8"
    )
    return project


def settings_for(project: Path, database_url: str, **extra: str) -> Settings:
    env = {
        "PROJECT_DIR": str(project),
        "DATABASE_URL": database_url,
        "VAR_DIR": str(project / "var"),
        "CONTENT_DIR": str(project / "content"),
        "MODEL_PATH": str(project / "models" / "nlu.tar.gz"),
        "PSEUDONYM_KEY": "console-tests",
        **extra,
    }
    return Settings.from_env(env, root=project)


def train_models(project: Path) -> None:
    """`python -m bot train` on the project copy (its models go in its own models/)."""
    env = {
        **os.environ,
        "PROJECT_DIR": str(project),
        "MODEL_PATH": str(project / "models" / "nlu.tar.gz"),
        "CONTENT_DIR": str(project / "content"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "train"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RunningConsole:
    """The console's web application on 127.0.0.1, served from a thread of its own."""

    def __init__(
        self,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
        start_training: Callable[[Settings, str], str] | None = None,
    ) -> None:
        self.settings = settings
        self.db = open_database(settings)
        self.accounts = Accounts(self.db)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._runner: web.AppRunner | None = None
        self._app = build(settings, self.db, clock=clock, start_training=start_training)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        assert self._ready.wait(20), "the console did not start"

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def start() -> None:
            self._runner = web.AppRunner(self._app, access_log=None)
            await self._runner.setup()
            await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
            self._ready.set()

        self._loop.run_until_complete(start())
        self._loop.run_forever()

    def add(self, email: str, role: str) -> str:
        self.accounts.add(email, role, PASSWORD)
        return email

    def close(self) -> None:
        async def stop() -> None:
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(20)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
        self.db.dispose()


@contextmanager
def running_console(settings: Settings, **kwargs: Any) -> Iterator[RunningConsole]:
    console = RunningConsole(settings, **kwargs)
    try:
        yield console
    finally:
        console.close()


def chromium(profile: Path, javascript: bool = False) -> Any:
    """Debian's chromium, headless, driven by chromedriver; JavaScript off unless asked for,
    so that every test also shows the pages work without it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,1100",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def screenshot(driver: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    height = driver.execute_script("return document.body.scrollHeight") if False else 1100
    driver.set_window_size(1280, height)
    driver.save_screenshot(str(path))
    return path


def keep_question(database_url: str, text: str, chat: str) -> None:
    """A question the bot did not understand, kept (redacted) as the bot keeps it when staff
    have turned collection on, from the Telegram chat `chat`."""
    store = Store.open(database_url, b"console-tests")
    store.record(not_understood(chat, utcnow(), redact(text)))
    assert store.flush()
    store.close()
