"""Request dependencies: the store, who is asking, and the one authorization rule.

Every workspace router is included with :func:`authorize` as a router-level dependency (see
``app.py``), and :data:`WorkspaceDep` depends on it too, so a new route is authenticated and
authorized by default: reads need the viewer role, changes (POST, PUT, PATCH, DELETE) the
analyst role. A route asks for more with ``openapi_extra=policy(...)``: a higher role, a paid
feature (tier check + credit charge, refunded when the request fails), a rate-limit bucket.
Changes from a signed-in browser must carry the CSRF token; every successful change is written
to the audit log (routes whose use case audits itself say ``audited=True``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from mixwise.service import audit, billing, sessions, users, workspaces
from mixwise.service.access import Principal, require_role
from mixwise.service.errors import Unauthorized
from mixwise.service.ratelimit import RateLimiter
from mixwise.service.schemas.datasets import WorkspaceOut
from mixwise.store.db import Store

SESSION_COOKIE = "mw_session"
CSRF_COOKIE = "mw_csrf"
CSRF_HEADER = "X-CSRF-Token"
WORKSPACE_HEADER = "X-Workspace"
ACCESS = "x-mixwise-access"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer = HTTPBearer(auto_error=False, description="An API key (`mixwise keys create`, POST /keys).")
session_cookie = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="The dashboard's sign-in session."
)


def policy(
    role: str | None = None,
    feature: str | None = None,
    rate: str | None = None,
    audited: bool = False,
    reads: bool = False,
) -> dict[str, Any]:
    """A route's access declaration, for ``openapi_extra`` (also shown in the OpenAPI document).

    ``role``: the least role (default: viewer for reads, analyst for changes); ``feature``: a
    ``plan_features`` name charged per request; ``rate``: a rate-limit bucket (``fit``,
    ``plan``); ``audited``: the use case writes its own audit entry; ``reads``: a POST that
    only computes (simulate, optimize): viewers may, and it is no change to audit."""
    declared = {
        "role": role or ("viewer" if reads else None),
        "feature": feature,
        "rate": rate,
        "audited": audited or reads,
    }
    return {ACCESS: {k: v for k, v in declared.items() if v}}


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter | None = getattr(request.app.state, "limiter", None)
    if limiter is None:
        limiter = request.app.state.limiter = RateLimiter(get_store(request).settings)
    return limiter


def source(request: Request) -> str:
    """Where a request came from, for the audit log: address and user agent (cut short)."""
    host = request.client.host if request.client else "?"
    agent = request.headers.get("user-agent", "")[:200]
    return f"{host} {agent}".strip()


def current_session(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    token: Annotated[str | None, Depends(session_cookie)],
) -> sessions.SessionUser:
    """The signed-in browser's session; changes must carry the CSRF token (double submit)."""
    if not token:
        raise Unauthorized("sign in first", "POST /api/v1/auth/sign-in, or send an API key.")
    session = sessions.authenticate(store, token)
    if request.method not in SAFE_METHODS:
        sessions.check_csrf(
            session, request.headers.get(CSRF_HEADER), request.cookies.get(CSRF_COOKIE)
        )
    return session


def current_principal(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    token: Annotated[str | None, Depends(session_cookie)],
) -> Principal:
    """Who is asking and in which workspace: an API key, else the session cookie (401)."""
    if credentials is not None or not token:
        return workspaces.authenticate_key(store, credentials.credentials if credentials else None)
    session = current_session(request, store, token)
    return users.principal_for(
        store,
        session.user_id,
        request.headers.get(WORKSPACE_HEADER) or None,
        via="session",
        session_id=session.session_id,
    )


def authorize(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    principal: Annotated[Principal, Depends(current_principal)],
    limiter: Annotated[RateLimiter, Depends(get_limiter)],
) -> Iterator[Principal]:
    """The route's declared policy (or the default by method), applied to the principal."""
    route = request.scope.get("route")
    declared: dict[str, Any] = (getattr(route, "openapi_extra", None) or {}).get(ACCESS, {})
    change = request.method not in SAFE_METHODS
    require_role(principal, declared.get("role") or ("analyst" if change else "viewer"))
    if declared.get("rate"):
        limiter.hit(declared["rate"], principal)
    feature = declared.get("feature")
    key = request.headers.get("Idempotency-Key")
    if feature:
        with billing.charged(store, principal, feature, key):
            yield principal
    else:
        yield principal
    if change and not declared.get("audited"):
        with store.session() as s:
            audit.record(
                s,
                principal.actor,
                f"{request.method} {_template(request)}",
                principal.workspace_id,
                ",".join(f"{k}={v}" for k, v in request.path_params.items()),
                source(request),
            )


def _template(request: Request) -> str:
    """The request's path with its parameters named: ``/api/v1/datasets/{dataset_id}``."""
    path = request.url.path
    for name, value in request.path_params.items():
        path = path.replace(f"/{value}", f"/{{{name}}}", 1)
    return path


StoreDep = Annotated[Store, Depends(get_store)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="A retried request with the same key is charged once.",
    ),
]
PrincipalDep = Annotated[Principal, Depends(authorize)]
SessionDep = Annotated[sessions.SessionUser, Depends(current_session)]


def current_workspace(store: StoreDep, principal: PrincipalDep) -> WorkspaceOut:
    """The workspace of the request (authorized by :func:`authorize`)."""
    return workspaces.get_workspace(store, principal.workspace_id)


WorkspaceDep = Annotated[WorkspaceOut, Depends(current_workspace)]
