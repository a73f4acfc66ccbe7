"""The staff console: a small web application (aiohttp, pages rendered on the server with
Jinja2) for outreach staff to run the bot without a developer.

`python -m bot console` serves it on CONSOLE_HOST:CONSOLE_PORT (127.0.0.1:8081 by default),
beside the bot, on the same database and the same content/, nlu/ and models/ folders. Pages
work without JavaScript (only the training progress bar uses it) and with the keyboard alone.

What a stranger on the port can do, and what it costs:
- every page but /login (and the stylesheet and the progress script) sends them to /login,
  after at most one indexed lookup of a session cookie; nothing is written for them;
- /login checks the CSRF token (a cookie and a hidden field, no database) before anything
  else, then counts recent failures (per account and per address; a blocked login is refused
  before its password is even checked) and only then works out a password hash, two at a
  time at most; failures are slowed;
- bodies are capped (256 kB) and every POST needs the CSRF token of its session.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from aiohttp_session import get_session, new_session, session_middleware
from sqlalchemy.engine import Engine as SqlEngine
from wtforms import Form
from wtforms.csrf.session import SessionCSRF

from bot.console.accounts import Accounts, DatabaseSessions, StaffMember, utcnow
from bot.console.history import History
from bot.settings import Settings

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
STATIC = {"/console.css", "/progress.js"}
PUBLIC = {"/login", *STATIC}
MAX_BODY = 256 * 1024
LOGIN_CSRF_COOKIE = "console_login"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class CsrfForm(Form):  # type: ignore[misc]
    """Every state-changing form carries this token; the console refuses a POST without it."""

    class Meta:
        csrf = True
        csrf_class = SessionCSRF
        csrf_field_name = "csrf_token"
        csrf_time_limit = timedelta(hours=12)


@dataclass
class Console:
    """Everything the pages need, made once when the console starts."""

    settings: Settings
    db: SqlEngine
    accounts: Accounts
    history: History
    templates: jinja2.Environment
    csrf_secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    clock: Callable[[], datetime] = utcnow
    # Starts a training job in the background; its version id (bot.retraining.start).
    start_training: Callable[[Settings, str], str] | None = None

    @property
    def root(self) -> Path:
        return self.settings.root

    @property
    def content_dir(self) -> Path:
        return self.settings.content_dir


CONSOLE = web.AppKey("console", Console)


def console(request: web.Request) -> Console:
    return request.app[CONSOLE]


def staff(request: web.Request) -> StaffMember:
    member = request.get("staff")
    if not isinstance(member, StaffMember):
        raise web.HTTPSeeOther("/login")
    return member


def templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


async def csrf_context(request: web.Request) -> dict[str, Any] | Any:
    if isinstance(request.get("staff"), StaffMember):
        return await get_session(request)
    token = request.get("login_csrf") or request.cookies.get(LOGIN_CSRF_COOKIE)
    return {"csrf": token} if token else None


async def csrf_token(request: web.Request) -> str:
    context = await csrf_context(request)
    if context is None:
        context = {"csrf": secrets.token_hex(32)}
        request["login_csrf"] = context["csrf"]
    form = CsrfForm(meta={"csrf_secret": console(request).csrf_secret, "csrf_context": context})
    return str(form.csrf_token.current_token)


async def render(
    request: web.Request, template: str, status: int = 200, **values: Any
) -> web.Response:
    member = request.get("staff")
    page = (
        console(request)
        .templates.get_template(template)
        .render(
            staff=member if isinstance(member, StaffMember) else None,
            csrf=await csrf_token(request),
            path=request.path,
            **values,
        )
    )
    response = web.Response(text=page, content_type="text/html", status=status)
    login_token = request.get("login_csrf")
    if isinstance(login_token, str):
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            login_token,
            httponly=True,
            samesite="Strict",
            secure=_secure(console(request).settings),
            path="/login",
        )
    return response


def client_address(request: web.Request) -> str:
    """Who is logging in, for slowing failed logins per address. Behind the proxy every request
    comes from this machine, so there the address the proxy saw (the last one it added to
    X-Forwarded-For) is used; a stranger's own X-Forwarded-For is never believed."""
    remote = request.remote or "unknown"
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and remote in ("127.0.0.1", "::1"):
        return forwarded.split(",")[-1].strip()[:64] or remote
    return remote


def _secure(settings: Settings) -> bool:
    return bool(settings.console_url and settings.console_url.startswith("https://"))


def requires(what: str) -> Callable[[Handler], Handler]:
    """Only staff whose role can do `what` (content, questions, model, accounts) get in."""

    def wrap(handler: Handler) -> Handler:
        async def checked(request: web.Request) -> web.StreamResponse:
            member = staff(request)
            if not member.can(what):
                return await render(
                    request,
                    "refused.html",
                    status=403,
                    title="Not for your role",
                    message=f"Your account is {member.described}, which cannot use this page. "
                    "Ask an admin if you need to.",
                )
            return await handler(request)

        return checked

    return wrap


# -- middlewares


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        _harden(exc)
        raise
    _harden(response)
    return response


def _harden(response: web.StreamResponse) -> None:
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("Cache-Control", "no-store")


@web.middleware
async def gate(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Who is asking (from the session), to /login if nobody; then the CSRF check on POST."""
    member: StaffMember | None = None
    if request.path not in STATIC:
        session = await get_session(request)
        staff_id = session.get("staff_id")
        if isinstance(staff_id, int):
            member = await asyncio.to_thread(console(request).accounts.member, staff_id)
            if member is None:  # the account was removed: the session goes with it
                session.invalidate()
    request["staff"] = member
    if member is None and request.path not in PUBLIC:
        raise web.HTTPSeeOther("/login")
    if request.method == "POST" and not await _csrf_ok(request):
        return await render(
            request,
            "refused.html",
            status=403,
            title="This form could not be sent",
            message="The form was old or did not come from this console, so nothing was "
            "changed. Go back, reload the page and try again.",
        )
    return await handler(request)


async def _csrf_ok(request: web.Request) -> bool:
    context = await csrf_context(request)
    if context is None or "csrf" not in context:
        return False
    form = CsrfForm(
        await request.post(),
        meta={"csrf_secret": console(request).csrf_secret, "csrf_context": context},
    )
    return bool(form.validate())


# -- login, logout, the stylesheet


async def login_page(request: web.Request) -> web.StreamResponse:
    if isinstance(request.get("staff"), StaffMember):
        raise web.HTTPSeeOther("/")
    return await render(request, "login.html", title="Log in", error=None, email="")


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    email = str(form.get("email", ""))[:254]
    password = str(form.get("password", ""))
    accounts = console(request).accounts
    address = client_address(request)
    if await asyncio.to_thread(accounts.blocked, email, address):
        error = (
            "There have been too many failed logins for this account. Wait 15 minutes and "
            "try again, or ask an admin to reset your password."
        )
        return await render(
            request, "login.html", status=429, title="Log in", error=error, email=email
        )
    member = await accounts.login(email, password, address)
    if member is None:
        return await render(
            request,
            "login.html",
            status=401,
            title="Log in",
            error="That email and password do not match an account. Check them and try again.",
            email=email,
        )
    old = await get_session(request)
    if not old.new:
        old.invalidate()
    session = await new_session(request)
    session["staff_id"] = member.id
    session["csrf"] = secrets.token_hex(32)
    request["staff"] = member
    log.info("staff login: %s (%s)", member.email, member.role)
    response = web.HTTPSeeOther("/")
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/login")
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    session = await get_session(request)
    session.invalidate()
    raise web.HTTPSeeOther("/login")


async def stylesheet(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(
        HERE / "static" / "console.css", headers={"Cache-Control": "max-age=300"}
    )


async def progress_script(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(
        HERE / "static" / "progress.js", headers={"Cache-Control": "max-age=300"}
    )


async def not_found(request: web.Request) -> web.Response:
    return await render(
        request,
        "refused.html",
        status=404,
        title="Not found",
        message="There is no such page. Use the menu at the top to find what you need.",
    )


def build(
    settings: Settings,
    db: SqlEngine,
    clock: Callable[[], datetime] = utcnow,
    start_training: Callable[[Settings, str], str] | None = None,
) -> web.Application:
    """The console's web application (tests run it on a port of their own)."""
    from bot.console import content_pages, dashboard, model_pages, question_pages, staff_pages
    from bot.retraining import start

    sessions = DatabaseSessions(
        db,
        idle=timedelta(minutes=settings.console_idle_minutes),
        secure=_secure(settings),
        clock=clock,
    )
    app = web.Application(
        client_max_size=MAX_BODY,
        middlewares=[security_headers, session_middleware(sessions), gate],
    )
    app[CONSOLE] = Console(
        settings=settings,
        db=db,
        accounts=Accounts(db, clock=clock),
        history=History(db, settings.root, clock=clock),
        templates=templates(),
        clock=clock,
        start_training=start_training or start,
    )
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/console.css", stylesheet)
    app.router.add_get("/progress.js", progress_script)
    dashboard.add_routes(app.router)
    content_pages.add_routes(app.router)
    question_pages.add_routes(app.router)
    model_pages.add_routes(app.router)
    staff_pages.add_routes(app.router)
    app.router.add_route("*", "/{anything:.*}", not_found)
    return app


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run the console until SIGTERM or Ctrl-C (or `stop`)."""
    import signal

    from bot.startup import open_database

    db = await asyncio.to_thread(open_database, settings)
    runner = web.AppRunner(build(settings, db), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.console_host, settings.console_port)
        await site.start()
        log.info("staff console on http://%s:%d/", settings.console_host, settings.console_port)
        if stop is None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()
        db.dispose()
