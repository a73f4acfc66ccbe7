"""The rule that decides whether a retrained model goes into use, and the switch that puts it
in use in a running bot."""

from __future__ import annotations

import json
from pathlib import Path

from bot.content import ContentStore
from bot.engine import Engine, User
from bot.modelswitch import ModelSwitch
from bot.retraining import decide
from tests.conftest import ROOT, FakeParser, put_in_use, shelve

IN_USE = {
    "topic accuracy": 0.90,
    "emergency recall": 0.98,
    "crisis recall": 1.0,
    "missed": ["someone's outside with a blade"],
}


def test_a_model_as_good_as_the_one_in_use_is_activated() -> None:
    new = {**IN_USE, "topic accuracy": 0.895}  # half a point lower: allowed
    assert decide(IN_USE, new).passed


def test_missing_an_emergency_the_model_in_use_catches_is_refused() -> None:
    new = {**IN_USE, "emergency recall": 0.97, "missed": [*IN_USE["missed"], "hes bleeding"]}
    verdict = decide(IN_USE, new)
    assert not verdict.passed
    assert any("“hes bleeding”" in reason for reason in verdict.reasons)
    assert any("catches fewer emergencies" in reason for reason in verdict.reasons)


def test_topic_accuracy_may_fall_by_one_point_at_most() -> None:
    verdict = decide(IN_USE, {**IN_USE, "topic accuracy": 0.885})
    assert verdict.reasons == [
        "topic accuracy on held-out messages fell from 90.0% to 88.5%, more than the 1 point "
        "allowed"
    ]


def test_without_a_model_in_use_safety_recall_must_be_perfect() -> None:
    assert not decide(None, {**IN_USE, "crisis recall": 0.99, "missed": []}).passed
    assert decide(None, {**IN_USE, "emergency recall": 1.0, "missed": []}).passed


async def test_the_bot_swaps_in_an_activated_model_and_closes_the_old_one(tmp_path: Path) -> None:
    old_parser, old_grader = FakeParser(), FakeParser()
    new_parser, new_grader = FakeParser({"hi": [("greet", 0.99)]}), FakeParser()
    closed: list[FakeParser] = []
    for parser in (old_parser, old_grader):
        parser.close = lambda parser=parser: _record(closed, parser)  # type: ignore[method-assign]
    engine = Engine(content=ContentStore(ROOT / "content"), parser=old_parser, grader=old_grader)
    pointer = tmp_path / "active.json"
    swapped: list[object] = []
    switch = ModelSwitch(
        pointer, engine, load=lambda: (new_parser, new_grader), on_swap=swapped.append
    )
    assert not await switch.check()  # nothing activated yet
    pointer.write_text(json.dumps({"version": "20261125-150000"}))
    assert await switch.check()
    assert engine.parser is new_parser and engine.grader is new_grader
    assert closed == [old_parser, old_grader] and swapped == [(new_parser, new_grader)]
    reply = await engine.answer("hi", User("test", "1"))
    assert reply.intent == "greet"
    assert not await switch.check()  # the same activation is not loaded twice


async def _record(closed: list[FakeParser], parser: FakeParser) -> None:
    closed.append(parser)


def test_a_model_that_fails_to_load_leaves_the_old_one_in_use(tmp_path: Path) -> None:
    import asyncio

    old = FakeParser()
    engine = Engine(content=ContentStore(ROOT / "content"), parser=old)
    pointer = tmp_path / "active.json"

    def broken() -> tuple[FakeParser, None]:
        raise FileNotFoundError("no model")

    switch = ModelSwitch(pointer, engine, load=broken)
    pointer.write_text("{}")
    assert not asyncio.run(switch.check())
    assert engine.parser is old


def test_activating_keeps_the_model_in_use_and_restoring_puts_it_back(tmp_path: Path) -> None:
    from bot.models import ModelShelf
    from bot.settings import Settings

    settings = Settings.from_env({"MODEL_PATH": str(tmp_path / "models" / "nlu.tar.gz")}, tmp_path)
    shelf = ModelShelf(settings)
    put_in_use(shelf)
    shelve(shelf, "20261125-160000")
    shelf.activate("20261125-160000", "admin@example.org")
    assert shelf.nlu.read_bytes() == b"the retrained nlu model"
    assert shelf.safety.read_bytes() == b"the retrained safety model"
    active = shelf.active()
    assert active["version"] == "20261125-160000" and active["by"] == "admin@example.org"
    previous = active["previous"]
    assert (shelf.versions_folder / previous / "nlu.tar.gz").read_bytes() == b"the first nlu model"
    shelf.activate(previous, "admin@example.org")  # what "Go back" does
    assert shelf.nlu.read_bytes() == b"the first nlu model"
    assert shelf.active()["previous"] == "20261125-160000"
    assert shelf.version("../etc") is None  # a version id is only ever a folder of its own
