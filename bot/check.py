"""`python -m bot check`: everything staff can break, checked before it reaches anyone.

The content checks live with the content (`bot.content`); this adds what needs the NLU
training data too: every intent has a reply, every reply can be reached, the training files
are well formed, and warnings for replies that are long or hard to read for a 12-year-old.
"""

from __future__ import annotations

import difflib
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.content import SYSTEM_REPLIES, Content, Problem, load_content
from bot.safety import GRADES
from bot.yamlfile import YamlList, YamlMap, read_yaml

LONG_REPLY = 700
LEAST_EXAMPLES = 15
# Flesch-Kincaid grade 7 is roughly the reading level of a 12-year-old (UK Year 8).
HARDEST_GRADE = 7.0


@dataclass
class NluData:
    """Training examples by intent, with where each intent is first written and who wrote
    each example (the `writer:` under `metadata:`; "unknown" when a block has none)."""

    examples: dict[str, list[str]] = field(default_factory=dict)
    where: dict[str, tuple[Path, int]] = field(default_factory=dict)
    writers: dict[str, list[str]] = field(default_factory=dict)


def writer_of(entry: YamlMap) -> str:
    metadata = entry.get("metadata")
    writer = metadata.get("writer") if isinstance(metadata, dict) else None
    return str(writer) if writer else "unknown"


def read_nlu(files: list[Path], problems: list[Problem]) -> NluData:
    """Read Rasa NLU YAML files, reporting anything Rasa would choke on.

    An intent may be written in several blocks, one per writer (`metadata: writer: ...`), so
    that each example keeps who wrote it; two blocks of one intent by the same writer are a
    mistake."""
    data = NluData()
    seen: dict[str, tuple[str, Path, int]] = {}
    blocks: dict[tuple[str, str], tuple[Path, int]] = {}
    for path in files:
        doc, problem = read_yaml(path)
        if problem:
            problems.append(Problem(path, problem.line, problem.message, unreadable=True))
            continue
        if not isinstance(doc, YamlMap) or not isinstance(doc.get("nlu"), YamlList):
            problems.append(
                Problem(path, 1, 'a training file needs version: "3.1" and an nlu: list')
            )
            continue
        block: YamlList = doc["nlu"]
        for entry, line in zip(block, block.item_lines, strict=True):
            if isinstance(entry, YamlMap) and "regex" in entry:
                continue  # patterns for Rasa's RegexFeaturizer (numbers like 999 and 101)
            if not isinstance(entry, YamlMap) or "intent" not in entry:
                problems.append(Problem(path, line, "each item must start with '- intent:'"))
                continue
            intent = entry["intent"]
            raw = entry.get("examples")
            if not isinstance(intent, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", intent):
                problems.append(
                    Problem(path, line, f"the intent name {intent!r} may only use a-z, 0-9 and _")
                )
                continue
            writer = writer_of(entry)
            if (intent, writer) in blocks:
                first, first_line = blocks[(intent, writer)]
                by = f" by writer '{writer}'" if writer != "unknown" else ""
                problems.append(
                    Problem(
                        path,
                        line,
                        f"the intent '{intent}'{by} is already written at "
                        f"{first.name}:{first_line}; put these examples in that block",
                    )
                )
                continue
            if not isinstance(raw, str):
                problems.append(
                    Problem(
                        path,
                        entry.line_of("examples"),
                        "examples: | must be followed by lines starting with '- '",
                    )
                )
                continue
            blocks[(intent, writer)] = (path, line)
            data.where.setdefault(intent, (path, line))
            examples = data.examples.setdefault(intent, [])
            writers = data.writers.setdefault(intent, [])
            for offset, text_line in enumerate(raw.splitlines()):
                where = entry.value_lines.get("examples", line) + offset
                stripped = text_line.strip()
                if not stripped:
                    continue
                if not stripped.startswith("- "):
                    problems.append(Problem(path, where, "each example line must start with '- '"))
                    continue
                example = stripped[2:].strip()
                if example.startswith("/"):
                    problems.append(
                        Problem(
                            path,
                            where,
                            f"the example {example!r} starts with '/', which "
                            "Rasa reads as a command; remove the '/'",
                        )
                    )
                key = re.sub(r"\s+", " ", example.lower())
                if key in seen and seen[key][0] != intent:
                    other, other_path, other_line = seen[key]
                    problems.append(
                        Problem(
                            path,
                            where,
                            f"the example {example!r} is also under '{other}' at "
                            f"{other_path.name}:{other_line}; one message can only teach one "
                            "intent, so keep it in one place",
                        )
                    )
                seen.setdefault(key, (intent, path, where))
                examples.append(example)
                writers.append(writer)
    return data


def too_few(data: NluData, problems: list[Problem], least: int = LEAST_EXAMPLES) -> None:
    """Intents with too few examples to learn from (content/README.md says 15)."""
    for intent, examples in data.examples.items():
        if len(examples) < least:
            path, line = data.where[intent]
            problems.append(
                Problem(
                    path,
                    line,
                    f"'{intent}' has {len(examples)} examples; the model needs at least {least}, "
                    "written the way different people would ask",
                )
            )


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def _known_grades(grades: NluData, problems: list[Problem]) -> None:
    for grade, (path, line) in grades.where.items():
        if grade not in GRADES:
            close = difflib.get_close_matches(grade, GRADES, n=1)
            problems.append(
                Problem(
                    path,
                    line,
                    f"'{grade}' is not a safety grade"
                    + (f" (did you mean '{close[0]}'?)" if close else "")
                    + f"; the grades are {', '.join(GRADES)}",
                )
            )


def message_lists(root: Path) -> list[tuple[Path, dict[str, list[str]]]]:
    """The held-out files that are lists of messages by grade, not Rasa training data: the
    first round's safety set (nlu/test/safety.yml) and the writers kept out of training
    (nlu/unused/, one file a writer). Each file with its lists (grade -> messages)."""
    found = []
    for path in [root / "nlu" / "test" / "safety.yml", *sorted(root.glob("nlu/unused/*.yml"))]:
        if not path.exists():
            continue
        doc, _ = read_yaml(path)
        if isinstance(doc, dict):
            lists = {
                str(grade): [str(text) for text in texts]
                for grade, texts in doc.items()
                if isinstance(texts, list)
            }
            found.append((path, lists))
    return found


def _held_out_is_new(
    root: Path, data: NluData, grades: NluData, tests: NluData, problems: list[Problem]
) -> None:
    """No test message (nor one kept out of training in nlu/unused/) may also be a training
    example: they measure messages the models have never seen."""
    trained = {
        _key(text)
        for source in (data, grades)
        for texts in source.examples.values()
        for text in texts
    }
    held_out: list[tuple[str, Path]] = [
        (text, tests.where[name][0]) for name, texts in tests.examples.items() for text in texts
    ]
    held_out += [
        (text, path)
        for path, lists in message_lists(root)
        for texts in lists.values()
        for text in texts
    ]
    overlap = sorted({(text, path) for text, path in held_out if _key(text) in trained})
    for text, path in overlap[:10]:
        problems.append(
            Problem(
                path,
                1,
                f"the test message {text!r} is also a training example; held-out messages must "
                "be new to the models, so reword or remove one",
            )
        )


def reachable(content: Content, intents: set[str]) -> set[str]:
    """Replies someone can get to: by asking, by a command, or by buttons from those."""
    start = set(intents) | set(SYSTEM_REPLIES)
    start |= {c.reply for c in content.commands.values() if c.reply}
    seen = {r for r in start if r in content.replies}
    queue = deque(seen)
    while queue:
        for target in content.replies[queue.popleft()].buttons:
            if target in content.replies and target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def readability_grade(text: str) -> float:
    import textstat

    lines = []
    for line in text.splitlines():
        line = re.sub(r"https?://\S+|[•\u2022]", " ", line).strip()
        if not line or line.startswith("/"):  # command lists are not prose
            continue
        # A bullet or a heading is a sentence of its own, even without a full stop.
        lines.append(line if line[-1] in ".!?" else f"{line}.")
    return float(textstat.flesch_kincaid_grade(" ".join(lines))) if lines else 0.0


def run_check(
    root: Path, content_dir: Path | None = None, today: date | None = None
) -> list[Problem]:
    """Every problem in the content (default `root`/content) and the NLU data under `root`."""
    content, problems = load_content(content_dir or root / "content", today)
    nlu_files = sorted((root / "nlu" / "data").glob("*.yml"))
    if not nlu_files:
        problems.append(Problem(root / "nlu" / "data", 1, "there are no training files here"))
    data = read_nlu(nlu_files, problems)
    too_few(data, problems)
    safety_files = sorted((root / "nlu" / "safety" / "data").glob("*.yml"))
    grades = read_nlu(safety_files, problems)
    _known_grades(grades, problems)
    test_files = sorted(p for p in (root / "nlu" / "test").glob("*.yml") if p.name != "safety.yml")
    tests = read_nlu(test_files, problems)
    unreadable = [p for p in problems if p.unreadable]
    if unreadable:
        return unreadable  # the rest would follow from these files; fix them first
    if content is None:
        return problems
    for intent, (path, line) in data.where.items():
        if intent not in content.replies:
            problems.append(
                Problem(
                    path,
                    line,
                    f"the intent '{intent}' has no reply: add a reply with id: {intent} to a "
                    "file in content/replies/ (or rename the intent)",
                )
            )
    for intent, (path, line) in tests.where.items():
        if intent not in data.where and intent not in GRADES:
            problems.append(
                Problem(
                    path,
                    line,
                    f"the test intent '{intent}' is not in nlu/data/; the model cannot learn it",
                )
            )
    _held_out_is_new(root, data, grades, tests, problems)
    for reply_id in sorted(set(content.replies) - reachable(content, set(data.where))):
        reply = content.replies[reply_id]
        problems.append(
            Problem(
                reply.path,
                reply.line,
                f"nothing leads to '{reply_id}': add it to another reply's buttons, or add an "
                f"intent named {reply_id} with examples in nlu/data/",
            )
        )
    for reply in content.replies.values():
        if len(reply.text) > LONG_REPLY:
            problems.append(
                Problem(
                    reply.path,
                    reply.line,
                    f"'{reply.id}' is {len(reply.text)} characters; on a phone, under "
                    f"{LONG_REPLY} is easier to read",
                    "warning",
                )
            )
        grade = readability_grade(reply.text)
        if grade > HARDEST_GRADE:
            problems.append(
                Problem(
                    reply.path,
                    reply.line,
                    f"'{reply.id}' may be hard to read for a 12-year-old (reading grade "
                    f"{grade:.1f}, aim for {HARDEST_GRADE:.0f} or less): use shorter sentences "
                    "and everyday words",
                    "warning",
                )
            )
    return problems
