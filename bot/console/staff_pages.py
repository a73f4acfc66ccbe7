"""Accounts (admins only): who can use the console, in which role; add and remove people.
(`python -m bot staff` does the same from a terminal, and resets a forgotten password.)"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.console.accounts import ROLES, AccountError
from bot.console.app import console, render, requires, staff


async def _page(
    request: web.Request,
    status: int = 200,
    error: str | None = None,
    email: str = "",
    done: str | None = None,
) -> web.Response:
    members = await asyncio.to_thread(console(request).accounts.list)
    return await render(
        request,
        "staff.html",
        status=status,
        title="Accounts",
        members=members,
        roles=ROLES,
        error=error,
        email=email,
        done=done,
    )


@requires("accounts")
async def accounts(request: web.Request) -> web.StreamResponse:
    done = {
        "added": "Account added. Tell them their password in person or by phone, not by email.",
        "removed": "Account removed; their logins have ended.",
    }
    return await _page(request, done=done.get(request.query.get("done", "")))


@requires("accounts")
async def add(request: web.Request) -> web.StreamResponse:
    app = console(request)
    form = await request.post()
    email, role = str(form.get("email", "")), str(form.get("role", ""))
    try:
        member = await asyncio.to_thread(
            app.accounts.add, email, role, str(form.get("password", ""))
        )
    except AccountError as exc:
        return await _page(request, 422, f"Nothing was changed: {exc}.", email)
    await asyncio.to_thread(
        app.history.record,
        staff(request).email,
        "account",
        member.email,
        f"added the {member.role} account {member.email}",
    )
    raise web.HTTPSeeOther("/staff?done=added")


@requires("accounts")
async def remove(request: web.Request) -> web.StreamResponse:
    app = console(request)
    me = staff(request)
    form = await request.post()
    email = str(form.get("email", ""))
    if email == me.email:
        return await _page(request, 409, "You cannot remove your own account; ask another admin.")
    try:
        await asyncio.to_thread(app.accounts.remove, email)
    except AccountError as exc:
        return await _page(request, 422, f"Nothing was changed: {exc}.")
    await asyncio.to_thread(
        app.history.record, me.email, "account", email, f"removed the account {email}"
    )
    raise web.HTTPSeeOther("/staff?done=removed")


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/staff", accounts)
    router.add_post("/staff/add", add)
    router.add_post("/staff/remove", remove)
