"""Questions to review: what young people asked that the bot did not understand (kept only
when COLLECT_NOT_UNDERSTOOD=yes, redacted before they were stored). A reviewer adds one as a
training example of an intent, marks it "needs a new answer", or discards it. Nothing here
ever shows a Telegram id (none is stored) or unredacted text (none is stored either)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web
from sqlalchemy import select, update

from bot.console.app import console, render, requires, staff
from bot.content import load_content
from bot.content.writing import EditError, write
from bot.examples import add_example, intents
from bot.examples import check as check_example
from bot.storage.tables import not_understood

STATES = {
    "new": "Waiting for review",
    "needs_answer": "Needs a new answer",
    "added": "Added to the training data",
    "discarded": "Discarded",
}
DONE = {
    "added": "Added as a training example. Retrain the model (Model page) for the bot to learn it.",
    "needs_answer": "Marked as needing a new answer.",
    "discarded": "Discarded.",
}


@dataclass(frozen=True)
class Question:
    id: int
    at: datetime
    text: str
    status: str


def _questions(request: web.Request, status: str) -> list[Question]:
    with console(request).db.connect() as conn:
        rows = conn.execute(
            select(
                not_understood.c.id,
                not_understood.c.at,
                not_understood.c.text,
                not_understood.c.status,
            )
            .where(not_understood.c.status == status)
            .order_by(not_understood.c.at.desc())
            .limit(100)
        )
        return [Question(int(i), at, str(text), str(s)) for i, at, text, s in rows]


def _intent_choices(request: web.Request) -> list[tuple[str, str]]:
    app = console(request)
    content, _ = load_content(app.content_dir)
    titles = {r.id: f"{r.title} ({r.topic})" for r in content.replies.values()} if content else {}
    choices = [(i, titles.get(i, i)) for i in intents(app.root / "nlu" / "data")]
    return sorted(choices, key=lambda choice: choice[1].lower())


@requires("questions")
async def questions(request: web.Request) -> web.StreamResponse:
    status = request.query.get("status", "new")
    if status not in STATES:
        status = "new"
    found = await asyncio.to_thread(_questions, request, status)
    choices = await asyncio.to_thread(_intent_choices, request)
    return await render(
        request,
        "questions.html",
        title="Questions to review",
        questions=found,
        shown=status,
        states=STATES,
        choices=choices,
        done=DONE.get(request.query.get("done", "")),
        errors={},
        collecting=console(request).settings.collect_not_understood,
    )


def _set_status(request: web.Request, question_id: int, status: str) -> bool:
    app = console(request)
    with app.db.begin() as conn:
        changed = conn.execute(
            update(not_understood)
            .where(not_understood.c.id == question_id)
            .values(status=status, reviewed_at=app.clock())
        ).rowcount
    return bool(changed)


def _question(request: web.Request, question_id: int) -> Question | None:
    with console(request).db.connect() as conn:
        row = conn.execute(
            select(
                not_understood.c.id,
                not_understood.c.at,
                not_understood.c.text,
                not_understood.c.status,
            ).where(not_understood.c.id == question_id)
        ).first()
    return Question(int(row[0]), row[1], str(row[2]), str(row[3])) if row else None


@requires("questions")
async def review(request: web.Request) -> web.StreamResponse:
    app = console(request)
    member = staff(request)
    question_id = int(request.match_info["question_id"])
    question = await asyncio.to_thread(_question, request, question_id)
    if question is None:
        raise web.HTTPNotFound()
    form = await request.post()
    action = str(form.get("action", ""))
    error = None
    if action == "add" and not form.get("intent"):
        error = "Choose what the question is asking about, then add it."
    elif action == "add":
        intent = str(form.get("intent", ""))
        text = str(form.get("example", ""))
        try:
            change = await asyncio.to_thread(add_example, app.root, intent, text)
            problems = await asyncio.to_thread(check_example, app.root, change)
            if problems:
                first = problems[0]
                where = first.path.resolve().relative_to(app.root.resolve())
                raise EditError(f"{where}, line {first.line}: {first.message}")
            await asyncio.to_thread(write, app.root, change)
        except (EditError, ValueError) as exc:
            error = f"Nothing was added: {exc}."
        else:
            await asyncio.to_thread(
                app.history.record,
                member.email,
                "review",
                change.path,
                f"added a question as a training example of {intent}",
                change,
            )
            await asyncio.to_thread(_set_status, request, question_id, "added")
    elif action in ("needs_answer", "discarded"):
        await asyncio.to_thread(_set_status, request, question_id, action)
        await asyncio.to_thread(
            app.history.record,
            member.email,
            "review",
            f"question {question_id}",
            f"marked a question {STATES[action].lower()}",
        )
    else:
        error = "Choose what to do with the question."
    if error is None:
        raise web.HTTPSeeOther(f"/questions?done={'added' if action == 'add' else action}")
    found = await asyncio.to_thread(_questions, request, "new")
    choices = await asyncio.to_thread(_intent_choices, request)
    return await render(
        request,
        "questions.html",
        status=422,
        title="Questions to review",
        questions=found,
        shown="new",
        states=STATES,
        choices=choices,
        done=None,
        errors={question_id: error},
        collecting=app.settings.collect_not_understood,
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/questions", questions)
    router.add_post(r"/questions/{question_id:\d{1,9}}", review)
