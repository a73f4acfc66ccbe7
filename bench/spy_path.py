"""Where the bot's CPU goes per message, sampled with py-spy: no profiler inside the process.

cProfile (bench/profile_path.py) makes every Python call several times dearer, so code with
many small calls looks worse than it is. This runs the real `python -m bot run` under the
load benchmark's mix (60% typed questions, 40% taps and commands), lets py-spy sample it from
outside for a while, and prints each function's share of the bot's busy samples: with what
it calls ("in"), and on its own ("own"). Idle threads are left out.

    .venv/bin/python bench/spy_path.py                 # flat out
    .venv/bin/python bench/spy_path.py --rate 30       # at issue 13's 30 messages a second

py-spy comes with requirements-dev.lock; reading another process's memory needs the
permission to trace it (root, or ptrace allowed), as on these machines.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import run_bot_phase  # noqa: E402

SPY = Path(sys.executable).parent / "py-spy"
# A thread waiting for work is not using the CPU, whatever py-spy sees.
IDLE = ("_worker (concurrent/futures/thread.py:81)", "select (selectors.py")


def bot_pid(timeout: float = 120.0) -> int:
    """The `python -m bot run` this process started."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = subprocess.run(
            ["pgrep", "-P", str(os.getpid()), "-f", "bot run"], capture_output=True, text=True
        ).stdout.split()
        if found:
            return int(found[0])
        time.sleep(0.05)
    raise SystemExit("the bot did not start")


def shares(raw: Path) -> tuple[int, Counter[str], Counter[str]]:
    """Busy samples, and the samples in which each function is (inclusive) or runs (own)."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    busy = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        if any(frames[-1].startswith(idle) for idle in IDLE):
            continue
        samples = int(count)
        busy += samples
        names = [re.sub(r":\d+\)$", ")", frame) for frame in frames]
        own[names[-1]] += samples
        for name in set(names):
            inclusive[name] += samples
    return busy, inclusive, own


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=400, help="messages a second")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--raw", help="also keep py-spy's raw stacks in this file")
    args = parser.parse_args()
    if not SPY.exists():
        print("py-spy is not installed: make setup installs it (requirements-dev.lock).")
        return 2
    flat = args.rate >= 400
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "samples.txt"
        sampled = max(1, int(args.seconds) - 6)

        def spy() -> None:
            pid = bot_pid()
            time.sleep(4)  # past start-up and the first answers
            command = [str(SPY), "record", "--pid", str(pid), "--duration", str(sampled)]
            command += ["--rate", "1000", "--format", "raw", "--nonblocking", "-o", str(raw)]
            subprocess.run(
                command,
                capture_output=True,
                check=False,
            )

        watcher = threading.Thread(target=spy, daemon=True)
        watcher.start()
        result, _, _ = run_bot_phase(
            "bot, sampled",
            args.rate,
            args.seconds,
            2400 if flat else 400,
            10_000 if flat else 30,
            8,
        )
        watcher.join(timeout=60)
        print(result.line())
        if not raw.exists():
            print("py-spy recorded nothing (is tracing other processes allowed here?)")
            return 1
        busy, inclusive, own = shares(raw)
        if args.raw:
            Path(args.raw).write_text(raw.read_text(encoding="utf-8", errors="replace"))
    cpu = result.cpu_ms_per_message
    print(f"{busy} busy samples; a share of {cpu:.2f} ms a message is shown in ms a message too")
    for title, table in (("with what it calls", inclusive), ("on its own", own)):
        print(f"\n== {title}")
        for name, samples in table.most_common(args.top):
            share = samples / max(busy, 1)
            print(f"{100 * share:5.1f}%  {share * cpu:5.2f} ms  {name[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
