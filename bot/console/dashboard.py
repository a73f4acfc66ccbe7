"""The dashboard: what young people ask about and where the bot lets them down, as charts
drawn on the server (SVG in the page; each chart has its figures as a table too)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web

from bot import stats
from bot.console.app import console, render, staff

PERIODS = {"7d": "the last 7 days", "30d": "the last 30 days", "90d": "the last 90 days"}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str


def bars(pairs: list[tuple[str, float, str]]) -> list[Bar]:
    return [Bar(label, value, shown) for label, value, shown in pairs]


async def dashboard(request: web.Request) -> web.StreamResponse:
    staff(request)
    period = request.query.get("since", "7d")
    if period not in PERIODS:
        period = "7d"
    app = console(request)
    since = stats.parse_since(period, app.clock())
    figures = await asyncio.to_thread(stats.collect, app.db, since)
    days = list(figures.days.items())
    total_topics = sum(figures.topics.values()) or 1
    return await render(
        request,
        "dashboard.html",
        title="Dashboard",
        period=period,
        periods=PERIODS,
        figures=figures,
        per_day=bars([(d.strftime("%d %b"), f.messages, str(f.messages)) for d, f in days]),
        topics=bars(
            [
                (
                    t,
                    figures.topics[t],
                    f"{figures.topics[t]} ({figures.topics[t] / total_topics:.0%})",
                )
                for t in stats.TOPICS
            ]
        ),
        not_understood=bars(
            [
                (d.strftime("%d %b"), f.fallback_rate * 100, f"{f.fallback_rate:.0%}")
                for d, f in days
            ]
        ),
        clarified=bars(
            [(d.strftime("%d %b"), f.clarify_rate * 100, f"{f.clarify_rate:.0%}") for d, f in days]
        ),
        thumbs_down=bars([(r, d, f"{d} 👎, {u} 👍") for r, d, u in figures.votes[:10] if d]),
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/", dashboard)
