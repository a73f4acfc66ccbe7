"""Load benchmark: the real bot, many simulated users, a stand-in Bot API on 127.0.0.1.

Runs `python -m bot run` as its own process against the stand-in server, sends a realistic mix
(about 60% typed questions from the held-out set, 40% button taps and commands) and prints:
messages per second, p50/p95/p99 latency from update to reply, the bot's peak memory and its
start-up time. Two runs: at Telegram's own limit (30 messages a second, the bot's real pacing
on), and flat out with the pacing lifted, to show the headroom of one machine. In the same run
it starts Rasa's own HTTP server (`rasa run --enable-api`) on the same model, sends the same
texts to /model/parse, and prints the ratio of the bot's whole path to Rasa's bare parse.

    make bench        (or: .venv/bin/python bench/load.py --help)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.botapi import BotAPI  # noqa: E402 - the stand-in server lives with the tests
from tests.rasa_server import start_rasa_server, stop_rasa_server  # noqa: E402
from tests.telegram_harness import start_bot_process  # noqa: E402

MODEL = ROOT / "models" / "nlu.tar.gz"
COMMANDS = ["/start", "/menu", "/law", "/support", "/report", "/privacy", "/help"]


def typed_messages() -> list[str]:
    data = yaml.safe_load((ROOT / "nlu" / "test" / "test_nlu.yml").read_text(encoding="utf-8"))
    return [
        line.strip()[2:]
        for item in data["nlu"]
        for line in str(item["examples"]).splitlines()
        if line.strip().startswith("- ")
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class Result:
    name: str
    sent: int
    answered: int
    seconds: float
    latencies_ms: list[float]
    cpu_seconds: float = float("nan")

    @property
    def cpu_ms_per_message(self) -> float:
        return self.cpu_seconds * 1000 / self.answered if self.answered else float("nan")

    @property
    def rate(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        lat = self.latencies_ms
        return (
            f"{self.name:<34} {self.answered:>5}/{self.sent:<5} answered  {self.rate:7.1f} msg/s   "
            f"p50 {percentile(lat, 0.50):6.1f} ms  p95 {percentile(lat, 0.95):6.1f} ms  "
            f"p99 {percentile(lat, 0.99):6.1f} ms   CPU {self.cpu_ms_per_message:5.1f} ms/msg"
        )


class Users:
    """Simulated young people. Each one sends a message, waits for the answer, reads it for a
    second or more, then types a new question, taps a button under the answer, or sends a
    command. (Nobody sends a second message before the first is answered, so the figures are
    about the bot, not about Telegram's one-message-a-second pace per chat.)"""

    def __init__(self, api: BotAPI, count: int, first_chat: int, seed: int) -> None:
        self.api = api
        self.random = random.Random(seed)
        self.texts = typed_messages()
        self.chats = list(range(first_chat, first_chat + count))
        self.ready_at: dict[int, float] = dict.fromkeys(self.chats, 0.0)
        self.waiting: dict[int, tuple[float, int]] = {}  # chat -> (sent at, replies seen)
        self.latencies: list[float] = []
        self.sent = 0

    def send_one(self) -> bool:
        """Send one message from someone who is ready; False if nobody is."""
        now = time.perf_counter()
        self.collect()
        ready = [c for c, at in self.ready_at.items() if at <= now]
        if not ready:
            return False
        chat = self.random.choice(ready)
        replies = self.api.sent_to(chat)
        last = replies[-1] if replies else None
        roll = self.random.random()
        taps = [d for _, d in last.buttons if d.startswith("r:")] if last else []
        if roll < 0.6 or last is None:
            self.api.message(chat, self.random.choice(self.texts))
        elif roll < 0.85 and taps:
            self.api.tap(chat, last, self.random.choice(taps))
        else:
            self.api.message(chat, self.random.choice(COMMANDS))
        del self.ready_at[chat]
        self.waiting[chat] = (time.perf_counter(), len(replies))
        self.sent += 1
        return True

    def collect(self) -> None:
        """Note the answers that have arrived; their senders start reading."""
        for chat, (started, seen) in list(self.waiting.items()):
            replies = self.api.sent_to(chat)
            if len(replies) > seen:
                self.latencies.append((replies[seen].at - started) * 1000)
                del self.waiting[chat]
                self.ready_at[chat] = replies[seen].at + self.random.uniform(1.0, 4.0)

    @property
    def answered(self) -> int:
        return len(self.latencies)


def run_bot_phase(
    name: str,
    rate: float,
    seconds: float,
    users: int,
    send_rate: int,
    seed: int,
    root: Path = ROOT,
) -> tuple[Result, float, float]:
    """One run of the bot under load; returns the result, start-up seconds and peak memory.
    `root` is the checkout whose bot runs (bench/footprint.py measures another for before
    and after); the model is always this one's."""
    with BotAPI() as api, tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        api.message(1, "/start")  # waiting for the bot when it comes up
        bot = start_bot_process(
            api,
            Path(tmp),
            stdout=subprocess.DEVNULL,
            cwd=root,
            PSEUDONYM_KEY="bench",
            SEND_RATE=str(send_rate),
        )
        try:
            api.wait_for(lambda s: any(m.chat_id == 1 for m in s.sent), timeout=180)
            startup = time.perf_counter() - started
            crowd = Users(api, users, 100_000, seed)
            interval = 1.0 / rate
            cpu_before = cpu_seconds(bot.pid)
            began = time.perf_counter()
            next_at = began
            while time.perf_counter() - began < seconds:
                if not crowd.send_one():
                    time.sleep(0.005)  # everyone is waiting or reading
                    continue
                next_at += interval
                pause = next_at - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
            deadline = time.perf_counter() + 120
            while crowd.waiting and time.perf_counter() < deadline:
                crowd.collect()
                time.sleep(0.05)
            answered = crowd.answered
            last_reply = max((m.at for m in api.state.sent if m.chat_id != 1), default=began)
            memory = peak_memory_mb(bot.pid)
            cpu = cpu_seconds(bot.pid) - cpu_before
        finally:
            bot.send_signal(signal.SIGTERM)
            _, err = bot.communicate(timeout=60)
            if bot.returncode not in (0, None):
                print(err.decode(errors="replace")[-2000:], file=sys.stderr)
        result = Result(name, crowd.sent, answered, last_reply - began, crowd.latencies, cpu)
        return result, startup, memory


async def parse_load(url: str, texts: list[str], rate: float | None, count: int) -> Result:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:

        async def one(text: str) -> None:
            started = time.perf_counter()
            response = await client.post("/model/parse", json={"text": text})
            response.raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)

        began = time.perf_counter()
        if rate is None:
            queue = list(texts[:count])

            async def worker() -> None:
                while queue:
                    await one(queue.pop())

            await asyncio.gather(*(worker() for _ in range(32)))
        else:
            tasks = []
            for index in range(count):
                tasks.append(asyncio.create_task(one(texts[index % len(texts)])))
                await asyncio.sleep(max(0.0, began + (index + 1) / rate - time.perf_counter()))
            await asyncio.gather(*tasks)
        seconds = time.perf_counter() - began
    name = "Rasa server, parse only" + (f", {rate:.0f}/s" if rate else ", flat out")
    return Result(name, count, len(latencies), seconds, latencies)


def run_rasa_phase(
    rate: float, seconds: float, flat_out_count: int
) -> tuple[Result, Result, float]:
    started = time.perf_counter()
    process, url = start_rasa_server(MODEL, Path(tempfile.gettempdir()))
    try:
        startup = time.perf_counter() - started
        texts = typed_messages()
        random.Random(1).shuffle(texts)
        before = cpu_seconds(process.pid)
        paced = asyncio.run(parse_load(url, texts, rate, int(rate * seconds)))
        paced.cpu_seconds = cpu_seconds(process.pid) - before
        before = cpu_seconds(process.pid)
        flat = asyncio.run(parse_load(url, texts * 10, None, flat_out_count))
        flat.cpu_seconds = cpu_seconds(process.pid) - before
    finally:
        stop_rasa_server(process)
    return paced, flat, startup


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rate", type=float, default=30, help="messages a second at Telegram's limit"
    )
    parser.add_argument("--seconds", type=float, default=20, help="length of each timed run")
    parser.add_argument("--users", type=int, default=400, help="simulated users at the paced rate")
    parser.add_argument(
        "--flat-out-rate", type=float, default=400, help="offered rate for the headroom run"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if not MODEL.exists():
        print("No trained model: run 'make bench' (it trains one) or 'python -m bot train'.")
        return 2

    print("Bot at Telegram's limit (pacing on)...", flush=True)
    paced, startup, memory = run_bot_phase(
        "bot, whole path, 30/s", args.rate, args.seconds, args.users, 30, 7
    )
    print("Bot flat out (pacing lifted, to measure headroom)...", flush=True)
    users = max(args.users, int(args.flat_out_rate * 6))  # enough people to keep the bot busy
    flat, _, flat_memory = run_bot_phase(
        "bot, whole path, flat out", args.flat_out_rate, args.seconds / 2, users, 10_000, 8
    )
    print("Rasa's own server on the same model and texts...", flush=True)
    rasa_paced, rasa_flat, rasa_startup = run_rasa_phase(args.rate, args.seconds, flat.answered)

    print()
    for result in (paced, flat, rasa_paced, rasa_flat):
        print(result.line())
    print(
        f"{'bot start-up (spawn to first reply)':<34} {startup:6.1f} s      Rasa server start-up {rasa_startup:6.1f} s"
    )
    print(f"{'bot peak memory':<34} {max(memory, flat_memory):6.0f} MB")
    ratio_p50 = percentile(paced.latencies_ms, 0.5) / percentile(rasa_paced.latencies_ms, 0.5)
    ratio_rate = flat.rate / rasa_flat.rate if rasa_flat.rate else float("nan")
    print(
        f"{'bot whole path / Rasa parse, p50 at 30/s':<34} {ratio_p50:6.2f} x  (below 1: the bot answers faster than Rasa only parses)"
    )
    print(
        f"{'bot / Rasa, messages a second flat out':<34} {ratio_rate:6.2f} x  (above 1: the bot does more work a second)"
    )
    ratio_cpu = flat.cpu_ms_per_message / rasa_flat.cpu_ms_per_message
    print(
        f"{'bot / Rasa, CPU per message flat out':<34} {ratio_cpu:6.2f} x  (below 1: the bot's whole path costs less CPU than Rasa's parse)"
    )
    goal = percentile(paced.latencies_ms, 0.99) < 100 and ratio_p50 <= 1
    print(
        "goal at 30 msg/s (bot's whole path no slower than Rasa's bare parse, p99 under 100 ms): "
        + ("met" if goal else "NOT met")
    )
    print(
        f"headroom: flat out the bot answered {flat.rate:.0f} msg/s, "
        f"{flat.rate / args.rate:.1f} times Telegram's limit of {args.rate:.0f}"
    )
    if args.json:
        figures = {
            r.name: {
                "answered": r.answered,
                "sent": r.sent,
                "msg_per_s": r.rate,
                "p50_ms": percentile(r.latencies_ms, 0.5),
                "p95_ms": percentile(r.latencies_ms, 0.95),
                "p99_ms": percentile(r.latencies_ms, 0.99),
            }
            for r in (paced, flat, rasa_paced, rasa_flat)
        }
        figures["startup_s"] = {"bot": startup, "rasa": rasa_startup}
        figures["peak_memory_mb"] = {"bot": max(memory, flat_memory)}
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
