"""Every failure a person meets when starting the bot is one sentence: no traceback, no token.

Each case runs the real command as its own process, the way a new volunteer would, and looks
at everything it printed. MODEL_PATH points nowhere, so a case that reached the model load
(10 to 20 seconds) before checking the setting at fault would say so instead.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.startup import open_store
from tests.botapi import BotAPI
from tests.conftest import MODEL, ROOT
from tests.rasa_server import free_port

REAL_TOKEN = "123456789:TESTtokenTESTtokenTESTtokenTESTtoke"
WRONG_TOKEN = "987654321:WRONGtokenWRONGtokenWRONGtokenWRONG"


def run_command(
    args: list[str],
    env: dict[str, str],
    stdin: bytes = b"",
) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            **env,
        },
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return done.returncode, (done.stdout + done.stderr).decode(errors="replace")


@pytest.fixture(scope="module")
def api() -> Iterator[BotAPI]:
    with BotAPI(token=REAL_TOKEN) as server:
        yield server


@pytest.fixture
def workdir() -> Iterator[Path]:
    """A folder everyone may enter (the read-only case runs as another user)."""
    folder = Path(tempfile.mkdtemp(prefix="bot-start-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def read_only_var(workdir: Path) -> Iterator[Path]:
    """A var/ the bot cannot write to. Root ignores file modes, so as root the folder is also
    made immutable (which root must respect); where that is not possible, a folder under /sys,
    where nobody may create anything, stands in."""
    folder = workdir / "var"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        immutable = (
            bool(chattr)
            and subprocess.run(
                [str(chattr), "+i", str(folder)], capture_output=True, check=False
            ).returncode
            == 0
        )
        if not immutable:
            folder = Path("/sys/kernel/knife-helper-var")
    yield folder
    if immutable:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def bot_env(api: BotAPI, workdir: Path, **extra: str) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": REAL_TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "PSEUDONYM_KEY": "start-up-test",
        "VAR_DIR": str(workdir / "var"),
        "DATABASE_URL": f"sqlite:///{workdir / 'bot.sqlite3'}",
        "MODEL_PATH": str(workdir / "no-model-here.tar.gz"),
        **extra,
    }


CASES = {
    "token rejected by Telegram": (
        ["run"],
        {"TELEGRAM_BOT_TOKEN": WRONG_TOKEN},
        "Telegram refused TELEGRAM_BOT_TOKEN",
    ),
    "no network at start": (
        ["run"],
        {"TELEGRAM_API_BASE_URL": "http://127.0.0.1:{closed_port}"},
        "could not be reached",
    ),
    "DATABASE_URL=garbage": (
        ["run"],
        {"DATABASE_URL": "garbage"},
        "DATABASE_URL is not a database address",
    ),
    "mysql://": (
        ["run"],
        {"DATABASE_URL": "mysql://bot:pw@127.0.0.1/bot"},
        "asks for mysql, which this bot does not support",
    ),
    "a database file that cannot be opened": (
        ["run"],
        {"DATABASE_URL": "sqlite:///{workdir}"},  # a folder, not a file
        "check that its folder exists",
    ),
    "stats --since banana": (["stats", "--since", "banana"], {}, "--since 'banana'"),
    "stats --plot s.txt": (
        ["stats", "--plot", "{workdir}/s.txt"],
        {},
        "must end in .png",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_start_up_failure_is_one_sentence(case: str, api: BotAPI, workdir: Path) -> None:
    args, extra, expected = CASES[case]
    fill = {"closed_port": str(free_port()), "workdir": str(workdir)}
    env = bot_env(api, workdir, **{k: v.format(**fill) for k, v in extra.items()})
    code, output = run_command([a.format(**fill) for a in args], env)
    assert code == 2, output
    assert output.count("\n") == 1 and output.endswith("\n"), output  # exactly one line
    assert expected in output, output
    assert "Traceback" not in output and "Unclosed" not in output
    assert REAL_TOKEN not in output and WRONG_TOKEN not in output
    assert REAL_TOKEN.split(":")[1] not in output and WRONG_TOKEN.split(":")[1] not in output
    assert "no-model-here" not in output  # failed before the model was needed
    if case.startswith("stats"):
        assert not (workdir / "bot.sqlite3").exists()  # checked before the database is opened


def test_a_read_only_var_folder_is_one_sentence(
    api: BotAPI, workdir: Path, read_only_var: Path
) -> None:
    folder = read_only_var
    env = bot_env(api, workdir, VAR_DIR=str(folder), DATABASE_URL="")
    code, output = run_command(["run"], env)
    assert code == 2, output
    assert output.count("\n") == 1, output
    assert f"cannot write to its folder {folder}" in output and "VAR_DIR" in output
    assert "Traceback" not in output and REAL_TOKEN not in output


def test_ask_with_nothing_to_ask_does_not_load_the_model(workdir: Path) -> None:
    env = {"MODEL_PATH": str(workdir / "no-model-here.tar.gz"), "VAR_DIR": str(workdir)}
    code, output = run_command(["ask", "--json"], env, stdin=b"")
    assert (code, output) == (0, "")
    # Commands need no model either; a question does, and says plainly that it is missing.
    code, output = run_command(["ask", "--json"], env, stdin=b"/start\n")
    assert code == 0 and '"topic": "smalltalk"' in output
    code, output = run_command(["ask"], env, stdin=b"who can i talk to\n")
    assert code == 2 and output.count("\n") == 1 and "no trained model" in output, output


@pytest.mark.model
def test_log_level_info_still_logs_each_message_after_the_model_loads(workdir: Path) -> None:
    """Loading the model used to turn the root logger to WARNING, silencing these lines."""
    env = {
        "MODEL_PATH": str(MODEL),
        "VAR_DIR": str(workdir / "var"),
        "PSEUDONYM_KEY": "log-level-test",
        "LOG_LEVEL": "INFO",
    }
    code, output = run_command(["shell"], env, stdin=b"who can i talk to\n/quit\n")
    assert code == 0, output
    assert "NLU model loaded" in output
    assert "reply channel=shell kind=answer topic=support" in output
    assert "who can i talk to" not in output.split("you>")[0]  # the text itself is never logged


@pytest.mark.parametrize("webhook", [True, False])
def test_a_key_kept_beside_the_database_is_warned_about_in_production(
    webhook: bool, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    env = {"VAR_DIR": str(tmp_path / "var")}
    if webhook:
        env |= {"WEBHOOK_URL": "https://bot.example.org/hook", "WEBHOOK_SECRET": "s"}
    caplog.set_level(logging.WARNING)
    open_store(Settings.from_env(env, root=ROOT)).close()
    beside = [
        r.getMessage() for r in caplog.records if "same folder as the database" in r.getMessage()
    ]
    assert len(beside) == (1 if webhook else 0)
    if webhook:
        assert "set PSEUDONYM_KEY, or keep pseudonym.key out of database backups" in beside[0]
    caplog.clear()
    # With PSEUDONYM_KEY set, or PostgreSQL, there is no key file beside anything.
    open_store(Settings.from_env({**env, "PSEUDONYM_KEY": "k"}, root=ROOT)).close()
    assert not [r for r in caplog.records if "same folder" in r.getMessage()]


def test_commands_that_read_no_message_do_not_build_the_rule_prefilter() -> None:
    """Importing the bot (as `health` does, every few seconds in a container) leaves the
    safety rules' prefilter unbuilt; the first message builds it."""
    script = (
        "import bot.cli, bot.safety as s; print(s.rules.cache_info().currsize);"
        " s.SafetyNet().scan('hello'); print(s.rules.cache_info().currsize)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["0", "1"]


async def test_the_bot_builds_the_rule_prefilter_while_it_starts(tmp_path: Path) -> None:
    from bot import safety
    from bot.startup import ModelLoader

    safety.rules.cache_clear()
    settings = Settings.from_env({"MODEL_PATH": str(MODEL), "VAR_DIR": str(tmp_path)}, root=ROOT)
    loader = ModelLoader(settings)
    loader.begin()
    await loader.finish()
    assert safety.rules.cache_info().currsize == 1


def test_a_training_file_taken_out_makes_the_model_stale(tmp_path: Path) -> None:
    """Taking a file of examples out of nlu/ changes what the models learn, so they must be
    retrained, as when a file is edited: the warning at start-up and `make` both see it."""
    from bot.nlu import model_is_stale

    nlu = tmp_path / "nlu"
    for folder in (nlu / "data", nlu / "safety" / "data"):
        folder.mkdir(parents=True)
        for name in ("a.yml", "b.yml"):
            (folder / name).write_text("version: '3.1'\n", encoding="utf-8")
    (nlu / "safety" / "config.yml").write_text("pipeline: []\n", encoding="utf-8")
    config = tmp_path / "config.yml"
    config.write_text("pipeline: []\n", encoding="utf-8")
    model = tmp_path / "models" / "nlu.tar.gz"
    model.parent.mkdir()
    model.write_bytes(b"a model")
    sources = [config, nlu / "safety" / "config.yml", *nlu.rglob("*")]
    for folder in ("data", "safety/data"):
        for path in sources:
            os.utime(path, (1_000_000, 1_000_000))  # every source older than the model
        os.utime(model, (2_000_000, 2_000_000))
        assert not model_is_stale(model, config, nlu)
        (nlu / folder / "b.yml").unlink()
        assert model_is_stale(model, config, nlu), folder
        sources = [p for p in sources if p.exists()]
