"""Ages and phone numbers in a message (bot/numbers.py)."""

from __future__ import annotations

import pytest

from bot.numbers import ADULT, AGE_16_17, UNDER_16, age_band, name_numbers, stated_age


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("is 116 123 free to call", "is samaritans free to call"),
        ("is 116123 open at night", "is samaritans open at night"),
        ("whats 0800 1111 for", "whats childline for"),
        ("can i ring 0800 555 111 from a mobile", "can i ring crimestoppers from a mobile"),
        ("do i text 85258", "do i text shout text line"),
        ("should i ring 999 or 101", "should i ring 999 emergency or 101 police non emergency"),
        ("is 18001 101 for deaf people", "is textphone police non emergency for deaf people"),
    ],
)
def test_the_numbers_the_bot_gives_are_named_for_the_model(text: str, named: str) -> None:
    assert name_numbers(text) == named


@pytest.mark.parametrize(
    "text",
    ["whats 2+2", "im 16", "room 1016", "i got 9999 points", "£101", "got 999 points", "101 quid"],
)
def test_other_numbers_are_left_alone(text: str) -> None:
    assert name_numbers(text) == text


@pytest.mark.parametrize(
    ("text", "age", "band"),
    [
        ("im 14 and got caught with a knife", 14, UNDER_16),
        ("i'm only fifteen", 15, UNDER_16),
        ("my son is 15 and the police caught him", 15, UNDER_16),
        ("im in year 9", 13, UNDER_16),
        ("im 17 what happens", 17, AGE_16_17),
        ("a 16 year old got arrested", 16, AGE_16_17),
        ("im 19, what happens if im caught with a blade", 19, ADULT),
    ],
)
def test_a_stated_age_chooses_the_band(text: str, age: int, band: str) -> None:
    assert stated_age(text) == age
    assert age_band(stated_age(text)) == band


@pytest.mark.parametrize(
    "text",
    [
        "what happens if you get caught with a knife",
        "im 5 foot 2",
        "hes 16 stone",
        "is 101 free",
        "im on 2% battery",
        "in year 11 now",
    ],
)
def test_no_age_is_read_where_none_was_given(text: str) -> None:
    assert stated_age(text) is None
    assert age_band(stated_age(text)) is None
