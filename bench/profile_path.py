"""Where the bot's CPU goes per message: cProfile on the whole path, under load.

Runs the real bot (bot.telegram.app.serve, as `python -m bot run` does) in this process against
the stand-in Bot API, sends the load benchmark's mix of typed questions, taps and commands as
fast as the bot answers them, and profiles only the bot's own thread while it answers (not
its start-up, and not the stand-in server, which runs on a thread of its own). Prints the
functions that cost the most, by their own time and with what they call.

    .venv/bin/python bench/profile_path.py [--seconds 10] [--out bench/results/path.prof]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import MODEL, Users  # noqa: E402
from bot.logs import configure_logging  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.telegram.app import serve  # noqa: E402
from tests.botapi import BotAPI  # noqa: E402
from tests.telegram_harness import bot_environment  # noqa: E402


def thread_cpu() -> dict[str, float]:
    """CPU seconds used so far by each thread of this process, by thread name."""
    used: dict[str, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for thread in threading.enumerate():
        try:
            stat = Path(f"/proc/self/task/{thread.native_id}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        used[thread.name] = used.get(thread.name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return used


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--users", type=int, default=2400)
    parser.add_argument(
        "--rate", type=float, default=0, help="messages a second (default: as fast as answered)"
    )
    parser.add_argument("--log-level", default="WARNING", help="the bot's LOG_LEVEL")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "path.prof"))
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument(
        "--no-profile", action="store_true", help="only the CPU by thread, without cProfile"
    )
    args = parser.parse_args()

    # CPU time of the bot's own thread: wall time would also count the waits for the GIL held by
    # the stand-in server's thread, which a real deployment does not have.
    profiler = cProfile.Profile(time.thread_time)
    counts: dict[str, float] = {}
    cpu_before: dict[str, float] = {}
    cpu_after: dict[str, float] = {}
    with BotAPI() as api, tempfile.TemporaryDirectory() as tmp:
        env = bot_environment(
            api,
            Path(tmp),
            MODEL_PATH=str(MODEL),
            LOG_LEVEL=args.log_level,
            SEND_RATE="10000",
            PSEUDONYM_KEY="bench",
        )
        settings = Settings.from_env(env, root=ROOT)
        configure_logging(settings.log_level)

        async def run() -> None:
            loop = asyncio.get_running_loop()
            stop = asyncio.Event()

            def drive() -> None:
                api.wait_for(lambda s: s.calls["getUpdates"] >= 1, timeout=120)
                time.sleep(0.5)  # past the first poll
                crowd = Users(api, args.users, 100_000, 3)
                if not args.no_profile:
                    loop.call_soon_threadsafe(profiler.enable)
                cpu_before.update(thread_cpu())
                began = time.perf_counter()
                next_at = began
                while time.perf_counter() - began < args.seconds:
                    if not crowd.send_one():
                        time.sleep(0.002)
                    elif args.rate:
                        next_at += 1 / args.rate
                        time.sleep(max(0.0, next_at - time.perf_counter()))
                deadline = time.perf_counter() + 60
                while crowd.waiting and time.perf_counter() < deadline:
                    crowd.collect()
                    time.sleep(0.02)
                loop.call_soon_threadsafe(profiler.disable)
                cpu_after.update(thread_cpu())
                counts["answered"] = crowd.answered
                counts["seconds"] = time.perf_counter() - began
                loop.call_soon_threadsafe(stop.set)

            driver = threading.Thread(target=drive, daemon=True)
            driver.start()
            await serve(settings, stop=stop)
            driver.join()

        asyncio.run(run())

    answered = int(counts.get("answered", 0))
    print(f"{answered} messages answered in {counts.get('seconds', 0):.1f} s")
    print("CPU a message by thread (the stand-in Bot API server is Thread-1):")
    for name, after in sorted(cpu_after.items(), key=lambda item: -item[1]):
        used = after - cpu_before.get(name, 0.0)
        if used > 0:
            print(f"  {name:<30} {used * 1000 / max(answered, 1):6.2f} ms")
    if args.no_profile:
        return 0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(out)
    print(f"profile in {out}")
    stats = pstats.Stats(str(out))
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"profiled CPU of the bot's thread: {total * 1000 / max(answered, 1):.2f} ms a message")
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
