"""Sign-in for the dashboard: session cookies (HTTP-only) with a CSRF token, sign-out,
password change and reset, and who the caller is (``/auth/me``)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials

from mixwise.api.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    WORKSPACE_HEADER,
    SessionDep,
    StoreDep,
    bearer,
    current_principal,
    session_cookie,
    source,
)
from mixwise.service import oidc, sessions, users
from mixwise.service.access import Principal
from mixwise.service.errors import Unauthorized
from mixwise.service.schemas.accounts import (
    MeOut,
    PasswordChange,
    ResetConfirm,
    ResetRequest,
    SignIn,
    SignInMethods,
)

router = APIRouter(prefix="/auth", tags=["auth"])


def _secure(request: Request) -> bool:
    """Cookies are ``Secure`` except over plain HTTP on loopback (``mixwise serve``)."""
    host = request.url.hostname or ""
    return request.url.scheme == "https" or host not in ("127.0.0.1", "localhost", "::1")


def _set_session(request: Request, response: Response, done: sessions.SignedIn) -> None:
    secure = _secure(request)
    response.set_cookie(
        SESSION_COOKIE,
        done.session_token,
        max_age=done.max_age_s,
        httponly=True,
        secure=secure,
        samesite="lax",
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE, done.csrf_token, max_age=done.max_age_s, secure=secure, samesite="strict"
    )


@router.post("/sign-in", response_model=MeOut, summary="Sign in: sets the session cookies")
def sign_in(body: SignIn, request: Request, response: Response, store: StoreDep) -> MeOut:
    done = sessions.sign_in(store, body.email, body.password, source(request))
    _set_session(request, response, done)
    mine = users.memberships(store, done.user_id)
    return MeOut(
        user=users.user_out(store, done.user_id),
        workspaces=mine,
        workspace_id=mine[0].workspace_id if len(mine) == 1 else None,
        role=mine[0].role if len(mine) == 1 else None,
        via="session",
        csrf_token=done.csrf_token,
    )


@router.post("/sign-out", status_code=status.HTTP_204_NO_CONTENT, summary="End this session")
def sign_out(request: Request, store: StoreDep, session: SessionDep) -> Response:
    actor = users.user_out(store, session.user_id).email
    sessions.sign_out(store, session.session_id, actor, source(request))
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("/me", response_model=MeOut, summary="Who is signed in, and their workspaces")
def me(
    request: Request,
    store: StoreDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    token: Annotated[str | None, Depends(session_cookie)],
) -> MeOut:
    if credentials is None and token:
        session = sessions.authenticate(store, token)
        mine = users.memberships(store, session.user_id)
        chosen = request.headers.get(WORKSPACE_HEADER)
        current = next((m for m in mine if m.workspace_id == chosen), None)
        if current is None and len(mine) == 1:
            current = mine[0]
        return MeOut(
            user=users.user_out(store, session.user_id),
            workspaces=mine,
            workspace_id=current.workspace_id if current else None,
            role=current.role if current else None,
            via="session",
        )
    p: Principal = current_principal(request, store, credentials, token)
    mine = users.memberships(store, p.user_id) if p.user_id else []
    return MeOut.model_validate(
        {
            "user": users.user_out(store, p.user_id) if p.user_id else None,
            "workspaces": mine
            or [
                {
                    "workspace_id": p.workspace_id,
                    "workspace_name": p.workspace_name,
                    "role": p.role,
                    "tier": p.tier,
                }
            ],
            "workspace_id": p.workspace_id,
            "role": p.role,
            "via": p.via,
        }
    )


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT, summary="Change the password")
def change_password(
    body: PasswordChange, request: Request, store: StoreDep, session: SessionDep
) -> Response:
    sessions.change_password(
        store,
        session.user_id,
        body.current_password,
        body.new_password,
        keep_session=session.session_id,
        source=source(request),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/reset-request",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Mail a password reset link (answered the same whether the account exists or not)",
)
def reset_request(body: ResetRequest, request: Request, store: StoreDep) -> Response:
    sessions.send_reset(store, body.email, source=source(request))
    return Response(status_code=status.HTTP_202_ACCEPTED)


@router.post(
    "/reset", status_code=status.HTTP_204_NO_CONTENT, summary="Set a new password with a link"
)
def reset(body: ResetConfirm, request: Request, store: StoreDep) -> Response:
    sessions.reset_password(store, body.token, body.new_password, source(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


OIDC_COOKIE = "mw_oidc"


@router.get("/methods", response_model=SignInMethods, summary="How one may sign in here")
def methods(store: StoreDep) -> SignInMethods:
    return SignInMethods(password=True, oidc=oidc.configured(store.settings))


def _callback_url(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


@router.get(
    "/oidc/start",
    status_code=status.HTTP_302_FOUND,
    response_class=RedirectResponse,
    summary="Sign in with the identity provider (OpenID Connect): redirects there",
)
def oidc_start(request: Request, store: StoreDep) -> RedirectResponse:
    started = oidc.start(store.settings, _callback_url(request))
    response = RedirectResponse(started.url, status_code=status.HTTP_302_FOUND)
    response.set_cookie(
        OIDC_COOKIE,
        f"{started.state}.{started.nonce}",
        max_age=600,
        httponly=True,
        secure=_secure(request),
        samesite="lax",
        path="/api/v1/auth/oidc",
    )
    return response


@router.get(
    "/oidc/callback",
    name="oidc_callback",
    status_code=status.HTTP_302_FOUND,
    response_class=RedirectResponse,
    summary="Where the identity provider sends the browser back: starts the session",
)
def oidc_callback(
    request: Request,
    store: StoreDep,
    code: Annotated[str, Query(max_length=2000)],
    state: Annotated[str, Query(max_length=200)],
) -> RedirectResponse:
    kept = request.cookies.get(OIDC_COOKIE, "")
    expected, _, nonce = kept.partition(".")
    if not expected or not hmac.compare_digest(expected, state):
        raise Unauthorized(
            "this sign-in was not started here (state does not match)", "Start the sign-in again."
        )
    done = oidc.finish(store, code, _callback_url(request), nonce, source(request))
    response = RedirectResponse("/", status_code=status.HTTP_302_FOUND)
    _set_session(request, response, done)
    response.delete_cookie(OIDC_COOKIE, path="/api/v1/auth/oidc")
    return response
