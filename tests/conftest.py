"""Shared fixtures: the real content, fake and real NLU parsers, and the project paths."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.content import ContentStore
from bot.engine import Engine, Event, NoMemory, User
from bot.logs import quiet_environment
from bot.nlu import IntentScore, NLUUnavailable, Parse, RasaParser

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "nlu.tar.gz"
SAFETY_MODEL = ROOT / "models" / "safety.tar.gz"

quiet_environment()


class FakeParser:
    """Answers from a table (text -> [(intent, confidence), ...]); records what it was asked."""

    def __init__(
        self,
        table: dict[str, list[tuple[str, float]]] | None = None,
        default: list[tuple[str, float]] | None = None,
        fail: bool = False,
    ) -> None:
        self.table = table or {}
        self.default = default or [("out_of_scope", 0.9)]
        self.fail = fail
        self.asked: list[str] = []

    async def parse(self, text: str) -> Parse:
        self.asked.append(text)
        if self.fail:
            raise NLUUnavailable("fake outage")
        ranking = self.table.get(text, self.default)
        return Parse(tuple(IntentScore(name, conf) for name, conf in ranking))

    async def close(self) -> None:
        return None


@pytest.fixture(scope="session")
def content_store() -> ContentStore:
    return ContentStore(ROOT / "content")


@pytest.fixture
def fake_engine(content_store: ContentStore) -> Callable[..., Engine]:
    def build(parser: FakeParser | None = None, **kwargs: object) -> Engine:
        return Engine(
            content=content_store,
            parser=parser or FakeParser(),
            memory=kwargs.pop("memory", NoMemory()),  # type: ignore[arg-type]
            **kwargs,  # type: ignore[arg-type]
        )

    return build


def _loaded(path: Path) -> Iterator[RasaParser]:
    assert path.exists(), f"no trained model at {path}: run 'make test', which trains it first"
    parser = RasaParser.load(path)
    yield parser
    parser._executor.submit(parser._close_loop).result()
    parser._executor.shutdown()


@pytest.fixture(scope="session")
def rasa_parser() -> Iterator[RasaParser]:
    """The real trained NLU model, loaded once for the whole run (make test trains it first)."""
    yield from _loaded(MODEL)


@pytest.fixture(scope="session")
def safety_grader() -> Iterator[RasaParser]:
    """The real trained safety classifier, loaded once for the whole run."""
    yield from _loaded(SAFETY_MODEL)


@pytest.fixture(scope="session")
def real_engine(
    rasa_parser: RasaParser, safety_grader: RasaParser, content_store: ContentStore
) -> Engine:
    """The whole engine as the bot runs it: both real models and the real content."""
    return Engine(content=content_store, parser=rasa_parser, grader=safety_grader)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of content/ that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


FIRST_PAIR = (b"the first nlu model", b"the first safety model")
RETRAINED_PAIR = (b"the retrained nlu model", b"the retrained safety model")


def put_in_use(shelf: Any, pair: tuple[bytes, bytes] = FIRST_PAIR) -> None:
    """The pair of archives the bot uses now (models/nlu.tar.gz and safety.tar.gz)."""
    shelf.folder.mkdir(parents=True, exist_ok=True)
    shelf.nlu.write_bytes(pair[0])
    shelf.safety.write_bytes(pair[1])


def shelve(shelf: Any, version: str, pair: tuple[bytes, bytes] = RETRAINED_PAIR) -> None:
    """A retrained pair on the shelf, as a training job leaves it before it is activated."""
    from bot.models import write_status

    folder = shelf.versions_folder / version
    folder.mkdir(parents=True)
    (folder / "nlu.tar.gz").write_bytes(pair[0])
    (folder / "safety.tar.gz").write_bytes(pair[1])
    write_status(folder, {"state": "running"})


def not_understood(chat: str, at: datetime, text: str | None) -> Event:
    """The event the bot records for a message it did not understand, from Telegram chat
    `chat`, keeping `text` (as it does when staff have turned collection on)."""
    return Event(
        user=User("telegram", chat),
        at=at,
        topic="fallback",
        intent=None,
        confidence=0.1,
        fell_back=True,
        reply_id="fallback",
        kind="fallback",
        not_understood=text,
    )
