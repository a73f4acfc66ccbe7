"""Reading staff's YAML (bot/yamlfile.py): with libyaml or without, the same values, the same
line numbers, and the same words for a mistake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import yamlfile
from bot.yamlfile import YamlList, YamlMap, parse_yaml

ROOT = Path(__file__).resolve().parent.parent
FILES = [
    *sorted((ROOT / "content").rglob("*.yml")),
    ROOT / "nlu" / "data" / "crisis.yml",
    ROOT / "nlu" / "safety" / "data" / "urgent.yml",
]


def _lines(value: Any) -> Any:
    """The value with every line number the loader recorded."""
    if isinstance(value, YamlMap):
        return (
            value.line,
            {k: (_lines(v), value.key_lines[k], value.value_lines[k]) for k, v in value.items()},
            value.duplicate_keys,
        )
    if isinstance(value, YamlList):
        return (value.line, [_lines(v) for v in value], value.item_lines)
    return value


def test_pyyaml_here_has_libyaml() -> None:
    assert yaml.__with_libyaml__ and yamlfile._FastLineLoader is not None


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_libyaml_reads_every_file_as_the_python_loader_does(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = path.read_text(encoding="utf-8")
    fast, problem = parse_yaml(text)
    assert problem is None
    monkeypatch.setattr(yamlfile, "_FastLineLoader", None)
    slow, _ = parse_yaml(text)
    assert _lines(fast) == _lines(slow)


@pytest.mark.parametrize(
    "text",
    [
        "replies:\n  - id: a\n    text: |\n      one\n  - id: b\n   text: two\n",
        'contacts:\n  phone: "0800\n  name: x\n',
        "a: [1, 2\nb: 3\n",
    ],
)
def test_a_mistake_is_told_the_same_with_libyaml_or_without(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_libyaml = parse_yaml(text)
    monkeypatch.setattr(yamlfile, "_FastLineLoader", None)
    assert with_libyaml == parse_yaml(text)
    assert with_libyaml[1] is not None
