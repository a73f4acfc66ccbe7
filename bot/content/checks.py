"""The content checks: what `python -m bot check` and the staff console refuse or warn about.

Each problem names the file, the line and the fix, in words for someone who is not a
programmer. `ContentChecks` holds the rules the loader applies to each file as it reads it:
phone numbers and web addresses are valid and written once (in contacts.yml), each topic keeps
its promise (Crimestoppers, 999, a helpline, a service), the bot never promises what it cannot
do, review dates are real, buttons lead somewhere and the replies the bot needs exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.content.schema import (
    CLEAR_EMERGENCY_REPLIES,
    CONTACT_FIELDS,
    PLACEHOLDER,
    RAW_PHONE,
    RAW_URL,
    SYSTEM_REPLIES,
    Contact,
    ContentReply,
    Problem,
    valid_uk_number,
)
from bot.yamlfile import YamlMap


@dataclass
class Collector:
    problems: list[Problem] = field(default_factory=list)

    def error(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    def unreadable(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message, unreadable=True))

    def warn(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message, "warning"))

    @property
    def has_errors(self) -> bool:
        return any(p.level == "error" for p in self.problems)


def closest(word: str, options: Iterable[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, list(options), n=1, cutoff=0.75)
    return found[0] if found else None


def placeholder_for(number: str, contacts: dict[str, Contact]) -> str:
    """The placeholder that gives `number`, or an example when no contact has it."""
    digits = re.sub(r"\D", "", number)
    for contact in contacts.values():
        for name in ("phone", "text", "textphone"):
            value = contact.field_value(name)
            if value is not None and re.sub(r"\D", "", value) == digits:
                return f"{{{contact.key}.{name}}}"
    return "its placeholder (like {crimestoppers.phone}; add the number to contacts.yml first)"


# The bot is not the police and never takes a report: a reply must never promise to pass
# something on, to report it, or to keep a report.
BROKEN_PROMISES = re.compile(
    r"(?i)\b(?:"
    r"(?:i|we)(?:'ll| will| can| could| am going to|'m going to)\s+"
    r"(?:pass|send|forward|give|report|tell|hand|share)\b[^.!?\n]{0,40}"
    r"\b(?:police|crimestoppers|authorities|school|someone|them|on|it)\b|"
    r"(?:tell|send|give|report)\s+(?:it\s+)?(?:to\s+)?(?:me|us)\s+here\b|"
    r"(?:i|we)(?:'ll| will| can)\s+(?:take|log|record|file)\s+(?:your|a|the)\s+report"
    r")"
)


class ContentChecks:
    """The rules, applied by the loader (`bot.content.loading.ContentLoader`) to what it reads."""

    dir: Path
    today: date
    out: Collector

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
                close = closest(contact_key, contacts)
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
            number = match.group(0).strip()
            self.out.error(
                path,
                entry.text_line(key, text.find(match.group(0))),
                f"the number {number!r} is typed into the text; write "
                f"{placeholder_for(number, contacts)} instead, so that it is kept in one place, "
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
        for promise in BROKEN_PROMISES.finditer(text):
            self.out.error(
                path,
                entry.text_line("text", text.find(promise.group(0))),
                f"'{reply_id}' says {promise.group(0)!r}, but the bot cannot take a report or "
                "pass anything on to anyone: say who the young person can tell instead, like "
                "Crimestoppers on {crimestoppers.phone}",
            )
            break
        if topic == "reporting" and "crimestoppers" not in used:
            self.out.error(
                path,
                where,
                f"'{reply_id}' is a reporting reply, so it must give Crimestoppers: add "
                "{crimestoppers.phone} to the text",
            )
        if topic == "emergency" or reply_id in CLEAR_EMERGENCY_REPLIES:
            first = text.split("\n\n", 1)[0]
            if "999" not in first:
                kind = "an emergency reply" if topic == "emergency" else "given in an emergency"
                self.out.error(
                    path,
                    where,
                    f"'{reply_id}' is {kind}, so its first paragraph must say "
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
                    close = closest(target, replies)
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
