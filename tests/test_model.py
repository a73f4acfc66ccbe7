"""The real trained model with the real content, on messages it never saw in training."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from bot.content import ContentStore
from bot.engine import Engine, User
from bot.nlu import RasaParser
from tests.conftest import ROOT

pytestmark = pytest.mark.model

USER = User("test", "held-out")


def held_out() -> list[tuple[str, str]]:
    data = yaml.safe_load((ROOT / "nlu" / "test" / "test_nlu.yml").read_text(encoding="utf-8"))
    return [
        (item["intent"], line.strip()[2:])
        for item in data["nlu"]
        for line in item["examples"].splitlines()
        if line.strip().startswith("- ")
    ]


SAFETY = yaml.safe_load((ROOT / "nlu" / "test" / "safety.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def engine(rasa_parser: RasaParser, content_store: ContentStore) -> Engine:
    return Engine(content=content_store, parser=rasa_parser)


def test_the_held_out_set_is_big_enough() -> None:
    topics = {r.id: r.topic for r in ContentStore(ROOT / "content").current().replies.values()}
    counts = Counter(topics[intent] for intent, _ in held_out())
    for topic in (
        "consequences",
        "support",
        "reporting",
        "emergency",
        "crisis",
        "smalltalk",
        "fallback",
    ):
        assert counts[topic] >= 15, (topic, counts)


async def test_topic_accuracy_on_held_out_messages(
    rasa_parser: RasaParser, content_store: ContentStore
) -> None:
    """The model alone: is its top intent in the right topic?"""
    topics = {r.id: r.topic for r in content_store.current().replies.values()}
    rows = held_out()
    right = 0
    wrong = []
    for intent, text in rows:
        top = (await rasa_parser.parse(text)).top
        assert top is not None
        if topics.get(top.name) == topics[intent]:
            right += 1
        else:
            wrong.append((intent, top.name, text))
    accuracy = right / len(rows)
    assert accuracy >= 0.92, (accuracy, wrong)


async def test_every_safety_set_message_gets_the_emergency_or_crisis_reply(engine: Engine) -> None:
    missed = []
    for topic in ("emergency", "crisis"):
        for text in SAFETY[topic]:
            reply = await engine.answer(text, USER)
            if reply.topic != topic:
                missed.append((topic, reply.reply_id, text))
    assert missed == []


async def test_no_false_alarm_on_the_safety_set_negatives(engine: Engine) -> None:
    alarms = []
    for text in SAFETY["must_not_trigger"]:
        reply = await engine.answer(text, USER)
        if reply.topic in ("emergency", "crisis"):
            alarms.append((reply.reply_id, text))
    assert alarms == []


async def test_off_topic_and_noise_get_the_fallback(engine: Engine) -> None:
    rows = [text for intent, text in held_out() if intent == "out_of_scope"]
    missed = []
    for text in rows:
        reply = await engine.answer(text, USER)
        if reply.topic != "fallback":
            missed.append((reply.reply_id, text))
    assert 1 - len(missed) / len(rows) >= 0.90, missed


async def test_teenage_phrasings_reach_the_right_answer(engine: Engine) -> None:
    """A few questions from the product brief, word for word."""
    cases = {
        "wot happens if i get caught wiv a blade": "consequences",
        "who can i talk to": "support",
        "how do i report someone without them knowing": "reporting",
    }
    for text, topic in cases.items():
        reply = await engine.answer(text, USER)
        assert reply.topic == topic, (text, reply.reply_id)


async def test_rasa_never_prints_the_message(
    rasa_parser: RasaParser, capfd: pytest.CaptureFixture[str]
) -> None:
    await rasa_parser.parse("my name is Zebediah Quartermaine and my number is 07700 900123")
    out, err = capfd.readouterr()
    assert "Zebediah" not in out + err
    assert "07700" not in out + err


def test_the_direct_component_chain_gives_rasas_own_answers(rasa_parser: RasaParser) -> None:
    """The parser skips Rasa's per-message graph scheduler; it must not change a single answer."""
    assert rasa_parser._chain is not None, "the trained graph should be a simple NLU chain"
    for _, text in held_out():
        direct = rasa_parser._chain(text)
        rasa = rasa_parser._parse_with_agent(text)
        assert direct["intent"] == rasa["intent"], text
        assert direct["intent_ranking"] == rasa["intent_ranking"], text
