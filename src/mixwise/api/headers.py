"""Security headers on every answer (a pure ASGI middleware, plus the function the 500 handler
uses, since Starlette sends internal errors outside every middleware: see
:mod:`mixwise.api.problems`, which also closes the connection after one).

- ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``, ``Referrer-Policy: no-referrer``;
- a Content-Security-Policy by kind of answer: API documents (nothing may load), the HTML report
  (self-contained: inline scripts and styles, ``data:`` images, nothing external), the dashboard
  (its own scripts, styles and API only), the Swagger UI at ``/api/docs`` (its CDN); every policy
  has ``frame-ancestors 'none'``;
- ``Cache-Control: no-store`` on every ``/api`` answer (they carry workspace data).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_FRAMING = "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"
API_CSP = f"default-src 'none'; {_FRAMING}"
REPORT_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    f"img-src data: blob:; font-src data:; {_FRAMING}"
)
WEB_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    f"img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; {_FRAMING}"
)
BASE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def security_headers(path: str, content_type: str) -> dict[str, str]:
    """The headers an answer to ``path`` with ``content_type`` carries."""
    headers = dict(BASE)
    api = path == "/api" or path.startswith("/api/")
    if path.startswith("/api/docs"):
        headers["Content-Security-Policy"] = DOCS_CSP
    elif api and content_type.startswith("text/html"):
        headers["Content-Security-Policy"] = REPORT_CSP
    elif api:
        headers["Content-Security-Policy"] = API_CSP
    else:
        headers["Content-Security-Policy"] = WEB_CSP
    if api:
        headers["Cache-Control"] = "no-store"
    return headers


class SecurityHeaders:
    """Add :func:`security_headers` to every HTTP answer (headers the app set itself win)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                wanted = security_headers(scope["path"], headers.get("content-type", ""))
                for name, value in wanted.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
