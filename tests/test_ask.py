"""`python -m bot ask` end to end: the real model, the real content, whatever people type."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import MODEL, ROOT

pytestmark = pytest.mark.model

AWKWARD_LINES: list[bytes] = [
    b"can i report without giving my name",
    b"",
    b"   ",
    ("wot happens if i get caught wiv a blade " * 125).encode(),  # 5,000 characters
    "😭😭🔪🙏".encode(),
    b"<b>hi</b><script>alert('x')</script> &amp; is this private",
    b"\xff\xfe\xfa invalid utf-8 \xc3\x28 here",
    b"/start",
    b"/hide",
    b"\x00\x01\x02",
    b"my mate got stabbed hes bleeding",
]


def run_ask(stdin: bytes, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "MODEL_PATH": str(MODEL)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", *args],
        input=stdin,
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def answered() -> tuple[list[dict[str, object]], bytes]:
    done = run_ask(b"\n".join(AWKWARD_LINES) + b"\n")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    lines = done.stdout.decode("utf-8").splitlines()
    return [json.loads(line) for line in lines], done.stderr


def test_one_json_reply_per_line_whatever_was_typed(
    answered: tuple[list[dict[str, object]], bytes],
) -> None:
    replies, _ = answered
    assert len(replies) == len(AWKWARD_LINES)
    for reply in replies:
        assert set(reply) == {"topic", "intent", "confidence", "text", "buttons"}
        assert reply["topic"] in {
            "consequences",
            "support",
            "reporting",
            "emergency",
            "crisis",
            "smalltalk",
            "fallback",
        }
        assert isinstance(reply["text"], str) and reply["text"].strip()
        assert isinstance(reply["buttons"], list)


def test_the_replies_make_sense(answered: tuple[list[dict[str, object]], bytes]) -> None:
    replies, _ = answered
    report, empty, blank, long, _emoji, html, invalid, start, hide, control, bleeding = replies
    assert report["topic"] == "reporting" and "0800 555 111" in str(report["text"])
    assert empty["topic"] == blank["topic"] == control["topic"] == "fallback"
    assert long["topic"] == "consequences"
    assert start["topic"] == "smalltalk" and "not the police" in str(start["text"])
    assert hide["topic"] == "smalltalk"
    assert bleeding["topic"] == "emergency"
    assert str(bleeding["text"]).split("\n\n")[0].count("999") == 1
    # HTML and broken bytes never come back in the reply.
    assert "<script>" not in str(html["text"]) and "\ufffd" not in str(invalid["text"])


def test_the_message_text_is_never_logged(answered: tuple[list[dict[str, object]], bytes]) -> None:
    _, stderr = answered
    assert b"giving my name" not in stderr
    assert b"bleeding" not in stderr


def test_a_single_question_as_an_argument() -> None:
    done = run_ask(b"", "can i report without giving my name")
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    (line,) = done.stdout.decode().splitlines()
    reply = json.loads(line)
    assert reply["topic"] == "reporting"
    assert "0800 555 111" in reply["text"]
