"""The model page (admins only): retrain in the background with progress shown, see how the
new model did against the one in use and why it was refused if it was, and restore the one
before."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot.console.app import console, render, requires, staff
from bot.models import ModelShelf
from bot.retraining import FIGURES, running_job


def _state(request: web.Request) -> dict[str, Any]:
    shelf = ModelShelf(console(request).settings)
    versions = shelf.versions()
    running = running_job(shelf)
    return {
        "active": shelf.active(),
        "versions": versions[:10],
        "running": shelf.version(running) if running else None,
        "latest": next((v for v in versions if v.status.get("state") != "kept"), None),
    }


@requires("model")
async def model_page(request: web.Request) -> web.StreamResponse:
    state = await asyncio.to_thread(_state, request)
    return await render(
        request,
        "model.html",
        title="Model",
        figures=FIGURES,
        error=None,
        message=request.query.get("done"),
        **state,
    )


@requires("model")
async def status(request: web.Request) -> web.StreamResponse:
    """For the progress bar's script: how far the job being trained is."""
    state = await asyncio.to_thread(_state, request)
    version = state["running"] or state["latest"]
    if version is None:
        return web.json_response({"state": "none"})
    return web.json_response(
        {
            "state": version.status.get("state", ""),
            "progress": version.status.get("progress", 0),
            "step": version.status.get("step", ""),
        }
    )


@requires("model")
async def train(request: web.Request) -> web.StreamResponse:
    app = console(request)
    member = staff(request)
    assert app.start_training is not None
    try:
        version = await asyncio.to_thread(app.start_training, app.settings, member.email)
    except RuntimeError as exc:
        state = await asyncio.to_thread(_state, request)
        return await render(
            request,
            "model.html",
            status=409,
            title="Model",
            figures=FIGURES,
            error=f"{exc}.",
            message=None,
            **state,
        )
    await asyncio.to_thread(
        app.history.record, member.email, "train", f"model {version}", "started training"
    )
    raise web.HTTPSeeOther("/model")


@requires("model")
async def restore(request: web.Request) -> web.StreamResponse:
    app = console(request)
    member = staff(request)
    shelf = ModelShelf(app.settings)
    previous = shelf.active().get("previous")
    error = None
    if not isinstance(previous, str) or shelf.version(previous) is None:
        error = "There is no earlier model to go back to."
    else:
        try:
            await asyncio.to_thread(shelf.activate, previous, member.email)
        except OSError as exc:
            error = f"The earlier model could not be put back ({type(exc).__name__})."
    if error is None:
        await asyncio.to_thread(
            app.history.record,
            member.email,
            "restore",
            f"model {previous}",
            "went back to the earlier model",
        )
        raise web.HTTPSeeOther("/model?done=restored")
    state = await asyncio.to_thread(_state, request)
    return await render(
        request,
        "model.html",
        status=409,
        title="Model",
        figures=FIGURES,
        error=error,
        message=None,
        **state,
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/model", model_page)
    router.add_get("/model/status", status)
    router.add_post("/model/train", train)
    router.add_post("/model/restore", restore)
