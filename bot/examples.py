"""Adding a training example written by staff (from a reviewed question) to nlu/data/.

The example goes under its intent's `writer: staff` block (nlu/WRITERS.md), in the topic file
that already holds the intent; the block is started at the end of that file when there is none
yet. Only the lines of that block change: the other writers' blocks, the comments and the
layout stay as they are. The change is checked with `python -m bot check`'s own reading of the
training data before it is written.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from bot.check import read_nlu, run_check
from bot.content.schema import Problem
from bot.content.writing import Change, EditError

STAFF = "staff"
PLACEHOLDERS = re.compile(
    r"\[(?:word|name|number|email|username|link|postcode|address|date|school)\]"
)


def intents(nlu_data: Path) -> dict[str, Path]:
    """Every intent, and the file where it is first written."""
    data = read_nlu(sorted(nlu_data.glob("*.yml")), [])
    return {intent: path for intent, (path, _) in sorted(data.where.items())}


def clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise EditError("the example is empty; type the question as a young person would ask it")
    if PLACEHOLDERS.search(text):
        raise EditError(
            "the example still has a gap like [word] or [name] in it: replace it with an "
            "ordinary word (or take it out) so that the model learns from real words"
        )
    if text.startswith("/"):
        raise EditError("an example cannot start with '/' (Rasa reads that as a command)")
    if len(text) > 300:
        raise EditError("the example is over 300 characters; keep the part that is the question")
    return text


def add_example(root: Path, intent: str, text: str) -> Change:
    """The change that adds `text` as a staff example of `intent` (not yet written)."""
    nlu_data = root / "nlu" / "data"
    where = intents(nlu_data)
    if intent not in where:
        raise EditError(f"there is no intent called '{intent}' in nlu/data/")
    text = clean(text)
    path = where[intent]
    before = path.read_text(encoding="utf-8")
    lines = before.split("\n")
    line = f"    - {text}"
    block = _staff_block(lines, intent)
    if block is None:
        tail = "" if before.endswith("\n") else "\n"
        after = (
            before
            + tail
            + f"- intent: {intent}\n  metadata:\n    writer: {STAFF}\n  examples: |\n{line}\n"
        )
    else:
        lines.insert(block, line)
        after = "\n".join(lines)
    relative = str(path.resolve().relative_to(root.resolve()))
    return Change(relative, before, after)


def _staff_block(lines: list[str], intent: str) -> int | None:
    """The index after the last example of `intent`'s staff block, or None."""
    for index, line in enumerate(lines):
        if line.strip() != f"- intent: {intent}":
            continue
        end = index + 1
        while end < len(lines) and not lines[end].startswith("- "):
            end += 1
        block = lines[index:end]
        if not any(re.fullmatch(rf"\s+writer:\s*{STAFF}\s*", b) for b in block):
            continue
        last = max(i for i, b in enumerate(block) if b.strip().startswith("- ") or "examples:" in b)
        return index + last + 1
    return None


def check(root: Path, change: Change) -> list[Problem]:
    """The errors `python -m bot check` would give with the change made (on a copy)."""
    with tempfile.TemporaryDirectory(prefix="console-nlu-") as work:
        copy = Path(work)
        shutil.copytree(root / "nlu", copy / "nlu")
        (copy / change.path).write_text(change.after, encoding="utf-8")
        problems = run_check(copy, root / "content")
        return [
            Problem(root / p.path.resolve().relative_to(copy.resolve()), p.line, p.message)
            if p.path.resolve().is_relative_to(copy.resolve())
            else p
            for p in problems
            if p.level == "error"
        ]
