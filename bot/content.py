"""The curated content: replies, contacts, commands and local services, read from `content/`.

Outreach staff edit the YAML files; this module reads them, checks them and fills in the
contact placeholders ({crimestoppers.phone}). `load_content` returns the content together with
every problem found, each naming the file, the line and the fix. `ContentStore` keeps the last
good content serving while staff edit, and picks up a good edit without a restart.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

import phonenumbers
from phonenumbers import shortnumberinfo

from bot.yamlfile import YamlList, YamlMap, read_yaml

log = logging.getLogger(__name__)

TOPICS = ("consequences", "support", "reporting", "emergency", "crisis", "smalltalk", "fallback")
REPLY_FIELDS = ("id", "topic", "title", "text", "buttons", "sources", "last_reviewed")
# Optional: words for a stated age ("im 17 and..."), added after the first paragraph.
REPLY_OPTIONAL = ("for_ages",)
AGE_BANDS = ("under_16", "16_to_17", "18_plus")  # (not "16_17": YAML reads that as 1617)
CONTACT_FIELDS = ("name", "phone", "text", "text_word", "textphone", "web", "about")
CONTACT_EXTRA = ("sources", "last_reviewed")
# Replies the bot itself sends, whatever the question: they must always exist.
SYSTEM_REPLIES = {
    "start": "smalltalk",
    "help": "smalltalk",
    "menu_main": "smalltalk",
    "bot_privacy": "smalltalk",
    "forget_done": "smalltalk",
    "forget_later": "smalltalk",
    "hide_done": "smalltalk",
    "hide_later": "smalltalk",
    "hide_nothing": "smalltalk",
    "slow_down": "smalltalk",
    "group_private": "smalltalk",
    "fallback": "fallback",
    "clarify": "fallback",
    "out_of_scope": "fallback",
    "not_text": "fallback",
    "empty": "fallback",
    "unknown_command": "fallback",
    "error": "fallback",
    "support_local": "support",
    "support_local_found": "support",
    "emergency_help": "emergency",
    "emergency_first_aid": "emergency",
    "crisis_self_harm": "crisis",
    "crisis_suicidal": "crisis",
    "crisis_friend": "crisis",
    # topic overviews, and the lines that keep a topic's number in every reply
    "menu_law": "consequences",
    "menu_support": "support",
    "menu_report": "reporting",
    "reporting_line": "reporting",
    "crisis_line": "crisis",
    "urgent_banner": "emergency",
}
COMMAND_ACTIONS = ("forget", "hide")
TITLE_MAX = 30
BUTTON_LABEL_MAX = 60
TEXT_MAX = 3500
PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\.([A-Za-z_]+)\}")
# A run of digits that looks like a phone number typed straight into a reply.
RAW_PHONE = re.compile(
    r"(?<![\w.£])(?:\+44 ?)?\d(?: ?\d){4,}(?!\w)|(?<![\w.£])(?:999|101|111)(?![\w.])"
)
RAW_URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:org|com|co\.uk|org\.uk|gov\.uk|uk)\b")
POSTCODE_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
POSTCODE_AREA = re.compile(r"^[A-Z]{1,2}$")


Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is and what to do about it."""

    path: Path
    line: int
    message: str
    level: Level = "error"

    def format(self, root: Path | None = None) -> str:
        shown = self.path
        if root is not None:
            try:
                shown = self.path.resolve().relative_to(root.resolve())
            except ValueError:
                shown = self.path
        prefix = "warning: " if self.level == "warning" else ""
        return f"{shown}:{self.line}: {prefix}{self.message}"


@dataclass(frozen=True)
class Contact:
    key: str
    name: str
    phone: str | None = None
    text: str | None = None
    text_word: str | None = None
    textphone: str | None = None
    web: str | None = None
    about: str | None = None

    def field_value(self, name: str) -> str | None:
        value = getattr(self, name, None) if name in CONTACT_FIELDS else None
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class ContentReply:
    """A reply as staff wrote it, with its contact placeholders filled in."""

    id: str
    topic: str
    title: str
    text: str
    buttons: tuple[str, ...]
    sources: tuple[str, ...]
    last_reviewed: date
    path: Path
    line: int
    contacts: frozenset[str] = frozenset()
    for_ages: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    reply: str | None = None
    action: str | None = None


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    within: str | None
    names: tuple[str, ...]
    postcode_districts: tuple[str, ...]
    postcode_areas: tuple[str, ...]


@dataclass(frozen=True)
class Service:
    contact: str
    areas: tuple[str, ...]
    what: str


@dataclass(frozen=True)
class Content:
    replies: dict[str, ContentReply]
    contacts: dict[str, Contact]
    commands: dict[str, Command]
    areas: dict[str, Area] = field(default_factory=dict)
    services: tuple[Service, ...] = ()

    def reply(self, reply_id: str) -> ContentReply:
        return self.replies[reply_id]

    def area_chain(self, area: Area) -> Iterator[Area]:
        """The area and every area it lies within, nearest first."""
        seen: set[str] = set()
        current: Area | None = area
        while current is not None and current.key not in seen:
            seen.add(current.key)
            yield current
            current = self.areas.get(current.within) if current.within else None

    def find_area(self, text: str) -> Area | None:
        """The area a message names, by borough or place name or by postcode."""
        lowered = f" {re.sub(r'[^a-z0-9 ]+', ' ', text.lower())} "
        by_name = [
            (len(name), area)
            for area in self.areas.values()
            for name in area.names
            if f" {name} " in lowered
        ]
        if by_name:
            return max(by_name, key=lambda pair: pair[0])[1]
        for token in re.findall(
            r"\b([A-Za-z]{1,2}[0-9][0-9A-Za-z]?)(?:\s?[0-9][A-Za-z]{2})?\b", text
        ):
            district = token.upper()
            for area in self.areas.values():
                if district in area.postcode_districts:
                    return area
            letters = re.match(r"[A-Z]+", district)
            if letters:
                for area in self.areas.values():
                    if letters.group(0) in area.postcode_areas:
                        return area
        return None

    def services_for(self, area: Area | None) -> list[tuple[Service, Contact]]:
        """Services for an area and the areas around it, then those open to everyone."""
        keys = [a.key for a in self.area_chain(area)] if area else []
        keys.append("everywhere")
        found: list[tuple[Service, Contact]] = []
        seen: set[str] = set()
        for key in keys:
            for service in self.services:
                if key in service.areas and service.contact not in seen:
                    seen.add(service.contact)
                    found.append((service, self.contacts[service.contact]))
        return found


@dataclass
class _Collector:
    problems: list[Problem] = field(default_factory=list)

    def error(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    def warn(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message, "warning"))

    @property
    def has_errors(self) -> bool:
        return any(p.level == "error" for p in self.problems)


def valid_uk_number(number: str) -> bool:
    """True for UK phone numbers, including short ones like 999, 101, 116 123 and 85258."""
    if not re.fullmatch(r"[0-9 ]{3,20}", number):
        return False
    try:
        parsed = phonenumbers.parse(number, "GB")
    except phonenumbers.NumberParseException:
        return False
    return bool(
        phonenumbers.is_valid_number(parsed) or shortnumberinfo.is_valid_short_number(parsed)
    )


def render(text: str, contacts: dict[str, Contact]) -> str:
    """Fill in {key.field} placeholders; unknown ones are left as they are (check reports them)."""

    def fill(match: re.Match[str]) -> str:
        contact = contacts.get(match.group(1))
        value = contact.field_value(match.group(2)) if contact else None
        return value if value is not None else match.group(0)

    return PLACEHOLDER.sub(fill, text)


def _as_str_list(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    return None


class ContentLoader:
    """Reads and checks every file under one content directory."""

    def __init__(self, content_dir: Path, today: date | None = None) -> None:
        self.dir = content_dir
        self.today = today or date.today()
        self.out = _Collector()

    def load(self) -> tuple[Content | None, list[Problem]]:
        contacts = self._contacts(self.dir / "contacts.yml")
        replies = self._replies(contacts)
        commands = self._commands(self.dir / "commands.yml", replies)
        areas, services = self._services(self.dir / "services.yml", contacts)
        self._system_replies(replies)
        self._buttons(replies)
        if self.out.has_errors:
            return None, self.out.problems
        content = Content(replies, contacts, commands, areas, services)
        return content, self.out.problems

    # -- contacts.yml

    def _contacts(self, path: Path) -> dict[str, Contact]:
        data = self._read_mapping(path)
        contacts: dict[str, Contact] = {}
        for key, entry in data.items():
            line = data.line_of(key)
            if not isinstance(key, str) or not re.fullmatch(r"[a-z0-9_]+", key):
                self.out.error(
                    path, line, f"the contact name {key!r} may only use a-z, 0-9 and _; rename it"
                )
                continue
            if not isinstance(entry, YamlMap):
                self.out.error(
                    path, line, f"'{key}' needs its details indented below it (name:, phone:...)"
                )
                continue
            for unknown in set(entry) - set(CONTACT_FIELDS) - set(CONTACT_EXTRA):
                self.out.error(
                    path,
                    entry.line_of(unknown),
                    f"'{unknown}' is not a contact field; use one of {', '.join(CONTACT_FIELDS)}",
                )
            values: dict[str, str] = {}
            for name in CONTACT_FIELDS:
                if name in entry:
                    value = entry[name]
                    if not isinstance(value, str | int) or isinstance(value, bool):
                        self.out.error(
                            path, entry.line_of(name), f"'{name}' must be text in quotes"
                        )
                        continue
                    values[name] = str(value).strip()
            if "name" not in values:
                self.out.error(path, entry.line, f"contact '{key}' needs a name: line")
                continue
            self._check_contact(path, entry, key, values)
            contacts[key] = Contact(key=key, **values)
        return contacts

    def _check_contact(self, path: Path, entry: YamlMap, key: str, values: dict[str, str]) -> None:
        for name in ("phone", "text"):
            number = values.get(name)
            if number is not None and not valid_uk_number(number):
                self.out.error(
                    path,
                    entry.line_of(name),
                    f"{number!r} ({key} {name}) is not a valid UK number; check the digits "
                    'and write it in quotes, like "0800 555 111"',
                )
        textphone = values.get("textphone")
        if textphone is not None and not (
            textphone.startswith("18001 ") and valid_uk_number(textphone[6:])
        ):
            self.out.error(
                path,
                entry.line_of("textphone"),
                f"textphone {textphone!r} should be 18001 followed by a UK number, like "
                '"18001 101"',
            )
        web = values.get("web")
        if web is not None and not re.fullmatch(r"https://[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?", web):
            self.out.error(
                path,
                entry.line_of("web"),
                f"{web!r} is not a secure web address; it must start with https:// "
                "(for example https://www.childline.org.uk)",
            )
        reviewed = entry.get("last_reviewed")
        if reviewed is not None:
            self._check_reviewed(path, entry, reviewed, f"contact '{key}'")

    # -- replies/*.yml

    def _replies(self, contacts: dict[str, Contact]) -> dict[str, ContentReply]:
        replies: dict[str, ContentReply] = {}
        files = sorted((self.dir / "replies").glob("*.yml"))
        if not files:
            self.out.error(
                self.dir / "replies", 1, "there are no reply files (*.yml) in content/replies/"
            )
        for path in files:
            data, problem = read_yaml(path)
            if problem:
                self.out.error(path, problem.line, problem.message)
                continue
            if data is None:
                continue
            if not isinstance(data, YamlList):
                self.out.error(
                    path, 1, "a replies file must be a list of replies, each starting with '- id:'"
                )
                continue
            for entry, line in zip(data, data.item_lines, strict=True):
                reply = self._reply(path, line, entry, contacts)
                if reply is None:
                    continue
                if reply.id in replies:
                    first = replies[reply.id]
                    self.out.error(
                        path,
                        line,
                        f"the id '{reply.id}' is already used at {first.path.name}:{first.line}; "
                        "every reply needs its own id",
                    )
                    continue
                replies[reply.id] = reply
        return replies

    def _reply(
        self, path: Path, line: int, entry: Any, contacts: dict[str, Contact]
    ) -> ContentReply | None:
        if not isinstance(entry, YamlMap):
            self.out.error(
                path, line, "each reply must start with '- id:' followed by its fields below it"
            )
            return None
        for key, key_line in entry.duplicate_keys:
            self.out.error(path, key_line, f"'{key}' appears twice in this reply; keep only one")
        for unknown in sorted(set(map(str, entry)) - set(REPLY_FIELDS) - set(REPLY_OPTIONAL)):
            close = _closest(unknown, REPLY_FIELDS + REPLY_OPTIONAL)
            self.out.error(
                path,
                entry.line_of(unknown),
                f"'{unknown}' is not a reply field"
                + (f" (did you mean '{close}'?)" if close else " (spelling?)")
                + f"; a reply has {', '.join(REPLY_FIELDS)}, and may have "
                f"{', '.join(REPLY_OPTIONAL)}",
            )
        missing = [name for name in REPLY_FIELDS if name not in entry]
        for name in missing:
            self.out.error(path, line, f"this reply has no '{name}:' line; add one")
        reply_id = entry.get("id")
        if not isinstance(reply_id, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", reply_id):
            self.out.error(
                path,
                entry.line_of("id"),
                f"the id {reply_id!r} may only use lower-case letters, digits and _",
            )
            return None
        topic = entry.get("topic")
        if topic not in TOPICS:
            self.out.error(
                path,
                entry.line_of("topic"),
                f"topic {topic!r} is not one of: {', '.join(TOPICS)}",
            )
        title = entry.get("title")
        if not isinstance(title, str) or not title.strip():
            self.out.error(path, entry.line_of("title"), "the title (the button label) is empty")
            title = reply_id
        elif len(title) > BUTTON_LABEL_MAX:
            self.out.error(
                path,
                entry.line_of("title"),
                f"the title is {len(title)} characters; buttons fit at most {BUTTON_LABEL_MAX}",
            )
        elif len(title) > TITLE_MAX:
            self.out.warn(
                path,
                entry.line_of("title"),
                f"the title is {len(title)} characters; keep it under {TITLE_MAX} so it fits "
                "on a phone's button",
            )
        raw_text = entry.get("text")
        if not isinstance(raw_text, str) or not raw_text.strip():
            self.out.error(path, entry.line_of("text"), "the text is empty; write the reply")
            raw_text = ""
        used = self._placeholders(path, entry, raw_text, contacts)
        text = render(raw_text.strip(), contacts)
        buttons = _as_str_list(entry.get("buttons", []))
        if buttons is None:
            self.out.error(
                path,
                entry.line_of("buttons"),
                "buttons must be a list of reply ids, like [report_anonymous, menu_main]",
            )
            buttons = []
        sources = _as_str_list(entry.get("sources"))
        if not sources:
            self.out.error(
                path,
                entry.line_of("sources"),
                "list at least one source (where the facts were checked), or "
                "[none: no facts stated]",
            )
            sources = []
        reviewed = entry.get("last_reviewed")
        reviewed_date = self._check_reviewed(path, entry, reviewed, f"reply '{reply_id}'")
        if isinstance(topic, str) and topic in TOPICS:
            self._topic_rules(path, entry, reply_id, topic, text, used, buttons)
        if len(text) > TEXT_MAX:
            self.out.error(
                path,
                entry.line_of("text"),
                f"the text is {len(text)} characters; keep a reply under {TEXT_MAX}",
            )
        for_ages = self._for_ages(path, entry, contacts)
        return ContentReply(
            id=reply_id,
            topic=topic if isinstance(topic, str) else "fallback",
            title=title.strip(),
            text=text,
            buttons=tuple(buttons),
            sources=tuple(sources),
            last_reviewed=reviewed_date or self.today,
            path=path,
            line=line,
            contacts=frozenset(used),
            for_ages=for_ages,
        )

    def _for_ages(self, path: Path, entry: YamlMap, contacts: dict[str, Contact]) -> dict[str, str]:
        """`for_ages:` words for under_16, 16_17 and 18_plus, checked like the text."""
        raw = entry.get("for_ages")
        if raw is None:
            return {}
        if not isinstance(raw, YamlMap):
            self.out.error(
                path,
                entry.line_of("for_ages"),
                "for_ages must list ages on their own lines, like 'under_16: |' followed by "
                "the words for that age",
            )
            return {}
        found: dict[str, str] = {}
        for band, words in raw.items():
            if band not in AGE_BANDS:
                close = _closest(str(band), AGE_BANDS)
                self.out.error(
                    path,
                    raw.line_of(band),
                    f"'{band}' is not an age group"
                    + (f" (did you mean '{close}'?)" if close else "")
                    + f"; use {', '.join(AGE_BANDS)}",
                )
                continue
            if not isinstance(words, str) or not words.strip():
                self.out.error(path, raw.line_of(band), f"the words for {band} are empty")
                continue
            self._placeholders(path, raw, words, contacts, key=band)
            found[str(band)] = render(words.strip(), contacts)
        return found

    def _placeholders(
        self,
        path: Path,
        entry: YamlMap,
        text: str,
        contacts: dict[str, Contact],
        key: str = "text",
    ) -> set[str]:
        used: set[str] = set()
        for match in PLACEHOLDER.finditer(text):
            contact_key, name = match.groups()
            where = entry.text_line(key, match.start())
            contact = contacts.get(contact_key)
            if contact is None:
                close = _closest(contact_key, contacts)
                self.out.error(
                    path,
                    where,
                    f"{match.group(0)}: there is no contact '{contact_key}' in contacts.yml"
                    + (f" (did you mean {{{close}.{name}}}?)" if close else ""),
                )
            elif contact.field_value(name) is None:
                have = [f for f in CONTACT_FIELDS if contact.field_value(f)]
                self.out.error(
                    path,
                    where,
                    f"{match.group(0)}: the contact '{contact_key}' has no '{name}'; it has "
                    f"{', '.join(have)}",
                )
            else:
                used.add(contact_key)
        stripped = PLACEHOLDER.sub("", text)
        for brace in re.finditer(r"[{}]", stripped):
            self.out.error(
                path,
                entry.text_line(key, text.find(brace.group(0))),
                "a { or } that is not a placeholder; placeholders look like {crimestoppers.phone}",
            )
            break
        for match in RAW_PHONE.finditer(stripped):
            self.out.error(
                path,
                entry.text_line(key, text.find(match.group(0))),
                f"the number {match.group(0).strip()!r} is typed into the text; write its "
                "placeholder instead (like {crimestoppers.phone}) so it is kept in one place, "
                "contacts.yml",
            )
        for match in RAW_URL.finditer(stripped):
            self.out.error(
                path,
                entry.text_line(key, text.find(match.group(0))),
                f"the web address {match.group(0)!r} is typed into the text; add it to "
                "contacts.yml and write its placeholder (like {childline.web})",
            )
        return used

    def _topic_rules(
        self,
        path: Path,
        entry: YamlMap,
        reply_id: str,
        topic: str,
        text: str,
        used: set[str],
        buttons: list[str],
    ) -> None:
        where = entry.line_of("text")
        if topic == "reporting" and "crimestoppers" not in used:
            self.out.error(
                path,
                where,
                f"'{reply_id}' is a reporting reply, so it must give Crimestoppers: add "
                "{crimestoppers.phone} to the text",
            )
        if topic == "emergency":
            first = text.split("\n\n", 1)[0]
            if "999" not in first:
                self.out.error(
                    path,
                    where,
                    f"'{reply_id}' is an emergency reply, so its first paragraph must say "
                    "{police_emergency.phone} (999)",
                )
        if topic == "crisis" and not used & {"samaritans", "childline", "shout"}:
            self.out.error(
                path,
                where,
                f"'{reply_id}' is a crisis reply, so it must give a helpline: add "
                "{samaritans.phone}, {childline.phone} or {shout.text}",
            )
        if topic == "support" and not used:
            self.out.error(
                path,
                where,
                f"'{reply_id}' is a support reply, so it must name at least one service through "
                "a placeholder, like {childline.phone}",
            )
        if topic == "fallback" and not buttons and reply_id != "clarify":
            self.out.error(
                path,
                entry.line_of("buttons"),
                f"'{reply_id}' is a fallback reply, so it must offer buttons (at least "
                "[menu_main])",
            )

    def _check_reviewed(self, path: Path, entry: YamlMap, value: Any, what: str) -> date | None:
        if not isinstance(value, date):
            self.out.error(
                path,
                entry.line_of("last_reviewed"),
                f"last_reviewed for {what} must be a date written like 2026-11-24",
            )
            return None
        age = (self.today - value).days
        if age < 0:
            self.out.error(
                path,
                entry.line_of("last_reviewed"),
                f"last_reviewed for {what} is in the future ({value}); use the day you checked it",
            )
        elif age > 183:
            self.out.warn(
                path,
                entry.line_of("last_reviewed"),
                f"{what} was last reviewed {value}, over six months ago; check its facts and "
                "update the date",
            )
        return value

    def _buttons(self, replies: dict[str, ContentReply]) -> None:
        for reply in replies.values():
            for target in reply.buttons:
                if target not in replies:
                    close = _closest(target, replies)
                    self.out.error(
                        reply.path,
                        reply.line,
                        f"'{reply.id}' has a button to '{target}', but no reply has that id"
                        + (f" (did you mean '{close}'?)" if close else ""),
                    )
                if target == reply.id:
                    self.out.error(
                        reply.path, reply.line, f"'{reply.id}' has a button to itself; remove it"
                    )

    def _system_replies(self, replies: dict[str, ContentReply]) -> None:
        for reply_id, topic in SYSTEM_REPLIES.items():
            reply = replies.get(reply_id)
            if reply is None:
                self.out.error(
                    self.dir / "replies",
                    1,
                    f"the bot needs a reply with id '{reply_id}' (topic {topic}); it is missing "
                    "from every file in content/replies/",
                )
            elif reply.topic != topic:
                self.out.error(
                    reply.path, reply.line, f"the reply '{reply_id}' must have topic: {topic}"
                )

    # -- commands.yml

    def _commands(self, path: Path, replies: dict[str, ContentReply]) -> dict[str, Command]:
        data = self._read_mapping(path)
        commands: dict[str, Command] = {}
        for name, entry in data.items():
            line = data.line_of(name)
            if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,31}", name):
                self.out.error(
                    path, line, f"the command {name!r} may only use a-z, 0-9 and _ (max 32)"
                )
                continue
            if not isinstance(entry, YamlMap):
                self.out.error(path, line, f"'{name}' needs description: and reply: below it")
                continue
            description = entry.get("description")
            if not isinstance(description, str) or not 3 <= len(description) <= 256:
                self.out.error(
                    path,
                    entry.line_of("description"),
                    f"/{name} needs a description of 3 to 256 characters (Telegram shows it "
                    "in the menu)",
                )
                description = name
            reply = entry.get("reply")
            action = entry.get("action")
            if (reply is None) == (action is None):
                self.out.error(path, line, f"/{name} needs either reply: or action:, not both")
            elif reply is not None and reply not in replies:
                self.out.error(
                    path,
                    entry.line_of("reply"),
                    f"/{name} points to a reply '{reply}' that does not exist",
                )
            elif action is not None and action not in COMMAND_ACTIONS:
                self.out.error(
                    path,
                    entry.line_of("action"),
                    f"/{name} has an unknown action {action!r}; use one of "
                    f"{', '.join(COMMAND_ACTIONS)}",
                )
            commands[name] = Command(
                name=name,
                description=description,
                reply=reply if isinstance(reply, str) else None,
                action=action if isinstance(action, str) else None,
            )
        for needed in ("start", "help", "menu"):
            if data and needed not in commands:
                self.out.error(path, 1, f"the /{needed} command is missing; Telegram needs it")
        return commands

    # -- services.yml

    def _services(
        self, path: Path, contacts: dict[str, Contact]
    ) -> tuple[dict[str, Area], tuple[Service, ...]]:
        data = self._read_mapping(path)
        areas: dict[str, Area] = {}
        raw_areas = data.get("areas", YamlMap())
        if not isinstance(raw_areas, YamlMap):
            self.out.error(path, data.line_of("areas"), "areas: must list areas by name")
            raw_areas = YamlMap()
        for key, entry in raw_areas.items():
            line = raw_areas.line_of(key)
            if not isinstance(entry, YamlMap) or not isinstance(entry.get("name"), str):
                self.out.error(path, line, f"area '{key}' needs a name: line")
                continue
            names = _as_str_list(entry.get("also_called", [])) or []
            districts = _as_str_list(entry.get("postcode_districts", [])) or []
            postcode_areas = _as_str_list(entry.get("postcode_areas", [])) or []
            for district in districts:
                if not POSTCODE_DISTRICT.match(district):
                    self.out.error(
                        path,
                        entry.line_of("postcode_districts"),
                        f"{district!r} is not a postcode district; write it like N7 or EC1V",
                    )
            for letters in postcode_areas:
                if not POSTCODE_AREA.match(letters):
                    self.out.error(
                        path,
                        entry.line_of("postcode_areas"),
                        f"{letters!r} is not a postcode area; write its letters, like N or EC",
                    )
            within = entry.get("within")
            areas[str(key)] = Area(
                key=str(key),
                name=entry["name"],
                within=within if isinstance(within, str) else None,
                names=tuple(n.lower() for n in [entry["name"], *names]),
                postcode_districts=tuple(districts),
                postcode_areas=tuple(postcode_areas),
            )
        for area in areas.values():
            if area.within is not None and area.within not in areas:
                self.out.error(
                    path,
                    raw_areas[area.key].line_of("within"),
                    f"area '{area.key}' is within '{area.within}', which is not listed",
                )
        services: list[Service] = []
        raw_services = data.get("services", YamlList())
        if not isinstance(raw_services, YamlList):
            self.out.error(path, data.line_of("services"), "services: must be a list")
            raw_services = YamlList()
        for entry, line in zip(raw_services, raw_services.item_lines, strict=True):
            if not isinstance(entry, YamlMap):
                self.out.error(path, line, "each service starts with '- contact:'")
                continue
            contact = entry.get("contact")
            where = _as_str_list(entry.get("areas"))
            what = entry.get("what")
            if contact not in contacts:
                self.out.error(
                    path,
                    entry.line_of("contact"),
                    f"the service's contact {contact!r} is not in contacts.yml; add it there first",
                )
                continue
            if not where:
                self.out.error(path, entry.line_of("areas"), "list the areas it serves")
                continue
            for key in where:
                if key != "everywhere" and key not in areas:
                    self.out.error(
                        path,
                        entry.line_of("areas"),
                        f"the area '{key}' is not listed under areas: (or write everywhere)",
                    )
            if not isinstance(what, str) or not what.strip():
                self.out.error(path, line, "say in a few words what the service does (what:)")
                continue
            if RAW_PHONE.search(what) or RAW_URL.search(what):
                self.out.error(
                    path,
                    entry.line_of("what"),
                    "keep numbers and web addresses in contacts.yml, not in what:",
                )
            services.append(Service(contact=str(contact), areas=tuple(where), what=what.strip()))
        return areas, tuple(services)

    def _read_mapping(self, path: Path) -> YamlMap:
        data, problem = read_yaml(path)
        if problem:
            self.out.error(path, problem.line, problem.message)
            return YamlMap()
        if data is None:
            return YamlMap()
        if not isinstance(data, YamlMap):
            self.out.error(path, 1, "this file must be a list of 'name:' entries")
            return YamlMap()
        for key, key_line in data.duplicate_keys:
            self.out.error(path, key_line, f"'{key}' appears twice in this file; keep only one")
        return data


def _closest(word: str, options: Iterable[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, list(options), n=1, cutoff=0.75)
    return found[0] if found else None


def load_content(
    content_dir: Path, today: date | None = None
) -> tuple[Content | None, list[Problem]]:
    """Read and check all content; the content is None when any error was found."""
    return ContentLoader(content_dir, today).load()


class ContentError(Exception):
    """The content has errors, so it cannot be used."""

    def __init__(self, problems: list[Problem], root: Path | None = None) -> None:
        errors = [p for p in problems if p.level == "error"]
        shown = "\n".join(p.format(root) for p in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"the content has {len(errors)} error(s):\n{shown}{more}")
        self.problems = errors


def _fingerprint(content_dir: Path) -> tuple[tuple[str, int, int], ...]:
    entries = []
    for path in sorted(content_dir.rglob("*.yml")):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


class ContentStore:
    """The content in use: reloaded when the files change, kept as it is when an edit is broken.

    `current()` looks at the files' modification times at most once every `check_every`
    seconds, so a saved edit is live within that time without a restart. `reload()` forces a
    look (the bot calls it on SIGHUP).
    """

    def __init__(self, content_dir: Path, check_every: float = 2.0) -> None:
        self.dir = content_dir
        self.check_every = check_every
        self._lock = threading.Lock()
        content, problems = load_content(content_dir)
        if content is None:
            raise ContentError(problems, content_dir.parent)
        self._content = content
        self._fingerprint = _fingerprint(content_dir)
        self._checked_at = time.monotonic()
        self._rejected: tuple[tuple[str, int, int], ...] | None = None

    def current(self) -> Content:
        if time.monotonic() - self._checked_at >= self.check_every:
            self.reload()
        return self._content

    def reload(self) -> bool:
        """Load the files again if they changed; True when new content is now in use."""
        with self._lock:
            self._checked_at = time.monotonic()
            fingerprint = _fingerprint(self.dir)
            if fingerprint in (self._fingerprint, self._rejected):
                return False
            content, problems = load_content(self.dir)
            if content is None:
                self._rejected = fingerprint
                errors = [p.format(self.dir.parent) for p in problems if p.level == "error"]
                log.error(
                    "content edit rejected, still serving the last good content: %s",
                    "; ".join(errors[:10]),
                )
                return False
            self._content = content
            self._fingerprint = fingerprint
            self._rejected = None
            log.info("content reloaded: %d replies", len(content.replies))
            return True
