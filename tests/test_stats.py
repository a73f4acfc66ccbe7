"""`python -m bot stats` on a real SQLite database with a week of made-up activity."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot import stats
from bot.engine import Event, User
from bot.storage.store import Store
from tests.conftest import ROOT, not_understood

NOW = datetime(2026, 11, 24, 18, 0, tzinfo=timezone.utc)


def seed(store: Store) -> None:
    def add(
        day: int, topic: str, kind: str, fell_back: bool = False, text: str | None = None
    ) -> None:
        store.record(
            Event(
                user=User("telegram", str(day)),
                at=NOW - timedelta(days=day),
                topic=topic,
                intent=None,
                confidence=0.5,
                fell_back=fell_back,
                reply_id=f"{topic}_reply",
                kind=kind,
                not_understood=text,
            )
        )

    for day in range(3):
        add(day, "reporting", "answer")
        add(day, "support", "button")
        add(day, "fallback", "fallback", fell_back=True, text=f"what about [name] day {day}")
    add(1, "reporting", "clarify", fell_back=True)  # half understood: counted apart
    add(0, "emergency", "safety")
    add(20, "consequences", "answer")  # outside a 7-day window
    store.vote(User("telegram", "1"), "m1", "law_carrying", -1)
    store.vote(User("telegram", "2"), "m2", "law_carrying", -1)
    store.vote(User("telegram", "3"), "m3", "support_talk", +1)
    assert store.flush()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    store = Store.open(url, b"k", clock=lambda: NOW)
    seed(store)
    store.close()
    return url


def test_the_figures_staff_see(db: str, tmp_path: Path) -> None:
    store = Store.open(db, b"k", clock=lambda: NOW)
    figures = stats.collect(store.engine, stats.parse_since("7d", NOW))
    store.close()
    assert figures.messages == 11
    assert figures.topics["reporting"] == 4 and figures.topics["consequences"] == 0
    assert figures.safety_replies == 1
    # A clarifying question is not "did not understand": 3 of 8 typed, and 1 of 8 asked.
    assert figures.fallback_rate == pytest.approx(3 / 8)
    assert figures.clarify_rate == pytest.approx(1 / 8)
    assert figures.votes[0] == ("law_carrying", 2, 0)
    assert next(text for _, text in figures.questions) == "what about [name] day 0"
    shown = stats.table(figures)
    assert "law_carrying" in shown and "38% of typed messages" in shown
    assert "asked which answer was meant: 12%" in shown
    stats.write_csv(figures, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["messages"] for r in rows] == ["3", "4", "4"]
    assert [r["clarified"] for r in rows] == ["0", "1", "0"]
    stats.plot(figures, tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_since_accepts_days_weeks_hours_and_dates() -> None:
    assert stats.parse_since("7d", NOW) == NOW - timedelta(days=7)
    assert stats.parse_since("2w", NOW) == NOW - timedelta(days=14)
    assert stats.parse_since("24h", NOW) == NOW - timedelta(hours=24)
    assert stats.parse_since("2026-11-01", NOW) == datetime(2026, 11, 1, tzinfo=timezone.utc)
    with pytest.raises(ValueError, match="write 7d"):
        stats.parse_since("last tuesday", NOW)


def test_the_stats_command(db: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": db, "PSEUDONYM_KEY": "k"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "stats",
            # a date, not "30d": the events are dated around NOW, and the test must pass on
            # any day it is run
            "--since",
            "2026-10-01",
            "--csv",
            str(tmp_path / "s.csv"),
            "--plot",
            str(tmp_path / "s.png"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Topics:" in done.stdout and "consequences" in done.stdout
    assert (tmp_path / "s.csv").exists() and (tmp_path / "s.png").exists()


def test_stored_text_never_reaches_the_terminal_as_control_codes(tmp_path: Path) -> None:
    """Rows written before the bot cleaned its input may hold escape codes: shown, not run."""
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    store = Store.open(url, b"k", clock=lambda: NOW)
    store.vote(User("telegram", "1"), "m1", "\x1b[2J\x1b]0;owned\x07law", -1)
    store.record(not_understood("1", NOW, "hi \x1b[31mred\x1b[0m \x9b1m"))
    assert store.flush()
    store.close()
    env = {**os.environ, "DATABASE_URL": url, "PSEUDONYM_KEY": "k"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "stats", "--since", "30d"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    printed = done.stdout
    assert "\x1b" not in printed and "\x07" not in printed and "\x9b" not in printed
    assert "\\x1b[2J\\x1b]0;owned\\x07law" in printed  # visible, harmless
    assert "hi \\x1b[31mred\\x1b[0m \\x9b1m" in printed
