"""Hardening over real HTTP, on SQLite and PostgreSQL: security headers, Connection: close after
an internal error, decompression bombs refused with 413 naming the limit (nothing kept), errors
naming the user's file (never a server path), owner-only files, keys redacted from the access
log."""

from __future__ import annotations

import io
import logging
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from tests.api.support import ThreadServer, client, free_port, skip_without_postgres
from tests.data.bombs import gzip_csv, xlsx

from mixwise.api.app import create_app
from mixwise.api.headers import API_CSP, REPORT_CSP, security_headers
from mixwise.api.logs import log_config, redact
from mixwise.service import workspaces
from mixwise.store import Store
from mixwise.store.testing import temporary_store

PROBLEM = "application/problem+json"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    skip_without_postgres(request.param)
    with temporary_store(
        request.param, tmp_path / "home", max_upload_rows=500, max_unpacked_bytes=8 * 2**20
    ) as s:
        yield s


@pytest.fixture
def server(store: Store) -> Iterator[tuple[str, str]]:
    _, key = workspaces.create_key(store, "acme")
    with ThreadServer(store) as s:
        yield s.url, key


def _problem(r: httpx.Response, status: int, code: str) -> dict:  # type: ignore[type-arg]
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith(PROBLEM)
    body: dict = r.json()  # type: ignore[type-arg]
    assert body["code"] == code and body["detail"] and body["hint"]
    return body


def _upload(c: httpx.Client, name: str, data: bytes) -> httpx.Response:
    return c.post("/api/v1/datasets", files={"file": (name, io.BytesIO(data))})


def test_every_answer_carries_the_security_headers(server: tuple[str, str]) -> None:
    url, key = server
    with client(url, key) as c, client(url, None) as anon:
        answers = [
            c.get("/api/v1/workspace"),
            c.get("/api/v1/datasets/ds_missing"),
            anon.get("/api/v1/models"),
            _upload(c, "x.csv", b"a,b\n" + b"1,2\n" * 600),  # a 413
        ]
        for r in answers:
            assert r.headers["x-content-type-options"] == "nosniff"
            assert r.headers["x-frame-options"] == "DENY"
            assert r.headers["referrer-policy"] == "no-referrer"
            assert r.headers["content-security-policy"] == API_CSP
            assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
            assert r.headers["cache-control"] == "no-store"
        docs = anon.get("/api/docs")
        assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]
    report = security_headers("/api/v1/models/m/report", "text/html; charset=utf-8")
    assert report["Content-Security-Policy"] == REPORT_CSP and report["Cache-Control"] == "no-store"
    web = security_headers("/models/m", "text/html")
    assert "script-src 'self'" in web["Content-Security-Policy"] and "Cache-Control" not in web


def test_internal_errors_close_the_connection(store: Store) -> None:
    app = create_app(store=store)

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    # ahead of the web app's mount at "/" (present when web/dist is built), which would answer
    app.router.routes.insert(0, app.router.routes.pop())

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as c:
            r = c.get("/api/v1/boom")
            body = _problem(r, 500, "internal_error")
            assert "a bug" not in body["detail"]
            assert r.headers["connection"] == "close"
            assert r.headers["x-content-type-options"] == "nosniff"
            # sent outside the middleware: the handler adds the same headers as on every answer
            assert r.headers["content-security-policy"] == API_CSP
            assert r.headers["cache-control"] == "no-store"
            assert c.get("/api/v1/health").status_code == 200  # the client reconnects cleanly
            assert c.get("/api/v1/health").headers.get("connection") != "close"
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.mark.parametrize(
    ("name", "build", "words"),
    [
        ("bomb.xlsx", lambda d: xlsx(d / "b.xlsx", cell_mib=64), "unpacked size"),
        ("rows.xlsx", lambda d: xlsx(d / "r.xlsx", sheet_rows=5_000), "500 rows"),
        ("big.csv.gz", lambda d: gzip_csv(d / "g.csv.gz", 16), "unpacked size"),
    ],
)
def test_bombs_are_refused_with_413_and_nothing_is_kept(
    server: tuple[str, str],
    store: Store,
    tmp_path: Path,
    name: str,
    build,
    words: str,  # type: ignore[no-untyped-def]
) -> None:
    url, key = server
    data = build(tmp_path).read_bytes()
    with client(url, key) as c:
        started = time.monotonic()
        body = _problem(
            _upload(c, name, data),
            413,
            "table_too_large" if "unpacked" in words else "too_many_rows",
        )
        assert time.monotonic() - started < 5
        assert words in body["detail"] and repr(name) in body["detail"]
        assert str(store.settings.home) not in body["detail"] + body["hint"]
        assert c.get("/api/v1/datasets").json()["items"] == []
    assert not list((store.settings.artifacts / "uploads").rglob("*.*"))


def test_errors_name_the_users_file_never_a_server_path(
    server: tuple[str, str], store: Store
) -> None:
    url, key = server
    with client(url, key) as c:
        for name, data in [
            ("sales.csv", b"\x89PNG\r\n\x1a\n" + bytes(200)),
            ("sales.csv", b"a,b\n\x00\x01\x02"),
            ("sales.parquet", b"PAR1 not really"),
            ("book.xlsx", b"PK\x03\x04 broken zip"),
        ]:
            r = _upload(c, name, data)
            assert 400 <= r.status_code < 500, r.text
            text = r.text
            assert repr(name) in r.json()["detail"], text  # the user's own file name
            assert "/uploads/" not in text and str(store.settings.home) not in text, text
            assert "ds_" not in r.json()["detail"]


def test_database_and_artifacts_are_owner_only(server: tuple[str, str], store: Store) -> None:
    url, key = server
    with client(url, key) as c:
        assert _upload(c, "ok.csv", b"date,y\n2024-01-01,1\n").status_code == 201
    files = [p for p in store.settings.artifacts.rglob("*") if p.is_file()]
    if store.settings.is_sqlite:
        files.append(store.settings.home / "mixwise.db")
    assert files
    for p in files:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    for d in [
        store.settings.artifacts,
        *(p for p in store.settings.artifacts.rglob("*") if p.is_dir()),
    ]:
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, d


def test_keys_in_query_strings_are_refused_and_redacted_from_the_access_log(
    store: Store,
) -> None:
    _, key = workspaces.create_key(store, "acme")
    assert key not in redact(f"GET /api/v1/models?api_key={key}&x=1")
    assert redact("/api/v1/models?token=abc&x=1") == "/api/v1/models?token=***&x=1"
    lines: list[str] = []

    class Capture(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    port = free_port()
    config = uvicorn.Config(
        create_app(store=store), host="127.0.0.1", port=port, log_config=log_config()
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    capture = Capture()
    try:
        while not server.started:
            time.sleep(0.05)
        logging.getLogger("uvicorn.access").addHandler(capture)
        for query in (f"api_key={key}", f"key={key}", f"x={key}"):
            r = httpx.get(f"http://127.0.0.1:{port}/api/v1/models?{query}")
            assert r.status_code == 401
        deadline = time.monotonic() + 5
        while len(lines) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        logging.getLogger("uvicorn.access").removeHandler(capture)
        server.should_exit = True
        thread.join(30)
    assert len(lines) >= 3 and all("/api/v1/models?" in ln for ln in lines), lines
    assert not [ln for ln in lines if key in ln or key[3:] in ln], lines
