"""The command line: `python -m bot run | shell | train | check | ask | evaluate | stats`."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from bot.content import ContentError
from bot.engine import User
from bot.logs import configure_logging
from bot.settings import Settings, SettingsError
from bot.startup import (
    LazyParser,
    StartupError,
    make_engine,
    make_grader,
    make_parser,
    open_store,
)
from bot.storage.store import StorageError

log = logging.getLogger("bot")


def cmd_train(settings: Settings, args: argparse.Namespace) -> int:
    from bot.nlu import train_both

    trained = train_both(
        settings.config_file, settings.nlu_dir, settings.model_path, settings.safety_model_path
    )
    for path, seconds in trained:
        print(f"Trained {path} in {seconds:.0f} s.")
    return 0


def cmd_check(settings: Settings, args: argparse.Namespace) -> int:
    from bot.check import run_check

    problems = run_check(settings.root, settings.content_dir)
    errors = [p for p in problems if p.level == "error"]
    warnings = [p for p in problems if p.level == "warning"]
    for problem in errors + (warnings if args.warnings else []):
        print(problem.format(settings.root))
    hidden = "" if args.warnings or not warnings else " (add --warnings to see them)"
    summary = f"{len(errors)} error(s), {len(warnings)} warning(s){hidden}."
    print(("Content and training data are OK: " if not errors else "") + summary)
    return 1 if errors else 0


def read_lines(stream: TextIO) -> Iterable[str]:
    """One message per line, whatever the bytes: invalid UTF-8 becomes a replacement character."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        for line in stream:
            yield line.rstrip("\r\n")
        return
    for raw in buffer:
        yield raw.decode("utf-8", errors="replace").rstrip("\r\n")


async def _ask(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    # The models are loaded only when a message needs them: nothing to ask, nothing to load.
    parser = LazyParser(lambda: make_parser(settings))
    grader = make_grader(settings, lazy=True)
    engine = make_engine(settings, parser, grader=grader)
    user = User("ask", "ask")
    texts: Iterable[str] = [" ".join(args.text)] if args.text else read_lines(sys.stdin)
    try:
        for text in texts:
            reply = await engine.answer(text, user)
            if args.json:
                out.write(json.dumps(reply.as_json(), ensure_ascii=False) + "\n")
            else:
                out.write(reply.text + "\n\n")
            out.flush()
    finally:
        await parser.close()
        if grader is not None:
            await grader.close()
    return 0


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_ask(settings, args, sys.stdout))


def cmd_shell(settings: Settings, args: argparse.Namespace) -> int:
    from bot.shell import chat

    async def main() -> None:
        store = open_store(settings)
        try:
            print("Loading the model...", file=sys.stderr)
            parser = make_parser(settings)
            grader = make_grader(settings)
        except BaseException:
            store.close()
            raise
        try:
            await chat(make_engine(settings, parser, store, grader))
        finally:
            await parser.close()
            if grader is not None:
                await grader.close()
            store.close()

    asyncio.run(main())
    return 0


def cmd_evaluate(settings: Settings, args: argparse.Namespace) -> int:
    from bot.evaluate import evaluate

    config = Path(args.config).resolve() if args.config else settings.config_file
    model = Path(args.model).resolve() if args.model else None
    named = [w for w in args.writers.split(",") if w and w != "none"]
    writers = None if args.writers == "all" else named
    started = time.perf_counter()
    evaluate(
        settings.root,
        config,
        Path(args.reports).resolve(),
        folds=args.folds,
        model=model,
        writers=writers,
    )
    print(f"Reports written to {args.reports}/ in {time.perf_counter() - started:.0f} s.")
    return 0


def cmd_stats(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from bot import stats

    # Both options are checked before the database is opened: a typo fails at once.
    try:
        since = stats.parse_since(args.since, datetime.now(timezone.utc))
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    if args.plot and Path(args.plot).suffix.lower() != ".png":
        raise SettingsError(
            f"--plot draws a PNG picture, so the file name must end in .png (not {args.plot})."
        )
    store = open_store(settings)
    try:
        figures = stats.collect(store.engine, since)
    finally:
        store.close()
    print(stats.table(figures))
    if args.csv:
        stats.write_csv(figures, Path(args.csv))
        print(f"\nCSV written to {args.csv}")
    if args.plot:
        stats.plot(figures, Path(args.plot))
        print(f"Chart written to {args.plot}")
    return 0


def cmd_console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console.app import serve

    asyncio.run(serve(settings))
    return 0


def read_password(prompt: str, stream: TextIO | None = None) -> str:
    """The password: from standard input when it is not a terminal (scripts and tests), else
    asked for twice without showing it."""
    import getpass

    stream = stream or sys.stdin
    if not stream.isatty():
        return stream.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("Type it again: ") != first:
        raise SettingsError("the two passwords were not the same; nothing was changed.")
    return first


COMMAND_LINE = "the command line (python -m bot staff)"


def cmd_staff(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console.accounts import AccountError, Accounts
    from bot.console.history import History
    from bot.startup import open_database

    engine = open_database(settings)
    accounts = Accounts(engine)
    # The console's history says who changed what; here, whoever ran the command on the server.
    history = History(engine, settings.root)

    def audit(email: str, summary: str) -> None:
        history.record(COMMAND_LINE, "account", email, summary)

    try:
        if args.action == "add":
            if not args.role:
                raise AccountError("say which role with --role admin, editor or reviewer")
            member = accounts.add(args.email, args.role, read_password("Password: "))
            audit(member.email, f"added the account {member.email} ({member.role})")
            print(f"Added {member.email} ({member.role}).")
        elif args.action == "list":
            for member in accounts.list():
                print(f"{member.email}  {member.role}")
        elif args.action == "remove":
            email = accounts.normal_email(args.email)
            accounts.remove(email)
            audit(email, f"removed the account {email}")
            print(f"Removed {args.email}; their sessions have ended.")
        elif args.action == "reset":
            email = accounts.normal_email(args.email)
            accounts.reset(email, read_password("New password: "))
            audit(email, f"set a new password for {email}")
            print(f"New password set for {args.email}; their sessions have ended.")
    except AccountError as exc:
        return _fail(f"Nothing was changed: {exc}.")
    finally:
        engine.dispose()
    return 0


def cmd_retrain(settings: Settings, args: argparse.Namespace) -> int:
    from bot.retraining import run_job

    verdict = run_job(settings, args.version, args.by)
    print("Activated." if verdict.passed else "Refused: " + "; ".join(verdict.reasons))
    return 0


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.telegram.app import run

    settings.require_token()
    return run(settings)


def cmd_health(settings: Settings, args: argparse.Namespace) -> int:
    from bot.telegram.app import health

    ok, detail = health(settings)
    print(("healthy: " if ok else "unhealthy: ") + detail)
    return 0 if ok else 1


COMMANDS = {
    "run": (cmd_run, "start the Telegram bot (polling, or webhook mode when WEBHOOK_URL is set)"),
    "train": (cmd_train, "train the NLU model from config.yml and nlu/data/ into models/"),
    "check": (cmd_check, "check the content and training data (exit 1 on any error)"),
    "ask": (cmd_ask, "answer TEXT, or one message per line of standard input"),
    "shell": (cmd_shell, "chat with the bot in this terminal"),
    "evaluate": (cmd_evaluate, "measure understanding on writers the models never saw"),
    "health": (cmd_health, "exit 0 if the running bot is healthy (for container checks)"),
    "stats": (cmd_stats, "what young people ask about, for staff: a table, CSV and chart"),
    "console": (cmd_console, "the staff console, a web page on CONSOLE_HOST:CONSOLE_PORT"),
    "staff": (cmd_staff, "staff accounts for the console: add, list, remove, reset"),
    "retrain": (cmd_retrain, "train, evaluate and activate a model (the console runs this)"),
}


def build_arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="A Telegram helper for young people on knife crime: honest information "
        "and routes to support.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        if name == "ask":
            command.add_argument("--json", action="store_true", help="one JSON object per reply")
            command.add_argument("text", nargs="*", help="the message (default: read stdin)")
        if name == "evaluate":
            command.add_argument("--config", help="pipeline to test (default config.yml)")
            command.add_argument(
                "--folds", type=int, default=0, help="also cross-validate with this many folds"
            )
            command.add_argument(
                "--writers",
                default="all",
                help="leave-one-writer-out for these writers (comma-separated), all (the "
                "default, well over an hour on 2 cores) or none",
            )
            command.add_argument(
                "--model",
                help="test this model (and the safety.tar.gz beside it) instead of training",
            )
            command.add_argument("--reports", default="reports", help="where to write reports")
        if name == "stats":
            command.add_argument("--since", default="7d", help="7d, 24h, 4w or a date (default 7d)")
            command.add_argument("--csv", help="also write the figures per day to this CSV file")
            command.add_argument("--plot", help="also draw a chart to this PNG file")
        if name == "check":
            command.add_argument("--warnings", action="store_true", help="also list warnings")
        if name == "staff":
            command.add_argument("action", choices=["add", "list", "remove", "reset"])
            command.add_argument("email", nargs="?", default="", help="the person's email")
            command.add_argument("--role", choices=["admin", "editor", "reviewer"])
        if name == "retrain":
            command.add_argument("--version", required=True, help="the version's folder name")
            command.add_argument("--by", default="console", help="who asked for it")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; every failure a person can fix is one sentence on stderr, exit code 2."""
    args = build_arguments().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        return _fail(f"Setting problem: {exc}")
    # `ask` and `evaluate` print what they are for; a log line for every answer would bury it.
    quiet = args.command in ("ask", "evaluate")
    configure_logging("WARNING" if quiet else settings.log_level)
    handler = COMMANDS[args.command][0]
    try:
        return handler(settings, args)
    except SettingsError as exc:
        return _fail(f"Setting problem: {exc}")
    except (StartupError, StorageError) as exc:
        return _fail(str(exc))
    except ContentError as exc:
        print(f"The bot cannot start because {exc}", file=sys.stderr)
        print("Run 'python -m bot check' for details.", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        return _fail(str(exc))
    except OSError as exc:
        name = f" ({exc.filename})" if exc.filename else ""
        return _fail(
            f"A file the bot needs could not be used{name}: {exc.strerror or type(exc).__name__}."
        )
    except KeyboardInterrupt:
        return 130


def _fail(sentence: str) -> int:
    print(sentence, file=sys.stderr)
    return 2
