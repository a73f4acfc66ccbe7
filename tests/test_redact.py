"""Redaction of not-understood questions: an allow-list, measured on the probe messages."""

from __future__ import annotations

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


def test_at_most_three_of_the_probe_messages_leak_a_detail() -> None:
    leaks = []
    for probe in PROBES["probes"]:
        out = redact(probe["text"]).lower()
        leaks += [(probe["text"], leak) for leak in probe["leaks"] if str(leak).lower() in out]
    assert len(PROBES["probes"]) >= 100
    # The three left are names that are also everyday words ("precious") or very common
    # in English text ("ayo", "shaq"): the measured figure, kept from getting worse.
    assert len(leaks) <= 3, leaks


def test_ordinary_questions_keep_the_words_staff_need() -> None:
    for probe in PROBES["keep"]:
        out = redact(probe["text"]).lower()
        assert all(word in out for word in probe["kept"]), (probe["text"], out)


def test_ages_and_school_years_are_kept_but_long_numbers_are_not() -> None:
    assert redact("im 16 and in year 11") == "im 16 and in year 11"
    assert "[number]" in redact("my code is 4821")
