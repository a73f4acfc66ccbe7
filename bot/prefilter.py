"""A cheap test that a regular expression cannot match, so that it need not be run.

The safety net runs a few hundred regular expressions on every message. Almost all of them need
some word that the message does not hold: a rule about a knife needs one of the knife words.
For each expression this works out, from the expression itself, a set of plain strings such
that every match holds at least one of them (`necessary`). A message that holds none of them
cannot match, and the expression is not run: the answer is the same, found faster. An
expression made of several parts needs one string from each part ("someone" ... "knife" ...
"outside"): up to `EXTRA` more sets are kept, and a message must hold a string of every set.

    rules = Prefilter([knife_rules, [one_pattern]])   # groups of patterns
    found = rules.candidates(text)                    # which patterns may match
    rules.first(knife_rules, text, found)             # the first that matches, or None
    rules.search(one_pattern, text, found)            # pattern.search(text), if it may match

An expression it cannot reason about (a case-insensitive one, a back-reference) is always run.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any

# The regular-expression parser: re's own modules under their new names from Python 3.11, where
# importing the old ones warns that they are deprecated.
if sys.version_info >= (3, 11):
    from re import _constants as c
    from re import _parser as sre_parse
else:
    import sre_constants as c
    import sre_parse

# Beyond this many strings, the exact strings of a piece of pattern are not multiplied out.
_MOST = 48


class _Info:
    """What a piece of a pattern can match.

    exact: every string it can match, when few (None when many or unknown);
    needed: strings of which every match holds one (None when nothing is known);
    also: more sets like `needed`, each from another part of the piece: every match holds a
    string of each of them too.
    """

    __slots__ = ("also", "exact", "needed")

    def __init__(
        self,
        exact: frozenset[str] | None,
        needed: frozenset[str] | None,
        also: tuple[frozenset[str], ...] = (),
    ) -> None:
        self.exact = exact
        self.needed = needed
        self.also = also

    def best(self) -> frozenset[str] | None:
        return _better(self.exact, self.needed)


def _score(strings: frozenset[str] | None) -> tuple[int, int]:
    """How well a set of strings rules messages out: the shortest string first (an empty string
    rules nothing out; beyond 4 characters, length hardly matters), then fewer strings."""
    if not strings:
        return (-1, 0)
    return (min(min(map(len, strings)), 4), -len(strings))


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    best = a if _score(a) >= _score(b) else b
    return best if best and min(map(len, best)) > 0 else None


_EMPTY = _Info(frozenset({""}), None)
_UNKNOWN = _Info(None, None)


def _char_class(items: list[tuple[Any, Any]]) -> _Info:
    chars: set[str] = set()
    for op, av in items:
        if op is c.LITERAL:
            chars.add(chr(av))
        elif op is c.RANGE and av[1] - av[0] < 16:
            chars.update(chr(code) for code in range(av[0], av[1] + 1))
        else:  # a category, a negation, a wide range
            return _UNKNOWN
    return _Info(frozenset(chars), None)


def _sequence(items: Any) -> _Info:
    """A run of pattern pieces one after another (a parsed pattern or a group's body)."""
    exact: frozenset[str] | None = frozenset({""})
    needed: frozenset[str] | None = None
    also: list[frozenset[str]] = []  # every set any part needs
    whole = True  # exact still covers the whole sequence so far
    for op, av in items:
        part = _node(op, av)
        if exact is not None and part.exact is not None and len(exact) * len(part.exact) <= _MOST:
            exact = frozenset(a + b for a in exact for b in part.exact)
            continue
        # The run of exact strings ends here: keep the best thing known so far.
        whole = False
        needed = _better(needed, exact)
        needed = _better(needed, part.best())
        also += [s for s in (exact, part.needed, *part.also) if s]
        exact = part.exact
    if whole:
        return _Info(exact, None)
    if exact:
        also.append(exact)
    return _Info(None, _better(needed, exact), tuple(also))


def _union(parts: list[_Info]) -> _Info:
    if all(p.exact is not None for p in parts):
        exact = frozenset().union(*(p.exact for p in parts if p.exact is not None))
        if len(exact) <= _MOST:
            return _Info(exact, None)
    bests = [p.best() for p in parts]
    if any(b is None for b in bests):
        return _UNKNOWN
    return _Info(None, frozenset().union(*(b for b in bests if b is not None)))


def _node(op: Any, av: Any) -> _Info:
    if op is c.LITERAL:
        return _Info(frozenset({chr(av)}), None)
    if op is c.IN:
        return _char_class(av)
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return _EMPTY  # takes no characters
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, pattern = av
        if add_flags or del_flags:
            return _UNKNOWN
        return _sequence(pattern)
    if op is c.BRANCH:
        return _union([_sequence(branch) for branch in av[1]])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        least, most, pattern = av
        inner = _sequence(pattern)
        if least == 0:
            if most == 1 and inner.exact is not None:
                return _Info(inner.exact | {""}, None)
            return _EMPTY if most == 0 else _Info(None, None)
        if least == most == 1:
            return inner
        return _Info(None, inner.best(), inner.also)
    return _UNKNOWN  # any character, a category, a back-reference, ...


def _shortest(strings: frozenset[str]) -> frozenset[str]:
    """A text that holds "knifes" holds "knife": the longer string adds nothing."""
    return frozenset(s for s in strings if not any(t != s and t in s for t in strings))


def necessary(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings of which every match of the pattern holds at least one, or None when the pattern
    must always be run."""
    found = necessary_sets(pattern)
    return found[0] if found else None


# How many sets beyond the best one a pattern is checked for.
EXTRA = 3


def necessary_sets(pattern: re.Pattern[str]) -> list[frozenset[str]]:
    """Sets of strings, the best first: every match of the pattern holds a string of each set.
    Empty when the pattern must always be run."""
    if pattern.flags & ~re.UNICODE:  # case-insensitive, verbose, ...: run it always
        return []
    info = _sequence(sre_parse.parse(pattern.pattern, pattern.flags))
    best = info.best()
    if best is None:
        return []
    found = [_shortest(best)]
    # The others that rule messages out (no string of one character, which almost every
    # message holds), the best first.
    others = {_shortest(s) for s in info.also if s and min(map(len, s)) > 1} - set(found)
    found += sorted(others, key=lambda s: (_score(s), sorted(s)), reverse=True)[:EXTRA]
    return found


# How common each character is in English text, for choosing the rarest part of a string.
_COMMON = {ch: rank for rank, ch in enumerate(reversed(" etaoinshrdlucmfwypvbgkjqxz"))}
GRAM = 5


def _rarest_gram(string: str) -> str:
    """The part of `string`, GRAM characters long, least likely to be in an ordinary text."""
    weights = [_COMMON.get(ch, -1) for ch in string]
    total = best = sum(weights[:GRAM])
    best_start = 0
    for start in range(1, len(string) - GRAM + 1):
        total += weights[start + GRAM - 1] - weights[start - 1]
        if total < best:
            best_start, best = start, total
    return string[best_start : best_start + GRAM]


class Prefilter:
    """The strings each pattern of a rule set needs, and a quick look for them in a text.

    Patterns are given in groups (a list of rules tried in order, or a single pattern), and
    numbered in that order. `candidates(text)` is a number whose bit n is set when pattern n
    may match: a string of GRAM characters or more is looked for by its rarest GRAM characters
    (a text without them cannot hold the string), so the look costs one dictionary look-up for
    each GRAM characters of the text and one `in` for each shorter string, not one step for
    each pattern. A pattern with more sets of strings (`necessary_sets`) may match only when
    the text holds a string of each: the sets have bits of their own, and a few operations on
    the whole number combine them.
    """

    def __init__(self, groups: Iterable[Sequence[re.Pattern[str]]]) -> None:
        self.first_bit: dict[int, int] = {}  # id of a group -> the number of its first pattern
        self.bit: dict[int, int] = {}  # id of a pattern -> its number
        patterns: list[re.Pattern[str]] = []
        for group in groups:
            self.first_bit[id(group)] = len(patterns)
            for pattern in group:
                self.bit[id(pattern)] = len(patterns)
                patterns.append(pattern)
        self.patterns = tuple(patterns)
        count = len(patterns)
        self.count = count
        self.every = (1 << count) - 1
        self.always = 0  # the patterns that are always run
        # Bit n + k * count stands for the k-th set of strings pattern n needs (k = 0: the
        # best). `lacking[k - 1]`: the patterns with no k-th set (k >= 1), which need no more.
        self.lacking = [self.every] * EXTRA
        self.grams: dict[str, int] = {}
        short: dict[str, int] = {}
        for number, pattern in enumerate(patterns):
            sets = necessary_sets(pattern)
            if not sets:
                self.always |= 1 << number
                continue
            for k, need in enumerate(sets):
                bit = 1 << (number + k * count)
                if k:
                    self.lacking[k - 1] &= ~(1 << number)
                for string in need:
                    if len(string) < GRAM:
                        short[string] = short.get(string, 0) | bit
                    else:
                        gram = _rarest_gram(string)
                        self.grams[gram] = self.grams.get(gram, 0) | bit
        self.short = tuple(short.items())

    def candidates(self, text: str) -> int:
        """Bit n is set when pattern n may match the text (it is cleared only when it cannot)."""
        found = 0
        grams = self.grams
        for start in range(len(text) - GRAM + 1):
            found |= grams.get(text[start : start + GRAM], 0)
        for string, bits in self.short:
            if string in text:
                found |= bits
        count, every = self.count, self.every
        held = found & every | self.always
        for k, lacking in enumerate(self.lacking, 1):
            held &= (found >> (k * count)) & every | lacking
        return held

    def search(self, pattern: re.Pattern[str], text: str, found: int) -> bool:
        """pattern.search(text), not run when `found` (the text's candidates) says it cannot
        match. A pattern this prefilter was not given is always run."""
        bit = self.bit.get(id(pattern))
        if bit is not None and not found >> bit & 1:
            return False
        return pattern.search(text) is not None

    def first(
        self, group: Sequence[re.Pattern[str]], text: str, found: int, start: int = 0
    ) -> int | None:
        """The index of the first pattern of `group` (one of the groups this prefilter was
        given), from `start` on, that matches the text, running only those that may."""
        bits = found >> (self.first_bit[id(group)] + start) & ((1 << (len(group) - start)) - 1)
        while bits:
            lowest = bits & -bits
            index = start + lowest.bit_length() - 1
            if group[index].search(text):
                return index
            bits ^= lowest
        return None
