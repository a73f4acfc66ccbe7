"""What every message goes through before any rule or model reads it.

People (and the odd troll) write the same words in many ways: full-width or bold letters
("𝐛𝐥𝐞𝐞𝐝𝐢𝐧𝐠"), invisible characters inside words ("ble\u200beding"), or letters from another
alphabet that look the same (the Cyrillic "е" in "blееding"). The safety net and the model
must see the plain word, so `plain` folds all of these. A message really written in another
alphabet (it has letters with no Latin look-alike) is left as it is. Case, punctuation and
emoji stay: this changes how a word is written, never what it says.
"""

from __future__ import annotations

import re
import unicodedata

# Characters with no width that can hide inside a word: zero-width space, joiners, word
# joiner, soft hyphen, byte-order mark, Mongolian vowel separator.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff]")
# Control characters and line/paragraph separators become spaces (newlines are kept).
_CONTROL = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)

# Letters from Cyrillic and Greek that look like Latin ones. Folded only when the message is
# mostly written in Latin letters, so a message really written in Russian or Greek is left as
# it is.
_LOOK_ALIKES = {
    # Cyrillic, lower case
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ь": "b", "г": "r", "п": "n", "и": "u",
    # Cyrillic, upper case
    "А": "A", "В": "B", "Е": "E", "Ё": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ї": "I", "Ј": "J", "Ԁ": "D",
    "Һ": "H", "Ӏ": "I", "Ԛ": "Q", "Ԝ": "W",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}  # fmt: skip
_FOLD = str.maketrans(_LOOK_ALIKES)
_FOLDABLE = frozenset(_LOOK_ALIKES)


def plain(text: str) -> str:
    """NFKC, no invisible characters, look-alike letters folded, no control characters."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    if any(ch in _FOLDABLE for ch in text) and _disguised(text):
        text = text.translate(_FOLD)
    return text.strip()


def _disguised(text: str) -> bool:
    """True when the Cyrillic or Greek letters look like a disguise for Latin ones: the
    message is mostly Latin, or every such letter has a Latin look-alike."""
    latin = other = 0
    only_look_alikes = True
    for ch in text:
        if "a" <= ch.lower() <= "z":
            latin += 1
        elif ch.isalpha():
            other += 1
            only_look_alikes = only_look_alikes and ch in _FOLDABLE
    return latin >= other or only_look_alikes
