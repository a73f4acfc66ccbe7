"""Record what the trained models say about every test and blind writer's message, so that a
change to the rules can be replayed on them in seconds (bench/safety_thresholds.py reads the
record) instead of answering them again.

    .venv/bin/python bench/record_unseen.py /tmp/unseen.jsonl
    .venv/bin/python bench/safety_thresholds.py /tmp/unseen.jsonl --why

The test writers (nlu/unused/, one file a writer) and the blind writers (nlu/test/blind*.yml,
recorded as "blind:b01" and so on) are never trained on, and their words are never read here:
--why counts their mistakes by cause and --show prints none of their words. The models are
models/nlu.tar.gz and models/safety.tar.gz, or MODEL_PATH and SAFETY_MODEL_PATH.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import ContentStore  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.generalisation import Case, blind_cases, predictions, unused_cases  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.startup import load_model  # noqa: E402


def unseen_cases(root: Path) -> list[Case]:
    """The test writers as they are, and the blind writers as "blind:b01" and so on."""
    return unused_cases(root) + [
        Case(c.text, f"blind:{c.writer}", c.intent, c.grade) for c in blind_cases(root)
    ]


async def record(out: Path) -> int:
    # The models the bot itself would use, on its fast path (no TensorFlow; the same rankings
    # as Rasa's, tests/test_fastpath.py).
    settings = Settings.from_env(root=ROOT)
    try:
        parser = load_model(settings.model_path)
        grader = load_model(settings.safety_model_path)
    except FileNotFoundError as missing:
        print(missing)
        return 1
    engine = Engine(content=ContentStore(settings.content_dir), parser=parser, grader=grader)
    rows = await predictions(engine, unseen_cases(ROOT))
    with out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")
    print(f"{len(rows)} messages recorded in {out}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: bench/record_unseen.py OUT.jsonl")
        sys.exit(2)
    sys.exit(asyncio.run(record(Path(sys.argv[1]))))
