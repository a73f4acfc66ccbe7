"""Taking personal details out of a message before anything of it is kept.

Used only for questions the bot did not understand, and only when staff have turned on
keeping them. Names, phone numbers, emails, postcodes, street addresses, usernames and links
are replaced by a placeholder such as [name]; digits that are left are replaced too. It errs on
the side of removing too much: a question with a gap is still useful to staff, a leaked name
is not.
"""

from __future__ import annotations

import re

# Common first names of young people in the UK (and of their families), lower case. Names that
# are also everyday words ("will", "grace", "summer") are only removed when written with a
# capital letter, or after "my name is", "called" and the like.
FIRST_NAMES = frozenset(
    """
    aaliyah aaron abdul abdullah abigail abu adam adrian ahmed aiden aisha alex alexander alfie
    ali alice alicia amelia amir amira amy andre andrew angel anna annie antonio archie aria
    arjun arthur aryan ashley ava ayaan ayesha bella ben benjamin bethany bilal blessing bobby
    brandon caleb callum cameron carlos charlie charlotte chloe chris christian christopher
    connor corey daniel danny darius david declan demi dexter dylan eden eleanor elijah eliza
    ella ellie elliot emily emma eric erin ethan eva evie ezra fatima felix finley finn florence
    francesca freddie freya gabriel george georgia grayson hamza hannah harley harper harrison
    harry harvey hassan hayden henry holly hugo ibrahim idris imran isaac isabel isabella
    isabelle isla ismail isaiah ivan jack jacob jake james jamal jamie jasmine jason jayden
    jaden jayson jenna jermaine jessica jodie joe joel john jordan joseph josh joshua josiah
    jude julia junior kai kaiden kayden keisha kelsey kevin khadija kian kieran kofi kwame
    kyle lacey laila lara lauren layla leah leo leon levi lewis liam lily logan louie louis
    lucas lucy luke luna maddison madison maisie malachi malik maria mariam marcus mary mason
    matilda matthew max maya mia michael mila millie mohamed mohammad mohammed molly muhammad
    musa mustafa myles nadia naomi nathan nathaniel niamh nicole noah noor oliver olivia omar
    oscar owen paige patrick priya rachel rayan reece reggie rhys riley rory rosie rubin ryan
    saif sam samuel sara sarah scarlett sean sebastian shanice shannon sienna sofia sophia
    sophie stanley stephen tariq taylor theo theodore thomas tia tiana toby tommy tyler tyrese
    usman victoria william willow yasmin yusuf zac zach zachary zain zak zara zayn zoe
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
# Words that introduce a name. Strong cues ("my name is", "my mate") are followed by a name
# unless the next word is an ordinary word; weak cues ("im", "this is") only when that word
# is a known first name or has a capital letter.
STRONG_NAME_CUES = (
    r"(?:my name is|my names|name is|im called|i am called|call me|called|named|"
    r"my (?:mate|friend|bro|brother|sister|cousin|boy|girl|boyfriend|girlfriend|mum|mom|dad|"
    r"teacher|neighbour|uncle|aunt|stepdad)|(?:he|she|they) (?:is|s) called)"
)
WEAK_NAME_CUES = r"(?:this is|its|it s|i m|im|i am|me and|and|with|by|from|to|told|tell)"
ORDINARY = frozenset(
    """
    a an the not so really very is was are were has had have got gets getting get been be
    being scared worried sad fine ok okay in at on from going gonna just still here there
    done tired dead safe alone and but or if when who what why how that this it he she they
    we you i me my your his her their our its no yes always never keeps kept says said
    told carries carrying carry has been was is being did does do dont doesnt didnt wont
    cant can will would could should might must also too then now rn bare proper well
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

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"https?://\S+|www\.\S+", re.I), "[link]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.I), "[email]"),
    (
        re.compile(
            r"\b(?:snap(?:chat)?|sc|insta(?:gram)?|ig|tiktok|tt|discord|twitter|x|telegram|"
            r"whatsapp|fb|facebook|psn|xbox|gamertag|user ?name|handle)\b"
            r"\s*(?:is|=|:|-|@)?\s*@?[\w.]+",
            re.I,
        ),
        "[username]",
    ),
    (re.compile(r"@\w+"), "[username]"),
    # Full postcodes (SW1A 1AA) and districts (N7, E15) on their own.
    (re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b", re.I), "[postcode]"),
    (re.compile(r"\b(?:[A-Z]{1,2}[0-9]{1,2}[A-Z]?)\b", re.I), "[postcode]"),
    # Phone numbers: runs of 6 or more digits, with spaces, dashes, brackets or +.
    (re.compile(r"(?:\+?\d[\d\s().-]{4,}\d)"), "[number]"),
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

    surname = r"(?:\s+[A-Z][a-z'-]+)?"
    text = re.sub(rf"\b((?i:{STRONG_NAME_CUES}))\s+([A-Za-z][a-z'-]+){surname}", strong, text)
    text = re.sub(rf"\b((?i:{WEAK_NAME_CUES}))\s+([A-Za-z][a-z'-]+){surname}", weak, text)

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        lower = token.lower()
        if lower in FIRST_NAMES:
            return "[name]"
        if token[0].isupper() and (lower in EVERYDAY_WORD_NAMES or lower in COMMON_SURNAMES):
            return "[name]"
        return token

    text = re.sub(r"\b[A-Za-z][A-Za-z'-]*\b", word, text)
    # A capitalised word after a removed first name is most likely a surname.
    text = re.sub(r"\[name\](\s+)[A-Z][a-z'-]+", r"[name]\1[name]", text)
    # Capitalised words in the middle of a sentence: probably names.
    return re.sub(
        r"(?<=[a-z,] )(?!I\b|I'|Im\b|OK\b|Ok\b|UK\b|Telegram\b|Snapchat\b|Instagram\b|TikTok\b)"
        r"[A-Z][a-z]{2,}\b",
        "[name]",
        text,
    )


def redact(text: str) -> str:
    """The message with personal details replaced by [name], [number], [email] and so on."""
    for pattern, placeholder in _PATTERNS:
        text = pattern.sub(placeholder, text)
    text = _names(text)
    # Any digits left over could still identify someone (house numbers, ages with dates).
    text = re.sub(r"\d{3,}", "[number]", text)
    return re.sub(r"\s+", " ", text).strip()[:500]
