"""`python -m bot stats`: what young people ask about and where the bot lets them down.

For outreach staff: messages per day, topics, how often the bot did not understand, the
answers with the most 👎, and (when keeping them is turned on) the redacted questions it did not
understand. A table in the terminal, a CSV for a spreadsheet, and a PNG chart.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.storage.tables import events, feedback, not_understood

TOPICS = ("consequences", "support", "reporting", "emergency", "crisis", "smalltalk", "fallback")
TYPED = ("answer", "safety", "clarify", "fallback")  # kinds that come from typed messages


def parse_since(value: str, now: datetime) -> datetime:
    """'7d', '24h', '4w' or a date like 2026-11-01."""
    match = re.fullmatch(r"(\d+)\s*([hdw])", value.strip().lower())
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        hours = {"h": 1, "d": 24, "w": 24 * 7}[unit] * amount
        return now - timedelta(hours=hours)
    try:
        return datetime.combine(
            date.fromisoformat(value.strip()), datetime.min.time(), timezone.utc
        )
    except ValueError:
        raise ValueError(
            f"--since {value!r} is not understood: write 7d, 24h, 4w or a date like 2026-11-01"
        ) from None


@dataclass
class Day:
    messages: int = 0
    typed: int = 0
    fell_back: int = 0  # did not understand at all
    clarified: int = 0  # half understood: asked which of a few answers was meant
    topics: Counter[str] = field(default_factory=Counter)

    @property
    def fallback_rate(self) -> float:
        return self.fell_back / self.typed if self.typed else 0.0

    @property
    def clarify_rate(self) -> float:
        return self.clarified / self.typed if self.typed else 0.0


@dataclass
class Stats:
    since: datetime
    days: dict[date, Day]
    topics: Counter[str]
    safety_replies: int
    votes: list[tuple[str, int, int]]  # reply id, 👎 count, 👍 count
    questions: list[tuple[datetime, str]]

    @property
    def messages(self) -> int:
        return sum(d.messages for d in self.days.values())

    @property
    def typed(self) -> int:
        return sum(d.typed for d in self.days.values())

    @property
    def fallback_rate(self) -> float:
        typed = self.typed
        return sum(d.fell_back for d in self.days.values()) / typed if typed else 0.0

    @property
    def clarify_rate(self) -> float:
        typed = self.typed
        return sum(d.clarified for d in self.days.values()) / typed if typed else 0.0


def collect(engine: Engine, since: datetime) -> Stats:
    days: dict[date, Day] = defaultdict(Day)
    topics: Counter[str] = Counter()
    safety = 0
    with engine.connect() as conn:
        rows = conn.execute(
            select(events.c.at, events.c.topic, events.c.kind, events.c.fell_back).where(
                events.c.at >= since
            )
        )
        for at, topic, kind, fell_back in rows:
            day = days[_as_utc(at).date()]
            day.messages += 1
            day.topics[topic] += 1
            topics[topic] += 1
            if kind in TYPED:
                day.typed += 1
                # A clarifying question half understood: it is counted apart, not as "did
                # not understand" (events mark both as fell_back).
                if kind == "clarify":
                    day.clarified += 1
                else:
                    day.fell_back += int(bool(fell_back))
            safety += kind == "safety"
        tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for reply_id, vote in conn.execute(
            select(feedback.c.reply_id, feedback.c.vote).where(feedback.c.at >= since)
        ):
            tally[reply_id][0 if vote < 0 else 1] += 1
        questions = [
            (_as_utc(at), text)
            for at, text in conn.execute(
                select(not_understood.c.at, not_understood.c.text)
                .where(not_understood.c.at >= since)
                .order_by(not_understood.c.at.desc())
                .limit(50)
            )
        ]
    votes = sorted(((r, d, u) for r, (d, u) in tally.items()), key=lambda v: (-v[1], v[0]))
    return Stats(since, dict(sorted(days.items())), topics, safety, votes, questions)


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def printable(text: str) -> str:
    """`text` safe to print in a terminal: control characters (escape codes included) and
    broken characters are shown as \\x1b-style escapes, never sent to the terminal as they are.
    Rows written before the bot cleaned its input may hold anything."""
    return "".join(
        ch
        if ch.isprintable()
        else (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        for ch in text
    )


def table(stats: Stats) -> str:
    """The figures as text for the terminal (stored text shown through `printable`)."""
    lines = [f"Since {stats.since:%Y-%m-%d %H:%M} UTC: {stats.messages} messages and taps."]
    lines.append(
        f"Not understood: {stats.fallback_rate:.0%} of typed messages; asked which answer "
        f"was meant: {stats.clarify_rate:.0%}. "
        f"Emergency or crisis answers from the safety net: {stats.safety_replies}."
    )
    lines += ["", f"{'day':<12}{'messages':>9}{'typed':>7}{'not understood':>16}{'asked':>7}"]
    for day, figures in stats.days.items():
        lines.append(
            f"{day.isoformat():<12}{figures.messages:>9}{figures.typed:>7}"
            f"{figures.fallback_rate:>15.0%}{figures.clarify_rate:>7.0%}"
        )
    lines += ["", "Topics:"]
    total = sum(stats.topics.values()) or 1
    for topic in TOPICS:
        if stats.topics[topic]:
            share = stats.topics[topic] / total
            lines.append(
                f"  {topic:<14}{stats.topics[topic]:>6}  {share:>4.0%}  {'#' * round(share * 40)}"
            )
    lines += ["", "Answers with the most 👎 (👎 / 👍):"]
    lines += [
        f"  {printable(reply):<28}{down:>4} / {up}" for reply, down, up in stats.votes[:10]
    ] or ["  none yet"]
    if stats.questions:
        lines += ["", "Questions the bot did not understand (redacted, newest first):"]
        lines += [f"  {at:%Y-%m-%d}  {printable(text)}" for at, text in stats.questions[:20]]
    return "\n".join(lines)


def write_csv(stats: Stats, path: Path) -> None:
    """One row per day, ready for a spreadsheet."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "day",
                "messages",
                "typed",
                "not_understood",
                "not_understood_rate",
                "clarified",
                *TOPICS,
            ]
        )
        for day, figures in stats.days.items():
            writer.writerow(
                [
                    day.isoformat(),
                    figures.messages,
                    figures.typed,
                    figures.fell_back,
                    f"{figures.fallback_rate:.3f}",
                    figures.clarified,
                    *(figures.topics[t] for t in TOPICS),
                ]
            )


def plot(stats: Stats, path: Path) -> None:
    """A one-page chart: messages per day, topics, not understood per day, most 👎."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    days = [d.isoformat()[5:] for d in stats.days]
    figures = list(stats.days.values())
    axes[0][0].bar(days, [f.messages for f in figures], color="#2a9d8f")
    axes[0][0].set_title("Messages and taps per day")
    present = [t for t in TOPICS if stats.topics[t]]
    axes[0][1].barh(present, [stats.topics[t] for t in present], color="#264653")
    axes[0][1].set_title("Topics")
    axes[1][0].plot(days, [f.fallback_rate * 100 for f in figures], marker="o", color="#e76f51")
    axes[1][0].set_ylim(0, 100)
    axes[1][0].set_title("Not understood (% of typed messages)")
    worst = [v for v in stats.votes[:8] if v[1]]
    axes[1][1].barh([r for r, _, _ in worst], [d for _, d, _ in worst], color="#e63946")
    if not worst:
        axes[1][1].text(0.5, 0.5, "no thumbs down yet", ha="center", va="center")
        axes[1][1].set_axis_off()
    axes[0][1].xaxis.get_major_locator().set_params(integer=True)
    axes[0][0].yaxis.get_major_locator().set_params(integer=True)
    axes[1][1].set_title("Answers with the most thumbs down")
    for ax in (axes[0][0], axes[1][0]):
        ax.tick_params(axis="x", rotation=45)
    fig.suptitle(f"Since {stats.since:%Y-%m-%d}: {stats.messages} messages and taps")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
