"""Retraining from the staff console: a new pair of models, measured against the pair in use,
and activated only when it is as safe and about as accurate.

`python -m bot retrain --version ID` runs one job (the console starts it in the background,
in its own process, so TensorFlow never loads in the console): it trains both models from
config.yml and nlu/ into models/versions/ID/, answers the held-out messages (the blind writers'
intent messages and the first round's nlu/test/test_nlu.yml) and the safety sets
(nlu/test/blind_safety.yml and nlu/test/safety.yml) with the whole engine on each pair, and
activates the new pair only if emergency and crisis recall stay 1.0 and topic accuracy falls by
no more than one point, and the bot's fast path (bot/fastpath.py) gives Rasa's own answers on
those messages with the new pair. Its progress and the figures are written to status.json
beside it.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content import ContentStore
from bot.engine import Engine
from bot.models import ModelShelf, read_status, write_status
from bot.settings import Settings

# Activation rule (issue 12): safety recall does not fall, topic accuracy by at most 1 point.
LARGEST_FALL = 0.01
FIGURES = (
    ("topic accuracy", "topic accuracy on held-out messages"),
    ("emergency recall", "emergencies given 999 at the top"),
    ("crisis recall", "crises given a helpline"),
    ("false 999 rate", "everyday messages given 999"),
)


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reasons: list[str]


def held_out_cases(root: Path) -> list[Any]:
    from bot.generalisation import cases_from, read_blocks

    test = root / "nlu" / "test"
    blocks, _ = read_blocks([p for p in (test / "blind.yml", test / "test_nlu.yml") if p.exists()])
    return cases_from(blocks, False)


def safety_cases(root: Path) -> list[Any]:
    from bot.generalisation import cases_from, old_safety_cases, read_blocks

    test = root / "nlu" / "test"
    blind = test / "blind_safety.yml"
    blocks, _ = read_blocks([blind] if blind.exists() else [])
    return cases_from(blocks, True) + old_safety_cases(root)


async def measure(engine: Engine, root: Path) -> dict[str, Any]:
    """The figures the activation rule looks at, for one engine, with the safety-set messages
    it missed (test messages, never anything a young person sent)."""
    from bot.generalisation import Scores, score

    held_out: Scores = await score(engine, held_out_cases(root))
    cases = safety_cases(root)
    safety: Scores = await score(engine, cases)
    missed = sorted(
        m["text"] for m in safety.mistakes if m["problem"] in ("missed emergency", "missed crisis")
    )
    return {
        "topic accuracy": Scores.rate(held_out.topic_right, held_out.topics),
        "emergency recall": Scores.rate(safety.urgent_caught, safety.urgent),
        "crisis recall": Scores.rate(safety.crisis_caught, safety.crises),
        "false 999 rate": Scores.rate(safety.false_999, safety.everyday),
        "held-out messages": held_out.topics,
        "safety messages": len(cases),
        "missed": missed,
    }


def decide(current: dict[str, Any] | None, new: dict[str, Any]) -> Verdict:
    """The activation rule, with each reason for a refusal in a plain sentence.

    Safety recall must stay where it is: 1.0, or, where the model in use already misses a
    few safety-set messages (the safety net's rules and classifier are measured on writers
    they never saw), the new model must miss none that the one in use catches. Topic accuracy
    may fall by one point at most.
    """
    reasons = []
    already = set(current.get("missed", [])) if current is not None else set()
    newly = [text for text in new.get("missed", []) if text not in already]
    for name, what in (("emergency recall", "emergencies"), ("crisis recall", "crises")):
        value = new.get(name)
        before = current.get(name) if current is not None else 1.0
        floor = min(1.0, before) if isinstance(before, float) else 1.0
        if value is not None and value < floor:
            reasons.append(
                f"the new model catches fewer {what} in the safety sets ({name} {value:.3f}, "
                f"the model in use {floor:.3f}): it must not fall"
            )
    if newly:
        shown = "; ".join(f"“{text}”" for text in newly[:3])
        more = f" and {len(newly) - 3} more" if len(newly) > 3 else ""
        reasons.append(
            f"the new model misses {len(newly)} safety-set message(s) that the model in use "
            f"catches: {shown}{more}"
        )
    if current is not None:
        before, after = current.get("topic accuracy"), new.get("topic accuracy")
        if before is not None and after is not None and after < before - LARGEST_FALL:
            reasons.append(
                f"topic accuracy on held-out messages fell from {before:.1%} to {after:.1%}, "
                "more than the 1 point allowed"
            )
    return Verdict(not reasons, reasons)


def _engine(settings: Settings, nlu: Path, safety: Path) -> Engine:
    from bot.nlu import RasaParser

    return Engine(
        content=ContentStore(settings.content_dir),
        parser=RasaParser.load(nlu),
        grader=RasaParser.load(safety),
    )


def fast_path_differences(archive: Path, rasa: Any, texts: list[str]) -> list[str]:
    """The messages the bot's fast path (bot/fastpath.py) ranks differently on `archive` from
    Rasa's own Agent.parse_message (`rasa`, a RasaParser on the same archive): same intents in
    the same order, confidences within 1e-6. Empty when the fast path does not run the archive
    at all (the bot then loads it with Rasa itself)."""
    from bot.fastpath import FastModel, UnsupportedModel

    try:
        fast = FastModel.load(archive)
    except UnsupportedModel:
        return []
    differ = []
    for text in texts:
        expected = rasa.rasas_own(text).ranking
        got = fast.rank(text)
        same = len(got) == len(expected) and all(
            name == score.name and abs(confidence - score.confidence) <= 1e-6
            for (name, confidence), score in zip(got, expected, strict=False)
        )
        if not same:
            differ.append(text)
    return differ


def check_fast_path(settings: Settings, pairs: list[tuple[Path, Any]]) -> list[str]:
    """Reasons to refuse a new pair whose fast-path answers differ from Rasa's on the held-out
    and safety messages (as the engine hands them to the models): the bot must never answer
    otherwise than the model that was measured. `pairs` holds each archive with the RasaParser
    already loaded from it (the one that measured it: loading TensorFlow twice costs a minute)."""
    from bot.engine import model_text
    from bot.text import plain

    cases = held_out_cases(settings.root) + safety_cases(settings.root)
    texts = sorted({model_text(plain(case.text)) for case in cases})
    reasons = []
    for archive, rasa in pairs:
        differ = fast_path_differences(archive, rasa, texts)
        if differ:
            reasons.append(
                f"the bot's fast way of running {archive.name} ranks {len(differ)} message(s) "
                f"differently from Rasa itself (“{differ[0]}”...): keep the model in use and "
                "report this to a developer"
            )
    return reasons


async def _close(engine: Engine) -> None:
    await engine.parser.close()
    if engine.grader is not None:
        await engine.grader.close()


def run_job(
    settings: Settings, version_id: str, by: str, log: Callable[[str], None] = print
) -> Verdict:
    """Train, evaluate and (if it passes) activate one version; status.json says how far."""
    from bot.nlu import train_both

    shelf = ModelShelf(settings)
    folder = shelf.versions_folder / version_id
    folder.mkdir(parents=True, exist_ok=True)
    status: dict[str, Any] = {
        **read_status(folder),
        "state": "running",
        "by": by,
        "pid": os.getpid(),
        "started": time.time(),
    }

    def step(progress: float, what: str) -> None:
        status.update(progress=progress, step=what)
        write_status(folder, status)
        log(what)

    try:
        step(0.02, "training the NLU model and the safety classifier")
        train_both(
            settings.config_file, settings.nlu_dir, folder / "nlu.tar.gz", folder / "safety.tar.gz"
        )
        current = None
        if settings.model_path.exists() and settings.safety_model_path.exists():
            step(0.6, "measuring the model in use")
            engine = _engine(settings, settings.model_path, settings.safety_model_path)
            current = asyncio.run(_measured(engine, settings.root))
        step(0.8, "measuring the new model")
        archives = (folder / "nlu.tar.gz", folder / "safety.tar.gz")
        engine = _engine(settings, *archives)
        try:
            new = asyncio.run(measure(engine, settings.root))
            verdict = decide(current, new)
            step(0.9, "checking the bot's fast path against Rasa on the new model")
            pairs = [(archives[0], engine.parser), (archives[1], engine.grader)]
            differ = check_fast_path(settings, pairs)
        finally:
            asyncio.run(_close(engine))
        if differ:
            verdict = Verdict(False, verdict.reasons + differ)
        status.update(current=current, new=new, reasons=verdict.reasons)
        if verdict.passed:
            step(0.95, "activating the new model")
            shelf.activate(version_id, by)
            status.update(state="activated", progress=1.0, step="activated")
        else:
            status.update(state="refused", progress=1.0, step="refused")
        write_status(folder, status)
        return verdict
    except Exception as exc:
        status.update(
            state="failed",
            progress=1.0,
            step="failed",
            reasons=[f"training stopped with an error ({type(exc).__name__}: {exc})"],
        )
        write_status(folder, status)
        raise


async def _measured(engine: Engine, root: Path) -> dict[str, Any]:
    try:
        return await measure(engine, root)
    finally:
        await _close(engine)


_JOBS: set[subprocess.Popen[bytes]] = set()


def start(settings: Settings, by: str) -> str:
    """Start a job in the background (its own process); the new version's id."""
    from bot.models import new_id

    shelf = ModelShelf(settings)
    running = running_job(shelf)
    if running is not None:
        raise RuntimeError(f"a model is already being trained ({running}); wait for it to finish")
    version_id = new_id()
    folder = shelf.versions_folder / version_id
    folder.mkdir(parents=True, exist_ok=True)
    write_status(folder, {"state": "running", "progress": 0.0, "step": "starting", "by": by})
    env = {
        **os.environ,
        "MODEL_PATH": str(settings.model_path),
        "SAFETY_MODEL_PATH": str(settings.safety_model_path),
        "CONTENT_DIR": str(settings.content_dir),
        "PROJECT_DIR": str(settings.root),
    }
    with (folder / "training.log").open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "retrain",
                "--version",
                version_id,
                "--by",
                by,
            ],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    # Kept until it ends, so that it is reaped (and never left as a zombie).
    _JOBS.add(process)
    for job in list(_JOBS):
        if job.poll() is not None:
            _JOBS.discard(job)
    return version_id


def running_job(shelf: ModelShelf) -> str | None:
    """The version being trained now, if any (a job whose process has died is not running)."""
    for version in shelf.versions():
        if version.status.get("state") != "running":
            continue
        pid = version.status.get("pid")
        if pid is None:
            return version.id  # starting: the process has not written its pid yet
        try:
            os.kill(int(pid), 0)
        except (OSError, ValueError):
            continue
        return version.id
    return None
