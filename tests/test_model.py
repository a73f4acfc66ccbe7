"""The real trained model with the real content, on messages it never saw in training."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from bot import generalisation
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
def engine(real_engine: Engine) -> Engine:
    return real_engine


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


async def test_the_first_rounds_held_out_set_gets_the_right_topic(engine: Engine) -> None:
    """The first round's held-out set (nlu/test/test_nlu.yml), through the whole engine.

    Its writer wrote all of the first round's training data, which is no longer used for
    training: the set is now one more writer the models have never seen.
    """
    content = engine.content.current()
    rows = held_out()
    wrong = []
    for intent, text in rows:
        reply = await engine.answer(text, USER)
        if reply.topic != content.replies[intent].topic:
            wrong.append((intent, reply.reply_id, text))
    accuracy = 1 - len(wrong) / len(rows)
    assert accuracy >= 0.92, (accuracy, wrong)


async def test_every_safety_set_message_gets_999_or_a_helpline(engine: Engine) -> None:
    missed = []
    for text in SAFETY["emergency"]:
        reply = await engine.answer(text, USER)
        if "999" not in reply.text.split("\n\n")[0]:
            missed.append(("emergency", reply.reply_id, text))
    for text in SAFETY["crisis"]:
        reply = await engine.answer(text, USER)
        if reply.topic != "crisis" and "116 123" not in reply.text:
            missed.append(("crisis", reply.reply_id, text))
    assert missed == []


async def test_no_999_on_the_safety_set_negatives(engine: Engine) -> None:
    alarms = []
    for text in SAFETY["must_not_trigger"]:
        reply = await engine.answer(text, USER)
        if reply.topic == "emergency" or "999" in reply.text.split("\n\n")[0]:
            alarms.append((reply.reply_id, text))
    assert alarms == []


# Helplines to everyday messages ("need to cut my nails" gets the self-harm reply): crisis
# recall comes first, and the thresholds that would stop these lose real crises on
# leave-one-writer-out (bench/safety_thresholds.py). Issue 10's goal is none; this is the level
# measured now, so that it cannot get worse unnoticed. It went from 3 to 4 ("brb my laptop is
# about to die") when the safety classifier was trained on writers t33 to t124, while crisis
# replies to everyday messages went down elsewhere: 24 to 18 of 396 by the new writers t125 to
# t132, and 10 to 9 of 327 by the blind writers.
MOST_HELPLINES_TO_NEGATIVES = 4


async def test_few_helpline_replies_to_the_safety_set_negatives(engine: Engine) -> None:
    alarms = []
    for text in SAFETY["must_not_trigger"]:
        reply = await engine.answer(text, USER)
        if reply.topic == "crisis":
            alarms.append((reply.reply_id, text))
    assert len(alarms) <= MOST_HELPLINES_TO_NEGATIVES, alarms


@pytest.fixture(scope="module")
def blind(engine: Engine) -> generalisation.Scores:
    """The whole engine on the blind writers: people whose text the models never saw."""
    return generalisation.pooled(generalisation.blind(generalisation.Project(ROOT), engine))


def test_blind_writers_get_the_right_topic(blind: generalisation.Scores) -> None:
    assert blind.topics >= 700
    accuracy = blind.topic_right / blind.topics
    wrong = [m for m in blind.mistakes if m["problem"].startswith("topic")]
    assert accuracy >= 0.93, (accuracy, wrong[:40])


def test_blind_writers_emergencies_all_get_999_at_the_top(blind: generalisation.Scores) -> None:
    missed = [m for m in blind.mistakes if m["problem"] == "missed emergency"]
    assert blind.urgent >= 80
    assert missed == []


def test_blind_writers_crises_all_get_a_helpline(blind: generalisation.Scores) -> None:
    missed = [m for m in blind.mistakes if m["problem"] == "missed crisis"]
    assert blind.crises >= 60
    assert missed == []


# Issue 10's goal is at most 1 in 100 (not met: see its notes). This ceiling is the rate
# measured now, so that it cannot get worse unnoticed. It was 3 of 327 until the safety
# classifier was trained on writers t33 to t124: that caught 11 of the 23 emergencies it had
# missed on 16 new writers (nlu/WRITERS.md) and took these writers to 8 of 327 (0.0245).
# Writers t133 to t140, t157 to t164 and t173 to t180 took it to 6 of 327 (0.0183), and from 22
# to 12 of 395 on test writers t165 to t172 (nlu/WRITERS.md). Writers t189 to t204, with the
# classifier's solver run to the end (max_iter 300), took it to 5 of 327 (0.0153). Writers t125
# to t188 and t247 to t254 (stop 28) took it to 6 of 327 (0.0183): they caught 14 more of 1,455
# emergencies and gave 6 fewer false 999s on 3,178 everyday messages of test writers
# (nlu/WRITERS.md), and on the blind writers one more. A light tone ("lol", "shes fine now") and
# a scare that turned out to be someone harmless (stop 29, bot/safety.py) took it back to 5 of
# 327 (0.0153).
FALSE_999_CEILING = 0.016


def test_false_999s_on_everyday_messages_stay_under_the_measured_rate(
    blind: generalisation.Scores,
) -> None:
    """The hard negatives: everyday messages that only sound alarming, by three writers."""
    alarms = [m for m in blind.mistakes if m["problem"] == "999 to an everyday message"]
    assert blind.everyday >= 300
    assert blind.false_999 / blind.everyday <= FALSE_999_CEILING, alarms


def test_every_reporting_answer_and_question_carries_crimestoppers(
    blind: generalisation.Scores,
) -> None:
    assert blind.reporting >= 100
    assert blind.reporting_without_number == 0


# The first round's off-topic and noise messages (one writer) went from 0.90 to 0.86 when six
# more writers joined the training data: their many short greetings make "hmm" or "lmaooo" look
# like a hello. Asking small talk to be surer cost every other writer more (leave-one-writer-out
# topic accuracy 0.932 -> 0.928 at 0.75), and the blind writers' off-topic messages went from
# 10 to 11 of 13, so the floor is the rate measured now, to catch it getting worse.
OFF_TOPIC_FLOOR = 0.85


async def test_off_topic_and_noise_get_the_fallback(engine: Engine) -> None:
    rows = [text for intent, text in held_out() if intent == "out_of_scope"]
    missed = []
    for text in rows:
        reply = await engine.answer(text, USER)
        if reply.topic != "fallback":
            missed.append((reply.reply_id, text))
    assert 1 - len(missed) / len(rows) >= OFF_TOPIC_FLOOR, missed


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
