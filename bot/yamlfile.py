"""Reading YAML files written by people, keeping line numbers so errors can point at them.

Mappings load as `YamlMap` (a dict that also knows the line of each key) so that a checker can
say "content/replies/reporting.yml:14: ..." instead of "somewhere in reporting.yml".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class YamlMap(dict[Any, Any]):
    """A mapping from a YAML file, with the line where it and each of its keys start."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}
        self.value_lines: dict[Any, int] = {}
        self.duplicate_keys: list[tuple[Any, int]] = []

    def line_of(self, key: Any) -> int:
        """The line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)

    def text_line(self, key: Any, offset: int) -> int:
        """The line of character `offset` inside the string value of `key`."""
        value = self.get(key)
        start = self.value_lines.get(key, self.line_of(key))
        if not isinstance(value, str):
            return start
        return start + value.count("\n", 0, max(offset, 0))


class YamlList(list[Any]):
    """A list from a YAML file, with the line where each item starts."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []


class _LineLoader(yaml.SafeLoader):
    pass


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    result = YamlMap()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        value = loader.construct_object(value_node, deep=True)
        key_line = key_node.start_mark.line + 1
        if key in result:
            result.duplicate_keys.append((key, key_line))
        result[key] = value
        result.key_lines[key] = key_line
        block = isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">")
        result.value_lines[key] = value_node.start_mark.line + 1 + (1 if block else 0)
    return result


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList()
    result.line = node.start_mark.line + 1
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.item_lines.append(item.start_mark.line + 1)
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


# The same loader on libyaml, when PyYAML was built with it: the training data is read about five
# times as fast. A file it cannot read is read again by the loader above, so that what staff are
# told (the line, the words) does not depend on how PyYAML was built.
_FastLineLoader: type[Any] | None = None
if yaml.__with_libyaml__:

    class _CLineLoader(yaml.CSafeLoader):
        pass

    _CLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
    _CLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)
    _FastLineLoader = _CLineLoader


@dataclass(frozen=True)
class YamlProblem:
    """Why a file could not be read, in words for someone who is not a programmer."""

    line: int
    message: str


def read_yaml(path: Path) -> tuple[Any, YamlProblem | None]:
    """Load `path`; on failure return (None, the problem and its line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, YamlProblem(1, "this file is missing; restore it from the repository")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return None, YamlProblem(
            line, "this line has characters that are not UTF-8 text; save the file as UTF-8"
        )
    return parse_yaml(text)


def parse_yaml(text: str) -> tuple[Any, YamlProblem | None]:
    """Load YAML text written by a person; on failure (None, the problem and its line)."""
    if "\t" in text:
        line = text[: text.index("\t")].count("\n") + 1
        return None, YamlProblem(line, "there is a tab character here; use spaces to indent")
    # A text line indented less than the text above it ends the text early: YAML then reads
    # it as something else, and its complaint (if any) says nothing helpful.
    misindented = _misindented_text_line(text)
    if misindented is not None:
        return None, misindented
    if _FastLineLoader is not None:
        try:
            return yaml.load(text, Loader=_FastLineLoader), None
        except yaml.YAMLError:
            pass  # read again below, for the words and the line
    try:
        return yaml.load(text, Loader=_LineLoader), None
    except yaml.MarkedYAMLError as exc:
        return None, _locate(text, exc)
    except yaml.YAMLError as exc:
        return None, YamlProblem(1, f"this file is not valid YAML ({exc})")


_FIELD = re.compile(r"^\s*(?:- )?[A-Za-z0-9_]+:(?:\s|$)|^\s*(?:#|- )")
_BLOCK_START = re.compile(r"^(\s*)(?:- )?([\w-]+): *[|>][-+]?\s*(?:#.*)?$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _misindented_text_line(text: str) -> YamlProblem | None:
    """A line inside a `text: |` block indented less than the block's first line, but more
    than the `text:` itself, such as a line indented 2 spaces under text lines indented 4."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        start = _BLOCK_START.match(line)
        if start is None:
            continue
        key_indent = len(start.group(1)) + (2 if line.lstrip().startswith("- ") else 0)
        content_indent: int | None = None
        for later, body in enumerate(lines[number + 1 :], start=number + 2):
            if not body.strip():
                continue
            indent = _indent(body)
            if indent < key_indent:
                break
            if indent == key_indent:
                # The next field ("buttons: [...]") is fine; text ("• Shout: text") is not.
                if content_indent is not None and not _FIELD.match(body):
                    return _short_line(later, indent, content_indent)
                break
            if content_indent is None:
                content_indent = indent
            elif indent < content_indent:
                return _short_line(later, indent, content_indent)
    return None


def _short_line(line: int, indent: int, wanted: int) -> YamlProblem:
    return YamlProblem(
        line,
        f"this line of the text is indented by {indent} spaces but the lines above it by "
        f"{wanted}: indent every line of the text by {wanted} spaces (a line indented less "
        "ends the text)",
    )


def _locate(text: str, exc: yaml.MarkedYAMLError) -> YamlProblem:
    """Where the mistake really is, and what to do, for someone who is not a programmer.

    YAML notices many mistakes a line late (a missing colon is found on the next line), so
    the line it names is moved back to the line that needs fixing where that is clear.
    """
    lines = text.splitlines()
    problem = exc.problem or "unreadable"
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    if exc.context_mark is not None and (context.startswith("while scanning") or "flow" in context):
        line = exc.context_mark.line + 1
    if "a simple key" in context:
        return YamlProblem(
            line,
            "this line has no colon after its name: write it like 'topic: reporting' (or, if "
            "it is a line of text, indent it like the text lines above it)",
        )
    if "quoted scalar" in context:
        return YamlProblem(
            line, "a quote opened on this line is never closed; add the closing quote"
        )
    if "flow sequence" in context or "flow mapping" in context:
        return YamlProblem(
            line, "a list in [square brackets] on this line is not closed; end it with ]"
        )
    if "mapping values are not allowed" in problem:
        previous = next(
            (
                n
                for n in range(line - 2, -1, -1)
                if lines[n].strip() and not lines[n].lstrip().startswith("#")
            ),
            None,
        )
        if (
            previous is not None
            and ":" not in lines[previous]
            and _indent(lines[previous]) == _indent(lines[line - 1])
            and not lines[previous].lstrip().startswith("- ")
        ):
            return YamlProblem(
                previous + 1,
                "this line has no colon after its name: write it like 'name: value'",
            )
        return YamlProblem(
            line,
            "a colon inside a line of text confuses YAML; put the text under 'text: |' on its "
            "own lines, or wrap the line in double quotes",
        )
    hint = "check the indentation and that every 'name: value' has a space after the colon"
    if "found character" in problem and "cannot start any token" in problem:
        hint = "a line starts with a character YAML reserves (like @ or `); wrap it in quotes"
    elif "expected <block end>" in problem or "did not find expected" in problem:
        hint = "a line is indented differently from the lines around it; line them up"
    return YamlProblem(line, f"this file is not valid YAML here ({problem}): {hint}")
