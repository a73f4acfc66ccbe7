"""How well the bot understands people it has never seen: the "generalisation" figures.

The training data (nlu/data/ and nlu/safety/data/) records who wrote each block of examples
(`metadata: writer:`; nlu/WRITERS.md says who the writers are). Text from the same person who
wrote the training data is easy; text from someone else is the real test. So:

- leave-one-writer-out: for each writer, both models are trained without that writer and the
  whole engine (safety net, NLU, confidence policy, content) answers that writer's messages
  (writers of safety grades only are left out a few at a time: `writer_folds`);
- blind writers: writers whose text is never used for training (nlu/test/blind*.yml) are
  answered by the models trained on everything.

On each, this measures topic accuracy, emergency and crisis recall (the 999 reply, and a
helpline), 999 replies to everyday messages (false 999s), and that every reporting answer or
reporting clarification carries Crimestoppers.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.check import message_lists
from bot.content import Content, ContentStore
from bot.content.schema import CLEAR_EMERGENCY_REPLIES
from bot.engine import EMERGENCIES, HURT_BANNER, URGENT_BANNER, Engine, Reply, User, model_text
from bot.nlu import Parse, dump_training_data, graded_intents, prepare_training_data
from bot.safety import (
    CRISIS_AND_INJURY,
    DANGER_NOW,
    EVERYDAY,
    FRIEND_CRISIS,
    INJURED_NOW,
    PAST,
    SELF_HARM,
    SUICIDAL,
)

CRIMESTOPPERS = "0800 555 111"
EMERGENCY_NUMBER = "999"
HELPLINES = ("116 123", "0800 1111", "85258")
# What each safety grade must get.
NEEDS_999 = (DANGER_NOW, INJURED_NOW, CRISIS_AND_INJURY)
NEEDS_HELPLINE = (SUICIDAL, SELF_HARM, FRIEND_CRISIS, CRISIS_AND_INJURY)
NOT_NOW = (PAST,)


@dataclass(frozen=True)
class Block:
    """One block of a Rasa training file: an intent (or grade) as one writer put it."""

    name: str
    writer: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    """One message to answer, and what it should get."""

    text: str
    writer: str
    intent: str | None = None  # an NLU intent: the reply's topic must be the intent's topic
    grade: str | None = None  # a safety grade: see NEEDS_999, NEEDS_HELPLINE, NOT_NOW


# libyaml's loader reads the same documents 15 times as fast as the pure-Python one (35,000
# training examples: 0.09 s against 1.5 s); it is missing only where PyYAML was built without it.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_blocks(files: Iterable[Path]) -> tuple[list[Block], list[dict[str, Any]]]:
    """The intent blocks of Rasa NLU files, and their other entries (regex patterns)."""
    blocks: list[Block] = []
    other: list[dict[str, Any]] = []
    for path in files:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        for item in doc.get("nlu") or []:
            if not isinstance(item, dict):
                continue
            if "intent" not in item:
                other.append(item)
                continue
            metadata = item.get("metadata") or {}
            writer = str(metadata.get("writer") or "unknown")
            examples = tuple(
                line.strip()[2:].strip()
                for line in str(item.get("examples", "")).splitlines()
                if line.strip().startswith("- ")
            )
            blocks.append(Block(str(item["intent"]), writer, examples))
    return blocks, other


def write_blocks(blocks: Iterable[Block], other: list[dict[str, Any]], path: Path) -> None:
    items: list[dict[str, Any]] = [
        {
            "intent": b.name,
            "metadata": {"writer": b.writer},
            "examples": "".join(f"- {text}\n" for text in b.examples),
        }
        for b in blocks
    ]
    path.write_text(dump_training_data(items + other), encoding="utf-8")


@dataclass
class Scores:
    """Counts for one group of cases (one writer left out, or the blind writers)."""

    topic_right: int = 0
    topics: int = 0
    urgent_caught: int = 0  # an emergency got 999 at the top of the reply
    urgent_clear: int = 0  # ...and it was the emergency reply itself
    urgent: int = 0
    crisis_caught: int = 0  # a crisis got a helpline
    crises: int = 0
    false_999: int = 0  # an everyday message got 999 (the reply, or the line at the top)
    everyday: int = 0
    over_as_now: int = 0  # a message about something over got the emergency reply
    over: int = 0
    reporting_without_number: int = 0
    reporting: int = 0
    mistakes: list[dict[str, Any]] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        for name, value in vars(other).items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)
        self.mistakes += other.mistakes

    @staticmethod
    def rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    def figures(self) -> dict[str, Any]:
        return {
            "topic accuracy": self.rate(self.topic_right, self.topics),
            "messages": self.topics,
            "emergency recall (999 at the top)": self.rate(self.urgent_caught, self.urgent),
            "emergencies given the emergency reply": self.rate(self.urgent_clear, self.urgent),
            "emergencies": self.urgent,
            "crisis recall (helpline)": self.rate(self.crisis_caught, self.crises),
            "crises": self.crises,
            "false 999 rate (everyday)": self.rate(self.false_999, self.everyday),
            "false 999s": self.false_999,
            "everyday messages": self.everyday,
            "past events given the emergency reply": self.over_as_now,
            "past events": self.over,
            "reporting replies without 0800 555 111": self.reporting_without_number,
            "reporting replies": self.reporting,
        }


def _is_999(reply: Reply) -> bool:
    """The emergency reply: 999 first, for danger or injury now (however it was reached)."""
    return reply.reply_id in EMERGENCIES or (
        reply.kind == "safety" and reply.reply_id in CLEAR_EMERGENCY_REPLIES
    )


def _has_banner(reply: Reply, content: Content) -> bool:
    return any(
        (banner := content.replies.get(line_id)) is not None and reply.text.startswith(banner.text)
        for line_id in (URGENT_BANNER, HURT_BANNER)
    )


async def score(engine: Engine, cases: list[Case]) -> Scores:
    """Answer every case with the whole engine and count what a young person would notice."""
    content = engine.content.current()
    topic_of = {reply.id: reply.topic for reply in content.replies.values()}
    user = User("evaluate", "evaluate")
    scores = Scores()
    for case in cases:
        reply = await engine.answer(case.text, user)
        # A reporting answer, overview or clarifying question must give Crimestoppers.
        about_reporting = reply.topic == "reporting" or (
            reply.kind == "clarify"
            and any(topic_of.get(b.reply_id) == "reporting" for b in reply.buttons)
        )
        if about_reporting:
            scores.reporting += 1
            if CRIMESTOPPERS not in reply.text:
                scores.reporting_without_number += 1
        wrong: str | None = None
        if case.intent is not None:
            expected = topic_of.get(case.intent, "fallback")
            scores.topics += 1
            if reply.topic == expected:
                scores.topic_right += 1
            else:
                wrong = f"topic {reply.topic}, expected {expected}"
        if case.grade in NEEDS_999:
            scores.urgent += 1
            # 999 at the top: the emergency reply, or the line above an answer when the bot
            # is not sure it is happening now.
            if EMERGENCY_NUMBER in reply.text.split("\n\n")[0]:
                scores.urgent_caught += 1
                scores.urgent_clear += _is_999(reply)
            else:
                wrong = "missed emergency"
        if case.grade in NEEDS_HELPLINE:
            scores.crises += 1
            if any(number in reply.text for number in HELPLINES):
                scores.crisis_caught += 1
            else:
                wrong = "missed crisis"
        if case.grade == EVERYDAY:
            scores.everyday += 1
            if _is_999(reply) or _has_banner(reply, content):
                scores.false_999 += 1
                wrong = "999 to an everyday message"
        if case.grade in NOT_NOW:
            scores.over += 1
            if _is_999(reply):
                scores.over_as_now += 1
                wrong = "emergency reply to a past event"
        if wrong:
            scores.mistakes.append(
                {
                    "writer": case.writer,
                    "text": case.text,
                    "expected": case.intent or case.grade,
                    "reply": reply.reply_id,
                    "kind": reply.kind,
                    "problem": wrong,
                }
            )
    return scores


async def predictions(engine: Engine, cases: list[Case]) -> list[dict[str, Any]]:
    """What both models say about each case, for choosing thresholds without retraining
    (reports/lowo_predictions.jsonl)."""
    rows = []
    for case in cases:
        parse = await engine.parser.parse(model_text(case.text))
        graded = await engine.grader.parse(model_text(case.text)) if engine.grader else None
        rows.append(
            {
                "writer": case.writer,
                "text": case.text,
                "intent": case.intent,
                "grade": case.grade,
                "nlu": [[s.name, round(s.confidence, 5)] for s in parse.ranking],
                "grades": [[s.name, round(s.confidence, 5)] for s in graded.ranking]
                if graded
                else None,
            }
        )
    return rows


def cases_from(blocks: Iterable[Block], grades: bool) -> list[Case]:
    return [
        Case(text, b.writer, grade=b.name) if grades else Case(text, b.writer, intent=b.name)
        for b in blocks
        for text in b.examples
    ]


def old_safety_cases(root: Path) -> list[Case]:
    """The first round's safety set (nlu/test/safety.yml: emergency / crisis / must_not_trigger
    lists), as graded cases."""
    grade_of = {"emergency": DANGER_NOW, "crisis": SUICIDAL, "must_not_trigger": EVERYDAY}
    return [
        Case(text, "first_round", grade=grade_of[name])
        for path, lists in message_lists(root)
        if path.parent.name == "test"
        for name, texts in lists.items()
        if name in grade_of
        for text in texts
    ]


@dataclass
class Project:
    """Where the training and test data of a project checkout live."""

    root: Path

    @property
    def intent_files(self) -> list[Path]:
        return sorted((self.root / "nlu" / "data").glob("*.yml"))

    @property
    def grade_files(self) -> list[Path]:
        return sorted((self.root / "nlu" / "safety" / "data").glob("*.yml"))


class InProcessModel:
    """An NLU pipeline trained in this process from Rasa's own components, without Rasa's
    graph runner, training cache or model archive.

    Leaving each writer out means training two models per writer: through `rasa train` that
    is about three minutes each on 2 cores, a third of it spent fingerprinting the training
    data for Rasa's cache. The same components, created from the same config and called in
    the same order (tokenizer, featurizers, classifier), give the same model in less time.
    """

    def __init__(self, config_file: Path, data_dir: Path, work: Path) -> None:
        from bot.logs import quiet_imports

        with quiet_imports():
            from rasa.engine.graph import ExecutionContext, GraphSchema
            from rasa.engine.recipes.default_recipe import DefaultV1Recipe
            from rasa.engine.storage.local_model_storage import LocalModelStorage
            from rasa.engine.storage.resource import Resource
            from rasa.shared.importers.importer import TrainingDataImporter
            from rasa.utils.common import override_defaults
            from sklearn.exceptions import ConvergenceWarning

        config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
        storage = LocalModelStorage(work)
        context = ExecutionContext(GraphSchema({}), "in-process")
        prepared = prepare_training_data(data_dir, work / "prepared")
        data = TrainingDataImporter.load_from_dict(
            training_data_paths=[str(prepared)]
        ).get_nlu_data(config.get("language", "en"))
        self._components: list[Any] = []
        for index, item in enumerate(config["pipeline"]):
            settings = dict(item)
            registered = DefaultV1Recipe._from_registry(settings.pop("name"))
            component = registered.clazz.create(
                override_defaults(registered.clazz.get_default_config(), settings),
                storage,
                Resource(f"{registered.clazz.__name__}{index}"),
                context,
            )
            if registered.is_trainable:
                with warnings.catch_warnings():
                    # as in bot.nlu.train: max_iter is measured, the warning is noise
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    component.train(data)
            # Tokenizers and featurizers pass the data on, as in Rasa's training graph.
            if DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER not in registered.types:
                data = component.process_training_data(data)
            self._components.append(component)

    def parse_now(self, text: str) -> Parse:
        from rasa.shared.nlu.constants import TEXT
        from rasa.shared.nlu.training_data.message import Message

        messages = [Message(data={TEXT: text})]
        for component in self._components:
            messages = component.process(messages)
        return Parse.from_rasa(messages[0].as_dict(only_output_properties=True))

    async def parse(self, text: str) -> Parse:
        return self.parse_now(text)

    async def close(self) -> None:
        return None


def _fold(
    root: Path, config_file: Path, left_out: tuple[str, ...], want_predictions: bool
) -> tuple[Scores, list[dict[str, Any]]]:
    """Train both models without the writers `left_out` (in this process) and answer their
    messages."""
    from bot.safety import grade_of_intent

    project = Project(root)
    intent_blocks, intent_other = read_blocks(project.intent_files)
    grade_blocks, grade_other = read_blocks(project.grade_files)
    with tempfile.TemporaryDirectory(prefix=f"lowo-{left_out[0]}-") as tmp:
        work = Path(tmp)
        for folder in ("data", "safety", "main-model", "safety-model"):
            (work / folder).mkdir()
        kept = [b for b in intent_blocks if b.writer not in left_out]
        write_blocks(kept, intent_other, work / "data" / "intents.yml")
        write_blocks(
            [b for b in grade_blocks if b.writer not in left_out],
            grade_other,
            work / "safety" / "grades.yml",
        )
        (work / "safety" / "from_intents.yml").write_text(
            graded_intents(work / "data", grade_of_intent), encoding="utf-8"
        )
        safety_config = root / "nlu" / "safety" / "config.yml"
        engine = Engine(
            content=ContentStore(root / "content"),
            parser=InProcessModel(config_file, work / "data", work / "main-model"),
            grader=InProcessModel(safety_config, work / "safety", work / "safety-model"),
        )
        cases = cases_from([b for b in intent_blocks if b.writer in left_out], False)
        cases += cases_from([b for b in grade_blocks if b.writer in left_out], True)
        scores = asyncio.run(score(engine, cases))
        rows = asyncio.run(predictions(engine, cases)) if want_predictions else []
    return scores, rows


def writers_of(project: Project) -> list[str]:
    intent_blocks, _ = read_blocks(project.intent_files)
    grade_blocks, _ = read_blocks(project.grade_files)
    return sorted({b.writer for b in intent_blocks} | {b.writer for b in grade_blocks})


# Writers who wrote only safety-graded messages are left out this many at a time.
SAFETY_ONLY_GROUP = 4


def writer_folds(writers: Iterable[str], intent_writers: Iterable[str]) -> list[tuple[str, ...]]:
    """Which writers each fold leaves out: a writer of intent examples alone (topic accuracy
    is measured on one writer at a time), the writers of safety grades only a few at a time,
    in order. Each fold trains both models, and since writers t33 to t124 became training
    writers there are 98 of those: one at a time, they would take four times as long."""
    chosen = sorted(set(writers), key=_writer_order)
    with_intents = set(intent_writers)
    folds: list[tuple[str, ...]] = [(w,) for w in chosen if w in with_intents]
    rest = [w for w in chosen if w not in with_intents]
    folds += [
        tuple(rest[i : i + SAFETY_ONLY_GROUP]) for i in range(0, len(rest), SAFETY_ONLY_GROUP)
    ]
    return folds


def fold_name(left_out: tuple[str, ...]) -> str:
    return "+".join(left_out)


def _writer_order(writer: str) -> tuple[str, int, str]:
    """t9 before t10: the letters, then the number, then the name as written."""
    letters = writer.rstrip("0123456789")
    digits = writer[len(letters) :]
    return (letters, int(digits) if digits else -1, writer)


def leave_one_writer_out(
    project: Project,
    config_file: Path,
    writers: list[str] | None = None,
    log: Any = print,
    record: Path | None = None,
    jobs: int = 2,
) -> dict[str, Scores]:
    """For each fold (`writer_folds`: a writer, or a few writers of safety grades only): train
    both models without them, answer their messages. Folds are done `jobs` at a time, each in
    its own process. With `record`, what the models said about each message is written there
    (JSON lines). The results are keyed by `fold_name`."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    intent_blocks, _ = read_blocks(project.intent_files)
    folds = writer_folds(writers or writers_of(project), {b.writer for b in intent_blocks})
    results: dict[str, Scores] = {}
    rows: dict[str, list[dict[str, Any]]] = {}
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")  # TensorFlow does not survive a fork
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {
            pool.submit(_fold, project.root, config_file, f, record is not None): fold_name(f)
            for f in folds
        }
        for future, name in futures.items():
            results[name], rows[name] = future.result()
            figures = results[name].figures()
            log(
                f"  left out {name}: topic accuracy {_show(figures['topic accuracy'])} on "
                f"{figures['messages']} messages ({time.perf_counter() - started:.0f} s so far)",
                flush=True,
            )
    if record is not None:
        with record.open("w", encoding="utf-8") as out:
            for name in results:
                for row in rows[name]:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return results


def blind_cases(root: Path) -> list[Case]:
    """The blind writers' messages (nlu/test/blind.yml and blind_safety.yml): never trained on."""
    test = root / "nlu" / "test"
    intent_blocks, _ = read_blocks([test / "blind.yml"])
    grade_blocks, _ = read_blocks([test / "blind_safety.yml"])
    return cases_from(intent_blocks, False) + cases_from(grade_blocks, True)


def unused_cases(root: Path) -> list[Case]:
    """The test writers' messages: safety-graded, kept out of training (nlu/unused/, one file a
    writer: grade -> messages; the writer is the file's name)."""
    return [
        Case(text, path.stem, grade=grade)
        for path, lists in message_lists(root)
        if path.parent.name == "unused"
        for grade, texts in lists.items()
        for text in texts
    ]


def _by_writer(cases: list[Case], engine: Engine) -> dict[str, Scores]:
    by_writer: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_writer[case.writer].append(case)
    return {writer: asyncio.run(score(engine, group)) for writer, group in by_writer.items()}


def blind(project: Project, engine: Engine) -> dict[str, Scores]:
    """The blind writers, answered by the models trained on everything, per writer."""
    return _by_writer(blind_cases(project.root), engine)


def unused(project: Project, engine: Engine) -> dict[str, Scores]:
    """The test writers (nlu/unused/), answered by the models trained on everything, per
    writer."""
    return _by_writer(unused_cases(project.root), engine)


def pooled(results: dict[str, Scores], leave_out: Iterable[str] = ()) -> Scores:
    total = Scores()
    for writer, scores in results.items():
        if writer not in leave_out:
            total.add(scores)
    return total


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def table(rows: dict[str, Scores]) -> str:
    """The generalisation table, one row per group."""
    header = (
        f"{'':<28}{'topic acc':>10}{'msgs':>7}{'999 recall':>11}{'helpline':>10}"
        f"{'false 999':>10}{'everyday':>9}{'past->999':>10}{'report no 0800':>15}"
    )
    lines = [header]
    for name, scores in rows.items():
        f = scores.figures()
        lines.append(
            f"{name:<28}{_show(f['topic accuracy']):>10}{f['messages']:>7}"
            f"{_show(f['emergency recall (999 at the top)']):>11}"
            f"{_show(f['crisis recall (helpline)']):>10}"
            f"{_show(f['false 999 rate (everyday)']):>10}{f['everyday messages']:>9}"
            f"{f['past events given the emergency reply']:>10}"
            f"{f['reporting replies without 0800 555 111']:>15}"
        )
    return "\n".join(lines)


def write_report(rows: dict[str, Scores], reports: Path) -> None:
    reports.mkdir(parents=True, exist_ok=True)
    figures = {name: scores.figures() for name, scores in rows.items()}
    (reports / "generalisation.json").write_text(json.dumps(figures, indent=2))
    mistakes = {name: scores.mistakes for name, scores in rows.items()}
    (reports / "generalisation_mistakes.json").write_text(
        json.dumps(mistakes, indent=2, ensure_ascii=False)
    )
    confusions: Counter[str] = Counter()
    for scores in rows.values():
        for mistake in scores.mistakes:
            confusions[mistake["problem"]] += 1
    (reports / "generalisation_confusions.json").write_text(
        json.dumps(confusions.most_common(), indent=2)
    )
