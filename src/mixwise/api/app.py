"""The FastAPI application: ``/api/v1`` routers, problem documents, CORS, the web app at ``/``.

``create_app(settings)`` builds the app; the store (database + artifacts) is opened and
migrated when the app starts. Workers are not part of the app: ``mixwise serve`` runs them next
to it (or ``mixwise worker`` elsewhere), all sharing the job table.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mixwise import __version__
from mixwise.api import problems
from mixwise.api.deps import authorize
from mixwise.api.headers import SecurityHeaders
from mixwise.api.routers import (
    accounts,
    attribution,
    auth,
    benchmarks,
    comparisons,
    connectors,
    datasets,
    health,
    models,
    scenarios,
    timeline,
    workspaces,
)
from mixwise.jobs.queue import reclaim_stale
from mixwise.store.db import Store, open_store
from mixwise.store.settings import Settings

log = logging.getLogger("mixwise.api")
API_PREFIX = "/api/v1"
WEB_DIST = Path(__file__).resolve().parents[3] / "web" / "dist"
UPLOAD_OVERHEAD = 1 << 20
"""Bytes of multipart framing and form fields allowed on top of the upload size limit."""


def web_dist() -> Path | None:
    """The built web app (``MIXWISE_WEB_DIST`` or ``web/dist`` of the source tree), if any."""
    path = Path(os.environ.get("MIXWISE_WEB_DIST") or WEB_DIST)
    return path if (path / "index.html").is_file() else None


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The mixwise API. ``store`` wins over ``settings``; both default to the environment."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if getattr(app.state, "store", None) is None:
            app.state.store = open_store(settings)
        watchdog = asyncio.create_task(_reclaim_forever(app.state.store))
        ticker = asyncio.create_task(_tick_schedules_forever(app.state.store))
        try:
            yield
        finally:
            watchdog.cancel()
            ticker.cancel()

    app = FastAPI(
        title="mixwise API",
        version=__version__,
        description=(
            "Marketing mix modeling as a service: upload data, fit models in the background, "
            "read results and plan budgets. Authenticate with `Authorization: Bearer <key>` "
            "(create a key with `mixwise keys create WORKSPACE` or POST /keys), or sign in "
            "(POST /auth/sign-in: session cookie + X-CSRF-Token on changes). Errors are RFC "
            "9457 problem documents with a `code` and a `hint`."
        ),
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    problems.install(app)
    for router in (
        workspaces.router,
        datasets.router,
        models.router,
        comparisons.router,
        scenarios.router,
        attribution.router,
        accounts.router,
        timeline.router,
        benchmarks.router,
        connectors.router,
    ):
        # every workspace route is authorized (deps.authorize) unless it is one of the two below
        app.include_router(
            router,
            prefix=API_PREFIX,
            responses=problems.ERROR_RESPONSES,
            dependencies=[Depends(authorize)],
        )
    app.include_router(auth.router, prefix=API_PREFIX, responses=problems.ERROR_RESPONSES)
    app.include_router(health.router, prefix=API_PREFIX)
    effective = store.settings if store else settings or Settings.from_env()
    app.add_middleware(UploadLimit, max_bytes=effective.max_upload_bytes + UPLOAD_OVERHEAD)
    if effective.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(effective.cors_origins),
            allow_credentials=False,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "Idempotency-Key",
                "X-CSRF-Token",
                "X-Workspace",
            ],
        )
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, 413s and CORS included
    dist = web_dist()
    if dist is not None:
        app.mount("/", SinglePageApp(directory=dist, html=True), name="web")
    return app


async def _reclaim_forever(store: Store) -> None:
    """Reclaim jobs of dead workers now and then, even when no worker is left to do it: a job
    never stays 'running' behind the API's back."""
    from starlette.concurrency import run_in_threadpool

    while True:
        await asyncio.sleep(max(1.0, store.settings.stale_after_s / 2))
        try:
            await run_in_threadpool(reclaim_stale, store)
        except Exception:
            log.exception("reclaiming stale jobs failed; trying again later")


async def _tick_schedules_forever(store: Store, every_s: float = 60.0) -> None:
    """Queue the runs of due schedules once a minute (``mixwise schedule tick`` does the same
    from a system cron when no server runs); a run already queued is never queued twice."""
    from starlette.concurrency import run_in_threadpool

    from mixwise.service.schedules import tick

    while True:
        await asyncio.sleep(every_s)
        try:
            await run_in_threadpool(tick, store)
        except Exception:
            log.exception("queueing due schedules failed; trying again later")


class SinglePageApp(StaticFiles):
    """Static files of the web app; unknown paths outside ``/api`` get ``index.html`` (client
    routes of the single-page app)."""

    async def get_response(self, path: str, scope: Scope) -> Any:
        try:
            return await super().get_response(path, scope)
        except StarletteHTTPException as exc:
            if exc.status_code != 404 or scope["path"].startswith("/api"):
                raise
            return await super().get_response("index.html", scope)


class UploadLimit:
    """Refuse request bodies past ``max_bytes`` with 413 while they stream in (uploads are not
    buffered to the end first), whatever ``Content-Length`` claims."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT"):
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(scope, send)
            return
        state = {"received": 0, "too_large": False, "started": False}

        async def limited() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_bytes:
                    state["too_large"] = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if state["too_large"]:
                return  # whatever the app answers to the broken body, we answer 413
            state["started"] = True
            await send(message)

        with suppress(_BodyTooLarge):
            await self.app(scope, limited, guarded_send)
        if state["too_large"] and not state["started"]:
            await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        mib = (self.max_bytes - UPLOAD_OVERHEAD) / 2**20
        body = {
            "type": problems.TYPE_PREFIX + "upload_too_large",
            "title": "Content Too Large",
            "status": 413,
            "detail": f"the request is larger than the upload limit of {mib:g} MiB",
            "instance": scope["path"],
            "code": "upload_too_large",
            "hint": "Upload a smaller file, or raise MIXWISE_MAX_UPLOAD_MB on the server.",
        }
        data = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", problems.MEDIA_TYPE.encode()),
                    (b"content-length", str(len(data)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": data})


class _BodyTooLarge(Exception):
    pass
