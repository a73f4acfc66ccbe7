"""The webhook port as an attacker sees it: the real bot as its own process, over real HTTP.

Each test starts `python -m bot run` in webhook mode with the remote NLU pointed at a stand-in
Rasa server (so the process is as small as production's and starts in a second), limited to
1,024 open files as on many servers, and attacks its port: compressed bodies that inflate to a
gigabyte, thousands of connections that never finish their headers, thousands of wrong
secrets, headers and bodies no Telegram would send.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import resource
import signal
import socket
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.botapi import BotAPI
from tests.conftest import ROOT
from tests.nlu_standin import StandInNLU
from tests.rasa_server import free_port
from tests.telegram_harness import start_bot_process, wait_for_port

SECRET = "s3cret_Token-1"
HOOK = "/tg-hook"
FILE_LIMIT = 1024


def update(chat: int, text: str, update_id: int = 1) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "A"},
            "text": text,
            **(
                {"entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}
                if text.startswith("/")
                else {}
            ),
        },
    }


def peak_memory_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc")


def limit_open_files() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(FILE_LIMIT, soft), hard))


@dataclass
class WebhookBot:
    api: BotAPI
    nlu: StandInNLU
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    workdir: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_lines(self) -> list[str]:
        return self.log.read_text(errors="replace").splitlines()

    def health_command(self) -> subprocess.CompletedProcess[str]:
        """`python -m bot health`, as the container's HEALTHCHECK runs it."""
        env = {"WEBHOOK_URL": "https://bot.example.org/tg-hook", "PORT": str(self.port)}
        return subprocess.run(
            [sys.executable, "-m", "bot", "health"],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", **env, "VAR_DIR": str(self.workdir / "var")},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


@pytest.fixture
def webhook_bot(tmp_path: Path) -> Iterator[WebhookBot]:
    with BotAPI() as api, StandInNLU() as nlu:
        port = free_port()
        log = tmp_path / "bot.log"
        with log.open("wb") as stderr:
            process = start_bot_process(
                api,
                tmp_path,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                preexec_fn=limit_open_files,
                NLU_URL=nlu.url,
                WEBHOOK_URL=f"https://bot.example.org{HOOK}",
                WEBHOOK_SECRET=SECRET,
                PORT=str(port),
                LOG_LEVEL="INFO",
            )
            try:
                wait_for_port(port, process)
                yield WebhookBot(api, nlu, process, port, log, tmp_path)
            finally:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)
        assert process.returncode == 0, log.read_text(errors="replace")[-3000:]
        written = log.read_text(errors="replace")
        assert "Traceback" not in written and "Unclosed" not in written


def answered_within(bot: WebhookBot, chat: int, text: str, seconds: float) -> float:
    """Send a real update with the right secret; how long until its reply reached Telegram."""
    started = time.perf_counter()
    response = httpx.post(
        f"{bot.url}{HOOK}",
        json=update(chat, text, update_id=chat),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        timeout=seconds,
    )
    assert response.status_code == 200
    (reply,) = bot.api.wait_for_messages(chat, 1, timeout=seconds)
    return reply.at - started


@pytest.fixture(scope="module")
def gigabyte_gzip() -> bytes:
    """Just under 1 MB of gzip that inflates to 950 MB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1 << 20)
    body = b"".join(packer.compress(chunk) for _ in range(950)) + packer.flush()
    assert len(body) < 1_000_000
    return body


async def post_many(url: str, body: bytes, headers: dict[str, str], count: int) -> list[int]:
    async with httpx.AsyncClient(timeout=60) as client:
        responses = await asyncio.gather(
            *(client.post(url, content=body, headers=headers) for _ in range(count))
        )
    return [r.status_code for r in responses]


def test_compressed_bodies_are_never_inflated_into_memory(
    webhook_bot: WebhookBot, gigabyte_gzip: bytes
) -> None:
    answered_within(webhook_bot, 501, "/report", 10)  # warmed up, as in service
    before = peak_memory_mb(webhook_bot.process.pid)
    gzipped = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    url = f"{webhook_bot.url}{HOOK}"
    # Without the secret: refused before a byte of the body is looked at.
    assert asyncio.run(post_many(url, gigabyte_gzip, gzipped, 4)) == [403] * 4
    # With it: inflated by the bot itself, and only up to the 1 MB a plain body may have.
    with_secret = {**gzipped, "X-Telegram-Bot-Api-Secret-Token": SECRET}
    assert asyncio.run(post_many(url, gigabyte_gzip, with_secret, 4)) == [413] * 4
    grown = peak_memory_mb(webhook_bot.process.pid) - before
    assert grown < 50, f"peak memory grew by {grown:.0f} MB"
    # A small gzip update is still understood, and the bot still answers.
    small = gzip.compress(json.dumps(update(502, "/report", 502)).encode())
    assert httpx.post(url, content=small, headers=with_secret).status_code == 200
    webhook_bot.api.wait_for_messages(502, 1)


def test_bad_headers_and_bodies_get_4xx_not_500(webhook_bot: WebhookBot) -> None:
    def raw(request: bytes) -> int:
        with socket.create_connection(("127.0.0.1", webhook_bot.port), timeout=10) as sock:
            sock.sendall(request)
            head = sock.recv(100).decode("latin-1")
        return int(head.split()[1])

    body = json.dumps(update(601, "/report")).encode()
    non_ascii = (
        b"POST " + HOOK.encode() + b" HTTP/1.1\r\nHost: bot\r\n"
        b"X-Telegram-Bot-Api-Secret-Token: s3cr\xc3\xa9t\xff\r\n"
        b"Content-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
    )
    assert raw(non_ascii + body) == 403
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    url = f"{webhook_bot.url}{HOOK}"
    nested = b"[" * 100_000 + b"]" * 100_000
    assert httpx.post(url, content=nested, headers=headers).status_code == 400
    deep_update = b'{"update_id": 5, "x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    assert httpx.post(url, content=deep_update, headers=headers).status_code == 400
    broken_gzip = {**headers, "Content-Encoding": "gzip"}
    assert httpx.post(url, content=b"\x1f\x8b not gzip", headers=broken_gzip).status_code == 400
    brotli = {**headers, "Content-Encoding": "br"}
    assert httpx.post(url, content=body, headers=brotli).status_code == 415
    assert httpx.post(url, content=b"x" * 1_100_000, headers=headers).status_code == 413
    # None of that did anything, and a real update is still answered.
    assert webhook_bot.api.sent_to(601) == []
    answered_within(webhook_bot, 602, "/report", 10)


async def knock(port: int, count: int, secret: str = "guess") -> list[bytes]:
    """`count` calls with a wrong secret, 50 at a time, as a script would make them."""
    body = json.dumps(update(701, "/report")).encode()
    request = (
        f"POST {HOOK} HTTP/1.1\r\nHost: bot\r\nX-Telegram-Bot-Api-Secret-Token: {secret}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    slots = asyncio.Semaphore(50)

    async def one() -> bytes:
        async with slots:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            await writer.drain()
            status = (await reader.readline())[9:12]
            writer.close()
            return status

    return await asyncio.gather(*(one() for _ in range(count)))


def test_thousands_of_wrong_secrets_write_a_handful_of_log_lines(
    webhook_bot: WebhookBot,
) -> None:
    before = len(webhook_bot.log_lines())
    assert set(asyncio.run(knock(webhook_bot.port, 5000))) == {b"403"}
    refused = [line for line in webhook_bot.log_lines()[before:] if "refused" in line]
    assert 1 <= len(refused) <= 10
    answered_within(webhook_bot, 702, "/report", 10)
    assert webhook_bot.api.sent_to(701) == []


async def hold_slow_connections(port: int, count: int) -> list[asyncio.StreamWriter]:
    """Open `count` connections that start a request and never finish its headers."""

    async def one() -> asyncio.StreamWriter | None:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"POST {HOOK} HTTP/1.1\r\nHost: bot\r\nX-Slow: ".encode())
            await writer.drain()
            return writer
        except OSError:
            return None

    opened = await asyncio.gather(*(one() for _ in range(count)))
    return [w for w in opened if w is not None]


def test_a_real_update_is_answered_while_2000_slow_connections_are_open(
    webhook_bot: WebhookBot,
) -> None:
    # The attacker (this test) needs more open files than the bot it attacks is allowed.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4096:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] > 2500, "raise `ulimit -n` to 4096"

    async def attack() -> tuple[int, float]:
        writers = await hold_slow_connections(webhook_bot.port, 2000)
        try:
            # The real update, from Telegram, while they are all still open.
            seconds = await asyncio.to_thread(answered_within, webhook_bot, 801, "/report", 10)
        finally:
            for writer in writers:
                writer.close()
        return len(writers), seconds

    opened, seconds = asyncio.run(attack())
    assert opened == 2000
    assert seconds < 2.0, f"the real update took {seconds:.1f} s"
    assert webhook_bot.process.poll() is None
    assert len(webhook_bot.log_lines()) < 50  # no flood of errors on the disk


def test_slow_connections_are_closed_after_the_header_timeout(webhook_bot: WebhookBot) -> None:
    async def closed_by_the_bot() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", webhook_bot.port)
        writer.write(f"POST {HOOK} HTTP/1.1\r\nHost: bot\r\nX-Slow: ".encode())
        await writer.drain()
        try:
            return await asyncio.wait_for(reader.read(), timeout=30)
        finally:
            writer.close()

    assert asyncio.run(closed_by_the_bot()) == b""  # closed by the bot, without an answer


def test_a_body_that_never_arrives_gets_408_and_the_bot_goes_on(webhook_bot: WebhookBot) -> None:
    """The right secret and headers, then a body that stops half way: it is answered 408
    after the body timeout, instead of holding the connection for ever."""

    async def stalled_body() -> tuple[bytes, float]:
        reader, writer = await asyncio.open_connection("127.0.0.1", webhook_bot.port)
        writer.write(
            f"POST {HOOK} HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nContent-Length: 500\r\n\r\n"
            '{"update_id": 1, '.encode()
        )
        await writer.drain()
        started = time.monotonic()
        try:
            answer = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=60)
        finally:
            writer.close()
        return answer, time.monotonic() - started

    answer, waited = asyncio.run(stalled_body())
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert waited < 30
    answered_within(webhook_bot, 4108, "/start", 15)


def test_healthz_and_the_health_command_report_a_dead_nlu(webhook_bot: WebhookBot) -> None:
    healthy = webhook_bot.health_command()
    assert healthy.returncode == 0 and healthy.stdout.startswith("healthy"), healthy.stdout
    webhook_bot.nlu.down = True
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = httpx.get(f"{webhook_bot.url}/healthz", timeout=10)
        if response.status_code == 503:
            break
        time.sleep(0.5)
    assert response.status_code == 503 and "NLU" in response.json()["detail"]
    unhealthy = webhook_bot.health_command()
    assert unhealthy.returncode == 1 and "NLU" in unhealthy.stdout, unhealthy.stdout
    webhook_bot.nlu.down = False
