"""Errors are RFC 9457 problem documents with the CLI's codes and hints; auth, limits, sniffing,
CORS, docs and the web app mount. On SQLite and PostgreSQL, over real HTTP."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.api.support import PYMC_CSV, PYMC_MAPPING, ThreadServer, client, skip_without_postgres

from mixwise.service import workspaces
from mixwise.store.testing import temporary_store

PROBLEM = "application/problem+json"
ORIGIN = "http://app.example"


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    skip_without_postgres(request.param)
    with temporary_store(
        request.param,
        tmp_path,
        max_upload_bytes=64 * 1024,
        max_upload_rows=500,
        cors_origins=(ORIGIN,),
    ) as store:
        _, key = workspaces.create_key(store, "acme")
        with ThreadServer(store) as s:
            yield s.url, key


def _problem(r, status: int, code: str) -> dict:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["status"] == status and body["code"] == code
    assert body["type"].endswith(code) and body["title"] and body["detail"]
    assert body["instance"].startswith("/api/")
    return body


def test_auth_health_and_docs(server: tuple[str, str]) -> None:
    url, key = server
    with client(url, None) as anon:
        assert anon.get("/api/v1/health").status_code == 200
        body = _problem(anon.get("/api/v1/models"), 401, "unauthorized")
        assert "mixwise keys create" in body["hint"]
        assert anon.get("/api/v1/models").headers["www-authenticate"] == "Bearer"
        assert anon.get("/api/openapi.json").json()["info"]["title"] == "mixwise API"
        assert "swagger" in anon.get("/api/docs").text.lower()
    with client(url, "mw_not-a-key") as bad:
        _problem(bad.get("/api/v1/datasets"), 401, "unauthorized")
    with client(url, key) as c:
        assert c.get("/api/v1/workspace").json()["name"] == "acme"


def test_not_found_and_invalid_body(server: tuple[str, str]) -> None:
    url, key = server
    with client(url, key) as c:
        _problem(c.get("/api/v1/datasets/ds_missing"), 404, "not_found")
        _problem(c.get("/api/v1/no/such/route"), 404, "not_found")
        body = _problem(
            c.post("/api/v1/models", json={"engine": "bayesian"}), 422, "invalid_request"
        )
        assert any("dataset_id" in e["loc"] for e in body["errors"])


def test_uploads_are_sniffed_and_limited(server: tuple[str, str]) -> None:
    url, key = server
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    with client(url, key) as c:

        def up(name: str, data: bytes):  # type: ignore[no-untyped-def]
            return c.post("/api/v1/datasets", files={"file": (name, io.BytesIO(data))})

        body = _problem(up("sales.csv", png), 422, "input_file")
        assert "PNG" in body["detail"]
        _problem(up("blob", bytes(range(256)) * 4), 415, "unsupported_file")
        _problem(up("empty.csv", b""), 415, "unsupported_file")
        _problem(up("big.csv", b"a,b\n" + b"1,2\n" * 40_000), 413, "upload_too_large")
        huge = b"a,b\n" + b"1,2\n" * 400_000  # past the limit + multipart allowance: refused
        _problem(up("huge.csv", huge), 413, "upload_too_large")  # while streaming in

        def chunks():  # no Content-Length: counted while it streams
            yield b"--x\r\nContent-Disposition: form-data; name=file; filename=a.csv\r\n\r\n"
            for _ in range(40):
                yield b"1,2\n" * 10_000

        r = c.post(
            "/api/v1/datasets",
            content=chunks(),
            headers={"content-type": "multipart/form-data; boundary=x"},
        )
        _problem(r, 413, "upload_too_large")
        rows = "date,y,x\n" + "".join(f"2020-01-{1 + i % 28:02d},1,2\n" for i in range(600))
        _problem(up("many.csv", rows.encode()), 413, "too_many_rows")
        assert c.get("/api/v1/datasets").json()["items"] == []  # nothing kept


def test_bad_data_and_bad_requests_carry_findings_and_hints(server: tuple[str, str]) -> None:
    url, key = server
    lines = PYMC_CSV.read_text().splitlines()
    lines[5] = lines[5].replace(lines[5].split(",")[2], "-5", 1)  # negative spend in x1
    with client(url, key) as c:
        r = c.post("/api/v1/datasets", files={"file": ("bad.csv", "\n".join(lines[:120]))})
        assert r.status_code == 201, r.text
        ds = r.json()["id"]
        _problem(
            c.put(
                f"/api/v1/datasets/{ds}/mapping",
                json={"yaml": "date: nope\nkpi: {column: y}\nchannels: []\n"},
            ),
            422,
            "mapping",
        )
        assert (
            c.put(
                f"/api/v1/datasets/{ds}/mapping", json={"yaml": PYMC_MAPPING.read_text()}
            ).status_code
            == 200
        )
        findings = c.get(f"/api/v1/datasets/{ds}/findings").json()
        assert findings["ok"] is False and findings["n_errors"] >= 1
        body = _problem(c.post("/api/v1/models", json={"dataset_id": ds}), 422, "validation_failed")
        codes = {f["code"] for f in body["findings"]}
        assert codes == {f["code"] for f in findings["findings"]}
        assert body["hint"] and all(f["message"] for f in body["findings"])
        _problem(c.get(f"/api/v1/datasets/{ds}/eda"), 422, "validation_failed")


def test_spec_engine_and_results_before_fit(server: tuple[str, str]) -> None:
    url, key = server
    with client(url, key) as c, PYMC_CSV.open("rb") as fh:
        ds = c.post("/api/v1/datasets", files={"file": ("d.csv", fh)}).json()["id"]
        c.put(f"/api/v1/datasets/{ds}/mapping", json={"yaml": PYMC_MAPPING.read_text()})
        _problem(c.post("/api/v1/models", json={"dataset_id": ds, "engine": "magic"}), 422, "spec")
        body = _problem(
            c.post("/api/v1/models", json={"dataset_id": ds, "spec": {"sampler": {"draws": -1}}}),
            422,
            "spec",
        )
        assert "draws" in body["detail"]
        for spec, field in (
            ({"saturation": {"kind": "logistic"}}, "saturation.kind"),  # ridge has Hill only
            ({"ridge": {"ranges": {"tv": {"theta": [0.2, 1.5]}}}}, "ridge.ranges.tv.theta"),
        ):
            req = {"dataset_id": ds, "engine": "ridge", "spec": spec}
            body = _problem(c.post("/api/v1/models", json=req), 422, "spec")
            assert field in body["detail"]
        model = c.post("/api/v1/models", json={"dataset_id": ds}).json()  # no worker: queued
        assert model["status"] == "queued" and model["job"]["status"] == "queued"
        _problem(c.get(f"/api/v1/models/{model['id']}/summary"), 409, "conflict")
        _problem(c.post(f"/api/v1/models/{model['id']}/simulate", json={}), 409, "conflict")
        cancelled = c.post(f"/api/v1/models/{model['id']}/cancel").json()
        assert cancelled["status"] == "cancelled"
        assert c.delete(f"/api/v1/models/{model['id']}").status_code == 200
        _problem(c.get(f"/api/v1/models/{model['id']}"), 404, "not_found")


def test_meridian_refusals_are_problems(
    server: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A spec option Meridian lacks names the field; without its environment, the install
    command; both before any job is queued."""
    url, key = server
    with client(url, key) as c, PYMC_CSV.open("rb") as fh:
        ds = c.post("/api/v1/datasets", files={"file": ("d.csv", fh)}).json()["id"]
        c.put(f"/api/v1/datasets/{ds}/mapping", json={"yaml": PYMC_MAPPING.read_text()})
        req = {"dataset_id": ds, "engine": "meridian", "spec": {"seasonality": {"yearly_order": 2}}}
        body = _problem(c.post("/api/v1/models", json=req), 422, "spec")
        assert "seasonality.yearly_order" in body["detail"] and "knots" in body["hint"]
        monkeypatch.setenv("MIXWISE_MERIDIAN_ENV", str(tmp_path / "no-env"))
        req = {"dataset_id": ds, "engine": "meridian"}
        body = _problem(c.post("/api/v1/models", json=req), 422, "engine_unavailable")
        assert "mixwise engines install meridian" in body["hint"]
        assert c.get("/api/v1/models").json()["items"] == []


def test_cors_only_for_the_app_origin(server: tuple[str, str]) -> None:
    url, key = server
    with client(url, key) as c:
        ok = c.options(
            "/api/v1/models",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        assert ok.headers.get("access-control-allow-origin") == ORIGIN
        other = c.get("/api/v1/models", headers={"Origin": "http://evil.example"})
        assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_web_app_is_served_at_root_when_built(kind: str, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    skip_without_postgres(kind)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<html><body>mixwise web</body></html>")
    monkeypatch.setenv("MIXWISE_WEB_DIST", str(dist))
    with (
        temporary_store(kind, tmp_path / "home") as store,
        ThreadServer(store) as s,
        client(s.url, None) as c,
    ):
        assert "mixwise web" in c.get("/").text
        assert "mixwise web" in c.get("/models/123").text  # client-side route
        _problem(c.get("/api/v1/nothing-here"), 404, "not_found")
        assert c.get("/api/v1/health").status_code == 200


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_api_reclaims_a_dead_workers_job_without_any_worker(kind: str, tmp_path: Path) -> None:
    skip_without_postgres(kind)
    import time

    from mixwise.jobs import queue

    with temporary_store(kind, tmp_path, stale_after_s=1.0) as store:
        ws = workspaces.ensure_workspace(store, "acme")
        with store.session() as s:
            job_id = queue.enqueue(s, ws.id, "sleep", {}, max_attempts=1).id
        queue.claim(store, "far-away-host:1:x")  # a worker elsewhere claims it, then vanishes
        with ThreadServer(store):
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                with store.session() as s:
                    from mixwise.store.models import Job

                    status = s.get(Job, job_id).status  # type: ignore[union-attr]
                if status != "running":
                    break
                time.sleep(0.2)
        assert status == "failed"
