"""The engine with a fake parser: the order of the steps and the confidence policy."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest

from bot.engine import MODEL_CHARS, ConfidencePolicy, Engine, Event, User
from bot.nlu import IntentScore, Parse
from tests.conftest import FakeParser

USER = User("test", "42")


class RecordingMemory:
    """Keeps what the engine hands to storage, in memory."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.forgotten: list[User] = []
        self.areas: dict[User, str] = {}

    def record(self, event: Event) -> None:
        self.events.append(event)

    async def forget(self, user: User) -> bool:
        self.forgotten.append(user)
        return True

    async def area(self, user: User) -> str | None:
        return self.areas.get(user)

    async def remember_area(self, user: User, area: str) -> None:
        self.areas[user] = area


class HangingParser(FakeParser):
    """An NLU that never answers."""

    async def parse(self, text: str) -> Parse:
        self.asked.append(text)
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")


@pytest.fixture
def parser() -> FakeParser:
    return FakeParser(
        {
            "can i report without my name": [
                ("report_anonymous", 0.93),
                ("report_what_happens", 0.04),
            ],
            "report or talk": [("report_anonymous", 0.41), ("support_talk", 0.38), ("greet", 0.1)],
            "hmm blade thing": [("law_carrying", 0.12), ("greet", 0.1)],
            "i dont feel great": [("crisis_suicidal", 0.31), ("support_talk", 0.3)],
            "whats the weather": [("out_of_scope", 0.88), ("greet", 0.05)],
            "any help near N7": [("support_local", 0.9)],
            "any help near me": [("support_local", 0.9)],
            "nonsense intent": [("an_intent_the_content_lacks", 0.97)],
        }
    )


async def test_commands_never_reach_the_model(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    engine = fake_engine(parser)
    for text, reply_id in [
        ("/start", "start"),
        ("/start@KnifeHelpBot", "start"),
        ("/LAW", "menu_law"),
        ("/report please", "menu_report"),
        ("/nonsense", "unknown_command"),
        ("/", "unknown_command"),
        ("//", "unknown_command"),
    ]:
        reply = await engine.answer(text, USER)
        assert reply.reply_id == reply_id, text
    assert parser.asked == []


async def test_safety_net_answers_before_the_model(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    reply = await fake_engine(parser).answer("my mate got stabbed hes bleeding", USER)
    assert reply.topic == "emergency"
    assert reply.kind == "safety"
    assert "999" in reply.text.split("\n\n")[0]
    assert parser.asked == []


async def test_a_crisis_message_gets_helplines(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    reply = await fake_engine(parser).answer("i want to kill myself", USER)
    assert reply.topic == "crisis"
    assert "116 123" in reply.text and "0800 1111" in reply.text and "85258" in reply.text
    assert parser.asked == []


async def test_a_confident_reporting_answer_carries_crimestoppers(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    reply = await fake_engine(parser).answer("can i report without my name", USER)
    assert (reply.topic, reply.intent, reply.kind) == ("reporting", "report_anonymous", "answer")
    assert reply.confidence == pytest.approx(0.93)
    assert "0800 555 111" in reply.text
    assert reply.buttons and all(b.label for b in reply.buttons)


async def test_two_close_candidates_are_offered_as_buttons(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    reply = await fake_engine(parser).answer("report or talk", USER)
    assert reply.kind == "clarify"
    offered = [b.reply_id for b in reply.buttons]
    assert offered[:2] == ["report_anonymous", "support_talk"]
    assert "menu_main" in offered
    assert "999" in reply.text


async def test_an_unsure_model_gets_an_honest_fallback_with_the_menu(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    reply = await fake_engine(parser).answer("hmm blade thing", USER)
    assert (reply.topic, reply.kind, reply.reply_id) == ("fallback", "fallback", "fallback")
    assert "not sure I understood" in reply.text
    assert {"menu_law", "menu_support", "menu_report"} <= {b.reply_id for b in reply.buttons}


async def test_urgent_intents_are_answered_even_when_the_model_is_unsure(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    reply = await fake_engine(parser).answer("i dont feel great", USER)
    assert reply.topic == "crisis"
    assert "116 123" in reply.text


async def test_off_topic_questions_get_told_honestly(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    reply = await fake_engine(parser).answer("whats the weather", USER)
    assert (reply.topic, reply.reply_id) == ("fallback", "out_of_scope")
    assert "can't help with that" in reply.text


async def test_an_intent_without_content_falls_back(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    reply = await fake_engine(parser).answer("nonsense intent", USER)
    assert reply.reply_id == "fallback"


async def test_the_model_being_down_still_gets_an_answer(
    fake_engine: Callable[..., Engine],
) -> None:
    engine = fake_engine(FakeParser(fail=True))
    reply = await engine.answer("how do i report", USER)
    assert reply.reply_id == "fallback"
    # ...and the safety net still works without the model.
    reply = await engine.answer("someone is bleeding", USER)
    assert reply.topic == "emergency"


async def test_empty_and_blank_messages(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    for text in ["", "   ", "\n\t", "\x00\x01"]:
        reply = await fake_engine(parser).answer(text, USER)
        assert reply.reply_id == "empty"
    assert parser.asked == []


async def test_the_model_sees_at_most_the_first_thousand_characters(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    await fake_engine(parser).answer("x" * 5000, USER)
    assert len(parser.asked[0]) == MODEL_CHARS


async def test_button_taps_skip_the_model(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    engine = fake_engine(parser)
    reply = await engine.show("report_snitch_fear", USER)
    assert (reply.kind, reply.topic) == ("button", "reporting")
    assert "0800 555 111" in reply.text
    stale = await engine.show("a_button_from_old_content", USER)
    assert stale.reply_id == "fallback"
    assert parser.asked == []


async def test_forget_wipes_the_user_through_memory(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    memory = RecordingMemory()
    reply = await fake_engine(parser, memory=memory).answer("/forget", USER)
    assert reply.reply_id == "forget_done"
    assert reply.action == "forget"
    assert memory.forgotten == [USER]


async def test_local_services_by_postcode_and_remembered_area(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    memory = RecordingMemory()
    engine = fake_engine(parser, memory=memory)
    reply = await engine.answer("any help near N7", USER)
    assert "Ben Kinsella Trust" in reply.text  # Islington
    assert "Safer London" in reply.text  # London-wide
    assert "Childline" in reply.text  # everywhere
    assert reply.text.index("Ben Kinsella") < reply.text.index("Safer London")
    assert memory.areas[USER] == "islington"
    later = await engine.answer("any help near me", USER)
    assert "Ben Kinsella Trust" in later.text
    stranger = await engine.answer("any help near me", User("test", "someone else"))
    assert "Ben Kinsella Trust" not in stranger.text
    assert "Islington" in stranger.text  # asks for a borough or postcode instead


async def test_events_keep_no_text(fake_engine: Callable[..., Engine], parser: FakeParser) -> None:
    memory = RecordingMemory()
    await fake_engine(parser, memory=memory).answer("can i report without my name", USER)
    (event,) = memory.events
    assert (event.topic, event.intent, event.reply_id, event.fell_back) == (
        "reporting",
        "report_anonymous",
        "report_anonymous",
        False,
    )
    assert event.not_understood is None
    assert "report without" not in repr(event)


async def test_log_lines_never_hold_the_message(
    fake_engine: Callable[..., Engine], parser: FakeParser, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await fake_engine(parser).answer("can i report without my name", USER)
    await fake_engine(parser).answer("my name is Jayden Smith and i live at 4 Elm Road", USER)
    assert "report without" not in caplog.text and "Jayden" not in caplog.text
    assert "topic=reporting" in caplog.text


def test_policy_thresholds() -> None:
    policy = ConfidencePolicy(answer_at=0.6, margin=0.2, clarify_at=0.3)

    def topic(name: str) -> str | None:
        return {"a": "reporting", "b": "support", "crisis_suicidal": "crisis"}.get(name)

    def parse(*scores: tuple[str, float]) -> Parse:
        return Parse(tuple(IntentScore(n, c) for n, c in scores))

    assert policy.decide(parse(("a", 0.9), ("b", 0.05)), topic).kind == "answer"
    assert policy.decide(parse(("a", 0.5), ("b", 0.45)), topic).kind == "clarify"
    # unsure between two intents of one topic: that topic's overview
    same = {"a": "reporting", "c": "reporting", "b": "support"}.get
    overview = policy.decide(parse(("a", 0.45), ("c", 0.35), ("b", 0.1)), same)
    assert (overview.kind, overview.topic, overview.intents[:2]) == (
        "topic",
        "reporting",
        ("a", "c"),
    )
    assert policy.decide(parse(("a", 0.2), ("b", 0.1)), topic).kind == "fallback"
    assert policy.decide(parse(("crisis_suicidal", 0.3), ("a", 0.29)), topic).kind == "answer"
    assert policy.decide(parse(), topic).kind == "fallback"
    assert policy.decide(parse(("nlu_fallback", 0.7), ("a", 0.9)), topic).kind == "answer"


async def test_nothing_is_recorded_after_forget(
    fake_engine: Callable[..., Engine], parser: FakeParser
) -> None:
    memory = RecordingMemory()
    engine = fake_engine(parser, memory=memory)
    await engine.answer("/law", USER)
    await engine.answer("/forget", USER)
    assert [e.reply_id for e in memory.events] == ["menu_law"]


async def test_system_replies_count_when_they_answer_someone(
    fake_engine: Callable[..., Engine],
) -> None:
    memory = RecordingMemory()
    engine = fake_engine(memory=memory)
    reply = engine.system("not_text", USER)
    assert "only read text" in reply.text
    engine.system("slow_down")
    assert [e.reply_id for e in memory.events] == ["not_text"]


async def test_unsure_small_talk_gets_the_fallback_not_a_hello_or_goodbye_question(
    fake_engine: Callable[..., Engine],
) -> None:
    """ "k" or "😂" leaves the model guessing between greetings: the honest fallback, with
    the menus, helps more than "did you mean hello or goodbye?"."""
    unsure = FakeParser(default=[("greet", 0.39), ("goodbye", 0.27), ("thanks", 0.1)])
    reply = await fake_engine(unsure).answer("k", USER)
    assert (reply.kind, reply.reply_id) == ("fallback", "fallback")
    assert {"menu_law", "menu_support", "menu_report"} <= {b.reply_id for b in reply.buttons}
    sure = FakeParser(default=[("greet", 0.9), ("goodbye", 0.05)])
    assert (await fake_engine(sure).answer("hiya", USER)).reply_id == "greet"


async def test_a_crisis_intent_is_not_given_when_the_safety_classifier_is_sure_it_is_everyday(
    fake_engine: Callable[..., Engine],
) -> None:
    nlu = FakeParser(default=[("crisis_self_harm", 0.8), ("out_of_scope", 0.15)])
    everyday = FakeParser(default=[("everyday", 0.95), ("self_harm", 0.03)])
    reply = await fake_engine(nlu, grader=everyday).answer("need to trim my fringe", USER)
    assert reply.topic == "fallback"
    assert "116 123" not in reply.text
    # the same model answer, but the classifier sees a crisis: the helpline is given
    unsure = FakeParser(default=[("everyday", 0.6), ("self_harm", 0.3)])
    reply = await fake_engine(nlu, grader=unsure).answer("need to trim my fringe", USER)
    assert reply.topic == "crisis"
    assert "116 123" in reply.text


async def test_something_over_is_not_answered_with_the_report_it_now_reply(
    fake_engine: Callable[..., Engine],
) -> None:
    nlu = FakeParser(
        default=[("report_now", 0.7), ("report_anonymous", 0.15), ("report_police_101", 0.1)]
    )
    past = FakeParser(default=[("past", 0.8), ("general", 0.2)])
    text = "someone had a blade at the park on saturday, who do i tell"
    reply = await fake_engine(nlu, grader=past).answer(text, USER)
    assert reply.reply_id != "report_now"
    assert reply.topic == "reporting"
    assert "0800 555 111" in reply.text
    assert "999" not in reply.text.split("\n\n")[0]
    # a question about what to do, with nothing that says it is over, keeps its answer
    question = "should i ring 999 or 101 if i see someone with a knife"
    general = FakeParser(default=[("general", 0.9), ("hypothetical", 0.1)])
    reply = await fake_engine(nlu, grader=general).answer(question, USER)
    assert reply.reply_id == "report_now"


async def test_a_crisis_where_someone_may_be_hurt_now_gets_999_on_top_of_the_helpline(
    fake_engine: Callable[..., Engine],
) -> None:
    nlu = FakeParser(default=[("crisis_self_harm", 0.9)])
    hurt = FakeParser(default=[("self_harm", 0.7), ("crisis_and_injury", 0.15)])
    reply = await fake_engine(nlu, grader=hurt).answer("did it again and its bad", USER)
    assert reply.topic == "crisis"
    top = reply.text.split("\n\n")[0]
    assert "999" in top and "ambulance" in top  # hurt now: an ambulance, said plainly
    assert "116 123" in reply.text
    not_hurt = FakeParser(default=[("self_harm", 0.9), ("crisis_and_injury", 0.02)])
    reply = await fake_engine(nlu, grader=not_hurt).answer("did it again", USER)
    assert reply.topic == "crisis"
    assert "999" not in reply.text.split("\n\n")[0]


async def test_a_crisis_with_danger_not_injury_keeps_the_plain_999_line(
    fake_engine: Callable[..., Engine],
) -> None:
    nlu = FakeParser(default=[("crisis_suicidal", 0.9)])
    danger = FakeParser(default=[("suicidal", 0.6), ("danger_now", 0.35), ("general", 0.05)])
    reply = await fake_engine(nlu, grader=danger).answer("everything is too much tonight", USER)
    assert reply.topic == "crisis"
    top = reply.text.split("\n\n")[0]
    assert "999" in top and "ambulance" not in top
    assert "116 123" in reply.text


async def test_an_event_the_words_say_is_over_gets_the_999_line_not_the_emergency_reply(
    fake_engine: Callable[..., Engine],
) -> None:
    """The classifier is sure it is happening now and the NLU model picks the emergency
    intent, but the message says when it happened: the ordinary answer, 999 above it."""
    nlu = FakeParser(
        default=[
            ("emergency_help", 0.6),
            ("support_after_violence", 0.3),
            ("report_anonymous", 0.1),
        ]
    )
    sure = FakeParser(default=[("danger_now", 0.95), ("past", 0.05)])
    text = "back in year 9 some older lads chased me home, they gave up in the end"
    reply = await fake_engine(nlu, grader=sure).answer(text, USER)
    assert reply.reply_id != "emergency_help"
    assert "999" in reply.text.split("\n\n")[0]
    # the same answers from both models without the time words: the emergency reply
    reply = await fake_engine(nlu, grader=sure).answer("some older lads chased me home", USER)
    assert reply.reply_id == "emergency_help"


async def test_a_clear_emergency_read_as_reporting_it_now_gets_that_reply_999_first(
    fake_engine: Callable[..., Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone who sees a knife out right now and asks what to do gets the reply written for
    that question: 999 first, like the emergency reply, then Crimestoppers for afterwards."""
    text = "theres a lad with a knife outside the shop right now, 999 or 101"
    danger = FakeParser(default=[("danger_now", 0.9), ("everyday", 0.05)])
    reading = FakeParser(default=[("report_now", 0.8), ("emergency_help", 0.15)])
    reply = await fake_engine(reading, grader=danger).answer(text, USER)
    assert (reply.reply_id, reply.kind) == ("report_now", "safety")
    assert "999" in reply.text.split("\n\n")[0]
    assert "0800 555 111" in reply.text
    # The model unsure, reading danger to the person themselves, or down: the danger reply.
    for nlu in (
        FakeParser(default=[("report_now", 0.45), ("emergency_help", 0.4)]),
        FakeParser(default=[("emergency_help", 0.8), ("report_now", 0.15)]),
        FakeParser(fail=True),
    ):
        reply = await fake_engine(nlu, grader=danger).answer(text, USER)
        assert (reply.reply_id, reply.kind) == ("emergency_help", "safety")
        assert "999" in reply.text.split("\n\n")[0]
    # A model that does not answer (a remote server hanging) does not hold the reply up.
    hanging = HangingParser()
    monkeypatch.setattr("bot.engine.EMERGENCY_MODEL_WAIT", 0.01)
    engine = fake_engine(hanging, grader=danger)
    reply = await asyncio.wait_for(engine.answer(text, USER), 30)
    assert (reply.reply_id, reply.kind) == ("emergency_help", "safety")
    assert len(hanging.asked) == 1  # it was asked, and not waited for
    # Someone hurt keeps the first-aid reply, whatever the model reads.
    hurt = FakeParser(default=[("injured_now", 0.9), ("everyday", 0.05)])
    reply = await fake_engine(reading, grader=hurt).answer("my mate got stabbed hes bleeding", USER)
    assert reply.reply_id == "emergency_first_aid"


@pytest.mark.parametrize(
    ("text", "nlu", "grades", "expected"),
    [
        # The model reads an emergency, the time words say it is over, nothing else is clear.
        (
            "a lad pulled a blade on me back in second year",
            [("emergency_help", 0.7), ("greet", 0.05)],
            [("past", 0.9), ("danger_now", 0.05)],
            "support_after_violence",
        ),
        # Over, and the model's other reading is clear enough for an answer of its own (here
        # the support overview, with losing someone among its buttons): that answer stands.
        (
            "my cousin got stabbed last year and he died, i miss him",
            [("emergency_first_aid", 0.5), ("support_bereavement", 0.45)],
            [("past", 0.95)],
            "menu_support",
        ),
        # Not over, only everyday: nothing is made up.
        (
            "this maths homework is killing me",
            [("emergency_help", 0.6), ("greet", 0.05)],
            [("everyday", 0.95)],
            "fallback",
        ),
    ],
)
async def test_an_emergency_the_safety_net_says_is_over_gets_the_support_after_violence(
    fake_engine: Callable[..., Engine],
    text: str,
    nlu: list[tuple[str, float]],
    grades: list[tuple[str, float]],
    expected: str,
) -> None:
    engine = fake_engine(FakeParser(default=nlu), grader=FakeParser(default=grades))
    reply = await engine.answer(text, USER)
    assert reply.reply_id == expected, (reply.reply_id, reply.kind)
    assert reply.topic != "emergency"
