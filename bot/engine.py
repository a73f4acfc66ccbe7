"""The engine: from what someone typed (or tapped) to the reply they get.

Every channel (Telegram, the terminal shell, `ask`) calls the same `Engine`, so what the tests
see is what young people get. For typed text the order is fixed:

0. the text is made plain (`bot.text`): look-alike letters, invisible characters and odd
   Unicode forms are folded, so rules and model see the word the person meant;
1. commands ("/start") are looked up directly and never reach the model;
2. the safety net (`bot.safety`) grades emergencies and self-harm from its rules and its own
   small classifier; what it decides comes first, whatever the NLU model thinks;
3. the NLU model ranks the intents;
4. the confidence policy answers, answers at topic level when the intents are unsure but the
   topic is clear, asks which of the top candidates was meant, or says honestly that it did
   not understand. Whatever it does, the number a topic promises is in the reply;
5. the reply comes from the curated content, fitted to a stated age where the content has
   words for that age.

The engine knows nothing about Telegram and stores nothing itself: what happened is handed to
a `Memory` (the database, or nothing), without the message text.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Literal, Protocol

from bot.content import Area, Content, ContentReply, ContentStore
from bot.content.schema import CLEAR_EMERGENCY_REPLIES
from bot.nlu import NLUUnavailable, Parse, Parser
from bot.numbers import ADULT, AGE_16_17, age_band, name_numbers, stated_age
from bot.safety import SafetyNet, SafetyPolicy, Verdict
from bot.text import plain

log = logging.getLogger(__name__)

Kind = Literal["safety", "answer", "topic", "clarify", "fallback", "button", "command", "system"]
OUT_OF_SCOPE = "out_of_scope"
# Rasa's FallbackClassifier adds this intent when no intent is confident enough.
NLU_FALLBACK = "nlu_fallback"
# Intents answered even when the model is unsure, because missing them costs more than an
# unneeded helpline. (emergency_deaf is information about texting 999, not a call for help.)
URGENT_INTENTS = (
    "emergency_help",
    "emergency_first_aid",
    "crisis_self_harm",
    "crisis_suicidal",
    "crisis_friend",
)
# The NLU model's intents that get the emergency reply (999 first). The safety net has the last
# word on them: when it says a message is about something over or everyday, they are not given.
EMERGENCIES = ("emergency_help", "emergency_first_aid")
# When it says the event is over, the same goes for "how do I report something happening right
# now", which starts with 999: "i saw a knife at school last week, should i tell someone" is a
# question for the other reporting answers.
REPORT_NOW = ("report_now",)
# A clear emergency that the model reads as "how do I report this, it's happening now" with
# at least this confidence gets that reply (999 first, then Crimestoppers for afterwards)
# instead of the reply for someone in danger. On writers left out in groups (bench/
# fast_lowo.py --groups 8), 0.3, 0.5 and 0.7 gave the same answers: 34 of 278 such questions
# more answered in their own topic, and 5 of 232 written for the danger reply given this one.
REPORT_NOW_AT = 0.5
# ...but the model is not waited for long: when it is slow or down (a remote NLU server that
# does not answer), the reply for danger now goes without it.
EMERGENCY_MODEL_WAIT = 0.5
# The model read an emergency, but the time words say it is over ("back in second year a lad
# pulled a blade on me"), and nothing else in the ranking is clear: the reply for someone
# hurt or threatened before, rather than "Sorry, I'm not sure I understood".
AFTER_VIOLENCE = "support_after_violence"
# The crisis intents: when the safety net is sure a message is everyday or about something
# over ("cut my hair", "dying of laughter"), they are not given either.
CRISES = ("crisis_self_harm", "crisis_suicidal", "crisis_friend")
# Greetings, thanks and questions about the bot are answered only when the model is sure: an
# unsure "hello or goodbye?" helps nobody, so a message that is neither ("k", "😂", "bonjour")
# gets the honest fallback with the menus instead.
SMALLTALK = "smalltalk"
# When the intents are unsure but the topic is clear, this reply gives an overview of the
# topic with its buttons. Emergency and crisis have no overview: their own replies are short
# and carry their numbers.
TOPIC_OVERVIEWS = {
    "consequences": "menu_law",
    "support": "menu_support",
    "reporting": "menu_report",
}
# Short lines (in content/replies/) added to a reply so that it never loses the number its
# topic promises: a clarifying question that may be about reporting still gives Crimestoppers.
PROMISE_LINES = {
    "reporting": "reporting_line",
    "crisis": "crisis_line",
    "emergency": "urgent_banner",
}
URGENT_BANNER = "urgent_banner"
# ...and the stronger line for someone in crisis who may be hurt now: an ambulance, plainly.
HURT_BANNER = "urgent_banner_hurt"
# "If you're under 16" is the wrong answer for someone who has just said they are 17: they get
# the general answer, with the words for their age.
AGE_INSTEAD = {
    ("law_under_16", AGE_16_17): "law_carrying",
    ("law_under_16", ADULT): "law_carrying",
}
COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s|$)")
# The model only needs the gist; very long messages are cut before it sees them (the safety
# net still reads the whole message).
MODEL_CHARS = 1000


@dataclass(frozen=True)
class User:
    """Who is asking: the channel and that channel's id for them (never stored as it is)."""

    channel: str
    id: str


@dataclass(frozen=True)
class Button:
    reply_id: str
    label: str


@dataclass(frozen=True)
class Reply:
    """What the young person gets back, with why it was chosen."""

    topic: str
    intent: str | None
    confidence: float
    text: str
    buttons: tuple[Button, ...]
    reply_id: str
    kind: Kind
    action: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "text": self.text,
            "buttons": [{"id": b.reply_id, "label": b.label} for b in self.buttons],
        }

    @property
    def invites_feedback(self) -> bool:
        """Answers to real questions can be rated; menus and system messages cannot."""
        return self.kind in ("answer", "button") and not self.reply_id.startswith("menu_")


@dataclass(frozen=True)
class Event:
    """One reply given, as it is remembered: no message text, no raw user id."""

    user: User
    at: datetime
    topic: str
    intent: str | None
    confidence: float
    fell_back: bool
    reply_id: str
    kind: str
    not_understood: str | None = None


class Memory(Protocol):
    """What the engine asks of storage. The database implements it; `NoMemory` does nothing."""

    def record(self, event: Event) -> None: ...

    async def forget(self, user: User) -> bool: ...

    async def area(self, user: User) -> str | None: ...

    async def remember_area(self, user: User, area: str) -> None: ...


class NoMemory:
    """Remembers nothing: for `ask` and for tests that do not look at storage."""

    def record(self, event: Event) -> None:
        return None

    async def forget(self, user: User) -> bool:
        return True

    async def area(self, user: User) -> str | None:
        return None

    async def remember_area(self, user: User, area: str) -> None:
        return None


@dataclass(frozen=True)
class Decision:
    kind: Literal["answer", "topic", "clarify", "fallback"]
    intents: tuple[str, ...] = ()
    confidence: float = 0.0
    topic: str | None = None


@dataclass(frozen=True)
class ConfidencePolicy:
    """When to answer, when to ask which was meant, and when to admit not understanding.

    answer_at: the top intent must be at least this sure to be answered directly...
    margin:    ...and this far ahead of the second, or the two are offered as buttons.
    clarify_at: below answer_at but above this, the top candidates are offered as buttons.
    urgent_at: emergency and crisis intents are answered from this confidence, because
               missing them costs more than an unneeded helpline.
    topic_at:  when no intent is sure enough, but the intents of one topic together hold
               this much of the confidence, and this much more than any other topic
               (topic_margin), the topic's overview is given instead of a clarifying
               question: it offers the likely intents as buttons and carries the topic's
               number.
    Small talk (greetings, thanks, questions about the bot) has no overview and is never
    offered as a clarifying question: unsure small talk gets the fallback.

    The values were chosen on leave-one-writer-out predictions (`python -m bot evaluate`
    writes them; `bench/safety_thresholds.py --policy` sweeps these values on them), never
    on the blind writers: answering at topic level from 0.4 of the confidence and asking
    from 0.15 answered 0.5 points more messages in the right topic than 0.6 and 0.25, with
    answer_at and margin making no difference.
    """

    answer_at: float = 0.55
    margin: float = 0.15
    clarify_at: float = 0.15
    urgent_at: float = 0.25
    topic_at: float = 0.4
    topic_margin: float = 0.1
    candidates: int = 3

    def decide(self, parse: Parse, topic_of: Callable[[str], str | None]) -> Decision:
        ranking = [s for s in parse.ranking if s.name != NLU_FALLBACK]
        if not ranking:
            return Decision("fallback")
        top = ranking[0]
        if top.name == OUT_OF_SCOPE:
            return Decision("fallback", (OUT_OF_SCOPE,), top.confidence)
        if top.name in URGENT_INTENTS and top.confidence >= self.urgent_at:
            return Decision("answer", (top.name,), top.confidence, topic_of(top.name))
        second = ranking[1].confidence if len(ranking) > 1 else 0.0
        if top.confidence >= self.answer_at and top.confidence - second >= self.margin:
            return Decision("answer", (top.name,), top.confidence, topic_of(top.name))
        topics: dict[str, float] = {}
        for score in ranking:
            topic = topic_of(score.name) if score.name != OUT_OF_SCOPE else "fallback"
            if topic is not None:
                topics[topic] = topics.get(topic, 0.0) + score.confidence
        # (no topic at all when the model names only intents that have no reply)
        ordered = sorted(topics.items(), key=lambda item: item[1], reverse=True) or [("", 0.0)]
        best_topic, mass = ordered[0]
        runner_up = ordered[1][1] if len(ordered) > 1 else 0.0
        if (
            mass >= self.topic_at
            and mass - runner_up >= self.topic_margin
            and best_topic in TOPIC_OVERVIEWS
        ):
            same = [s.name for s in ranking if topic_of(s.name) == best_topic]
            return Decision("topic", tuple(same[: self.candidates]), mass, best_topic)
        if top.confidence >= self.clarify_at and topic_of(top.name) != SMALLTALK:
            picked = [
                s.name
                for s in ranking[: self.candidates]
                if s.name != OUT_OF_SCOPE
                and (s is top or s.confidence >= self.clarify_at / 2)
                and topic_of(s.name) not in (None, SMALLTALK)
            ]
            if len(picked) >= 2:
                # Unsure between an emergency and something else: the safety net, which reads
                # every message first, saw no danger now (or there would be 999 above this),
                # so the emergency is offered as a choice but not led with.
                picked.sort(key=lambda name: topic_of(name) == "emergency")
                return Decision("clarify", tuple(picked), top.confidence, topic_of(picked[0]))
            if picked and top.confidence >= self.answer_at:
                return Decision("answer", (top.name,), top.confidence, topic_of(top.name))
        return Decision("fallback", (), top.confidence)


@dataclass
class Engine:
    """Answers messages and button taps for every channel."""

    content: ContentStore
    parser: Parser
    safety: SafetyNet = field(default_factory=SafetyNet)
    policy: ConfidencePolicy = field(default_factory=ConfidencePolicy)
    memory: Memory = field(default_factory=NoMemory)
    # The safety net's second stage: a classifier over safety grades (nlu/safety/). Without
    # it the rules decide alone, as cautiously as they can.
    grader: Parser | None = None
    safety_policy: SafetyPolicy = field(default_factory=SafetyPolicy)
    # Staff may opt in to keeping not-understood questions; they are redacted by this
    # function before they leave the engine.
    redact: Callable[[str], str] | None = None

    async def answer(self, text: str, user: User) -> Reply:
        """The reply to a typed message."""
        started = time.perf_counter()
        content = self.content.current()
        text = plain(text)
        reply = await self._answer(content, text, user)
        not_understood = None
        if reply.kind in ("fallback", "clarify") and self.redact and text:
            not_understood = self.redact(text)
        if reply.action != "forget":  # after /forget, nothing about this person is kept
            self._record(reply, user, started, not_understood)
        return reply

    async def show(self, reply_id: str, user: User) -> Reply:
        """The reply behind a button: straight from the content, never through the model."""
        started = time.perf_counter()
        content = self.content.current()
        if reply_id not in content.replies:
            # A button from an older version of the content that has since been removed.
            reply = self._reply(content, "fallback", None, 0.0, "fallback")
        else:
            reply = await self._content_reply(content, reply_id, None, 1.0, "button", user, "")
        self._record(reply, user, started)
        return reply

    def system(self, reply_id: str, user: User | None = None) -> Reply:
        """A message the bot sends on its own (not text, slow down, errors...).

        When it answers something a person sent (a sticker, say), pass `user` so it counts in
        the statistics like any other reply.
        """
        started = time.perf_counter()
        reply = self._reply(self.content.current(), reply_id, None, 1.0, "system")
        if user is not None:
            self._record(reply, user, started)
        return reply

    async def assess(self, text: str) -> Verdict:
        """The safety net's verdict on a message: its rules, then its classifier."""
        signals = self.safety.scan(text)
        grades: Mapping[str, float] | None = None
        if self.grader is not None:
            try:
                graded = await self.grader.parse(model_text(text))
            except NLUUnavailable as exc:
                log.error("the safety classifier is unavailable; the rules decide alone: %s", exc)
            else:
                grades = {score.name: score.confidence for score in graded.ranking}
        return self.safety_policy.decide(signals, grades)

    async def _answer(self, content: Content, text: str, user: User) -> Reply:
        if not text:
            return self._reply(content, "empty", None, 1.0, "fallback")
        if text.startswith("/"):
            return await self._command(content, text, user)
        # The safety net comes first: a clear emergency gets a reply that starts with 999
        # (the model is asked only which of two such replies fits best).
        verdict = await self.assess(text)
        if verdict.emergency == "clear":
            reply_id = await self._clear_emergency_reply(content, text, verdict.emergency_reply)
            reply = self._reply(content, reply_id, reply_id, 1.0, "safety")
            if verdict.crisis:
                reply = self._with_line(content, reply, "crisis_line", first=False)
            return reply
        if verdict.crisis:
            reply = self._reply(content, verdict.crisis, verdict.crisis, 1.0, "safety")
        else:
            try:
                parse = await self.parser.parse(model_text(text))
            except NLUUnavailable as exc:
                log.error("NLU unavailable, answering with the fallback: %s", exc)
                reply = self._reply(content, "fallback", None, 0.0, "fallback")
            else:
                read_as = parse.top
                if verdict.settled:
                    parse = _without(parse, EMERGENCIES)
                if verdict.over:
                    parse = _without(parse, REPORT_NOW)
                if verdict.calm:
                    parse = _without(parse, CRISES)
                band = age_band(stated_age(text))
                reply = await self._understood(content, parse, user, text, band)
                if (
                    reply.kind == "fallback"
                    and verdict.over
                    and read_as is not None
                    and read_as.name in EMERGENCIES
                    and AFTER_VIOLENCE in content.replies
                ):
                    reply = await self._content_reply(
                        content,
                        AFTER_VIOLENCE,
                        read_as.name,
                        read_as.confidence,
                        "answer",
                        user,
                        text,
                    )
        if verdict.emergency == "uncertain" and reply.topic != "emergency":
            hurt = verdict.crisis is not None and verdict.emergency_reply == "emergency_first_aid"
            reply = self._with_line(
                content, reply, HURT_BANNER if hurt else URGENT_BANNER, first=True
            )
        return reply

    async def _clear_emergency_reply(self, content: Content, text: str, reply_id: str) -> str:
        """The reply to a clear emergency: the safety net's choice, unless it chose the reply
        for danger now and the model reads the message as asking how to report something
        happening right now ("theres a lad wiv a knife outside the chippy rn, 999 or 101?").
        That reply (one of CLEAR_EMERGENCY_REPLIES) also starts with 999, as `python -m bot
        check` makes sure, and then says how to pass on what they saw without giving a name."""
        if reply_id != "emergency_help":
            return reply_id
        try:
            parse = await asyncio.wait_for(
                self.parser.parse(model_text(text)), EMERGENCY_MODEL_WAIT
            )
        except (NLUUnavailable, asyncio.TimeoutError):
            return reply_id
        top = parse.top
        if (
            top is not None
            and top.name in CLEAR_EMERGENCY_REPLIES
            and top.name in content.replies
            and top.confidence >= REPORT_NOW_AT
        ):
            return top.name
        return reply_id

    async def _understood(
        self, content: Content, parse: Parse, user: User, text: str, band: str | None
    ) -> Reply:
        """The reply the NLU model's ranking leads to, through the confidence policy."""

        def topic_of(intent: str) -> str | None:
            reply = content.replies.get(intent)
            return reply.topic if reply else None

        decision = self.policy.decide(parse, topic_of)
        top = decision.intents[0] if decision.intents else None
        if (
            decision.kind == "topic"
            and band
            and top in content.replies
            and content.replies[top].for_ages
        ):
            # Unsure which question about the law it is, but the person said how old they
            # are: the top answer with the words for their age says more than an overview.
            decision = replace(decision, kind="answer")
        if decision.kind == "answer":
            intent = decision.intents[0]
            if intent not in content.replies:
                log.warning("the model knows intent %r but the content has no reply for it", intent)
                return self._reply(content, "fallback", intent, decision.confidence, "fallback")
            shown = AGE_INSTEAD.get((intent, band or ""), intent)
            reply = await self._content_reply(
                content, shown, intent, decision.confidence, "answer", user, text
            )
            return self._for_age(content, reply, band)
        if decision.kind == "topic" and decision.topic:
            overview = self._reply(
                content,
                TOPIC_OVERVIEWS[decision.topic],
                decision.intents[0],
                decision.confidence,
                "topic",
            )
            offered = tuple(
                Button(intent, content.replies[intent].title) for intent in decision.intents
            )
            rest = tuple(b for b in overview.buttons if b.reply_id not in decision.intents)
            return replace(overview, buttons=offered + rest)
        if decision.kind == "clarify":
            base = self._reply(
                content, "clarify", decision.intents[0], decision.confidence, "clarify"
            )
            offered = tuple(
                Button(intent, content.replies[intent].title) for intent in decision.intents
            )
            extra = tuple(b for b in base.buttons if b.reply_id not in decision.intents)
            reply = replace(base, topic=decision.topic or base.topic, buttons=offered + extra)
            # The question must not lose a number that any of its candidates promises.
            topics = {topic_of(intent) for intent in decision.intents}
            for topic, line in PROMISE_LINES.items():
                if topic in topics and line != URGENT_BANNER:
                    reply = self._with_line(content, reply, line, first=False)
            # A question between emergencies starts with 999, as every emergency answer does.
            if reply.topic == "emergency":
                reply = self._with_line(content, reply, URGENT_BANNER, first=True)
            return reply
        fallback_id = OUT_OF_SCOPE if decision.intents == (OUT_OF_SCOPE,) else "fallback"
        top_intent = parse.top.name if parse.top else None
        return self._reply(content, fallback_id, top_intent, decision.confidence, "fallback")

    @staticmethod
    def _with_line(content: Content, reply: Reply, line_id: str, first: bool) -> Reply:
        """The reply with a short line from the content before or after it (a helpline inside
        an emergency reply, 999 above an answer that may be about danger now)."""
        line = content.replies.get(line_id)
        if line is None or line.text in reply.text:
            return reply
        text = f"{line.text}\n\n{reply.text}" if first else f"{reply.text}\n\n{line.text}"
        return replace(reply, text=text)

    @staticmethod
    def _for_age(content: Content, reply: Reply, band: str | None) -> Reply:
        """A reply with its words for the person's stated age, where the content has them
        (placed after the first paragraph)."""
        item = content.replies.get(reply.reply_id)
        words = item.for_ages.get(band) if item and band else None
        if not words:
            return reply
        first, sep, rest = reply.text.partition("\n\n")
        return replace(reply, text=f"{first}\n\n{words}{sep}{rest}")

    async def _command(self, content: Content, text: str, user: User) -> Reply:
        match = COMMAND.match(text)
        command = content.commands.get(match.group(1).lower()) if match else None
        if command is None:
            return self._reply(content, "unknown_command", None, 1.0, "command")
        if command.action == "forget":
            done = await self.memory.forget(user)
            reply_id = "forget_done" if done else "forget_later"
            return self._reply(content, reply_id, None, 1.0, "command", action="forget")
        if command.action == "hide":
            # Only a channel can delete messages; it sends hide_done or hide_nothing itself.
            return self._reply(content, "hide_done", None, 1.0, "command", action="hide")
        assert command.reply is not None  # the content check guarantees reply or action
        return await self._content_reply(content, command.reply, None, 1.0, "command", user, "")

    async def _content_reply(
        self,
        content: Content,
        reply_id: str,
        intent: str | None,
        confidence: float,
        kind: Kind,
        user: User,
        text: str,
    ) -> Reply:
        reply = self._reply(content, reply_id, intent, confidence, kind)
        if reply_id == "support_local":
            return await self._local(content, reply, user, text)
        return reply

    async def _local(self, content: Content, reply: Reply, user: User, text: str) -> Reply:
        """Support near the person: from the area they name now, or the one they chose before."""
        area = content.find_area(text) if text else None
        if area is not None:
            await self.memory.remember_area(user, area.key)
        else:
            remembered = await self.memory.area(user)
            area = content.areas.get(remembered) if remembered else None
        if area is None:
            return reply
        found = content.replies.get("support_local_found")
        intro = found.text if found else ""
        listing = local_services_text(content, area)
        return Reply(
            topic=reply.topic,
            intent=reply.intent,
            confidence=reply.confidence,
            text=f"{listing}\n\n{intro}".strip(),
            buttons=buttons_of(content, found) if found else reply.buttons,
            reply_id=reply.reply_id,
            kind=reply.kind,
        )

    @staticmethod
    def _reply(
        content: Content,
        reply_id: str,
        intent: str | None,
        confidence: float,
        kind: Kind,
        action: str | None = None,
    ) -> Reply:
        item: ContentReply = content.reply(reply_id)
        return Reply(
            topic=item.topic,
            intent=intent,
            confidence=confidence,
            text=item.text,
            buttons=buttons_of(content, item),
            reply_id=item.id,
            kind=kind,
            action=action,
        )

    def _record(
        self, reply: Reply, user: User, started: float, not_understood: str | None = None
    ) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        log.info(
            "reply channel=%s kind=%s topic=%s intent=%s confidence=%.2f reply=%s ms=%.1f",
            user.channel,
            reply.kind,
            reply.topic,
            reply.intent,
            reply.confidence,
            reply.reply_id,
            elapsed,
        )
        self.memory.record(
            Event(
                user=user,
                at=datetime.now(timezone.utc),
                topic=reply.topic,
                intent=reply.intent,
                confidence=reply.confidence,
                fell_back=reply.kind in ("fallback", "clarify"),
                reply_id=reply.reply_id,
                kind=reply.kind,
                not_understood=not_understood,
            )
        )


def _without(parse: Parse, intents: tuple[str, ...]) -> Parse:
    """The model's ranking without the intents the safety net has ruled out. The confidence
    of the rest is left as it was: the model was no surer of them than it said."""
    return Parse(tuple(s for s in parse.ranking if s.name not in intents))


def model_text(text: str) -> str:
    """What the models read of a message: its start, with phone numbers named."""
    return name_numbers(text[:MODEL_CHARS])


def local_services_text(content: Content, area: Area) -> str:
    """The services for an area, grouped from the nearest area outwards."""
    sections: list[str] = []
    shown: set[str] = set()
    for place in [*content.area_chain(area), None]:
        key = place.key if place else "everywhere"
        lines = []
        for service in content.services:
            if key not in service.areas or service.contact in shown:
                continue
            shown.add(service.contact)
            contact = content.contacts[service.contact]
            how = contact.phone or contact.web or contact.text or ""
            lines.append(f"• {contact.name}: {service.what}. {how}".strip())
        if lines:
            heading = f"In {place.name}:" if place else "Wherever you are:"
            sections.append("\n".join([heading, *lines]))
    return "\n\n".join(sections)


def buttons_of(content: Content, reply: ContentReply) -> tuple[Button, ...]:
    """A reply's follow-up buttons, labelled with the titles of the replies they lead to."""
    return tuple(
        Button(target, content.replies[target].title)
        for target in reply.buttons
        if target in content.replies
    )
