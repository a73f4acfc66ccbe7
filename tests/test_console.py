"""The staff console over real HTTP, on SQLite and PostgreSQL: who gets in, what a stranger
can do to the port, sessions, CSRF, roles, and what reviewers see of the kept questions."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from aiohttp import ClientSession, CookieJar
from sqlalchemy import func, select

from bot.console.accounts import FAILURES_PER_ACCOUNT
from bot.engine import Event, User
from bot.redact import redact
from bot.storage.store import Store
from bot.storage.tables import staff_sessions
from tests.conftest import ROOT
from tests.console_harness import PASSWORD, RunningConsole, copy_project, settings_for
from tests.db import postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    else:
        with postgres_database() as url:
            yield url


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def console(tmp_path: Path, database_url: str, clock: Clock) -> Iterator[RunningConsole]:
    project = copy_project(tmp_path / "project")
    running = RunningConsole(settings_for(project, database_url), clock=clock)
    running.add("admin@example.org", "admin")
    running.add("editor@example.org", "editor")
    running.add("reviewer@example.org", "reviewer")
    yield running
    running.close()


def token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


async def log_in(session: ClientSession, console: RunningConsole, email: str) -> str:
    page = (await call(session, "GET", f"{console.url}/login")).text
    response = await call(
        session,
        "POST",
        f"{console.url}/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token(page)},
    )
    assert response.status == 200 and response.path == "/", response.text
    return response.text


def client() -> ClientSession:
    return ClientSession(cookie_jar=CookieJar(unsafe=True))


class Page:
    """A response read whole (so its connection goes back to the pool)."""

    def __init__(self, status: int, headers: dict[str, str], text: str, cookies: object, path: str):
        self.status = status
        self.headers = headers
        self.text = text
        self.cookies = cookies
        self.path = path


async def call(session: ClientSession, method: str, url: str, **options: object) -> Page:
    async with session.request(method, url, **options) as response:  # type: ignore[arg-type]
        text = await response.text()
        return Page(
            response.status, dict(response.headers), text, response.cookies, response.url.path
        )


async def test_a_stranger_is_sent_to_login_from_every_page(console: RunningConsole) -> None:
    async with client() as session:
        for path in ("/", "/replies/report_anonymous", "/model", "/questions", "/history"):
            response = await call(session, "GET", f"{console.url}{path}", allow_redirects=False)
            assert response.status == 303 and response.headers["Location"] == "/login"
        page = (await call(session, "GET", f"{console.url}/login")).text
        assert 'name="email"' in page and 'name="password"' in page
        assert re.search(r'<input type="hidden" name="csrf_token"', page)
        # A stranger with a made-up session cookie gets no further, and costs no writes.
        for _ in range(20):
            response = await call(
                session,
                "GET",
                f"{console.url}/model",
                cookies={"console_session": "x" * 43},
                allow_redirects=False,
            )
            assert response.status == 303
    with console.db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(staff_sessions)).scalar_one() == 0


async def test_session_cookies_are_httponly_and_strict_and_end_at_logout(
    console: RunningConsole,
) -> None:
    async with client() as session:
        page = (await call(session, "GET", f"{console.url}/login")).text
        response = await call(
            session,
            "POST",
            f"{console.url}/login",
            data={"email": "editor@example.org", "password": PASSWORD, "csrf_token": token(page)},
            allow_redirects=False,
        )
        cookie = response.cookies["console_session"]
        assert cookie["httponly"] and cookie["samesite"] == "Strict" and not cookie["secure"]
        stolen = cookie.value
        # Someone logged in who opens the login page is sent to the dashboard.
        again = await call(session, "GET", f"{console.url}/login", allow_redirects=False)
        assert again.status == 303 and again.headers["Location"] == "/"
        home = (await call(session, "GET", f"{console.url}/")).text
        await call(session, "POST", f"{console.url}/logout", data={"csrf_token": token(home)})
    # The cookie from before the logout no longer opens anything.
    async with client() as other:
        response = await call(
            other,
            "GET",
            f"{console.url}/",
            cookies={"console_session": stolen},
            allow_redirects=False,
        )
        assert response.status == 303


async def test_a_session_ends_after_half_an_hour_without_use(
    console: RunningConsole, clock: Clock
) -> None:
    async with client() as session:
        await log_in(session, console, "editor@example.org")
        clock.now += timedelta(minutes=29)
        assert (await call(session, "GET", f"{console.url}/", allow_redirects=False)).status == 200
        clock.now += timedelta(minutes=31)
        assert (await call(session, "GET", f"{console.url}/", allow_redirects=False)).status == 303


async def test_a_post_without_the_csrf_token_changes_nothing(console: RunningConsole) -> None:
    reply_file = console.settings.content_dir / "replies" / "reporting.yml"
    before = reply_file.read_text(encoding="utf-8")
    async with client() as session:
        await log_in(session, console, "editor@example.org")
        for data in ({}, {"csrf_token": "20991231000000##00"}):
            response = await call(
                session,
                "POST",
                f"{console.url}/replies/report_anonymous",
                data={**data, "title": "x", "text": "hacked", "action": "save"},
            )
            assert response.status == 403
            assert "nothing was changed" in response.text
    # ...nor does a login form posted from another site.
    async with client() as stranger:
        response = await call(
            stranger,
            "POST",
            f"{console.url}/login",
            data={"email": "editor@example.org", "password": PASSWORD},
        )
        assert response.status == 403
    assert reply_file.read_text(encoding="utf-8") == before


async def test_failed_logins_are_slowed_then_stopped_even_with_the_right_password(
    console: RunningConsole,
) -> None:
    async with client() as session:
        for _ in range(FAILURES_PER_ACCOUNT):
            page = (await call(session, "GET", f"{console.url}/login")).text
            response = await call(
                session,
                "POST",
                f"{console.url}/login",
                data={
                    "email": "editor@example.org",
                    "password": "guess",
                    "csrf_token": token(page),
                },
            )
            assert response.status == 401
            assert "do not match an account" in response.text
        page = (await call(session, "GET", f"{console.url}/login")).text
        response = await call(
            session,
            "POST",
            f"{console.url}/login",
            data={"email": "editor@example.org", "password": PASSWORD, "csrf_token": token(page)},
        )
        assert response.status == 429
        assert "too many failed logins" in response.text


async def test_roles_keep_editors_from_the_model_and_reviewers_from_editing(
    console: RunningConsole,
) -> None:
    async with client() as session:
        await log_in(session, console, "editor@example.org")
        for path in ("/model", "/questions"):
            response = await call(session, "GET", f"{console.url}{path}")
            assert response.status == 403 and "editor account" in response.text
    async with client() as session:
        await log_in(session, console, "reviewer@example.org")
        for path in ("/replies/report_anonymous", "/contacts", "/model"):
            response = await call(session, "GET", f"{console.url}{path}")
            assert response.status == 403 and "reviewer account" in response.text
        assert (await call(session, "GET", f"{console.url}/questions")).status == 200


async def test_reviewers_see_only_redacted_questions_never_an_id(
    console: RunningConsole,
) -> None:
    store = Store.open(console.settings.database_url, b"console-tests")
    telegram_id = "5550001234"
    asked = "tell kwesi from kingsmead school to call me on 07700 900123"
    store.record(
        Event(
            user=User("telegram", telegram_id),
            at=datetime.now(timezone.utc),
            topic="fallback",
            intent=None,
            confidence=0.1,
            fell_back=True,
            reply_id="fallback",
            kind="fallback",
            not_understood=redact(asked),
        )
    )
    assert store.flush()
    store.close()
    async with client() as session:
        await log_in(session, console, "reviewer@example.org")
        page = (await call(session, "GET", f"{console.url}/questions")).text
    assert "[word]" in page and "[number]" in page
    for secret in ("kwesi", "kingsmead", "07700", "900123", telegram_id):
        assert secret not in page


def test_staff_accounts_from_the_command_line(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
    }

    def staff(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "staff", *args],
            input=stdin,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    added = staff("add", "Sam@Example.org", "--role", "editor", stdin=PASSWORD + "\n")
    assert added.returncode == 0 and "Added sam@example.org (editor)." in added.stdout
    short = staff("add", "jo@example.org", "--role", "admin", stdin="short\n")
    assert short.returncode == 2
    assert short.stderr.strip() == (
        "Nothing was changed: the password must be at least 12 characters long."
    )
    assert staff("list").stdout.strip() == "sam@example.org  editor"
    assert staff("reset", "sam@example.org", stdin="another long password\n").returncode == 0
    assert staff("remove", "sam@example.org").returncode == 0
    assert staff("list").stdout.strip() == ""


async def test_the_dashboard_counts_half_understood_questions_apart(
    console: RunningConsole,
) -> None:
    store = Store.open(console.settings.database_url, b"console-tests")
    now = datetime.now(timezone.utc)
    for number, kind in enumerate(["answer", "answer", "clarify", "fallback"]):
        store.record(
            Event(
                user=User("telegram", str(number)),
                at=now,
                topic="reporting" if kind != "fallback" else "fallback",
                intent=None,
                confidence=0.5,
                fell_back=kind in ("clarify", "fallback"),
                reply_id="report_anonymous",
                kind=kind,
            )
        )
    assert store.flush()
    store.close()
    async with client() as session:
        await log_in(session, console, "editor@example.org")
        page = (await call(session, "GET", f"{console.url}/?since=7d")).text
    assert "<strong>4</strong> messages and taps" in page
    assert "<strong>25%</strong> of typed messages not understood" in page
    assert "<strong>25%</strong> half understood" in page
    assert page.count("<svg") == 4  # per day, topics, not understood, half understood


def test_python_m_bot_console_serves_the_login_page(tmp_path: Path) -> None:
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
        "CONSOLE_PORT": str(port),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"], cwd=ROOT, env=env, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode()
                    assert response.url.endswith("/login")
                    break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "the console did not start"
                time.sleep(0.3)
        assert 'name="email"' in page and 'name="password"' in page and "csrf" in page
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0
        if process.stderr:
            process.stderr.close()


async def test_behind_https_the_session_cookie_is_secure(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    settings = settings_for(
        project, f"sqlite:///{tmp_path / 'bot.sqlite3'}", CONSOLE_URL="https://console.example.org"
    )
    running = RunningConsole(settings)
    try:
        running.add("editor@example.org", "editor")
        async with client() as session:
            login = await call(session, "GET", f"{running.url}/login")
            # (Over plain http the client keeps Secure cookies to itself; the proxy's https
            # would carry it.)
            form_cookie = login.cookies["console_login"]  # type: ignore[index]
            assert form_cookie["secure"]
            response = await call(
                session,
                "POST",
                f"{running.url}/login",
                data={
                    "email": "editor@example.org",
                    "password": PASSWORD,
                    "csrf_token": token(login.text),
                },
                cookies={"console_login": form_cookie.value},
                allow_redirects=False,
            )
        assert response.status == 303
        cookie = response.cookies["console_session"]  # type: ignore[index]
        assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Strict"
    finally:
        running.close()
