"""Redaction of not-understood questions: an allow-list, measured on the probe messages."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.redact import redact
from tests.conftest import ROOT

PROBES = yaml.safe_load((ROOT / "bench" / "redaction_probes.yml").read_text(encoding="utf-8"))


def test_the_details_the_old_redaction_leaked_are_gone() -> None:
    cases = {
        "tell kwesi to stop carrying": "kwesi",
        "mr patel searched my bag": "patel",
        "someone at st bartholomews academy has a knife": "bartholomews",
        "add me jay_boi07": "jay_boi07",
        "he posts on t.me/jayboy": "jayboy",
        "jaz dot m at gmail dot com": "jaz",
        "dob 3rd march 2010": "3rd march",
        "im 15 born 12/03/2011": "2011",
        "i live at 14 elmwood road": "elmwood",
    }
    for text, detail in cases.items():
        assert detail not in redact(text).lower(), text


def test_at_most_two_of_the_probe_messages_leak_a_detail() -> None:
    leaks = []
    for probe in PROBES["probes"]:
        out = redact(probe["text"]).lower()
        leaks += [(probe["text"], leak) for leak in probe["leaks"] if str(leak).lower() in out]
    assert len(PROBES["probes"]) >= 100
    # The two left are names that are also everyday words ("precious") or very common in
    # English text ("shaq"): the measured figure, kept from getting worse.
    assert len(leaks) <= 2, leaks


def test_a_word_only_one_training_writer_used_is_not_allowed(tmp_path: Path) -> None:
    """Writers give their friends first names; each picks their own. A word only one writer
    used ("zainab") is taken out; one that two writers used ("bredrin") is the bot's slang."""
    from bot.redact import make_redactor

    content = tmp_path / "content"
    content.mkdir()
    (content / "replies.yml").write_text("- text: Talk to someone you trust.\n", encoding="utf-8")
    data = tmp_path / "nlu" / "data"
    data.mkdir(parents=True)
    (tmp_path / "nlu" / "safety" / "data").mkdir(parents=True)
    block = "- intent: everyday\n  metadata:\n    writer: {}\n  examples: |\n    - {}\n"
    (data / "a.yml").write_text(
        "version: '3.1'\nnlu:\n"
        + block.format("w1", "zainab and my bredrin ate cake")
        + block.format("w2", "my bredrin is bare moody"),
        encoding="utf-8",
    )
    (tmp_path / "nlu" / "safety" / "data" / "b.yml").write_text(
        "version: '3.1'\nnlu:\n" + block.format("w3", "tell kwabs im on my way"),
        encoding="utf-8",
    )
    redact = make_redactor(content, data)
    assert redact("zainab and my bredrin said trust") == "[word] and my bredrin said trust"
    assert redact("tell kwabs") == "tell [word]"


def test_ordinary_questions_keep_the_words_staff_need() -> None:
    for probe in PROBES["keep"]:
        out = redact(probe["text"]).lower()
        assert all(word in out for word in probe["kept"]), (probe["text"], out)


def test_ages_and_school_years_are_kept_but_long_numbers_are_not() -> None:
    assert redact("im 16 and in year 11") == "im 16 and in year 11"
    assert "[number]" in redact("my code is 4821")


async def test_questions_are_kept_redacted_when_staff_turn_it_on_and_never_otherwise(
    tmp_path: Path,
) -> None:
    """The bot as make_engine builds it (the fault was there: it never passed the redaction)."""
    from sqlalchemy import select

    from bot.engine import User
    from bot.settings import Settings
    from bot.startup import make_engine
    from bot.storage.store import Store
    from bot.storage.tables import not_understood
    from tests.conftest import FakeParser

    asked = "tell kwesi from kingsmead school to ring 07700 900123"
    for collect, expected in (("no", []), ("yes", ["tell [word] from [school] to ring [number]"])):
        url = f"sqlite:///{tmp_path / f'bot-{collect}.sqlite3'}"
        settings = Settings.from_env(
            {"COLLECT_NOT_UNDERSTOOD": collect, "DATABASE_URL": url, "VAR_DIR": str(tmp_path)},
            root=ROOT,
        )
        store = Store.open(url, b"key")
        engine = make_engine(settings, FakeParser(), store)
        reply = await engine.answer(asked, User("telegram", "5550001234"))
        assert reply.kind == "fallback"
        assert store.flush()
        with store.engine.connect() as conn:
            kept = list(conn.execute(select(not_understood.c.text)).scalars())
        store.close()
        assert kept == expected, collect
