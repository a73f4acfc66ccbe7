"""A chat with the bot in the terminal, through the same engine as Telegram.

Buttons are shown as numbered choices; typing the number is the same as tapping the button.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from bot.engine import Engine, Reply, User

INTRO = (
    "A chat with the bot in this terminal (the same answers as on Telegram).\n"
    "Type a question, a number to pick a button, /menu for the menu, or /quit to leave.\n"
)
QUIT = {"/quit", "/exit", "quit", "exit"}


def render(reply: Reply) -> str:
    """A reply as the terminal shows it: the text, then numbered buttons."""
    lines = [reply.text]
    if reply.buttons:
        lines.append("")
        lines.extend(f"  {i}) {button.label}" for i, button in enumerate(reply.buttons, 1))
    return "\n".join(lines)


async def chat(
    engine: Engine,
    read: Callable[[str], str] = input,
    out: TextIO = sys.stdout,
    user: User | None = None,
) -> None:
    """Talk until the person types /quit or closes the input (Ctrl-D)."""
    user = user or User("shell", "local")
    out.write(INTRO + "\n")
    reply = await engine.answer("/start", user)
    out.write(render(reply) + "\n")
    while True:
        try:
            text = read("\nyou> ")
        except (EOFError, KeyboardInterrupt):
            out.write("\nTake care.\n")
            return
        if text.strip().lower() in QUIT:
            out.write("Take care.\n")
            return
        choice = text.strip()
        if choice.isdigit() and 1 <= int(choice) <= len(reply.buttons):
            reply = await engine.show(reply.buttons[int(choice) - 1].reply_id, user)
        else:
            reply = await engine.answer(text, user)
        if reply.action == "hide":
            out.write("\033[2J\033[H")  # the terminal's version of clearing the chat
        out.write("\n" + render(reply) + "\n")
        out.flush()
