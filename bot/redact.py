"""Taking personal details out of a message before anything of it is kept.

Used only for questions the bot did not understand, and only when staff have turned on
keeping them. It works as an allow-list: after links, emails, usernames, numbers, dates,
postcodes, addresses, school names and names are replaced by a placeholder such as [name],
every word that is neither an everyday English word (the most common words of the `wordfreq`
package's English list) nor a word of the bot's own vocabulary (its replies, and the words of
its training examples that at least two writers used) becomes [word]. Known first names and
surnames are never allowed, even where they are also common words. It errs on the side of
removing too much: a question with a gap is still useful to staff, a leaked name is not.

`bench/redaction.py` measures it on the probe messages in bench/redaction_probes.yml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

# How many of wordfreq's most common English words count as everyday words. Beyond about
# 25,000 the list is full of surnames and place names ("kowalski", "haworth").
ENGLISH_WORDS = 25_000
MAX_LENGTH = 500

# Common first names of young people in the UK (and of their families), lower case. Names that
# are also everyday words ("will", "grace", "summer") are only removed when written with a
# capital letter, or after "my name is", "called" and the like.
FIRST_NAMES = frozenset(
    """
    aaliyah aaron abdul abdullah abigail abu adam adrian ahmed aiden aisha alex alexander alfie
    ali alice alicia amelia amir amira amy andre andrew angel anna annie antonio archie
    aria arjun arthur aryan ashley ava ayaan ayesha bella ben benjamin bethany bilal blessing
    bobby brandon caleb callum cameron carlos charlie charlotte chloe chris christian christopher
    connor corey daniel danny darius david declan demi dexter dylan eden
    eleanor elijah eliza ella ellie elliot emily emma eric erin ethan eva evie ezra fatima felix
    finley finn florence francesca freddie freya gabriel george georgia grayson hamza hannah
    harley harper harrison harry harvey hassan hayden henry holly hugo ibrahim idris imran isaac
    isabel isabella isabelle isla ismail isaiah ivan jack jacob jake jamal james jamie jasmine
    jason jay jayden jaden jayson jenna jermaine jessica jodie joe joel john jordan joseph josh
    joshua josiah jude julia junior kai kaiden kayden keisha kelsey kevin khadija kian
    kieran kofi kwame kyle lacey laila lara lauren layla leah leo leon levi lewis liam lily
    logan louie louis lucas lucy luke luna maddison madison maisie malachi malik maria mariam
    marcus mary mason matilda matthew max maya mia michael mila millie mohamed mohammad mohammed
    molly muhammad musa mustafa myles nadia naomi nathan nathaniel niamh nicole noah noor oliver
    olivia omar oscar owen paige patrick priya rachel rayan reece reggie rhys
    riley rory rosie rubin ryan saif sam samuel sara sarah scarlett sean sebastian shanice
    shannon sienna sofia sophia sophie stanley stephen tariq taylor theo theodore
    thomas tia tiana toby tommy tyler tyrese usman victoria william willow
    yasmin yusuf zac zach zachary zain zak zara zayn zoe
    """.split()
)
EVERYDAY_WORD_NAMES = frozenset(
    """
    will grace summer hope faith jack mark rose ruby jade amber ivy daisy poppy holly bill frank
    pat ray dawn april may june autumn violet penny rich sunny joy guy chase drew rocky king
    """.split()
)
COMMON_SURNAMES = frozenset(
    """
    smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson
    thompson wright walker edwards hughes lewis harris clarke patel jackson turner martin
    cooper morris moore clark lee harrison morgan allen scott phillips watson davis parker
    bennett griffiths mitchell kelly carter richardson bailey collins murphy miller cox
    richards khan marshall anderson simpson ellis adams singh begum ali hussain ahmed rahman
    islam okafor adeyemi mensah owusu nguyen osei campbell stewart mohamud abdi
    """.split()
)
# Never allowed as ordinary words, whatever the word lists say.
NAMES = (FIRST_NAMES | COMMON_SURNAMES) - EVERYDAY_WORD_NAMES
# Words that introduce a name. Strong cues ("my name is", "my mate") are followed by a name
# unless the next word is an ordinary word; weak cues ("im", "this is") only when that word
# is a known first name or has a capital letter.
STRONG_NAME_CUES = (
    r"(?:my name is|my names|name is|names|im called|i am called|call me|called|named|"
    r"my (?:mate|friend|bro|brother|sister|cousin|boy|girl|boyfriend|girlfriend|mum|mom|dad|"
    r"teacher|neighbour|uncle|aunt|stepdad)|(?:he|she|they) (?:is|s) called)"
)
WEAK_NAME_CUES = r"(?:this is|its|it s|i m|im|i am|me and|and|with|by|from|to|told|tell)"
TITLES = r"(?:mr|mrs|ms|miss|mx|dr|sir|pc|sgt|prof|coach|uncle|aunty|auntie|big|lil|little)"
ORDINARY = frozenset(
    """
    a an the not so really very is was are were has had have got gets getting get been be
    being scared worried sad fine ok okay in at on from going gonna just still here there
    done tired dead safe alone and but or if when who what why how that this it he she they
    we you i me my your his her their our its no yes always never keeps kept says said
    told carries carrying carry has been was is being did does do dont doesnt didnt wont
    cant can will would could should might must also too then now rn bare proper well
    one man guy boy girl lot bit few
    """.split()
)
# The words of a place's name that are ordinary: "the high street" is not an address.
PLACE_WORDS_OK = ORDINARY | frozenset(
    """
    my our your his her their this that these those local main high new old big little same
    other next nearest car skate whole every each secondary primary sixth form private state
    boarding catholic church grammar public
    """.split()
)
STREET_STRICT = (
    r"(?:road|rd|street|avenue|ave|lane|close|drive|crescent|gardens|gdns|grove|terrace|mews|"
    r"estate)"
)
STREET = (
    r"(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|court|ct|place|pl|crescent|"
    r"cres|gardens|gdns|grove|terrace|hill|square|sq|estate|mews|row|walk|park|parade|rise|"
    r"green|vale|view|house|tower|towers|flats|heights|court)"
)
# Kinds of place whose name, before them, identifies it: "Kestrel House", "Tollington Park".
NAMED_PLACES = (
    r"(?:road|street|avenue|lane|close|drive|crescent|gardens|grove|terrace|mews|estate|"
    r"park|house|court|tower|towers|heights|way|walk|row|place|square|parade|rise)"
)
SCHOOLS = r"(?:academy|school|college|primary|high|grammar|secondary|comprehensive|comp)"
MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
DAY = r"(?:[0-3]?\d(?:st|nd|rd|th)?)"
NUMBER_WORDS = (
    r"(?:oh|o|zero|nought|one|two|three|four|five|six|seven|eight|nine|ten|double|triple|"
    r"hundred|thousand)"
)
EMAIL_DOMAINS = r"(?:com|co|org|net|uk|ac|gov|io|me)"
_AT = r"(?:\s*@\s*|\s*[(\[]\s*at\s*[)\]]\s*|\s+at\s+)"
_DOT = r"(?:\s*\.\s*|\s*[(\[]\s*dot\s*[)\]]\s*|\s+dot\s+|\s+)"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I), "[email]"),
    (re.compile(r"https?://\S+|www\.\S+", re.I), "[link]"),
    (
        re.compile(
            r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|co\.uk|uk|me|org|net|tv|gg|io|app|ly|be)(?:/\S*)?",
            re.I,
        ),
        "[link]",
    ),
    # Spelled out: "jaz dot m at gmail dot com", "kez_b (at) yahoo (dot) com".
    (
        re.compile(
            rf"\b[\w+-]+(?:{_DOT}[\w+-]+)*?{_AT}[\w-]+(?:{_DOT}{EMAIL_DOMAINS}\b)+",
            re.I,
        ),
        "[email]",
    ),
    (
        re.compile(
            r"\b(?:snap(?:chat)?|sc|insta(?:gram)?|ig|tiktok|tt|discord|twitter|x|telegram|"
            r"whatsapp|fb|facebook|psn|xbox|gamertag|user ?name|handle|account)\b"
            r"\s*(?:is|=|:|-|@|its|it s)?\s*@?[\w.]*[\w]",
            re.I,
        ),
        "[username]",
    ),
    (re.compile(r"@\w+"), "[username]"),
    # Dates: 12/03/2011, 21.10.2026, "3rd march 2010", "14th of july", "june 5th", "march 2008".
    (re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"), "[date]"),
    (
        re.compile(
            rf"\b{DAY}(?:\s+of)?\s+{MONTHS}\b(?:,?\s+(?:19|20)?\d\d\b)?|"
            rf"\b{MONTHS}\s+(?:the\s+)?{DAY}\b(?:,?\s+(?:19|20)?\d\d\b)?|"
            rf"\b{MONTHS}\s+(?:19|20)\d\d\b",
            re.I,
        ),
        "[date]",
    ),
    (re.compile(r"\b(?:19|20)\d\d\b"), "[date]"),
    # Full postcodes (SW1A 1AA) and districts (N7, E15) on their own.
    (re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.I), "[postcode]"),
    (re.compile(r"\b(?:[A-Z]{1,2}[0-9]{1,2}[A-Z]?)\b", re.I), "[postcode]"),
    # Phone numbers: runs of 6 or more digits, with spaces, dashes, brackets or +; or spelled
    # out ("oh seven seven double oh nine").
    (re.compile(r"(?:\+?\d[\d\s().-]{4,}\d)"), "[number]"),
    (re.compile(rf"\b{NUMBER_WORDS}(?:[\s,-]+{NUMBER_WORDS}){{3,}}\b", re.I), "[number]"),
    # Street addresses: "4 Elm Road", "flat 3b", "lives on Holloway Road", "Kings Court".
    (
        re.compile(r"\b(?:flat|apartment|apt|house|number|no\.?)\s*\d+[a-z]?\b", re.I),
        "[address]",
    ),
    (re.compile(rf"\b\d+[a-z]?,?\s+(?:[A-Za-z'-]+\s+){{1,3}}(?i:{STREET})\b"), "[address]"),
    # Without a number: capitalised names ("Holloway Road") or after on/in/near ("on elm road").
    (re.compile(rf"\b(?:[A-Z][\w'-]+\s+){{1,2}}(?i:{STREET})\b"), "[address]"),
    (
        re.compile(
            rf"(?i:\b(on|in|at|near|off|by|to)\s+(?:(?!the\b)[a-z'-]+\s+){{1,2}}{STREET_STRICT}\b)"
        ),
        r"\1 [address]",
    ),
]
_TOKEN = re.compile(r"\[[a-z]+\]|[A-Za-z0-9][\w'’.-]*[\w]|[A-Za-z0-9]")


# Kinds of place whose name comes before them: "Kestrel House", "kingsmead school".
_PLACES = [
    (re.compile(rf"\b((?:[A-Za-z][\w'-]*\s+){{1,2}})({kinds})\b", re.I), placeholder)
    for kinds, placeholder in ((NAMED_PLACES, "[address]"), (SCHOOLS, "[school]"))
]


def _names(text: str) -> str:
    def strong(match: re.Match[str]) -> str:
        word = match.group(2)
        if word.lower() in ORDINARY:
            return match.group(0)
        return f"{match.group(1)} [name]"

    def weak(match: re.Match[str]) -> str:
        word = match.group(2)
        if word.lower() in FIRST_NAMES or (word[0].isupper() and word.lower() not in ORDINARY):
            return f"{match.group(1)} [name]"
        return match.group(0)

    def titled(match: re.Match[str]) -> str:
        if match.group(2).lower() in ORDINARY or match.group(2).lower() in PLACE_WORDS_OK:
            return match.group(0)
        return f"{match.group(1)} [name]"

    name = r"[A-Za-z][a-z'-]*(?:-[A-Za-z][a-z']*)*"
    surname = rf"(?:\s+[A-Z]{name[8:]})?"
    text = re.sub(rf"\b((?i:{STRONG_NAME_CUES}))\s+({name}){surname}", strong, text)
    text = re.sub(rf"\b((?i:{TITLES}))\.?\s+({name})", titled, text)
    text = re.sub(rf"\b((?i:{WEAK_NAME_CUES}))\s+({name}){surname}", weak, text)

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        lower = token.lower()
        if lower in FIRST_NAMES:
            return "[name]"
        if token[0].isupper() and (lower in EVERYDAY_WORD_NAMES or lower in COMMON_SURNAMES):
            return "[name]"
        return token

    text = re.sub(r"(?<!\[)\b[A-Za-z][A-Za-z']*\b(?!\])", word, text)
    # A capitalised word after a removed first name is most likely a surname.
    text = re.sub(r"\[name\]([\s-]+)[A-Z][a-z'-]+", r"[name]\1[name]", text)
    # Capitalised words in the middle of a sentence: probably names.
    return re.sub(
        r"(?<=[a-z,] )(?!I\b|I'|Im\b|OK\b|Ok\b|UK\b|Telegram\b|Snapchat\b|Instagram\b|TikTok\b)"
        r"[A-Z][a-z]{2,}\b",
        "[name]",
        text,
    )


class Redactor:
    """Redacts messages against a vocabulary of allowed words (lower case)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = frozenset(vocabulary) - NAMES

    def allowed(self, word: str) -> bool:
        lower = word.lower().replace("’", "'")
        if lower in self.vocabulary:
            return True
        stem = re.sub(r"'s$|s'$|'$", "", lower)
        if stem != lower and stem in self.vocabulary:
            return True
        parts = [p for p in re.split(r"[-'.]", lower) if p]
        return len(parts) > 1 and all(p in self.vocabulary or p.isdigit() for p in parts)

    def _token(self, match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("["):
            return token
        if token.isdigit():
            # Ages and years at school are kept; longer numbers were masked above.
            return token if len(token) <= 2 else "[number]"
        if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th|am|pm|s)", token, re.I):
            return token
        if "_" in token or (re.search(r"\d", token) and re.search(r"[A-Za-z]", token)):
            return "[username]"
        return token if self.allowed(token) else "[word]"

    def _places(self, text: str) -> str:
        """Named places: the words just before "school", "house", "park"... that are a name
        (capitalised, or not everyday words). "my school" and "a pocket knife to school"
        keep their words."""
        for pattern, placeholder in _PLACES:

            def replace(match: re.Match[str], placeholder: str = placeholder) -> str:
                words = match.group(1).split()
                start = match.start(1)
                named = 0
                for index in range(len(words) - 1, -1, -1):
                    word = words[index]
                    at_start = index == 0 and start == 0
                    if word.lower() in PLACE_WORDS_OK:
                        break
                    if self.allowed(word) and not (word[0].isupper() and not at_start):
                        break
                    named += 1
                if not named:
                    return match.group(0)
                return " ".join([*words[: len(words) - named], placeholder])

            text = pattern.sub(replace, text)
        return text

    def __call__(self, text: str) -> str:
        """The message with personal details replaced by [name], [number], [word]..."""
        for pattern, placeholder in _PATTERNS:
            text = pattern.sub(placeholder, text)
        text = self._places(text)
        text = _names(text)
        text = _TOKEN.sub(self._token, text)
        text = re.sub(r"(\[(\w+)\])(?:[\s-]*\[\2\])+", r"\1", text)
        return re.sub(r"\s+", " ", text).strip()[:MAX_LENGTH]


@lru_cache(maxsize=1)
def english_words(count: int = ENGLISH_WORDS) -> frozenset[str]:
    """The `count` most common English words, from wordfreq's shipped data."""
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", count, wordlist="large"))


def project_vocabulary(content_dir: Path, nlu_data: Path) -> frozenset[str]:
    """Every word in the bot's replies and safety rules, and every word of the training
    examples that at least two writers used: the bot's own slang and spellings ("bora", "wiv",
    "polis"), which no dictionary has. A word only one writer used is most often the first name
    they gave a friend in their examples ("zainab ate cake with nuts in it"), so it is not
    allowed: writers are asked to use first names, and each picks their own."""
    from bot.generalisation import read_blocks
    from bot.safety import KNIFE, STABBED, STABBED_SLANG

    words: set[str] = set(re.findall(r"[a-z]+", KNIFE + STABBED + STABBED_SLANG))
    for path in sorted(content_dir.rglob("*.yml")):
        try:
            words.update(_words(path.read_text(encoding="utf-8")))
        except OSError:
            continue
    files = [*sorted(nlu_data.glob("*.yml")), *sorted(nlu_data.parent.glob("safety/data/*.yml"))]
    writers_of: dict[str, set[str]] = {}
    for block in read_blocks(files)[0]:
        for text in block.examples:
            for word in _words(text):
                writers_of.setdefault(word, set()).add(block.writer)
    words.update(word for word, writers in writers_of.items() if len(writers) >= 2)
    return frozenset(words)


def _words(text: str) -> list[str]:
    text = re.sub(r"\{[a-z0-9_]+\.[a-z_]+\}", " ", text.lower())
    return [w.strip("'") for w in re.findall(r"[a-z][a-z']*", text)]


def make_redactor(content_dir: Path, nlu_data: Path) -> Redactor:
    return Redactor(english_words() | project_vocabulary(content_dir, nlu_data))


@lru_cache(maxsize=1)
def _default() -> Redactor:
    root = Path(__file__).resolve().parent.parent
    return make_redactor(root / "content", root / "nlu" / "data")


def redact(text: str) -> str:
    """The message redacted against the shipped word list and this project's vocabulary."""
    return _default()(text)
