"""What the safety net's rules cost per message, on ordinary and on crafted messages.

Every message a stranger sends is read by the rules (bot/safety.py) on the bot's event loop
before anything else, so their cost on the worst text someone could send matters as much as
on ordinary messages. Prints the time of one `SafetyNet.scan` of each crafted 4,096-character
message (the fastest of 5), and the mean over the blind writers' messages. Run it on another
checkout to compare:

    .venv/bin/python bench/safety_cost.py
    .venv/bin/python bench/safety_cost.py --root /tmp/before
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent.parent
LIMIT = 4096  # Telegram's longest message
REPEATS = 5  # the fastest of these: the machine is shared

CRAFTED = {
    "a pronoun again and again": "he ",
    "an armed person again and again": "a man with a knife ",
    "someone, then many words": "someone word word word word word word word ",
    "a wound word again and again": "cut ",
    "on the way again and again": "on the way ",
    "one long word": "a",
    "a betrayal again and again": "stabbed me in the back ",
    "a thing in trouble again and again": "help my phone ",
    # the words of several rules at once, but in an order no rule reads as danger
    "a time word, then an armed person": "outside now a man with a knife ",
    "a knife, a threat and a place": "knife coming at me stab the bus stop ",
    "a bite again and again": "bit me ",
    # read over the whole message, not in windows (bot/safety.py _resolved)
    "a scare called off again and again": "someone outside its just the cat ",
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--root", default=str(HERE), help="the checkout whose rules to measure")
    root = Path(parser.parse_args().root).resolve()
    sys.path.insert(0, str(root))
    safety = importlib.import_module("bot.safety")
    net = safety.SafetyNet()
    print(f"rules from {root}")
    for name, piece in CRAFTED.items():
        text = (piece * (LIMIT // len(piece) + 1))[:LIMIT]
        runs = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            net.scan(text)
            runs.append(time.perf_counter() - started)
        print(f"  {name:<36} {min(runs) * 1000:7.1f} ms")
    messages = []
    for path in sorted((root / "nlu" / "test").glob("blind*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            messages += [
                line.strip()[2:]
                for line in block["examples"].splitlines()
                if line.strip().startswith("- ")
            ]
    started = time.perf_counter()
    for text in messages:
        net.scan(text)
    mean = (time.perf_counter() - started) / len(messages) * 1000
    print(f"  {len(messages)} blind writers' messages: {mean:.2f} ms each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
