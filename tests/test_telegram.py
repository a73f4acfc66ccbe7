"""The Telegram bot end to end over real HTTP: the real Application against the stand-in API."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.content import ContentStore
from bot.nlu import IntentScore, Parse, RasaParser
from bot.storage.tables import feedback
from bot.telegram.conversation import FloodGuard
from bot.telegram.layout import split_text
from tests.botapi import BOT_ID, BOT_USERNAME, BotAPI
from tests.conftest import FakeParser
from tests.telegram_harness import running_bot

SAM = 1001


@pytest.fixture
def api() -> Iterator[BotAPI]:
    with BotAPI() as server:
        yield server


async def test_start_shows_the_welcome_and_the_menu(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    async with running_bot(api, tmp_path, FakeParser(), content_store):
        api.message(SAM, "/start")
        (welcome,) = await api.messages_to(SAM, 1)
        assert "not the police" in welcome.text and "999" in welcome.text
        labels = [label for label, _ in welcome.buttons]
        assert "Knives and the law" in labels and "Report something" in labels
        # The command menu was published for private chats (and a shorter one for groups).
        assert {c["command"] for c in api.state.commands["all_private_chats"]} >= {
            "start", "help", "menu", "law", "support", "report", "emergency", "privacy", "forget", "hide",
        }  # fmt: skip
        assert "forget" not in {c["command"] for c in api.state.commands["all_group_chats"]}
        # Tapping a menu button shows that menu, without the model, and the tap is answered.
        data = dict(welcome.buttons)["Report something"]
        api.tap(SAM, welcome, data)
        menu = (await api.messages_to(SAM, 2))[1]
        assert "0800 555 111" in menu.text
        await api.until(lambda s: len(s.callback_answers) == 1)


@pytest.mark.model
async def test_a_free_text_question_in_each_topic(
    api: BotAPI, tmp_path: Path, rasa_parser: RasaParser, content_store: ContentStore
) -> None:
    questions = {
        "wot happens if i get caught wiv a blade": "4 years",
        "who can i talk to": "0800 1111",
        "how do i report someone without them knowing": "0800 555 111",
        "my mate just got stabbed hes bleeding": "999",
        "i want to kill myself": "116 123",
        "hiya": "What would you like to know",
        "whats the weather like tomorrow": "can't help with that",
    }
    async with running_bot(api, tmp_path, rasa_parser, content_store):
        for index, (question, expected) in enumerate(questions.items()):
            chat = 2000 + index
            api.message(chat, question)
            (reply,) = await api.messages_to(chat, 1)
            assert expected in reply.text, (question, reply.text)
        emergency = api.sent_to(2003)[0]
        assert "999" in emergency.text.split("\n\n")[0]


async def test_a_vote_is_stored_once_and_its_buttons_go(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    parser = FakeParser({"how do i report": [("report_anonymous", 0.97)]})
    async with running_bot(api, tmp_path, parser, content_store) as (_, channel):
        api.message(SAM, "how do i report")
        (answer,) = await api.messages_to(SAM, 1)
        votes = [data for label, data in answer.buttons if label in ("👍", "👎")]
        assert len(votes) == 2
        api.tap(SAM, answer, votes[1])  # 👎
        await api.until(lambda s: s.edited_markup)
        chat, message_id, markup = api.state.edited_markup[0]
        assert (chat, message_id) == (SAM, answer.message_id)
        assert all(
            "👍" not in b["text"] for row in (markup or {}).get("inline_keyboard", []) for b in row
        )
        assert "Thanks for telling me." in [text for _, text in api.state.callback_answers]
        assert channel.store is not None and channel.store.flush()
        with channel.store.engine.connect() as conn:
            rows = conn.execute(select(feedback.c.reply_id, feedback.c.vote)).all()
        assert rows == [("report_anonymous", -1)]


NON_TEXT = {
    "sticker": {"sticker": {"file_id": "s1", "file_unique_id": "u1", "width": 512, "height": 512, "is_animated": False, "is_video": False, "type": "regular"}},
    "photo": {"photo": [{"file_id": "p1", "file_unique_id": "u2", "width": 90, "height": 90}]},
    "voice": {"voice": {"file_id": "v1", "file_unique_id": "u3", "duration": 3}},
    "video": {"video": {"file_id": "vd", "file_unique_id": "u4", "width": 1, "height": 1, "duration": 1}},
    "video_note": {"video_note": {"file_id": "vn", "file_unique_id": "u5", "length": 1, "duration": 1}},
    "audio": {"audio": {"file_id": "a1", "file_unique_id": "u6", "duration": 1}},
    "document": {"document": {"file_id": "d1", "file_unique_id": "u7"}},
    "animation": {"animation": {"file_id": "g1", "file_unique_id": "u8", "width": 1, "height": 1, "duration": 1}},
    "location": {"location": {"latitude": 51.55, "longitude": -0.11}},
    "contact": {"contact": {"phone_number": "+447700900123", "first_name": "Jo"}},
    "dice": {"dice": {"emoji": "🎲", "value": 3}},
    "poll": {"poll": {"id": "1", "question": "?", "options": [{"text": "a", "voter_count": 0, "persistent_id": "a"}, {"text": "b", "voter_count": 0, "persistent_id": "b"}], "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular", "allows_multiple_answers": False, "allows_revoting": False, "members_only": False}},
}  # fmt: skip


async def test_every_non_text_kind_gets_a_kind_answer(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    parser = FakeParser({"what does this mean": [("law_carrying", 0.9)]})
    async with running_bot(api, tmp_path, parser, content_store):
        for index, extra in enumerate(NON_TEXT.values()):
            api.message(3000 + index, None, extra=extra)
        for index, kind in enumerate(NON_TEXT):
            (reply,) = await api.messages_to(3000 + index, 1)
            assert "only read text" in reply.text, kind
        # A photo with a caption: the caption is a question like any other.
        api.message(3100, None, extra={**NON_TEXT["photo"], "caption": "what does this mean"})
        (reply,) = await api.messages_to(3100, 1)
        assert "4 years" in reply.text
        assert parser.asked == ["what does this mean"]


async def test_an_unreadable_update_is_skipped_not_stuck_on(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    async with running_bot(api, tmp_path, FakeParser(), content_store):
        # A poll in an older shape this library refuses to read, between two questions.
        api.message(SAM, "/law")
        api.message(
            SAM,
            None,
            extra={
                "poll": {
                    "id": "1",
                    "question": "?",
                    "options": [{"text": "a", "voter_count": 0}],
                    "total_voter_count": 0,
                    "is_closed": False,
                    "is_anonymous": True,
                    "type": "regular",
                    "allows_multiple_answers": False,
                }
            },
        )
        api.message(SAM, "/report")
        first, second = await api.messages_to(SAM, 2)
        assert "law" in first.text.lower() and "0800 555 111" in second.text


async def test_edited_messages_long_messages_and_html(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    parser = FakeParser({"is a lock knife legal": [("law_folding_knife", 0.9)]})
    async with running_bot(api, tmp_path, parser, content_store):
        api.message(SAM, "is a lock knife legal", edited=True)
        (edited,) = await api.messages_to(SAM, 1)
        assert "Lock knives" in edited.text
        api.message(SAM, "wot happens " * 500)  # 6,000 characters
        api.message(SAM, "<b>hi</b><script>alert(1)</script> &amp; *bold* _it_")
        replies = await api.messages_to(SAM, 3)
        assert all(len(r.text) <= 4096 for r in replies)
        assert all("<script>" not in r.text for r in replies)
        assert len(parser.asked[1]) == 1000  # the model saw the first 1,000 characters


async def test_group_chats_answer_only_commands_and_mentions(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    group = -5001
    parser = FakeParser(
        {
            "how do i report": [("report_anonymous", 0.95)],
            "i feel really low": [("crisis_suicidal", 0.8)],
        }
    )
    async with running_bot(api, tmp_path, parser, content_store):
        api.message(
            group,
            None,
            chat_type="group",
            extra={"new_chat_members": [{"id": BOT_ID, "is_bot": True, "first_name": "Helper"}]},
        )
        (hello,) = await api.messages_to(group, 1)
        assert "message me privately" in hello.text
        api.message(group, "lol did u see that", chat_type="group")
        api.message(group, "/law@SomeOtherBot", chat_type="group")
        _, mention_id = api.message(
            group,
            f"@{BOT_USERNAME} how do i report",
            chat_type="group",
            entities=[{"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}],
        )
        answer = (await api.messages_to(group, 2))[1]
        assert "0800 555 111" in answer.text and answer.reply_to == mention_id
        assert not any(label == "👍" for label, _ in answer.buttons)  # no votes in groups
        api.message(group, f"/law@{BOT_USERNAME}", chat_type="group")
        law = (await api.messages_to(group, 3))[2]
        assert "law" in law.text.lower()
        api.message(group, "/forget", chat_type="group")
        private = (await api.messages_to(group, 4))[3]
        assert "message me privately" in private.text
        # Personal topics get the answer and a pointer to a private chat.
        api.message(
            group,
            f"@{BOT_USERNAME} i feel really low",
            chat_type="group",
            entities=[{"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}],
        )
        crisis, pointer = (await api.messages_to(group, 6))[4:6]
        assert "116 123" in crisis.text and "message me privately" in pointer.text
        await asyncio.sleep(0.3)
        assert len(api.sent_to(group)) == 6  # the chatter and the other bot's command got nothing
        assert parser.asked == ["how do i report", "i feel really low"]


async def test_hide_deletes_both_sides_of_the_chat(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    async with running_bot(api, tmp_path, FakeParser(), content_store):
        _, first = api.message(SAM, "/start")
        await api.messages_to(SAM, 1)
        _, second = api.message(SAM, "/law")
        await api.messages_to(SAM, 2)
        bot_ids = [m.message_id for m in api.sent_to(SAM)]
        _, hide = api.message(SAM, "/hide")
        done = (await api.messages_to(SAM, 3))[2]
        assert "cleared" in done.text
        deleted = {m for chat, m in api.state.deleted if chat == SAM}
        assert {first, second, hide, *bot_ids} <= deleted
        # Someone with nothing to clear (only the /hide itself) is told so.
        api.message(SAM + 1, "/hide")
        (nothing,) = await api.messages_to(SAM + 1, 1)
        assert "nothing recent" in nothing.text.lower()


async def test_forget_through_telegram_leaves_nothing(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    from bot.storage.tables import events, hide_messages, users

    async with running_bot(api, tmp_path, FakeParser(), content_store) as (_, channel):
        api.message(SAM, "/law")
        await api.messages_to(SAM, 1)
        api.message(SAM, "/forget")
        (_, done) = await api.messages_to(SAM, 2)
        assert "deleted everything" in done.text
        store = channel.store
        assert store is not None and store.flush()
        with store.engine.connect() as conn:
            for table in (users, events, hide_messages):
                assert conn.execute(select(table)).all() == [], table.name


async def test_a_flood_gets_one_slow_down_but_a_cry_for_help_still_gets_through(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    flood = FloodGuard(limit=3, window=60)
    async with running_bot(api, tmp_path, FakeParser(), content_store, flood=flood):
        for _ in range(6):
            api.message(SAM, "/law")
        api.message(SAM, "someone is bleeding loads help")
        await api.messages_to(SAM, 5)
        await asyncio.sleep(0.3)
        texts = [m.text for m in api.sent_to(SAM)]
        assert len(texts) == 5
        assert sum("sending messages quickly" in t for t in texts) == 1
        assert "999" in texts[-1].split("\n\n")[0]


class SlowParser(FakeParser):
    """A model that takes its time on one message until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def parse(self, text: str) -> Parse:
        if text == "think hard":
            await self.release.wait()
            return Parse((IntentScore("law_carrying", 0.9),))
        return await super().parse(text)


async def test_typing_indicator_and_other_chats_are_not_held_up(
    api: BotAPI, tmp_path: Path, content_store: ContentStore
) -> None:
    parser = SlowParser()
    async with running_bot(api, tmp_path, parser, content_store, typing_after=0.05):
        api.message(SAM, "think hard")
        await api.until(lambda s: (SAM, "typing") in s.chat_actions)
        api.message(4242, "/report")
        (other,) = await api.messages_to(4242, 1)  # answered while the first chat still waits
        assert "0800 555 111" in other.text
        assert api.sent_to(SAM) == []
        parser.release.set()
        (slow,) = await api.messages_to(SAM, 1)
        assert "4 years" in slow.text


def test_split_text_cuts_cleanly() -> None:
    paragraph = "This is a sentence about staying safe. " * 30
    text = "\n\n".join([paragraph.strip()] * 8)
    parts = split_text(text)
    assert len(parts) > 1
    assert all(len(p) <= 4096 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert "".join(parts).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )
    assert split_text("x" * 9000) == ["x" * 4096, "x" * 4096, "x" * 808]


async def test_sighup_reloads_edited_content_at_once(
    api: BotAPI, tmp_path: Path, content_copy: Path
) -> None:
    import os
    import signal

    content = ContentStore(content_copy, check_every=3600)  # only a signal will reload it
    async with running_bot(api, tmp_path, FakeParser(), content):
        path = content_copy / "replies" / "smalltalk.yml"
        path.write_text(path.read_text().replace("Here's what I keep", "This is what I keep"))
        assert signal.getsignal(signal.SIGHUP) not in (signal.SIG_DFL, None)  # the bot set it
        os.kill(os.getpid(), signal.SIGHUP)
        await asyncio.sleep(0.2)
        api.message(SAM, "/privacy")
        (reply,) = await api.messages_to(SAM, 1)
        assert reply.text.startswith("This is what I keep")
