"""`python -m bot evaluate`: how well the bot understands, measured on messages it never saw.

First and most important, the "generalisation" table (`bot.generalisation`): the whole engine
on writers the models never saw, by leaving each training writer out in turn and on the blind
writers. Then the per-intent details: Rasa's own evaluation (`rasa test nlu`'s functions) gives
precision, recall and F1 per intent, the confusion matrix and the confidence histogram as PNGs,
and the misclassified messages, on the first round's held-out set; on top of that come the same
by topic, the whole engine on that set and on the first round's safety set, off-topic handling,
and optionally Rasa's cross-validation on the training data. Everything is written to
`reports/`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot import generalisation
from bot.content import ContentStore
from bot.engine import Engine, User
from bot.nlu import RasaParser, train_both

log = logging.getLogger(__name__)
TOPICS = ("consequences", "support", "reporting", "emergency", "crisis", "smalltalk", "fallback")


@dataclass
class Summary:
    """The figures printed at the end and written to reports/summary.json."""

    figures: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, value: Any) -> None:
        self.figures[name] = value
        shown = f"{value:.3f}" if isinstance(value, float) else value
        print(f"  {name}: {shown}", flush=True)


def held_out_rows(path: Path) -> list[tuple[str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        (item["intent"], line.strip()[2:])
        for item in data["nlu"]
        for line in str(item["examples"]).splitlines()
        if line.strip().startswith("- ")
    ]


def topic_report(pairs: list[tuple[str, str]], out: Path, title: str) -> dict[str, Any]:
    """Precision, recall and F1 by topic from (expected, got) pairs, and a confusion PNG."""
    from sklearn.metrics import classification_report, confusion_matrix

    expected = [e for e, _ in pairs]
    got = [g for _, g in pairs]
    labels = [t for t in TOPICS if t in expected or t in got]
    report: dict[str, Any] = classification_report(
        expected, got, labels=labels, output_dict=True, zero_division=0
    )
    matrix = confusion_matrix(expected, got, labels=labels)
    _plot_matrix(matrix.tolist(), labels, out.with_suffix(".png"), title)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2))
    return report


def _plot_matrix(matrix: list[list[int]], labels: list[str], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 7))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)))
    ax.set_yticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=45, ha="right")
    ax.set_yticklabels(labels)
    ax.set_xlabel("answered as")
    ax.set_ylabel("should be")
    ax.set_title(title)
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            if count:
                ax.text(j, i, str(count), ha="center", va="center", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_confidences(
    right: list[float], wrong: list[float], out_of_scope: list[float], path: Path
) -> None:
    """Where the model is sure and where it is not: the thresholds come from this picture."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5))
    bins = [i / 20 for i in range(21)]
    ax.hist(
        [right, wrong, out_of_scope],
        bins=bins,
        label=["top intent right", "top intent wrong", "off-topic and noise"],
        color=["#2a9d8f", "#e76f51", "#8d99ae"],
    )
    ax.set_xlabel("confidence of the top intent")
    ax.set_ylabel("held-out messages")
    ax.set_title("Confidence on held-out messages")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


async def _engine_figures(
    engine: Engine, rows: list[tuple[str, str]], topics: dict[str, str], safety: dict[str, Any]
) -> dict[str, Any]:
    user = User("evaluate", "evaluate")
    pairs: list[tuple[str, str]] = []
    mistakes: list[dict[str, Any]] = []
    for intent, text in rows:
        reply = await engine.answer(text, user)
        expected = topics[intent]
        got = reply.topic
        # A clarifying question that offers the right answer as a button is not a miss.
        if reply.kind == "clarify" and intent in {b.reply_id for b in reply.buttons}:
            got = expected
        pairs.append((expected, got))
        if got != expected:
            mistakes.append(
                {"text": text, "intent": intent, "reply": reply.reply_id, "kind": reply.kind}
            )
    missed = []
    for topic in ("emergency", "crisis"):
        for text in safety.get(topic, []):
            reply = await engine.answer(text, user)
            if reply.topic != topic:
                missed.append({"text": text, "expected": topic, "reply": reply.reply_id})
    alarms = []
    for text in safety.get("must_not_trigger", []):
        reply = await engine.answer(text, user)
        if reply.topic in ("emergency", "crisis"):
            alarms.append({"text": text, "reply": reply.reply_id})
    return {"pairs": pairs, "mistakes": mistakes, "missed": missed, "alarms": alarms}


def evaluate(
    root: Path,
    config_file: Path,
    reports: Path,
    folds: int = 0,
    model: Path | None = None,
    writers: list[str] | None = None,
) -> dict[str, Any]:
    """Train (unless `model` is given), measure generalisation to new writers, test on the
    held-out sets, optionally cross-validate; write reports.

    `writers`: leave these writers out one at a time (None: every writer; []: none)."""
    from bot.logs import quiet_imports

    reports.mkdir(parents=True, exist_ok=True)
    summary = Summary()
    nlu_data = root / "nlu" / "data"
    test_file = root / "nlu" / "test" / "test_nlu.yml"
    work = Path(tempfile.mkdtemp(prefix="evaluate-"))
    try:
        if model is None:
            print(f"Training on {nlu_data} with {config_file.name}...", flush=True)
            (model, seconds), (_, safety_seconds) = train_both(
                config_file, root / "nlu", work / "nlu.tar.gz", work / "safety.tar.gz"
            )
            summary.add("training seconds", round(seconds, 1))
            summary.add("safety training seconds", round(safety_seconds, 1))
        started = time.perf_counter()
        parser = RasaParser.load(model)
        grader = RasaParser.load(model.with_name("safety.tar.gz"))
        summary.add("model load seconds", round(time.perf_counter() - started, 1))
        store = ContentStore(root / "content")
        project = generalisation.Project(root)
        rows: dict[str, generalisation.Scores] = {}
        if writers != []:
            print("Leaving one writer out at a time (two models trained per writer)...")
            lowo = generalisation.leave_one_writer_out(
                project, config_file, writers, record=reports / "lowo_predictions.jsonl"
            )
            rows["leave-one-writer-out"] = generalisation.pooled(lowo)
            if "first_round" in lowo:
                rows["  without the first round"] = generalisation.pooled(lowo, ["first_round"])
            rows.update({f"  left out {w}": s for w, s in lowo.items()})
        print("Answering the blind writers...", flush=True)
        full = Engine(content=store, parser=parser, grader=grader)
        blind = generalisation.blind(project, full)
        rows["blind writers"] = generalisation.pooled(blind)
        rows.update({f"  blind {w}": s for w, s in blind.items()})
        kept_out = generalisation.unused(project, full)
        if kept_out:
            # not blind for the medical rules, which were written from their misses
            rows["unused writers (nlu/unused)"] = generalisation.pooled(kept_out)
            rows.update({f"  unused {w}": s for w, s in kept_out.items()})
        old_safety = generalisation.old_safety_cases(root)
        rows["first round's safety set"] = asyncio.run(generalisation.score(full, old_safety))
        generalisation.write_report(rows, reports)
        print("\nGeneralisation (the whole engine, on writers the models never saw):")
        print(generalisation.table(rows), flush=True)
        print()

        print("Testing on the held-out set with Rasa's evaluation...", flush=True)
        with quiet_imports():
            from rasa.nlu.test import run_evaluation

            result = asyncio.run(
                run_evaluation(
                    str(test_file),
                    parser._agent.processor,
                    output_directory=str(reports / "held_out"),
                    successes=True,
                    errors=True,
                    report_as_dict=True,
                )
            )
        intent_report = (result.get("intent_evaluation") or {}).get("report") or {}
        summary.add("intent accuracy (model)", float(intent_report.get("accuracy", 0.0)))
        summary.add(
            "intent macro F1 (model)", float(intent_report.get("macro avg", {}).get("f1-score", 0))
        )

        topics = {r.id: r.topic for r in store.current().replies.values()}
        held_out = held_out_rows(test_file)
        predictions = [parser.parse_now(text) for _, text in held_out]
        right: list[float] = []
        wrong: list[float] = []
        off_topic: list[float] = []
        model_pairs = []
        for (intent, _), parse in zip(held_out, predictions, strict=True):
            top = parse.top
            name = top.name if top else "out_of_scope"
            confidence = top.confidence if top else 0.0
            model_pairs.append((topics[intent], topics.get(name, "fallback")))
            if intent == "out_of_scope":
                off_topic.append(confidence)
            elif name == intent:
                right.append(confidence)
            else:
                wrong.append(confidence)
        plot_confidences(right, wrong, off_topic, reports / "confidence_histogram.png")
        model_topics = topic_report(
            model_pairs, reports / "topic_report_model", "Topics: the model alone"
        )
        summary.add("topic accuracy (model)", float(model_topics["accuracy"]))

        safety = yaml.safe_load((root / "nlu" / "test" / "safety.yml").read_text(encoding="utf-8"))
        figures = asyncio.run(_engine_figures(full, held_out, topics, safety))
        engine_topics = topic_report(
            figures["pairs"], reports / "topic_report_engine", "Topics: the whole engine"
        )
        summary.add("topic accuracy (engine)", float(engine_topics["accuracy"]))
        for topic in TOPICS:
            if topic in engine_topics:
                summary.add(f"  {topic} F1 (engine)", float(engine_topics[topic]["f1-score"]))
        total_urgent = len(safety.get("emergency", [])) + len(safety.get("crisis", []))
        summary.add(
            "safety set recall", (total_urgent - len(figures["missed"])) / max(total_urgent, 1)
        )
        summary.add("safety set false alarms", len(figures["alarms"]))
        oos_rows = [i for i, (intent, _) in enumerate(held_out) if intent == "out_of_scope"]
        oos_ok = sum(1 for i in oos_rows if figures["pairs"][i][1] == "fallback")
        summary.add("off-topic and noise to fallback", oos_ok / max(len(oos_rows), 1))
        (reports / "misclassified.json").write_text(
            json.dumps(
                {
                    "engine": figures["mistakes"],
                    "safety_missed": figures["missed"],
                    "safety_false_alarms": figures["alarms"],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        speed_started = time.perf_counter()
        for _, text in held_out[:100]:
            parser.parse_now(text)
        summary.add(
            "parse ms per message",
            round((time.perf_counter() - speed_started) * 1000 / min(len(held_out), 100), 2),
        )

        if folds >= 2:
            print(f"Cross-validating on the training data ({folds} folds)...", flush=True)
            started = time.perf_counter()
            with quiet_imports():
                from rasa.nlu.test import cross_validate
                from rasa.shared.importers.importer import TrainingDataImporter

                data = TrainingDataImporter.load_from_dict(
                    training_data_paths=[str(nlu_data)]
                ).get_nlu_data()
                intent_cv, _, _ = asyncio.run(
                    cross_validate(
                        data,
                        folds,
                        str(config_file),
                        output=str(reports / "cross_validation"),
                        errors=True,
                        successes=True,
                        report_as_dict=True,
                    )
                )
            test_acc = intent_cv.test.get("Accuracy") or [0.0]
            summary.add("cross-validation intent accuracy", float(sum(test_acc) / len(test_acc)))
            summary.add("cross-validation seconds", round(time.perf_counter() - started, 1))
            sweep = threshold_sweep(reports / "cross_validation")
            (reports / "thresholds.json").write_text(json.dumps(sweep, indent=2))
            print("  thresholds on cross-validation predictions (answer_at, clarify_at):")
            for row in sweep:
                print(
                    f"    {row['answer_at']:.2f} {row['clarify_at']:.2f}  answered right "
                    f"{row['answered_right']:.3f}  answered wrong {row['answered_wrong']:.3f}  "
                    f"asked {row['clarified']:.3f}  fell back {row['fell_back']:.3f}"
                )
        (reports / "summary.json").write_text(json.dumps(summary.figures, indent=2))
        _write_counts(reports, held_out, topics)
        return summary.figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def threshold_sweep(folder: Path) -> list[dict[str, float]]:
    """How often the bot would answer right, answer wrong, ask, or give up, for each pair of
    thresholds, on the cross-validation predictions (never on the held-out set)."""
    predictions = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = folder / name
        if path.exists():
            for item in json.loads(path.read_text()):
                guess = item.get("intent_prediction") or {}
                predictions.append(
                    (item["intent"], guess.get("name"), float(guess.get("confidence") or 0.0))
                )
    rows = []
    total = max(len(predictions), 1)
    for answer_at in (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
        for clarify_at in (0.2, 0.25, 0.3, 0.35):
            right = wrong = asked = gave_up = 0
            for expected, got, confidence in predictions:
                if got == "out_of_scope" or confidence < clarify_at:
                    if expected == "out_of_scope":
                        right += 1
                    else:
                        gave_up += 1
                elif confidence >= answer_at:
                    right += got == expected
                    wrong += got != expected
                else:
                    asked += 1
            rows.append(
                {
                    "answer_at": answer_at,
                    "clarify_at": clarify_at,
                    "answered_right": right / total,
                    "answered_wrong": wrong / total,
                    "clarified": asked / total,
                    "fell_back": gave_up / total,
                }
            )
    return rows


def _write_counts(reports: Path, rows: list[tuple[str, str]], topics: dict[str, str]) -> None:
    counts = Counter(topics[intent] for intent, _ in rows)
    (reports / "held_out_counts.json").write_text(json.dumps(dict(counts), indent=2))
