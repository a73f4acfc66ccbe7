"""Storage benchmark: what the database side of one answered message costs.

Each answered message in a private chat is three writes: the event, and the ids of the two
messages for /hide. This queues them for N messages from 500 people and prints the time and
CPU per message until all are written, on SQLite (and on PostgreSQL when --postgres is given).

    .venv/bin/python bench/store.py [--messages 3000] [--postgres postgresql://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.engine import Event, User
from bot.storage.store import Store


def run(url: str, messages: int) -> None:
    store = Store.open(url, b"bench")
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(messages):
        user = User("telegram", str(i % 500))
        store.remember_messages(user, [2 * i])
        store.record(
            Event(
                user,
                datetime.now(timezone.utc),
                "support",
                "support_talk",
                0.9,
                False,
                "support_talk",
                "answer",
            )
        )
        store.remember_messages(user, [2 * i + 1])
    store.flush(120)
    wall = (time.perf_counter() - started) * 1000 / messages
    used = (time.process_time() - cpu) * 1000 / messages
    print(
        f"{url.split(':', 1)[0]:<12} {messages} messages: {wall:.2f} ms and {used:.2f} ms CPU per message"
    )
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--postgres", help="also measure this PostgreSQL database (it gets tables)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.sqlite3", args.messages)
    if args.postgres:
        run(args.postgres, args.messages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
