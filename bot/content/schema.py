"""The content's shape: topics, the fields of a reply and a contact, and the objects the
loader builds from the YAML files (replies, contacts, commands, areas, services).

Nothing here reads a file; `bot.content.loading` does, and `bot.content.checks` holds the rules
that keep young people safe (a reporting reply gives Crimestoppers, an emergency reply says 999
first...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import phonenumbers
from phonenumbers import shortnumberinfo

TOPICS = ("consequences", "support", "reporting", "emergency", "crisis", "smalltalk", "fallback")
REPLY_FIELDS = ("id", "topic", "title", "text", "buttons", "sources", "last_reviewed")
# Optional: words for a stated age ("im 17 and..."), added after the first paragraph.
REPLY_OPTIONAL = ("for_ages",)
AGE_BANDS = ("under_16", "16_to_17", "18_plus")  # (not "16_17": YAML reads that as 1617)
CONTACT_FIELDS = ("name", "phone", "text", "text_word", "textphone", "web", "about")
CONTACT_EXTRA = ("sources", "last_reviewed")
# Besides the emergency replies, the bot may give these to a clear emergency when the NLU model
# reads the message as one of them: the answer to "how do I report this, it's happening now"
# (bot/engine.py). Their first paragraph must say 999 too.
CLEAR_EMERGENCY_REPLIES = ("report_now",)
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
    "urgent_banner_hurt": "emergency",
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
    # The file could not be read at all: its other problems, and those of files that refer
    # to it, would only be noise until it is fixed.
    unreadable: bool = False

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
