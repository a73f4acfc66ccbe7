"""Record what the trained models say about every test and blind writer's message, so that a
change to the rules can be replayed on them in seconds (bench/safety_thresholds.py reads the
record) instead of answering them again with Rasa.

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
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import ContentStore  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.generalisation import Case, cases_from, message_lists, predictions, read_blocks  # noqa: E402
from bot.nlu import RasaParser  # noqa: E402


def unseen_cases(root: Path) -> list[Case]:
    cases = [
        Case(text, path.stem, grade=grade)
        for path, lists in message_lists(root)
        if path.parent.name == "unused"
        for grade, texts in lists.items()
        for text in texts
    ]
    test = root / "nlu" / "test"
    intents, _ = read_blocks([test / "blind.yml"])
    graded, _ = read_blocks([test / "blind_safety.yml"])
    for case in cases_from(intents, False) + cases_from(graded, True):
        cases.append(Case(case.text, f"blind:{case.writer}", case.intent, case.grade))
    return cases


async def record(out: Path) -> int:
    nlu = Path(os.environ.get("MODEL_PATH", ROOT / "models" / "nlu.tar.gz"))
    safety = Path(os.environ.get("SAFETY_MODEL_PATH", ROOT / "models" / "safety.tar.gz"))
    for model in (nlu, safety):
        if not model.exists():
            print(f"There is no trained model at {model}: run 'make model' first.")
            return 1
    engine = Engine(
        content=ContentStore(ROOT / "content"),
        parser=RasaParser.load(nlu),
        grader=RasaParser.load(safety),
    )
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
