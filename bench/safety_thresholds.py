"""Choose the safety net's thresholds on leave-one-writer-out predictions, never on blind writers.

`python -m bot evaluate` records what both models said about every message while each writer
was left out (reports/lowo_predictions.jsonl). This replays the whole engine on those records
(the rules run again; the models' answers come from the file) for a grid of thresholds, and
prints, for each: emergency recall (999 at the top), helpline recall, false 999s on everyday
messages, past or hypothetical messages given the 999 reply, and topic accuracy.

    .venv/bin/python bench/safety_thresholds.py [reports/lowo_predictions.jsonl]
    .venv/bin/python bench/safety_thresholds.py [file] now_uncertain=0.3,0.5 crisis_veto=0.9,1.0
    .venv/bin/python bench/safety_thresholds.py [file] --policy

With name=values arguments, only those fields are swept (every combination): SafetyPolicy fields, or ConfidencePolicy fields with --policy.

    .venv/bin/python bench/safety_thresholds.py [file] --why           # what led to each miss
    .venv/bin/python bench/safety_thresholds.py [file] --why --show    # ...and their words

--why counts the safety mistakes of the thresholds as shipped by how the safety net decided
(SafetyPolicy's `why`: "a rule fired but the classifier doubts it", ...). --show also prints
each one's writer, scores and words, but never the words of a test or blind writer
(nlu/unused/, nlu/test/blind*.yml): they measure messages nobody here has read. A record of
those writers comes from bench/record_unseen.py.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content import ContentStore  # noqa: E402
from bot.engine import ConfidencePolicy, Engine, model_text  # noqa: E402
from bot.generalisation import Case, Scores, blind_cases, score, unused_cases  # noqa: E402
from bot.nlu import IntentScore, Parse  # noqa: E402
from bot.safety import EVERYDAY, NOW_GRADES, SafetyNet, SafetyPolicy, Signals  # noqa: E402
from bot.text import plain  # noqa: E402


class Replay:
    """A parser that answers from recorded rankings."""

    def __init__(self, table: dict[str, list[list[object]]]) -> None:
        self.table = table

    async def parse(self, text: str) -> Parse:
        return Parse(
            tuple(IntentScore(str(n), float(c)) for n, c in self.table[text])  # type: ignore[arg-type]
        )

    async def close(self) -> None:
        return None


class RememberingNet(SafetyNet):
    """The rules, run once a message: they do not change between the thresholds tried."""

    def __init__(self) -> None:
        self.seen: dict[str, Signals] = {}

    def scan(self, text: str) -> Signals:
        if text not in self.seen:
            self.seen[text] = super().scan(text)
        return self.seen[text]


RULES = RememberingNet()


def load(path: Path) -> tuple[list[Case], Replay, Replay]:
    cases, nlu, grades = [], {}, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["writer"] == "first_round":
            continue
        cases.append(Case(row["text"], row["writer"], row["intent"], row["grade"]))
        # The engine asks the models about the message as they read it (plain text, with
        # zero-width characters such as an emoji's joiner taken out, and numbers named).
        nlu[model_text(plain(row["text"]))] = row["nlu"]
        grades[model_text(plain(row["text"]))] = row["grades"]
    return cases, Replay(nlu), Replay(grades)


def run(
    cases: list[Case], nlu: Replay, grades: Replay, safety: SafetyPolicy, policy: ConfidencePolicy
) -> Scores:
    engine = Engine(
        content=ContentStore(ROOT / "content"),
        parser=nlu,
        grader=grades,
        safety=RULES,
        safety_policy=safety,
        policy=policy,
    )
    return asyncio.run(score(engine, cases))


def line(name: str, s: Scores) -> str:
    f = s.figures()
    return (
        f"{name:<60} topic {f['topic accuracy']:.3f}  999 {f['emergency recall (999 at the top)']:.3f}"
        f" ({f['emergencies given the emergency reply']:.3f} reply)  helpline "
        f"{f['crisis recall (helpline)']:.3f}  false999 {s.false_999}/{s.everyday}"
        f"  past->999 {s.over_as_now}/{s.over}"
    )


def unseen_writers() -> set[str]:
    """Writers whose words are never read here: the test writers and the blind writers (as
    evaluate names them, and as bench/record_unseen.py does)."""
    blind = {case.writer for case in blind_cases(ROOT)}
    return {case.writer for case in unused_cases(ROOT)} | blind | {f"blind:{w}" for w in blind}


def explain(scores: Scores, grades: Replay, safety: SafetyPolicy, show: bool) -> None:
    """Count the safety mistakes by how the safety net decided; with show, list them too."""
    hidden = unseen_writers()
    counts: Counter[tuple[str, str]] = Counter()
    for mistake in scores.mistakes:
        if mistake["problem"].startswith("topic"):
            continue
        shares = {str(n): float(c) for n, c in grades.table[model_text(plain(mistake["text"]))]}  # type: ignore[arg-type]
        signals = RULES.scan(mistake["text"])
        verdict = safety.decide(signals, shares)
        why = verdict.why or (
            "nothing fired and the classifier was not sure enough"
            if mistake["problem"].startswith("missed")
            else "not the safety net: the NLU model's intent gave the reply"
        )
        counts[(mistake["problem"], why)] += 1
        if show:
            now = sum(shares.get(g, 0.0) for g in NOW_GRADES)
            words = "(a test or blind writer)" if mistake["writer"] in hidden else mistake["text"]
            print(
                f"  [{mistake['problem']}] {mistake['writer']} {mistake['expected']}: {why}; "
                f"now {now:.2f} everyday {shares.get(EVERYDAY, 0.0):.2f} rule {signals.emergency} "
                f"crisis {verdict.crisis} :: {words[:160]}"
            )
    for (problem, why), n in counts.most_common():
        print(f"{n:5}  {problem}: {why}")


def main() -> None:
    files = [a for a in sys.argv[1:] if not a.startswith("-") and "=" not in a]
    path = Path(files[0]) if files else ROOT / "reports" / "lowo_predictions.jsonl"
    asked = {
        name: tuple(float(v) for v in values.split(","))
        for name, values in (a.split("=", 1) for a in sys.argv[1:] if "=" in a)
    }
    cases, nlu, grades = load(path)
    base_safety, base_policy = SafetyPolicy(), ConfidencePolicy()
    shipped = run(cases, nlu, grades, base_safety, base_policy)
    print(line("as shipped", shipped))
    if "--why" in sys.argv:
        explain(shipped, grades, base_safety, show="--show" in sys.argv)
        return
    if "--policy" in sys.argv:
        grid = asked or {
            "answer_at": (0.4, 0.5, 0.55),
            "margin": (0.05, 0.15),
            "clarify_at": (0.15, 0.25),
            "topic_at": (0.4, 0.5, 0.6),
            "topic_margin": (0.1, 0.3),
        }
    else:
        grid = asked or {
            "strong_clear": (0.05, 0.15),
            "now_clear": (0.3, 0.5),
            "weak_uncertain": (0.05, 0.1, 0.2),
            "drop_at": (0.7, 0.85, 0.95),
            "now_uncertain": (0.3, 0.5),
        }
    for values in itertools.product(*grid.values()):
        change = dict(zip(grid, values, strict=True))
        safety, policy = base_safety, base_policy
        if "--policy" in sys.argv:
            policy = replace(base_policy, **change)
        else:
            safety = replace(base_safety, **change)
        name = " ".join(f"{k}={v}" for k, v in change.items())
        print(line(name, run(cases, nlu, grades, safety, policy)), flush=True)


if __name__ == "__main__":
    main()
