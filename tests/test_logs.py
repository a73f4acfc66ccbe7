"""The log: repeated warnings are counted, not written a thousand times, and loading the model
does not silence the one line per message."""

from __future__ import annotations

import io
import logging

from bot.logs import _Repeats, quiet_imports


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def logger_writing_to(stream: io.StringIO, clock: Clock) -> logging.Logger:
    handler = logging.StreamHandler(stream)
    handler.addFilter(_Repeats(burst=5, period=60, clock=clock))
    log = logging.getLogger("test.repeats")
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(logging.INFO)
    return log


def test_a_repeated_warning_is_written_a_few_times_then_counted() -> None:
    stream, clock = io.StringIO(), Clock()
    log = logger_writing_to(stream, clock)
    for _ in range(5000):
        log.warning("webhook call refused: %s", "wrong secret")
    assert stream.getvalue().count("\n") == 5
    clock.now += 61
    log.warning("webhook call refused: %s", "wrong secret")
    last = stream.getvalue().splitlines()[-1]
    assert last == "webhook call refused: wrong secret (and 4995 more like it, not shown)"


def test_other_warnings_and_info_lines_are_not_held_back() -> None:
    stream, clock = io.StringIO(), Clock()
    log = logger_writing_to(stream, clock)
    for number in range(20):
        log.warning("refused")
        log.error("the database is unavailable (%s)", number)  # another template: its own count
        log.info("reply channel=telegram kind=answer reply=%s", number)  # one per message: all
    lines = stream.getvalue().splitlines()
    assert sum(line == "refused" for line in lines) == 5
    assert sum(line.startswith("the database") for line in lines) == 5
    assert sum(line.startswith("reply") for line in lines) == 20


def test_importing_the_model_libraries_leaves_the_log_level_alone() -> None:
    root = logging.getLogger()
    before = root.level
    root.setLevel(logging.INFO)
    try:
        with quiet_imports():
            root.setLevel(logging.WARNING)  # what numpy's distutils does on import
        assert root.level == logging.INFO
    finally:
        root.setLevel(before)
