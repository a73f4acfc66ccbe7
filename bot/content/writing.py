"""Writing the staff console's edits back into the YAML files, keeping comments and layout.

Every edit is worked out first as a `Change` (the whole file before and after), checked with
the same checks as `python -m bot check` on a copy, and only then written, atomically (a new
file renamed over the old one, so the running bot never reads half a file). ruamel.yaml's
round-trip mode keeps the comments, the quotes and the order of everything that was not
edited; a file whose top-level list starts at the left edge ("- id: ...", as staff write
replies) is written the same way.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from bot.content.schema import CONTACT_FIELDS, Problem


class EditError(Exception):
    """An edit that cannot be made as asked; the message says why, in plain words."""


@dataclass(frozen=True)
class Change:
    """One file, before and after an edit (`path` relative to the project folder)."""

    path: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True  # type: ignore[assignment]
    yaml.width = 4096  # type: ignore[assignment]
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load(text: str) -> Any:
    return _yaml().load(text)


def dump(data: Any, like: str) -> str:
    """`data` as YAML laid out like the file `like` it was read from."""
    out = io.StringIO()
    _yaml().dump(data, out)
    text = out.getvalue()
    if isinstance(data, CommentedSeq) and re.search(r"(?m)^- ", like):
        # ruamel indents a top-level list by the same two spaces as a nested one.
        text = "\n".join(line[2:] if line.startswith("  ") else line for line in text.split("\n"))
    return text


def _text_block(text: str) -> LiteralScalarString:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").strip("\n").split("\n")]
    block: LiteralScalarString = LiteralScalarString("\n".join(lines) + "\n")
    return block


def _like(old: Any, new: str) -> Any:
    """`new` quoted the way `old` was (or in double quotes when there was nothing before)."""
    if old is None or isinstance(old, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(new)
    if isinstance(old, str) and type(old) is not str:
        return type(old)(new)
    return new


def _set_list(entry: CommentedMap, key: str, values: list[str]) -> None:
    current = entry.get(key)
    if isinstance(current, CommentedSeq):
        current.clear()
        current.extend(values)
    else:
        entry[key] = CommentedSeq(values)


def words_list(raw: str) -> list[str]:
    """A list typed into a form: one item a line, or items separated by commas."""
    parts = re.split(r"[\n,]", raw)
    return [part.strip() for part in parts if part.strip()]


@dataclass(frozen=True)
class ReplyEdit:
    """What the reply form sends."""

    title: str
    text: str
    buttons: list[str]
    sources: list[str]
    last_reviewed: date


def reply_files(content_dir: Path) -> list[Path]:
    return sorted((content_dir / "replies").glob("*.yml"))


def find_reply(content_dir: Path, reply_id: str) -> Path:
    for path in reply_files(content_dir):
        data = load(path.read_text(encoding="utf-8"))
        if isinstance(data, list) and any(
            isinstance(item, Mapping) and item.get("id") == reply_id for item in data
        ):
            return path
    raise EditError(f"there is no reply with the id '{reply_id}' in content/replies/")


def edit_reply(root: Path, content_dir: Path, reply_id: str, edit: ReplyEdit) -> Change:
    path = find_reply(content_dir, reply_id)
    before = path.read_text(encoding="utf-8")
    data = load(before)
    entry: CommentedMap = next(
        item for item in data if isinstance(item, CommentedMap) and item.get("id") == reply_id
    )
    entry["title"] = _like(entry.get("title"), edit.title.strip())
    entry["text"] = _text_block(edit.text)
    _set_list(entry, "buttons", edit.buttons)
    _set_list(entry, "sources", edit.sources)
    entry["last_reviewed"] = edit.last_reviewed
    return Change(_relative(root, path), before, dump(data, before))


def edit_contact(
    root: Path, content_dir: Path, key: str, values: Mapping[str, str], reviewed: date, new: bool
) -> Change:
    """Change (or, with `new`, add) a contact in contacts.yml; empty fields are removed."""
    path = content_dir / "contacts.yml"
    before = path.read_text(encoding="utf-8")
    data = load(before)
    if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
        raise EditError(
            f"the contact's short name {key!r} may only use lower-case letters, digits and _, "
            "starting with a letter (like local_youth_service)"
        )
    if new and key in data:
        raise EditError(f"there is already a contact called '{key}'; choose another short name")
    if not new and key not in data:
        raise EditError(f"there is no contact called '{key}' in contacts.yml")
    entry = data.get(key) if not new else CommentedMap()
    for name in CONTACT_FIELDS:
        value = values.get(name, "").strip()
        if value:
            entry[name] = _like(entry.get(name), value) if name != "about" else value
        elif name in entry:
            del entry[name]
    if "sources" not in entry:
        entry["sources"] = CommentedSeq()
        entry["sources"].fa.set_flow_style()
    _set_list(entry, "sources", words_list(values.get("sources", "")))
    entry["last_reviewed"] = reviewed
    if new:
        data[key] = entry
    return Change(_relative(root, path), before, dump(data, before))


def edit_area(
    root: Path,
    content_dir: Path,
    key: str,
    name: str,
    also_called: list[str],
    districts: list[str],
    postcode_areas: list[str],
    within: str,
    new: bool,
) -> Change:
    """Change (or add) an area under `areas:` in services.yml."""
    path = content_dir / "services.yml"
    before = path.read_text(encoding="utf-8")
    data = load(before)
    areas = data.get("areas")
    if not isinstance(areas, CommentedMap):
        raise EditError("services.yml has no areas: list; fix the file by hand first")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
        raise EditError(
            f"the area's short name {key!r} may only use lower-case letters, digits and _ "
            "(like hackney)"
        )
    if new and key in areas:
        raise EditError(f"there is already an area called '{key}'; edit that one instead")
    if not new and key not in areas:
        raise EditError(f"there is no area called '{key}' in services.yml")
    entry = areas.get(key) if not new else CommentedMap()
    entry["name"] = name.strip()
    for field_name, values in (
        ("also_called", also_called),
        ("postcode_districts", [d.upper() for d in districts]),
        ("postcode_areas", [a.upper() for a in postcode_areas]),
    ):
        if values:
            _set_list(entry, field_name, values)
            entry[field_name].fa.set_flow_style()
        elif field_name in entry:
            del entry[field_name]
    if within.strip():
        entry["within"] = within.strip()
    elif "within" in entry:
        del entry["within"]
    if new:
        areas[key] = entry
    return Change(_relative(root, path), before, dump(data, before))


def edit_service(
    root: Path,
    content_dir: Path,
    index: int | None,
    contact: str,
    areas: list[str],
    what: str,
) -> Change:
    """Change the service at `index` under `services:` in services.yml, or add one."""
    path = content_dir / "services.yml"
    before = path.read_text(encoding="utf-8")
    data = load(before)
    services = data.get("services")
    if not isinstance(services, CommentedSeq):
        raise EditError("services.yml has no services: list; fix the file by hand first")
    if index is not None and not 0 <= index < len(services):
        raise EditError("that service is no longer in services.yml; reload the page")
    entry = services[index] if index is not None else CommentedMap()
    entry["contact"] = contact.strip()
    _set_list(entry, "areas", areas)
    entry["areas"].fa.set_flow_style()
    entry["what"] = what.strip()
    if index is None:
        services.append(entry)
    return Change(_relative(root, path), before, dump(data, before))


def check(root: Path, content_dir: Path, changes: Iterable[Change]) -> list[Problem]:
    """The errors `python -m bot check` would give with `changes` made (nothing is written):
    on a copy of content/, with the problems pointing at the real files."""
    from bot.check import run_check

    with tempfile.TemporaryDirectory(prefix="console-check-") as work:
        copy = Path(work) / "content"
        shutil.copytree(content_dir, copy)
        for change in changes:
            target = copy / _inside_content(root, content_dir, change.path)
            target.write_text(change.after, encoding="utf-8")
        problems = run_check(root, copy)
        found = []
        for problem in problems:
            if problem.level != "error":
                continue
            try:
                relative = problem.path.resolve().relative_to(copy.resolve())
            except ValueError:
                found.append(problem)
                continue
            found.append(
                Problem(
                    content_dir / relative,
                    problem.line,
                    problem.message,
                    unreadable=problem.unreadable,
                )
            )
        return found


def write(root: Path, change: Change) -> None:
    """Write a change atomically: the running bot reads the old file or the new, never half."""
    path = root / change.path
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current != change.before:
        raise EditError(
            f"{change.path} was changed by someone else while you were editing; reload the "
            "page and make your change again"
        )
    write_text(path, change.after)


def write_text(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        Path(temporary).chmod(path.stat().st_mode & 0o777 if path.exists() else 0o644)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _relative(root: Path, path: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _inside_content(root: Path, content_dir: Path, relative: str) -> Path:
    return (root / relative).resolve().relative_to(content_dir.resolve())
