"""The safety net's prefilter: a rule is skipped only when it cannot match, so every answer is
the same as when every rule runs."""

from __future__ import annotations

import re

import pytest
import yaml

from bot import safety
from bot.prefilter import Prefilter, necessary, necessary_sets
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("pattern", "needed"),
    [
        (r"\bknife\b", {"knife"}),
        (r"\b(?:knife|blade)s?\b", {"knife", "blade"}),
        (r"stab+ed", {"sta"}),
        (r"(?:he|she) (?:stabbed|shanked) me", {"he stabbed me", "he shanked me"}),
        (r"colou?r", {"color", "colour"}),
        (r"\bnot (?:breathing|moving)\b", {"not breathing", "not moving"}),
        (r"(?<!not )bleeding", {"bleeding"}),
        (r"[abc]x", {"ax", "bx", "cx"}),
    ],
)
def test_the_strings_a_pattern_needs(pattern: str, needed: set[str]) -> None:
    assert necessary(re.compile(pattern)) == needed


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?i)knife",  # case-insensitive: the strings would be wrong
        r"knife|.*",  # one way to match needs nothing
        r"\w+ ago|\d+",
        r"(?:a|\w)b?",
        r"(?:knife)?",
    ],
)
def test_a_pattern_it_cannot_reason_about_is_always_run(pattern: str) -> None:
    compiled = re.compile(pattern)
    assert necessary(compiled) is None
    filtered = Prefilter([[compiled]])
    assert filtered.candidates("") == 1  # run on every text


def test_a_pattern_is_not_run_when_its_strings_are_missing() -> None:
    knife = re.compile(r"\bknife\b")
    rules = Prefilter([[knife]])
    assert rules.candidates("just a normal day") == 0
    assert not rules.search(knife, "just a normal day", rules.candidates("just a normal day"))
    text = "a knife in his bag"
    assert rules.search(knife, text, rules.candidates(text))


def test_a_long_string_is_looked_for_by_a_part_of_it() -> None:
    rule = re.compile(r"\bsomeone is following me\b")
    rules = Prefilter([[rule]])
    assert rules.candidates("i think someone is following me home") == 1
    assert rules.candidates("someone is following my playlist") == 1  # it may: it is run
    assert not rules.search(rule, "someone is following my playlist", 1)
    assert rules.candidates("nobody follows me") == 0


def test_a_pattern_of_several_parts_needs_a_string_from_each() -> None:
    """An armed person and a time word: a message with only one of them is not read by it, so
    a message repeating "a man with a knife" does not run every rule about knives and time."""
    rule = re.compile(r"\b(?:someone|a man) (?:with|has) (?:a |the )knife\b.*\b(?:outside|now)\b")
    sets = necessary_sets(rule)
    assert sets[0] == necessary(rule)
    assert frozenset({"outside", "now"}) in sets[1:]
    rules = Prefilter([[rule]])
    assert rules.candidates("a man with a knife in a film") == 0
    assert rules.candidates("is it raining outside now") == 0
    assert rules.candidates("a man with a knife outside") == 1
    assert rules.search(rule, "a man with a knife outside", 1)


def test_a_part_that_may_be_left_out_or_looked_ahead_for_is_not_needed() -> None:
    optional = re.compile(r"\bknife\b(?: \w+)* (?:outside|now)?")
    ahead = re.compile(r"\bknife\b.*(?! outside)(?=\w)")
    for rule in (optional, ahead):
        assert necessary_sets(rule) == [frozenset({"knife"})]
        assert Prefilter([[rule]]).candidates("a knife in a film") == 1


def test_the_first_rule_of_a_group_that_matches() -> None:
    group = [re.compile(r"\bstabbed\b"), re.compile(r"\bbleeding\b"), re.compile(r"\bhelp\b")]
    rules = Prefilter([[re.compile("unrelated")], group])
    text = "im bleeding help"
    assert rules.first(group, text, rules.candidates(text)) == 1
    assert rules.first(group, "all fine", rules.candidates("all fine")) is None
    assert rules.first(group, text, -1) == 1  # every pattern marked as a candidate


def _every_message() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "nlu").rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            examples = block.get("examples") or ""
            texts += [line[2:] for line in examples.splitlines() if line.startswith("- ")]
    return texts


def test_every_rule_the_prefilter_skips_could_not_have_matched() -> None:
    """On every message in nlu/, each rule the prefilter would skip does not match."""
    rules = safety.rules()
    skipped_wrongly = []
    texts = _every_message()
    assert len(texts) > 10_000
    for text in texts:
        norm = safety.normalise(text)
        found = rules.candidates(norm)
        for number, pattern in enumerate(rules.patterns):
            if not found >> number & 1 and pattern.search(norm):
                skipped_wrongly.append((pattern.pattern[:60], text))
    assert skipped_wrongly == []


def test_the_rules_say_the_same_with_and_without_the_prefilter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [
        *_every_message()[::3],
        "he " * 1300,
        "a man with a knife " * 200,
        "my phone died lol " * 100 + "someone is outside with a knife help",
    ]
    net = safety.SafetyNet()
    filtered = [net.scan(text) for text in texts]
    every_rule = safety.rules()
    monkeypatch.setattr(every_rule, "candidates", lambda text: -1)  # every bit set: all run
    assert [net.scan(text) for text in texts] == filtered


def test_the_first_rule_from_a_place_in_the_group() -> None:
    group = [re.compile(r"\bhelp\b"), re.compile(r"\bbleeding\b"), re.compile(r"\bhelp\b")]
    rules = Prefilter([group])
    text = "help im bleeding"
    found = rules.candidates(text)
    assert [rules.first(group, text, found, start) for start in range(3)] == [0, 1, 2]
    assert rules.first(group, "im bleeding", rules.candidates("im bleeding"), 2) is None
