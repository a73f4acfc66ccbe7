"""Reading the content files into the objects of `bot.content.schema`, checking them as they
are read (`bot.content.checks`), each problem with its file and line."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from bot.content.checks import Collector, ContentChecks, closest
from bot.content.schema import (
    AGE_BANDS,
    BUTTON_LABEL_MAX,
    COMMAND_ACTIONS,
    CONTACT_EXTRA,
    CONTACT_FIELDS,
    POSTCODE_AREA,
    POSTCODE_DISTRICT,
    RAW_PHONE,
    RAW_URL,
    REPLY_FIELDS,
    REPLY_OPTIONAL,
    TEXT_MAX,
    TITLE_MAX,
    TOPICS,
    Area,
    Command,
    Contact,
    Content,
    ContentReply,
    Problem,
    Service,
    render,
)
from bot.yamlfile import YamlList, YamlMap, read_yaml


def _as_str_list(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value)
    return None


class ContentLoader(ContentChecks):
    """Reads and checks every file under one content directory."""

    def __init__(self, content_dir: Path, today: date | None = None) -> None:
        self.dir = content_dir
        self.today = today or date.today()
        self.out = Collector()

    def load(self) -> tuple[Content | None, list[Problem]]:
        contacts = self._contacts(self.dir / "contacts.yml")
        replies = self._replies(contacts)
        commands = self._commands(self.dir / "commands.yml", replies)
        areas, services = self._services(self.dir / "services.yml", contacts)
        self._system_replies(replies)
        self._buttons(replies)
        unreadable = [p for p in self.out.problems if p.unreadable]
        if unreadable:
            # Everything else follows from the files that could not be read ("no contact
            # 'childline'" because contacts.yml did not load): only their errors help.
            return None, unreadable
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
            unquoted: set[str] = set()
            for name in CONTACT_FIELDS:
                if name in entry:
                    value = entry[name]
                    if isinstance(value, int) and not isinstance(value, bool):
                        where = entry.line_of(name)
                        typed = _source_value(path, where)
                        self.out.error(
                            path,
                            where,
                            f'{name}: {typed} must be written in quotes, like {name}: "{typed}" '
                            f"(without them YAML reads it as the number {value})",
                        )
                        values[name] = typed  # what was meant, so nothing else complains
                        unquoted.add(name)
                        continue
                    if not isinstance(value, str):
                        self.out.error(
                            path, entry.line_of(name), f"'{name}' must be text in quotes"
                        )
                        continue
                    values[name] = str(value).strip()
            if "name" not in values:
                self.out.error(path, entry.line, f"contact '{key}' needs a name: line")
                continue
            checked = {name: value for name, value in values.items() if name not in unquoted}
            self._check_contact(path, entry, key, checked)
            contacts[key] = Contact(key=key, **values)
        return contacts

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
                self.out.unreadable(path, problem.line, problem.message)
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
            close = closest(unknown, REPLY_FIELDS + REPLY_OPTIONAL)
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
                close = closest(str(band), AGE_BANDS)
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
        for unknown in sorted(set(map(str, data)) - {"areas", "services"}):
            close = closest(unknown, ["areas", "services"])
            self.out.error(
                path,
                data.line_of(unknown),
                f"'{unknown}:' is not a part of services.yml"
                + (f" (did you mean '{close}:'?)" if close else "")
                + "; it has areas: and services:",
            )
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
                # (With areas: misspelt, that mistake is the one reported.)
                if key != "everywhere" and key not in areas and "areas" in data:
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
            self.out.unreadable(path, problem.line, problem.message)
            return YamlMap()
        if data is None:
            return YamlMap()
        if not isinstance(data, YamlMap):
            self.out.error(path, 1, "this file must be a list of 'name:' entries")
            return YamlMap()
        for key, key_line in data.duplicate_keys:
            self.out.error(path, key_line, f"'{key}' appears twice in this file; keep only one")
        return data


def _source_value(path: Path, line: int) -> str:
    """What is written after the colon on `line` of `path`, as the person typed it."""
    try:
        written = path.read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, IndexError):
        return "this value"
    return written.partition(":")[2].split("#")[0].strip()


def load_content(
    content_dir: Path, today: date | None = None
) -> tuple[Content | None, list[Problem]]:
    """Read and check all content; the content is None when any error was found."""
    return ContentLoader(content_dir, today).load()
