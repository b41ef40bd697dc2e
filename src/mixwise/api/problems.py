"""Errors as RFC 9457 problem documents (``application/problem+json``).

Every error answer has ``type``, ``title``, ``status``, ``detail`` and ``instance``, plus
mixwise's own ``code`` and ``hint`` (the same as the CLI prints). Data with errors
(``ValidationFailed``) answers 422 with every finding under ``findings``; an invalid request body
answers 422 with ``errors`` (where and what). Internal errors answer 500 without a traceback.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from mixwise.api.headers import security_headers
from mixwise.errors import MixwiseError, TableTooLarge, ValidationFailed
from mixwise.service.errors import (
    Conflict,
    Forbidden,
    NotFound,
    NotImplementedYet,
    PaymentRequired,
    TooManyRequests,
    Unauthorized,
    UnsupportedFile,
)
from mixwise.service.schemas.common import FindingOut
from mixwise.store.artifacts import UploadTooLarge

log = logging.getLogger("mixwise.api")
MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:mixwise:problem:"

STATUS: list[tuple[type[MixwiseError], int]] = [
    (Unauthorized, 401),
    (PaymentRequired, 402),
    (Forbidden, 403),  # FeatureLocked too
    (NotFound, 404),
    (Conflict, 409),
    (UploadTooLarge, 413),
    (TableTooLarge, 413),  # TooManyRows too
    (UnsupportedFile, 415),
    (TooManyRequests, 429),
    (NotImplementedYet, 501),
]
"""Error class -> HTTP status; every other MixwiseError is a 422 (the request cannot be done)."""


class FieldError(BaseModel):
    """Where a request body does not match the schema, and why."""

    loc: list[str] = Field(description="Path to the field, e.g. ['body', 'periods'].")
    msg: str = Field(description="What is wrong.")
    type: str = Field(description="The kind of error (pydantic's error type).")


class Problem(BaseModel):
    """An RFC 9457 problem document with mixwise's ``code`` and ``hint``."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    code: str
    hint: str = ""
    findings: list[FindingOut] | None = None
    errors: list[FieldError] | None = None
    feature: str | None = Field(default=None, description="402/403: the paid feature.")
    tier: str | None = Field(default=None, description="403: the workspace's tier.")
    required_tiers: list[str] | None = Field(
        default=None, description="403: the tiers that include the feature."
    )
    balance: int | None = Field(default=None, description="402: the credits left.")
    cost: int | None = Field(default=None, description="402: the feature's cost in credits.")
    retry_after: int | None = Field(default=None, description="429: seconds to wait.")


def status_of(exc: MixwiseError) -> int:
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 422


def problem_response(
    request: Request,
    status: int,
    code: str,
    detail: str,
    hint: str = "",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = Problem(
        type=TYPE_PREFIX + code,
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        code=code,
        hint=hint,
        **extra,
    ).model_dump(exclude_none=True)
    headers = ({"WWW-Authenticate": "Bearer"} if status == 401 else {}) | (headers or {})
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


async def _mixwise_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MixwiseError)
    extra: dict[str, Any] = dict(getattr(exc, "extra", None) or {})
    if isinstance(exc, ValidationFailed):
        extra["findings"] = [FindingOut(**f.to_dict()) for f in exc.findings]
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
    return problem_response(
        request, status_of(exc), exc.code, exc.message, exc.hint, headers=headers, **extra
    )


async def _request_invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "loc": [str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]
    where = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:5])
    return problem_response(
        request,
        422,
        "invalid_request",
        f"the request is not valid: {where}",
        "See the OpenAPI document at /api/openapi.json for the expected body.",
        errors=errors,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized"}.get(
        exc.status_code, "http_error"
    )
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return problem_response(request, exc.status_code, code, detail)


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    log.exception("internal error on %s %s", request.method, request.url.path)
    # Starlette's ServerErrorMiddleware sends this answer outside every middleware (so the
    # security headers are added here), then re-raises, and uvicorn closes the connection:
    # ``Connection: close`` says so, so that a keep-alive client does not reuse it.
    return problem_response(
        request,
        500,
        "internal_error",
        "an internal error occurred",
        "This is a bug in mixwise; the server log has details. Please report it.",
        headers=security_headers(request.url.path, MEDIA_TYPE) | {"Connection": "close"},
    )


def install(app: FastAPI) -> None:
    """Register the problem-document handlers on ``app``."""
    app.add_exception_handler(MixwiseError, _mixwise_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _internal)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": Problem,
        "description": HTTPStatus(status).phrase,
        "content": {MEDIA_TYPE: {}},
    }
    for status in (401, 402, 403, 404, 409, 422, 429)
}
"""Documented error answers of every authenticated route (OpenAPI)."""
