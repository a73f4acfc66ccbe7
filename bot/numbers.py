"""Numbers people type: ages, and the phone numbers they have seen on posters.

A stated age lets a reply about the law fit it. The law treats under-16s, 16 and 17-year-olds,
and adults differently (minimum sentences, buying knives, records): "im 17 and got caught with a
blade" and "my son is 14" get the words for that age. The NLU model does not need the age (it is
the same question at any age); the engine picks the reply's words for the band (`for_ages` in
content/README.md).

Phone numbers are the opposite: "is 101 free" and "is 116 123 free" are different questions,
but the model's word features turn every number into the same token, and the pieces of
"116 123" look like the "16" of "under 16". So before the model reads a message (in training
and when answering), each known number is named: a helpline's number becomes its name ("is
samaritans free"); 999 and 101, short and well known, keep their digits beside their names.
"""

from __future__ import annotations

import re

UNDER_16 = "under_16"
AGE_16_17 = "16_to_17"
ADULT = "18_plus"
BANDS = (UNDER_16, AGE_16_17, ADULT)

_NUMBER_WORDS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
_N = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
# Units that turn a number into something other than an age: "im 5 foot", "hes 16 stone".
_NOT_AGE = (
    r"(?!\s*(?:%|£|\$|pounds?|quid|p\b|mins?\b|minutes?|hours?|hrs?|secs?|seconds?|days?|weeks?|"
    r"months?|times|pm\b|am\b|inch|inches|cm|mm|feet|foot|ft|stone|kg|miles?|km|percent|grand|k\b|"
    r"on\b|of\b|out of|\d))"
)
_PATTERNS = [
    # "i'm 17", "im only 14", "my son is 15", "she's just turned 16", "aged 13", "age: 15"
    re.compile(
        r"\b(?:i\s?am|i'?m|iam|i\s+m|am|is|he'?s|she'?s|they'?re|was|turned|turning|aged?|age:?)"
        r"\s+(?:only\s+|just\s+|nearly\s+|almost\s+|now\s+|literally\s+|like\s+)*"
        + _N
        + r"\b"
        + _NOT_AGE,
        re.IGNORECASE,
    ),
    # "a 15 year old", "15yo", "15 y/o", "15yrs old", "fifteen-year-old"
    re.compile(
        _N + r"\s*(?:-\s*)?(?:yo\b|y/o\b|y\.o\b|yrs?\s*old|years?\s*old|year\s*old|yr\s*old|"
        r"-year-old|year-old)",
        re.IGNORECASE,
    ),
]
# "i'm in year 9": school years in England and Wales where the whole year group is in one age
# band (year 11 holds 15 and 16-year-olds, year 13 17 and 18-year-olds, so they say nothing).
_SCHOOL_YEAR = re.compile(r"\b(?:in|im in|i'm in)\s+(?:year|yr|y)\s?(7|8|9|10|12)\b", re.I)


_NOT_MONEY = r"(?!\s*(?:%|quid|pounds?\b|p\b|points?\b))"
# The numbers the bot gives, with the words the training data uses for their services.
_SERVICES = [
    (re.compile(r"\b18001 ?101\b"), "textphone police non emergency"),
    (re.compile(r"\b0800 ?555 ?111\b"), "crimestoppers"),
    (re.compile(r"\b0800 ?1111\b"), "childline"),
    (re.compile(r"\b116 ?123\b"), "samaritans"),
    (re.compile(r"\b85258\b"), "shout text line"),
    (re.compile(r"\b61016\b"), "british transport police text"),
    (re.compile(rf"(?<![£$])(?<!\d )\b999\b{_NOT_MONEY}"), "999 emergency"),
    (
        re.compile(rf"(?<![£$])(?<![\d ]\d{{5}} )(?<!\d{{5}} )\b101\b{_NOT_MONEY}"),
        "101 police non emergency",
    ),
]


def name_numbers(text: str) -> str:
    """`text` with every phone number the bot knows named (see above)."""
    for pattern, name in _SERVICES:
        text = pattern.sub(name, text)
    return text


def stated_age(text: str) -> int | None:
    """The age a message gives for the person it is about (10 to 25), if it gives one."""
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            value = match.group(1).lower()
            age = int(value) if value.isdigit() else _NUMBER_WORDS[value]
            if 10 <= age <= 25:
                return age
    school = _SCHOOL_YEAR.search(text)
    if school:
        return int(school.group(1)) + 4  # the younger age in that school year
    return None


def age_band(age: int | None) -> str | None:
    """under_16, 16_to_17 or 18_plus (None when no age was given)."""
    if age is None:
        return None
    if age < 16:
        return UNDER_16
    if age < 18:
        return AGE_16_17
    return ADULT
