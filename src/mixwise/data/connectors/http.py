"""One HTTP call with the retries every platform needs, on an ``httpx.Client``.

Why httpx and not the platforms' SDKs: the official Google Ads client pulls gRPC and protobuf
(hundreds of MB) for one reporting query, facebook-business pins requests and reads global
state, and dlt's REST API source brings its own pipeline runtime and state store. Each report
here is one documented REST call with paging; httpx is already a dependency, and tests replay
recorded responses through ``httpx.MockTransport`` on exactly the code that runs in production.

Retries: 429 and 5xx are retried up to :data:`MAX_TRIES` times, waiting ``Retry-After`` seconds
when the platform says, else ``BACKOFF_S * 2**try`` (capped at :data:`MAX_WAIT_S`). A platform
may classify a body as rate limited or as an expired token (Meta answers both with 400).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Literal

import httpx

from mixwise.data.connectors.base import ConnectorAuthError, ConnectorError

MAX_TRIES = 5
BACKOFF_S = 1.0
MAX_WAIT_S = 60.0
SLEEP: Callable[[float], None] = time.sleep
"""How tries wait (tests replace it to run without waiting)."""

Verdict = Literal["auth", "rate"] | None
Classify = Callable[[httpx.Response], Verdict]


def _no_class(response: httpx.Response) -> Verdict:
    return "auth" if response.status_code == 401 else None


def request_json(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    platform: str,
    reconnect: str,
    classify: Classify = _no_class,
    sleep: Callable[[float], None] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """The JSON body of a successful call; :class:`ConnectorAuthError` (saying ``reconnect``)
    for an expired token, :class:`ConnectorError` for anything else that does not succeed.
    ``sleep`` waits between tries (:data:`SLEEP` when not given)."""
    wait = sleep or SLEEP
    for attempt in range(MAX_TRIES):
        try:
            response = client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            if attempt == MAX_TRIES - 1:
                raise ConnectorError(
                    f"{platform}: could not reach the API ({type(exc).__name__})",
                    "Check the network and run the sync again.",
                ) from exc
            wait(_wait(None, attempt))
            continue
        verdict = classify(response)
        if verdict == "auth":
            raise ConnectorAuthError(
                f"{platform}: the access token expired or was revoked ({_reason(response)})",
                reconnect,
            )
        if verdict == "rate" or response.status_code == 429 or response.status_code >= 500:
            if attempt == MAX_TRIES - 1:
                what = (
                    "rate limited"
                    if verdict == "rate" or response.status_code == 429
                    else (f"failing (HTTP {response.status_code})")
                )
                raise ConnectorError(
                    f"{platform}: the API is {what} after {MAX_TRIES} tries ({_reason(response)})",
                    "Nothing of this sync was stored; the next scheduled run tries again.",
                )
            wait(_wait(response.headers.get("Retry-After"), attempt))
            continue
        if response.status_code >= 400:
            raise ConnectorError(
                f"{platform}: the API refused the request (HTTP {response.status_code}: "
                f"{_reason(response)})",
                "Check the connector's settings (account or property id) and its access.",
            )
        body: dict[str, Any] = response.json()
        return body
    raise AssertionError("unreachable")  # pragma: no cover


def _wait(retry_after: str | None, attempt: int) -> float:
    if retry_after is not None:
        try:
            return min(float(retry_after), MAX_WAIT_S)
        except ValueError:
            pass
    return float(min(BACKOFF_S * 2**attempt, MAX_WAIT_S))


def _reason(response: httpx.Response) -> str:
    """The platform's own error message (Google: ``error.message``; Meta: ``error.message``)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200] or f"HTTP {response.status_code}"
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])[:300]
    return f"HTTP {response.status_code}"
