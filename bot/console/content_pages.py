"""The content pages: replies (listed by topic, searched, edited with a preview), contacts,
areas and local services, and the history of every change with its undo.

Every save runs the same checks as `python -m bot check` on the edited copy first; problems are
shown next to the field they are about, each a sentence naming the file, the line and the fix.
Only a change with no errors is written (atomically); the running bot picks it up within a few
seconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.console.app import console, render, requires, staff
from bot.content import TOPICS, Content, Problem, load_content
from bot.content import render as fill
from bot.content.schema import CONTACT_FIELDS
from bot.content.writing import (
    Change,
    EditError,
    ReplyEdit,
    edit_area,
    edit_contact,
    edit_reply,
    edit_service,
    words_list,
    write,
)
from bot.content.writing import check as check_change
from bot.yamlfile import YamlList, YamlMap, parse_yaml

SAVED = {
    "saved": "Saved. The bot uses the new version within a few seconds.",
    "undone": "Undone. The file is back as it was before that change.",
}


@dataclass
class Feedback:
    """Problems found in an edit: by field, and the rest (other places the edit broke)."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.fields or self.general)

    def add(self, name: str | None, sentence: str) -> None:
        if name is None:
            self.general.append(sentence)
        else:
            self.fields.setdefault(name, []).append(sentence)


def sentence(root: Path, problem: Problem) -> str:
    try:
        where = problem.path.resolve().relative_to(root.resolve())
    except ValueError:
        where = problem.path
    return f"{where}, line {problem.line}: {problem.message}"


def sort_problems(
    root: Path,
    problems: list[Problem],
    change: Change,
    locate: Callable[[Any], YamlMap | None],
) -> Feedback:
    """Each problem next to the field of the edited entry it is on, or in the general list."""
    feedback = Feedback()
    data, _ = parse_yaml(change.after)
    entry = locate(data) if data is not None else None
    lines: list[tuple[int, str]] = []
    if entry is not None:
        lines = sorted((line, str(key)) for key, line in entry.key_lines.items())
    for problem in problems:
        name = None
        same_file = problem.path.resolve() == (root / change.path).resolve()
        if same_file and lines and entry is not None:
            end = _entry_end(change.after, entry.line)
            if entry.line <= problem.line <= end:
                name = lines[0][1]
                for line, key in lines:
                    if line <= problem.line:
                        name = key
        feedback.add(name, sentence(root, problem))
    return feedback


def _entry_end(text: str, start: int) -> int:
    """The last line of the YAML entry starting at `start`: the lines after it that are
    indented at least as far as its first key (blank lines and comments included)."""
    lines = text.split("\n")
    first = lines[start - 1]
    stripped = first.lstrip(" ")
    column = len(first) - len(stripped) + (2 if stripped.startswith("- ") else 0)
    for number in range(start, len(lines)):
        line = lines[number]
        indent = len(line) - len(line.lstrip(" "))
        if line.strip() and not line.lstrip().startswith("#") and indent < column:
            return number
    return len(lines)


def _by_id(reply_id: str) -> Callable[[Any], YamlMap | None]:
    def locate(data: Any) -> YamlMap | None:
        if isinstance(data, YamlList):
            for item in data:
                if isinstance(item, YamlMap) and item.get("id") == reply_id:
                    return item
        return None

    return locate


def _in_mapping(*keys: str) -> Callable[[Any], YamlMap | None]:
    def locate(data: Any) -> YamlMap | None:
        for key in keys:
            if not isinstance(data, YamlMap):
                return None
            data = data.get(key)
        return data if isinstance(data, YamlMap) else None

    return locate


def _service_at(index: int | None) -> Callable[[Any], YamlMap | None]:
    def locate(data: Any) -> YamlMap | None:
        services = data.get("services") if isinstance(data, YamlMap) else None
        if not isinstance(services, YamlList) or not services:
            return None
        item = services[index if index is not None else -1]
        return item if isinstance(item, YamlMap) else None

    return locate


async def current_content(request: web.Request) -> Content | None:
    content, _ = await asyncio.to_thread(load_content, console(request).content_dir)
    return content


async def apply(
    request: web.Request,
    change: Change,
    locate: Callable[[Any], YamlMap | None],
    action: str,
    summary: str,
    save: bool = True,
) -> Feedback:
    """Check a change (and, with `save`, write it and log it when it has no errors)."""
    app = console(request)
    problems = await asyncio.to_thread(check_change, app.root, app.content_dir, [change])
    feedback = sort_problems(app.root, problems, change, locate)
    if feedback.any or not save or not change.changed:
        return feedback
    try:
        await asyncio.to_thread(write, app.root, change)
    except EditError as exc:
        feedback.add(None, f"Nothing was saved: {exc}.")
        return feedback
    await asyncio.to_thread(
        app.history.record, staff(request).email, action, change.path, summary, change
    )
    return feedback


def parse_date(raw: str, feedback: Feedback, name: str = "last_reviewed") -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        feedback.add(name, "Write the date you checked the facts like 2026-11-25.")
        return date.today()


# -- replies


@requires("content")
async def replies(request: web.Request) -> web.StreamResponse:
    content = await current_content(request)
    query = request.query.get("q", "").strip()
    topic = request.query.get("topic", "")
    found: dict[str, list[Any]] = {t: [] for t in TOPICS}
    if content is not None:
        needle = query.lower()
        for reply in sorted(content.replies.values(), key=lambda r: r.id):
            if topic and reply.topic != topic:
                continue
            if needle and not any(
                needle in part.lower() for part in (reply.id, reply.title, reply.text)
            ):
                continue
            found[reply.topic].append(reply)
    return await render(
        request,
        "replies.html",
        title="Replies",
        query=query,
        topic=topic,
        topics=TOPICS,
        found=found,
        broken=content is None,
        count=sum(len(v) for v in found.values()),
    )


@dataclass(frozen=True)
class Preview:
    """A reply as the young person sees it in Telegram: its messages and its buttons."""

    messages: list[str]
    buttons: list[str]


def preview(content: Content | None, text: str, buttons: list[str]) -> Preview:
    from bot.telegram.layout import split_text

    contacts = content.contacts if content is not None else {}
    shown = fill(text.strip(), contacts)
    labels = []
    for target in buttons:
        reply = content.replies.get(target) if content is not None else None
        labels.append(reply.title if reply is not None else f"{target} (no reply has this id)")
    return Preview(split_text(shown), labels)


@requires("content")
async def reply_page(request: web.Request) -> web.StreamResponse:
    reply_id = request.match_info["reply_id"]
    content = await current_content(request)
    if content is None or reply_id not in content.replies:
        raise web.HTTPNotFound()
    reply = content.replies[reply_id]
    raw = await asyncio.to_thread(_raw_text, request, reply_id)
    values = {
        "title": reply.title,
        "text": raw,
        "buttons": ", ".join(reply.buttons),
        "sources": "\n".join(reply.sources),
        "last_reviewed": reply.last_reviewed.isoformat(),
    }
    return await render(
        request,
        "reply.html",
        title=f"Reply: {reply.title}",
        reply=reply,
        values=values,
        feedback=Feedback(),
        preview=preview(content, raw, list(reply.buttons)),
        done=SAVED.get(request.query.get("done", "")),
        reply_ids=sorted(content.replies),
        previewing=False,
    )


def _raw_text(request: web.Request, reply_id: str) -> str:
    """The reply's text as staff wrote it (with its {placeholders})."""
    from bot.content.writing import find_reply, load

    path = find_reply(console(request).content_dir, reply_id)
    for item in load(path.read_text(encoding="utf-8")):
        if item.get("id") == reply_id:
            return str(item.get("text", "")).rstrip("\n")
    return ""


@requires("content")
async def save_reply(request: web.Request) -> web.StreamResponse:
    reply_id = request.match_info["reply_id"]
    content = await current_content(request)
    if content is None or reply_id not in content.replies:
        raise web.HTTPNotFound()
    form = await request.post()
    values = {
        k: str(form.get(k, "")) for k in ("title", "text", "buttons", "sources", "last_reviewed")
    }
    feedback = Feedback()
    reviewed = parse_date(values["last_reviewed"], feedback)
    edit = ReplyEdit(
        title=values["title"],
        text=values["text"],
        buttons=words_list(values["buttons"]),
        sources=[s.strip() for s in values["sources"].splitlines() if s.strip()],
        last_reviewed=reviewed,
    )
    saving = form.get("action") != "preview"
    if not feedback.any:
        app = console(request)
        change = await asyncio.to_thread(edit_reply, app.root, app.content_dir, reply_id, edit)
        feedback = await apply(
            request, change, _by_id(reply_id), "edit", f"edited the reply {reply_id}", saving
        )
        if saving and not feedback.any:
            raise web.HTTPSeeOther(f"/replies/{reply_id}?done=saved")
    return await render(
        request,
        "reply.html",
        status=422 if feedback.any else 200,
        title=f"Reply: {content.replies[reply_id].title}",
        reply=content.replies[reply_id],
        values=values,
        feedback=feedback,
        preview=preview(content, values["text"], edit.buttons),
        done=None,
        reply_ids=sorted(content.replies),
        previewing=not saving,
    )


# -- contacts


@requires("content")
async def contacts(request: web.Request) -> web.StreamResponse:
    content = await current_content(request)
    return await render(
        request,
        "contacts.html",
        title="Phone numbers and websites",
        contacts=sorted(content.contacts.values(), key=lambda c: c.name.lower()) if content else [],
        done=SAVED.get(request.query.get("done", "")),
        broken=content is None,
    )


def _contact_values(request: web.Request, key: str) -> dict[str, str]:
    from bot.content.writing import load

    data = load((console(request).content_dir / "contacts.yml").read_text(encoding="utf-8"))
    entry = data.get(key) or {}
    values = {name: str(entry.get(name, "") or "") for name in CONTACT_FIELDS}
    values["sources"] = ", ".join(str(s) for s in entry.get("sources", []) or [])
    reviewed = entry.get("last_reviewed")
    values["last_reviewed"] = reviewed.isoformat() if isinstance(reviewed, date) else ""
    values["key"] = key
    return values


@requires("content")
async def contact_page(request: web.Request) -> web.StreamResponse:
    key = request.match_info["key"]
    new = key == "new"
    if new:
        values = dict.fromkeys((*CONTACT_FIELDS, "sources", "key"), "")
        values["last_reviewed"] = date.today().isoformat()
    else:
        values = await asyncio.to_thread(_contact_values, request, key)
        if not values.get("name"):
            raise web.HTTPNotFound()
    return await render(
        request,
        "contact.html",
        title="New contact" if new else f"Contact: {values['name']}",
        values=values,
        new=new,
        feedback=Feedback(),
        fields=CONTACT_FIELDS,
    )


@requires("content")
async def save_contact(request: web.Request) -> web.StreamResponse:
    key = request.match_info["key"]
    new = key == "new"
    form = await request.post()
    values = {
        name: str(form.get(name, ""))
        for name in (*CONTACT_FIELDS, "sources", "last_reviewed", "key")
    }
    if new:
        key = values["key"].strip()
    values["key"] = key
    feedback = Feedback()
    reviewed = parse_date(values["last_reviewed"], feedback)
    if not feedback.any:
        app = console(request)
        try:
            change = await asyncio.to_thread(
                edit_contact, app.root, app.content_dir, key, values, reviewed, new
            )
        except EditError as exc:
            feedback.add("key" if new else None, f"{exc}.")
        else:
            feedback = await apply(
                request,
                change,
                _in_mapping(key),
                "edit",
                f"{'added' if new else 'edited'} the contact {key}",
            )
            if not feedback.any:
                raise web.HTTPSeeOther("/contacts?done=saved")
    return await render(
        request,
        "contact.html",
        status=422,
        title="New contact" if new else f"Contact: {key}",
        values=values,
        new=new,
        feedback=feedback,
        fields=CONTACT_FIELDS,
    )


# -- areas and local services


@requires("content")
async def services(request: web.Request) -> web.StreamResponse:
    content = await current_content(request)
    return await render(
        request,
        "services.html",
        title="Local services",
        areas=sorted(content.areas.values(), key=lambda a: a.name) if content else [],
        services=list(enumerate(content.services)) if content else [],
        contacts=content.contacts if content else {},
        done=SAVED.get(request.query.get("done", "")),
        broken=content is None,
    )


def _area_values(request: web.Request, key: str) -> dict[str, str]:
    from bot.content.writing import load

    data = load((console(request).content_dir / "services.yml").read_text(encoding="utf-8"))
    entry = (data.get("areas") or {}).get(key) or {}

    def listed(name: str) -> str:
        return ", ".join(str(v) for v in entry.get(name, []) or [])

    return {
        "key": key,
        "name": str(entry.get("name", "") or ""),
        "also_called": listed("also_called"),
        "postcode_districts": listed("postcode_districts"),
        "postcode_areas": listed("postcode_areas"),
        "within": str(entry.get("within", "") or ""),
    }


@requires("content")
async def area_page(request: web.Request) -> web.StreamResponse:
    key = request.match_info["key"]
    new = key == "new"
    values = (
        dict.fromkeys(
            ("key", "name", "also_called", "postcode_districts", "postcode_areas", "within"), ""
        )
        if new
        else await asyncio.to_thread(_area_values, request, key)
    )
    if not new and not values["name"]:
        raise web.HTTPNotFound()
    return await render(
        request,
        "area.html",
        title="New area" if new else f"Area: {values['name']}",
        values=values,
        new=new,
        feedback=Feedback(),
    )


@requires("content")
async def save_area(request: web.Request) -> web.StreamResponse:
    key = request.match_info["key"]
    new = key == "new"
    form = await request.post()
    values = {
        k: str(form.get(k, ""))
        for k in ("key", "name", "also_called", "postcode_districts", "postcode_areas", "within")
    }
    if new:
        key = values["key"].strip()
    values["key"] = key
    feedback = Feedback()
    if not values["name"].strip():
        feedback.add("name", "Write the area's name, as people say it (like Hackney).")
    if not feedback.any:
        app = console(request)
        try:
            change = await asyncio.to_thread(
                edit_area,
                app.root,
                app.content_dir,
                key,
                values["name"],
                words_list(values["also_called"]),
                words_list(values["postcode_districts"]),
                words_list(values["postcode_areas"]),
                values["within"],
                new,
            )
        except EditError as exc:
            feedback.add("key" if new else None, f"{exc}.")
        else:
            feedback = await apply(
                request,
                change,
                _in_mapping("areas", key),
                "edit",
                f"{'added' if new else 'edited'} the area {key}",
            )
            if not feedback.any:
                raise web.HTTPSeeOther("/services?done=saved")
    return await render(
        request,
        "area.html",
        status=422,
        title="New area" if new else f"Area: {key}",
        values=values,
        new=new,
        feedback=feedback,
    )


@requires("content")
async def service_page(request: web.Request) -> web.StreamResponse:
    content = await current_content(request)
    number = request.match_info["number"]
    new = number == "new"
    if new:
        values = {"contact": "", "areas": "", "what": ""}
    else:
        if content is None or not number.isdigit() or int(number) >= len(content.services):
            raise web.HTTPNotFound()
        service = content.services[int(number)]
        values = {
            "contact": service.contact,
            "areas": ", ".join(service.areas),
            "what": service.what,
        }
    return await render(
        request,
        "service.html",
        title="New service" if new else "Service",
        values=values,
        new=new,
        number=number,
        feedback=Feedback(),
        contacts=sorted(content.contacts) if content else [],
    )


@requires("content")
async def save_service(request: web.Request) -> web.StreamResponse:
    content = await current_content(request)
    number = request.match_info["number"]
    new = number == "new"
    index = None if new else int(number) if number.isdigit() else -1
    form = await request.post()
    values = {k: str(form.get(k, "")) for k in ("contact", "areas", "what")}
    feedback = Feedback()
    app = console(request)
    try:
        change = await asyncio.to_thread(
            edit_service,
            app.root,
            app.content_dir,
            index,
            values["contact"],
            [a.lower() for a in words_list(values["areas"])],
            values["what"],
        )
    except EditError as exc:
        feedback.add(None, f"{exc}.")
    else:
        feedback = await apply(
            request,
            change,
            _service_at(index),
            "edit",
            f"{'added' if new else 'edited'} the service of {values['contact']}",
        )
        if not feedback.any:
            raise web.HTTPSeeOther("/services?done=saved")
    return await render(
        request,
        "service.html",
        status=422,
        title="New service" if new else "Service",
        values=values,
        new=new,
        number=number,
        feedback=feedback,
        contacts=sorted(content.contacts) if content else [],
    )


# -- history


def may_undo(member_can: Callable[[str], bool], target: str) -> bool:
    if target.startswith("nlu/"):
        return member_can("questions")
    return member_can("content")


async def history(request: web.Request) -> web.StreamResponse:
    member = staff(request)
    entries = await asyncio.to_thread(console(request).history.entries)
    return await render(
        request,
        "history.html",
        title="History",
        entries=entries,
        may_undo=lambda target: may_undo(member.can, target),
        done=SAVED.get(request.query.get("done", "")),
        error=None,
    )


async def undo(request: web.Request) -> web.StreamResponse:
    member = staff(request)
    app = console(request)
    entry_id = request.match_info["entry_id"]
    entry = (
        await asyncio.to_thread(app.history.entry, int(entry_id)) if entry_id.isdigit() else None
    )
    if entry is None:
        raise web.HTTPNotFound()
    error = None
    if not may_undo(member.can, entry.target):
        error = f"Your account is {member.described}, which cannot undo changes to {entry.target}."
    else:
        try:
            await asyncio.to_thread(app.history.undo, entry, member.email)
        except EditError as exc:
            error = f"Nothing was undone: {exc}."
    if error is None:
        raise web.HTTPSeeOther("/history?done=undone")
    entries = await asyncio.to_thread(app.history.entries)
    return await render(
        request,
        "history.html",
        status=409,
        title="History",
        entries=entries,
        may_undo=lambda target: may_undo(member.can, target),
        done=None,
        error=error,
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/replies", replies)
    router.add_get(r"/replies/{reply_id:[a-z][a-z0-9_]{0,63}}", reply_page)
    router.add_post(r"/replies/{reply_id:[a-z][a-z0-9_]{0,63}}", save_reply)
    router.add_get("/contacts", contacts)
    router.add_get(r"/contacts/{key:[a-z][a-z0-9_]{0,63}}", contact_page)
    router.add_post(r"/contacts/{key:[a-z][a-z0-9_]{0,63}}", save_contact)
    router.add_get("/services", services)
    router.add_get(r"/areas/{key:[a-z][a-z0-9_]{0,63}}", area_page)
    router.add_post(r"/areas/{key:[a-z][a-z0-9_]{0,63}}", save_area)
    router.add_get(r"/services/{number:new|\d{1,4}}", service_page)
    router.add_post(r"/services/{number:new|\d{1,4}}", save_service)
    router.add_get("/history", history)
    router.add_post(r"/history/{entry_id:\d{1,9}}/undo", undo)
