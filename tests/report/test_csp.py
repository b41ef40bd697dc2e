"""The report under the Content-Security-Policy the API sends with it: it renders every figure
in headless Chromium with no CSP violation (and a stricter policy would be reported)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from tests.report.test_browser import FLAGS, dump_dom

from mixwise.api.headers import API_CSP, REPORT_CSP
from mixwise.report import Report

pytestmark = pytest.mark.slow  # every test here uses the session's real fit


@contextmanager
def serving(page: Path, csp: str) -> Iterator[str]:
    """``page`` on a loopback HTTP server, sent with ``csp``; yields its URL."""
    body = page.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", csp)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/report.html"
    finally:
        server.shutdown()
        server.server_close()


def test_report_renders_under_its_csp(chromium: Path, report: Report, report_html: Path) -> None:
    assert "--headless" in FLAGS
    with serving(report_html, REPORT_CSP) as url:
        dom, console = dump_dom(chromium, url)
    assert console == [], console
    assert dom.count('class="plot-container') >= len(report.figures)


def test_a_stricter_policy_is_reported(chromium: Path, report_html: Path) -> None:
    with serving(report_html, API_CSP) as url:
        _, console = dump_dom(chromium, url)
    assert any("Content Security Policy" in line for line in console), console
