"""Storage benchmark: what the database side of one answered message costs.

Each answered message in a private chat is three writes: the event, and the ids of the two
messages for /hide. This queues them for N messages from 500 people and prints the time and
CPU per message until all are written, on SQLite (and on PostgreSQL when --postgres is given):
first all at once, then paced at --rate messages a second (Telegram's limit for a bot is 30),
where what counts is how many transactions the trickle becomes.

    .venv/bin/python bench/store.py [--messages 3000] [--rate 30] [--postgres postgresql://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from bot.engine import Event, User
from bot.storage.store import Store


def run(url: str, messages: int, rate: float = 0) -> None:
    store = Store.open(url, b"bench")
    commits = [0]

    def counted(_conn: object) -> None:
        commits[0] += 1

    event.listen(store.engine, "commit", counted)
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(messages):
        if rate:
            time.sleep(max(0.0, started + i / rate - time.perf_counter()))
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
    pace = f"at {rate:.0f}/s" if rate else "at once"
    print(
        f"{url.split(':', 1)[0]:<12} {messages} messages {pace:<8}: {wall:.2f} ms and "
        f"{used:.2f} ms CPU per message, {commits[0] / messages:.3f} transactions per message"
    )
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--rate", type=float, default=30, help="messages a second when paced")
    parser.add_argument("--postgres", help="also measure this PostgreSQL database (it gets tables)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.sqlite3", args.messages)
        run(f"sqlite:///{tmp}/paced.sqlite3", min(args.messages, int(args.rate * 10)), args.rate)
    if args.postgres:
        run(args.postgres, args.messages)
        run(args.postgres, min(args.messages, int(args.rate * 10)), args.rate)
    return 0


if __name__ == "__main__":
    sys.exit(main())
