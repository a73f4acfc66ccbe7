"""The terminal chat: numbered buttons, commands and leaving."""

from __future__ import annotations

import io
from collections.abc import Callable

from bot.engine import Engine
from bot.shell import chat
from tests.conftest import FakeParser


async def test_a_conversation_in_the_terminal(fake_engine: Callable[..., Engine]) -> None:
    parser = FakeParser({"how do i report": [("report_anonymous", 0.95)]})
    typed = iter(["how do i report", "1", "/menu", "99", "/quit"])
    out = io.StringIO()
    await chat(fake_engine(parser), read=lambda prompt: next(typed), out=out)
    shown = out.getvalue()
    assert "not the police" in shown  # the welcome
    assert "0800 555 111" in shown  # the reporting answer
    assert "  1) What happens after I report" in shown
    assert "Which of these" not in shown
    assert shown.rstrip().endswith("Take care.")
    # "1" tapped the first button; "99" is not a button, so it went to the model as text.
    assert parser.asked == ["how do i report", "99"]


async def test_ctrl_d_leaves_quietly(fake_engine: Callable[..., Engine]) -> None:
    def closed(prompt: str) -> str:
        raise EOFError

    out = io.StringIO()
    await chat(fake_engine(), read=closed, out=out)
    assert out.getvalue().rstrip().endswith("Take care.")
