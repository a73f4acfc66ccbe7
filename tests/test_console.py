"""The staff console over real HTTP, on SQLite and PostgreSQL: who gets in, what a stranger
can do to the port, sessions, CSRF, roles, and what reviewers see of the kept questions."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from html import unescape
from pathlib import Path

import pytest
from aiohttp import ClientSession, CookieJar
from sqlalchemy import create_engine, func, select

from bot.cli import COMMAND_LINE
from bot.console.accounts import FAILURES_PER_ACCOUNT, Accounts, DatabaseSessions
from bot.content import load_content
from bot.engine import Event, User
from bot.storage.store import Store
from bot.storage.tables import audit_log, staff_sessions
from bot.storage.tables import staff as staff_table
from tests.conftest import ROOT, put_in_use, shelve
from tests.console_harness import (
    PASSWORD,
    RunningConsole,
    copy_project,
    keep_question,
    settings_for,
)
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
    telegram_id = "5550001234"
    asked = "tell kwesi from kingsmead school to call me on 07700 900123"
    keep_question(console.settings.database_url, asked, telegram_id)
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
    engine = create_engine(env["DATABASE_URL"])
    accounts = Accounts(engine)
    with engine.connect() as conn:
        (stored,) = conn.execute(select(staff_table.c.password_hash)).scalars()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    member = asyncio.run(accounts.login("sam@example.org", PASSWORD, "test"))
    assert member is not None
    DatabaseSessions(engine, timedelta(minutes=30), secure=False)._create(
        "a-session", member.id, "{}"
    )
    assert staff("reset", "sam@example.org", stdin="another long password\n").returncode == 0
    assert asyncio.run(accounts.login("sam@example.org", PASSWORD, "test")) is None
    assert asyncio.run(accounts.login("sam@example.org", "another long password", "test"))
    with engine.connect() as conn:
        left = conn.execute(select(func.count()).select_from(staff_sessions)).scalar_one()
    assert left == 0  # the reset ended the session made before it
    assert staff("remove", "sam@example.org").returncode == 0
    assert staff("list").stdout.strip() == ""
    with engine.connect() as conn:
        said = conn.execute(
            select(audit_log.c.staff_email, audit_log.c.summary).order_by(audit_log.c.id)
        ).all()
    engine.dispose()
    assert [summary for _, summary in said] == [
        "added the account sam@example.org (editor)",
        "set a new password for sam@example.org",
        "removed the account sam@example.org",
    ]
    assert {who for who, _ in said} == {COMMAND_LINE}


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
    # 👎 twice and 👍 once on one answer, 👍 only on another
    store.vote(User("telegram", "0"), "answer-1", "law_carrying", -1)
    store.vote(User("telegram", "1"), "answer-2", "law_carrying", -1)
    store.vote(User("telegram", "2"), "answer-3", "law_carrying", 1)
    store.vote(User("telegram", "2"), "answer-4", "support_talk", 1)
    assert store.flush()
    store.close()
    async with client() as session:
        await log_in(session, console, "editor@example.org")
        page = (await call(session, "GET", f"{console.url}/?since=7d")).text
    assert "<strong>4</strong> messages and taps" in page
    assert "<strong>25%</strong> of typed messages not understood" in page
    assert "<strong>25%</strong> half understood" in page
    # per day, topics, not understood, half understood, and the answers with the most 👎
    assert page.count("<svg") == 5
    most_disliked = page[page.index("Answers with the most 👎") :]
    assert "law_carrying" in most_disliked and "2 👎, 1 👍" in most_disliked
    assert "support_talk" not in most_disliked  # liked only: not on the chart


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


def form_values(html: str, action: str) -> dict[str, str]:
    """What a browser would send from the form posting to `action`: its inputs as they are."""
    start = html.index(f'action="{action}"')
    form = html[start : html.index("</form>", start)]
    values = {
        name: unescape(value)
        for name, value in re.findall(r'<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"', form)
    }
    for name, value in re.findall(
        r'<textarea[^>]*?name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S
    ):
        values[name] = unescape(value)
    return values


async def submit(
    session: ClientSession, console: RunningConsole, path: str, **changes: str
) -> Page:
    """Open the page at `path`, change some fields of its form, and send it."""
    page = (await call(session, "GET", f"{console.url}{path}")).text
    values = {**form_values(page, path), **changes}
    return await call(session, "POST", f"{console.url}{path}", data=values)


def comments(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if "#" in line]


async def test_contacts_and_areas_are_saved_from_forms_keeping_every_comment(
    console: RunningConsole,
) -> None:
    content = console.settings.content_dir
    contacts_file, services_file = content / "contacts.yml", content / "services.yml"
    notes = {contacts_file: comments(contacts_file), services_file: comments(services_file)}
    untouched = re.search(r"police_emergency:\n(?:  .*\n)+", contacts_file.read_text()).group(0)
    async with client() as session:
        await log_in(session, console, "editor@example.org")
        edited = await submit(
            session,
            console,
            "/contacts/police_non_emergency",
            about="reporting a crime when nobody is in danger right now",
        )
        assert edited.status == 200 and edited.path == "/contacts", edited.text
        added = await submit(
            session,
            console,
            "/contacts/new",
            key="riverside_youth",
            name="Riverside Youth Project",
            web="https://riverside-youth.example.org",
            sources="the project's own site",
        )
        assert added.status == 200 and added.path == "/contacts", added.text
        area = await submit(
            session, console, "/areas/islington", also_called="archway, holloway, highbury, angel"
        )
        assert area.status == 200 and area.path == "/services", area.text
    loaded, problems = load_content(content)
    assert loaded is not None and [p for p in problems if p.level == "error"] == []
    assert loaded.contacts["police_non_emergency"].about == (
        "reporting a crime when nobody is in danger right now"
    )
    assert loaded.contacts["police_non_emergency"].phone == "101"
    assert loaded.contacts["riverside_youth"].web == "https://riverside-youth.example.org"
    assert loaded.areas["islington"].names[1:] == ("archway", "holloway", "highbury", "angel")
    for path, before in notes.items():
        assert comments(path) == before, f"{path.name} lost or changed a comment"
    assert untouched in contacts_file.read_text()  # an entry nobody edited, byte for byte


async def test_the_preview_splits_a_long_reply_into_the_messages_telegram_gets(
    console: RunningConsole,
) -> None:
    paragraph = "Carrying a knife in public without a good reason is against the law. " * 12
    long_text = "\n\n".join([paragraph] * 6)  # about 5,000 characters: two Telegram messages
    before = (console.settings.content_dir / "replies" / "consequences.yml").read_text(
        encoding="utf-8"
    )
    async with client() as session:
        await log_in(session, console, "editor@example.org")
        shown = await submit(
            session, console, "/replies/law_carrying", text=long_text, action="preview"
        )
    # (the checks may also have something to say about so long a reply; the preview shows anyway)
    assert "Preview of your edit (not saved yet)" in shown.text
    bubbles = re.findall(r'<li class="bubble">(.*?)</li>', shown.text, re.S)
    assert len(bubbles) == 2 and "2 messages" in shown.text
    assert all(len(unescape(b)) <= 4096 for b in bubbles)
    words = " ".join(unescape(b) for b in bubbles).split()
    assert words == long_text.split()  # nothing lost or repeated between the messages
    # a preview saves nothing
    assert (console.settings.content_dir / "replies" / "consequences.yml").read_text() == before


async def test_a_reviewer_marks_questions_as_needing_an_answer_or_discards_them(
    console: RunningConsole,
) -> None:
    keep_question(console.settings.database_url, "what do i do if my school bans phones", "1")
    keep_question(console.settings.database_url, "is there a bus to the park", "2")
    async with client() as session:
        await log_in(session, console, "reviewer@example.org")
        waiting = (await call(session, "GET", f"{console.url}/questions")).text
        ids = {
            text: int(number)
            for number, text in re.findall(
                r'action="/questions/(\d+)".*?name="example" value="([^"]*)"', waiting, re.S
            )
        }
        assert set(ids) == {"what do i do if my school bans phones", "is there a bus to the park"}
        csrf = token(waiting)
        for text, action in (
            ("what do i do if my school bans phones", "needs_answer"),
            ("is there a bus to the park", "discarded"),
        ):
            done = await call(
                session,
                "POST",
                f"{console.url}/questions/{ids[text]}",
                data={"action": action, "csrf_token": csrf},
            )
            assert done.status == 200 and done.path == "/questions", done.text
        left = (await call(session, "GET", f"{console.url}/questions")).text
        needs = (await call(session, "GET", f"{console.url}/questions?status=needs_answer")).text
        thrown = (await call(session, "GET", f"{console.url}/questions?status=discarded")).text
    assert "school bans phones" not in left and "is there a bus to the park" not in left
    assert "school bans phones" in needs and "is there a bus to the park" not in needs
    assert "is there a bus to the park" in thrown and "school bans phones" not in thrown
    engine = create_engine(console.settings.database_url)
    with engine.connect() as conn:
        said = conn.execute(
            select(audit_log.c.staff_email, audit_log.c.summary).order_by(audit_log.c.id)
        ).all()
    engine.dispose()
    assert [tuple(row) for row in said] == [
        ("reviewer@example.org", "marked a question needs a new answer"),
        ("reviewer@example.org", "marked a question discarded"),
    ]


async def test_an_admin_goes_back_to_the_earlier_model_from_the_model_page(
    console: RunningConsole,
) -> None:
    from bot.models import ModelShelf

    shelf = ModelShelf(console.settings)
    async with client() as session:
        await log_in(session, console, "admin@example.org")
        page = (await call(session, "GET", f"{console.url}/model")).text
        nothing = await call(
            session, "POST", f"{console.url}/model/restore", data={"csrf_token": token(page)}
        )
        assert nothing.status == 409 and "There is no earlier model to go back to." in nothing.text
        put_in_use(shelf)
        shelve(shelf, "20261125-160000")
        shelf.activate("20261125-160000", "admin@example.org")
        page = (await call(session, "GET", f"{console.url}/model")).text
        back = await call(
            session, "POST", f"{console.url}/model/restore", data={"csrf_token": token(page)}
        )
    assert back.status == 200 and back.path == "/model", back.text
    assert shelf.nlu.read_bytes() == b"the first nlu model"
    assert shelf.safety.read_bytes() == b"the first safety model"
    engine = create_engine(console.settings.database_url)
    with engine.connect() as conn:
        said = conn.execute(select(audit_log.c.staff_email, audit_log.c.summary)).all()
    engine.dispose()
    assert [tuple(row) for row in said] == [("admin@example.org", "went back to the earlier model")]
