"""What a stranger, a database outage or a wrong setting does to the bot, measured.

Runs the real bot (`python -m bot ...`) from a checkout as its own process, against the
stand-in Bot API and a stand-in Rasa server (so the process is as small as in production with
remote NLU), and prints one line per finding of the hardening issue. Run it on this checkout
and on an older one to get the figures before and after:

    .venv/bin/python bench/attacks.py                       # this checkout
    .venv/bin/python bench/attacks.py --root /tmp/before    # e.g. `git archive` of main
    .venv/bin/python bench/attacks.py --only compressed,slow

The bot is started with at most 1,024 open files, as on many servers. PostgreSQL must be on
127.0.0.1:5432 for the `taps`, `forget` and `hide` measurements (see tests/db.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.botapi import BotAPI  # noqa: E402 - the stand-ins live with the tests
from tests.db import PG_PORT, Proxy, postgres_database  # noqa: E402
from tests.nlu_standin import StandInNLU  # noqa: E402
from tests.rasa_server import free_port  # noqa: E402

SECRET = "bench_secret"
HOOK = "/hook"
TOKEN = "123456789:TESTtokenTESTtokenTESTtokenTESTtoke"


def limit_files() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def update(chat: int, message: str, update_id: int) -> dict[str, Any]:
    entities = [{"type": "bot_command", "offset": 0, "length": len(message)}]
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "A"},
            "text": message,
            **({"entities": entities} if message.startswith("/") else {}),
        },
    }


class Bot:
    """`python -m bot run` from `root`, its stderr in a file."""

    def __init__(self, root: Path, workdir: Path, api: BotAPI, **env: str) -> None:
        self.log = workdir / f"bot-{time.monotonic_ns()}.log"
        self.workdir = workdir
        environment = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "DATABASE_URL": f"sqlite:///{workdir / 'bot.sqlite3'}",
            "PSEUDONYM_KEY": "bench-key",
            "VAR_DIR": str(workdir / "var"),
            "LOG_LEVEL": "INFO",
            **env,
        }
        with self.log.open("wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=root,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                preexec_fn=limit_files,
            )

    def lines(self) -> list[str]:
        return self.log.read_text(errors="replace").splitlines()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()


@contextmanager
def webhook_bot(root: Path, nlu: StandInNLU | None = None) -> Iterator[tuple[Bot, BotAPI, int]]:
    with (
        BotAPI(token=TOKEN) as api,
        nullcontext(nlu) if nlu is not None else StandInNLU() as nlu,
        tempfile.TemporaryDirectory() as tmp,
    ):
        port = free_port()
        bot = Bot(
            root,
            Path(tmp),
            api,
            NLU_URL=nlu.url,
            WEBHOOK_URL=f"https://bot.example.org{HOOK}",
            WEBHOOK_SECRET=SECRET,
            PORT=str(port),
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except httpx.HTTPError:
                    if bot.process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            "the bot did not start: " + bot.log.read_text()
                        ) from None
                    time.sleep(0.1)
            yield bot, api, port
        finally:
            bot.stop()


def answer_seconds(api: BotAPI, port: int, chat: int, wait: float = 10.0) -> float | None:
    """Seconds from sending a real update to its reply reaching Telegram (None: no reply)."""
    started = time.perf_counter()
    try:
        httpx.post(
            f"http://127.0.0.1:{port}{HOOK}",
            json=update(chat, "/report", chat),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            timeout=wait,
        )
        (reply,) = api.wait_for_messages(
            chat, 1, timeout=max(0.1, wait - (time.perf_counter() - started))
        )
    except (httpx.HTTPError, AssertionError):
        return None
    return reply.at - started


def seconds(value: float | None) -> str:
    return "no answer within 10 s" if value is None else f"{value:.2f} s"


# -- 1. compressed bodies


def compressed(root: Path) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    body = b"".join(packer.compress(bytes(1 << 20)) for _ in range(1024)) + packer.flush()

    async def post(port: int, count: int, secret: bool) -> list[int]:
        headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = SECRET
        async with httpx.AsyncClient(timeout=120) as client:
            calls = [
                client.post(f"http://127.0.0.1:{port}{HOOK}", content=body, headers=headers)
                for _ in range(count)
            ]
            responses = await asyncio.gather(*calls, return_exceptions=True)
        return [getattr(r, "status_code", 0) for r in responses]

    with webhook_bot(root) as (bot, api, port):
        answer_seconds(api, port, 1)
        pid = bot.process.pid
        base = peak_mb(pid)
        one = asyncio.run(post(port, 1, secret=False))
        after_one = peak_mb(pid)
        four = asyncio.run(post(port, 4, secret=False))
        after_four = peak_mb(pid)
        with_secret = asyncio.run(post(port, 4, secret=True))
        after_secret = peak_mb(pid)
    print(
        f"compressed   {len(body) / 1e6:.2f} MB gzip -> 1 GB: peak memory {base:.0f} MB at rest, "
        f"{after_one:.0f} MB after one without the secret ({one}), {after_four:.0f} MB after four "
        f"in parallel ({four}), {after_secret:.0f} MB after four with it ({with_secret}); "
        f"growth {after_secret - base:.0f} MB"
    )


# -- 2. wrong secrets and the log


async def knock(port: int, count: int, header: bytes = b"guess") -> list[bytes]:
    body = json.dumps(update(9, "/report", 9)).encode()
    request = (
        b"POST "
        + HOOK.encode()
        + b" HTTP/1.1\r\nHost: bot\r\nX-Telegram-Bot-Api-Secret-Token: "
        + header
        + b"\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    slots = asyncio.Semaphore(50)

    async def one() -> bytes:
        async with slots:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(request)
                await writer.drain()
                status = (await asyncio.wait_for(reader.readline(), 30))[9:12]
                writer.close()
                return status
            except (OSError, asyncio.TimeoutError):
                return b"---"

    return await asyncio.gather(*(one() for _ in range(count)))


def wrong_secret(root: Path) -> None:
    with webhook_bot(root) as (bot, _api, port):
        before = bot.lines()
        size = bot.log.stat().st_size
        started = time.perf_counter()
        statuses = asyncio.run(knock(port, 5000))
        took = time.perf_counter() - started
        time.sleep(0.5)
        lines = len(bot.lines()) - len(before)
        grown = bot.log.stat().st_size - size
    print(
        f"wrong-secret 5,000 calls ({sorted(set(statuses))}) in {took:.1f} s wrote {lines} log "
        f"lines ({grown / 1000:.0f} kB)"
    )


# -- 3. slow connections


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def slow_connections(port: int, count: int) -> list[Connection]:
    async def one() -> Connection | None:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
            writer.write(f"POST {HOOK} HTTP/1.1\r\nHost: bot\r\nX-Slow: ".encode())
            await writer.drain()
            return reader, writer
        except (OSError, asyncio.TimeoutError):
            return None

    return [c for c in await asyncio.gather(*(one() for _ in range(count))) if c is not None]


async def still_open(connections: list[Connection]) -> int:
    """How many the bot has not closed: a read that neither ends nor fails within a second."""

    async def read(reader: asyncio.StreamReader) -> None:
        with suppress(OSError):
            await reader.read(100)

    reads = [asyncio.ensure_future(read(reader)) for reader, _ in connections]
    _, pending = await asyncio.wait(reads, timeout=1)
    for task in pending:
        task.cancel()
    return len(pending)


async def slow_attack(api: BotAPI, port: int, count: int) -> tuple[int, float | None, int]:
    """Hold `count` slow connections, send a real update, and see who is still open later."""
    connections = await slow_connections(port, count)
    took = await asyncio.to_thread(answer_seconds, api, port, 100 + count)
    await asyncio.sleep(15)  # past the bot's header timeout, if it has one
    left = await still_open(connections)
    for _, writer in connections:
        writer.close()
    return len(connections), took, left


def slow(root: Path) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    for count in (1100, 2000, 3000):
        with webhook_bot(root) as (bot, api, port):
            before = len(bot.lines())
            size = bot.log.stat().st_size

            opened, took, left = asyncio.run(slow_attack(api, port, count))
            lines = len(bot.lines()) - before
            grown = bot.log.stat().st_size - size
            alive = bot.process.poll() is None
        print(
            f"slow         {opened} slow connections (bot limited to 1,024 files): real update "
            f"answered in {seconds(took)}; 15 s later {left} still open; {lines} log lines "
            f"({grown / 1000:.0f} kB); bot {'running' if alive else 'DEAD'}"
        )


# -- 4. headers and bodies no Telegram would send


def bad_input(root: Path) -> None:
    with webhook_bot(root) as (_bot, _api, port):
        (non_ascii,) = asyncio.run(knock(port, 1, header=b"s3cr\xc3\xa9t\xff"))
        nested = httpx.post(
            f"http://127.0.0.1:{port}{HOOK}",
            content=b"[" * 100_000 + b"]" * 100_000,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        ).status_code
    print(f"bad-input    non-ASCII secret header -> {non_ascii.decode()}, nested JSON -> {nested}")


# -- 5. start-up failures


def startup(root: Path) -> None:
    with BotAPI(token=TOKEN) as api, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        work.chmod(0o755)
        read_only = work / "ro"
        read_only.mkdir()
        read_only.chmod(0o555)
        immutable = (
            os.geteuid() == 0
            and subprocess.run(
                ["chattr", "+i", str(read_only)], capture_output=True, check=False
            ).returncode
            == 0
        )
        base = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": os.environ.get("HOME", "/tmp"),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "PSEUDONYM_KEY": "bench",
            "VAR_DIR": str(work / "var"),
            "DATABASE_URL": f"sqlite:///{work / 'bot.sqlite3'}",
            "MODEL_PATH": str(ROOT / "models" / "nlu.tar.gz"),
        }
        wrong = "987654321:WRONGtokenWRONGtokenWRONGtokenWRONG"
        cases: dict[str, tuple[list[str], dict[str, str], bytes]] = {
            "token rejected": (["run"], {"TELEGRAM_BOT_TOKEN": wrong}, b""),
            "no network": (
                ["run"],
                {"TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}"},
                b"",
            ),
            "read-only var/": (["run"], {"VAR_DIR": str(read_only), "DATABASE_URL": ""}, b""),
            "DATABASE_URL=garbage": (["run"], {"DATABASE_URL": "garbage"}, b""),
            "mysql://": (["run"], {"DATABASE_URL": "mysql://bot:pw@127.0.0.1/bot"}, b""),
            "sqlite file is a folder": (["run"], {"DATABASE_URL": f"sqlite:///{work}"}, b""),
            "stats --since banana": (["stats", "--since", "banana"], {}, b""),
            "stats --plot s.txt": (["stats", "--plot", str(work / "s.txt")], {}, b""),
            "ask, empty input": (["ask", "--json"], {}, b""),
        }
        try:
            for name, (args, extra, stdin) in cases.items():
                started = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-m", "bot", *args],
                    cwd=root,
                    env={**base, **extra},
                    input=stdin,
                    capture_output=True,
                    timeout=300,
                    check=False,
                )
                took = time.perf_counter() - started
                output = (done.stdout + done.stderr).decode(errors="replace")
                shown = [line for line in output.splitlines() if line.strip()]
                token = TOKEN.split(":")[1] in output or wrong.split(":")[1] in output
                print(
                    f"startup      {name:<24} exit {done.returncode}, {took:5.1f} s, "
                    f"{len(shown)} line(s), traceback: {'yes' if 'Traceback' in output else 'no'}, "
                    f"token shown: {'YES' if token else 'no'}, unclosed-session warning: "
                    f"{'yes' if 'Unclosed' in output else 'no'}"
                    + (f"  | {shown[-1][:110]}" if shown else "")
                )
        finally:
            if immutable:
                subprocess.run(["chattr", "-i", str(read_only)], check=False)


# -- 6. files only the bot may read


def files(root: Path) -> None:
    with BotAPI(token=TOKEN) as api, StandInNLU() as nlu, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bot = Bot(root, work, api, NLU_URL=nlu.url, PSEUDONYM_KEY="", DATABASE_URL="")
        api.message(5, "/start")
        api.wait_for_messages(5, 1, timeout=120)
        time.sleep(0.5)
        bot.stop()
        modes = {p.name: oct(p.stat().st_mode & 0o777) for p in sorted((work / "var").iterdir())}
    print(f"files        modes in var/: {modes}")


# -- 7, 8, 9: button taps, /forget and /hide with the database in trouble


def rows_of(url: str, chat: int) -> int:
    import hashlib
    import hmac

    pseudonym = hmac.new(b"bench-key", f"telegram:{chat}".encode(), hashlib.sha256).hexdigest()
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as conn:
            user = conn.execute(
                text("SELECT id FROM users WHERE pseudonym = :p"), {"p": pseudonym}
            ).scalar()
            if user is None:
                return 0
            total = 1
            for table in ("events", "feedback", "not_understood", "hide_messages"):
                total += conn.execute(
                    text(f"SELECT count(*) FROM {table} WHERE user_id = :u"), {"u": user}
                ).scalar_one()
            return int(total)
    finally:
        engine.dispose()


def wait(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def forget_reply(api: BotAPI, chat: int) -> str:
    """The text of the bot's answer to /forget (done, or "as soon as they're back")."""

    def said(message: str) -> bool:
        return "deleted everything" in message or "as soon as they're back" in message

    api.wait_for(lambda s: any(m.chat_id == chat and said(m.text) for m in s.sent), timeout=60)
    return next(m.text for m in api.sent_to(chat) if said(m.text))


def taps(root: Path) -> None:
    for database in ("sqlite", "postgresql"):
        for poison in ("\x00", "\ud800"):
            with (
                BotAPI(token=TOKEN) as api,
                StandInNLU() as nlu,
                tempfile.TemporaryDirectory() as tmp,
                postgres_database() as pg,
            ):
                url = pg if database == "postgresql" else f"sqlite:///{tmp}/bot.sqlite3"
                bot = Bot(root, Path(tmp), api, NLU_URL=nlu.url, DATABASE_URL=url)
                try:
                    chat = 4000
                    api.message(chat, "how do i report")
                    (answer,) = api.wait_for_messages(chat, 1, timeout=120)
                    api.tap(chat, answer, f"v:+:report{poison}x")
                    api.tap(chat, answer, f"r:menu_law{poison}")
                    time.sleep(1)
                    api.message(chat, "/law")
                    api.wait_for(
                        lambda s: any(m.chat_id == 4000 and "the law" in m.text for m in s.sent), 30
                    )
                    time.sleep(1)  # the writer gathers for 50 ms, commits well within this
                    written = rows_of(url, chat)
                    api.message(chat, "/forget")
                    forgot = forget_reply(api, chat)
                    outcome = "done" if "deleted everything" in forgot else "LATER (not deleted)"
                    time.sleep(1)
                    left = rows_of(url, chat)
                finally:
                    bot.stop()
                refused = [
                    line
                    for line in bot.lines()
                    if "Traceback" in line or "skipped" in line or "refused" in line
                ]
            print(
                f"taps         {database:<10} tap with {poison.encode('unicode_escape').decode()}: "
                f"{written} rows written after it, then /forget -> {outcome}, {left} rows left; "
                f"{len(refused)} error line(s)"
            )


def forget(root: Path) -> None:
    proxy = Proxy()
    try:
        with (
            BotAPI(token=TOKEN) as api,
            StandInNLU() as nlu,
            tempfile.TemporaryDirectory() as tmp,
            postgres_database(port=proxy.port) as url,
        ):
            direct = url.replace(f":{proxy.port}/", f":{PG_PORT}/")
            chat = 4100
            settings = {"NLU_URL": nlu.url, "DATABASE_URL": url}
            bot = Bot(root, Path(tmp), api, **settings)
            try:
                for message in ("/start", "/law", "how do i report"):
                    api.message(chat, message)
                api.wait_for_messages(chat, 3, timeout=120)
                wait(lambda: rows_of(direct, chat) >= 3, 30)
                before = rows_of(direct, chat)
                proxy.cut()
                api.message(chat, "/forget")
                said = forget_reply(api, chat)
            finally:
                bot.stop()
            proxy.restore()
            bot = Bot(root, Path(tmp), api, **settings)
            try:
                wait(lambda: rows_of(direct, chat) == 0, 30)
                after = rows_of(direct, chat)
            finally:
                bot.stop()
        promise = "as soon as they're back" in said
        print(
            f"forget       /forget during an outage ({'promised later' if promise else said[:40]}), "
            f"SIGTERM, database back, restart: {before} rows before, {after} rows left 30 s later"
        )
    finally:
        proxy.close()


def hide(root: Path) -> None:
    proxy = Proxy()
    try:
        with (
            BotAPI(token=TOKEN) as api,
            StandInNLU() as nlu,
            tempfile.TemporaryDirectory() as tmp,
            postgres_database(port=proxy.port) as url,
        ):
            chat = 4200
            bot = Bot(root, Path(tmp), api, NLU_URL=nlu.url, DATABASE_URL=url)
            try:
                _, first = api.message(chat, "/start")
                api.wait_for_messages(chat, 1, timeout=120)
                time.sleep(1)
                proxy.cut()
                _, second = api.message(chat, "/law")
                api.wait_for_messages(chat, 2, timeout=60)
                ours = [m.message_id for m in api.sent_to(chat)]
                _, hide_id = api.message(chat, "/hide")
                said = api.wait_for_messages(chat, 3, timeout=60)[-1].text
                wanted = {first, second, hide_id, *ours}
                deleted = {m for c, m in api.state.deleted if c == chat}
            finally:
                bot.stop()
        print(
            f"hide         /hide during an outage deleted {len(wanted & deleted)} of {len(wanted)} "
            f"messages and said: {said.splitlines()[0][:90]!r}"
        )
    finally:
        proxy.close()


# -- the health check


def health(root: Path) -> None:
    with StandInNLU() as nlu, webhook_bot(root, nlu) as (_bot, _api, port):
        url = f"http://127.0.0.1:{port}/healthz"
        before = httpx.get(url, timeout=10)
        nlu.down = True
        started = time.perf_counter()
        status, detail = 200, before.text
        while time.perf_counter() - started < 30 and status == 200:
            time.sleep(0.5)
            response = httpx.get(url, timeout=10)
            status, detail = response.status_code, response.text
        took = time.perf_counter() - started
        command = subprocess.run(
            [sys.executable, "-m", "bot", "health"],
            cwd=root,
            env={**os.environ, "WEBHOOK_URL": "https://bot.example.org/hook", "PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    print(
        f"health       NLU down: /healthz {status} after {took:.0f} s ({detail[:70]}); "
        f"`python -m bot health` exit {command.returncode}"
    )


# -- 10. LOG_LEVEL after the model loads


def log_level(root: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "shell"],
            cwd=root,
            env={
                **os.environ,
                "LOG_LEVEL": "INFO",
                "VAR_DIR": tmp,
                "PSEUDONYM_KEY": "bench",
                "MODEL_PATH": str(ROOT / "models" / "nlu.tar.gz"),
            },
            input=b"who can i talk to\nhow do i report\n/quit\n",
            capture_output=True,
            timeout=300,
            check=False,
        )
    lines = done.stderr.decode(errors="replace").count("reply channel=shell")
    print(
        f"log-level    LOG_LEVEL=INFO, model in the process, 3 messages: {lines} reply lines logged"
    )


MEASUREMENTS: dict[str, Callable[[Path], None]] = {
    "compressed": compressed,
    "wrong-secret": wrong_secret,
    "slow": slow,
    "bad-input": bad_input,
    "startup": startup,
    "files": files,
    "taps": taps,
    "forget": forget,
    "hide": hide,
    "log-level": log_level,
    "health": health,
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--root", default=str(ROOT), help="the checkout to run the bot from")
    parser.add_argument("--only", help="comma-separated: " + ", ".join(MEASUREMENTS))
    args = parser.parse_args()
    root = Path(args.root).resolve()
    chosen = args.only.split(",") if args.only else list(MEASUREMENTS)
    print(f"bot from {root}")
    for name in chosen:
        try:
            MEASUREMENTS[name](root)
        except Exception as exc:  # one measurement failing must not hide the others
            print(f"{name:<12} could not be measured: {type(exc).__name__}: {exc}"[:300])
    return 0


if __name__ == "__main__":
    sys.exit(main())
