"""Fit all engines through the API (one fit job per engine, real fits), compare them, download
exports; and the errors of each, as problem documents."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from tests.api.support import ThreadServer, client, upload_pymc, wait_for_model

from mixwise.jobs import ThreadExecutor
from mixwise.service import workspaces
from mixwise.store import Store
from mixwise.store.testing import temporary_store

SPEC = {
    "sampler": {"chains": 2, "draws": 60, "tune": 60, "seed": 1},
    "max_draws": 120,
    "ridge": {"trials": 1, "iterations": 100, "bootstrap_draws": 40},
}


@dataclass
class Server:
    url: str
    key: str
    dataset_id: str
    store: Store


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("cmp-api")
    with temporary_store("sqlite", home, heartbeat_s=0.5) as store:
        executor = ThreadExecutor(store, n=1, poll_s=0.1)
        executor.start()
        try:
            with ThreadServer(store) as srv:
                _, key = workspaces.create_key(store, "alpha")
                with client(srv.url, key) as c:
                    dataset_id = upload_pymc(c)
                yield Server(srv.url, key, dataset_id, store)
        finally:
            executor.stop()


def _problem(r: httpx.Response, status: int, words: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert words in f"{body['detail']} {body.get('hint', '')}", body


def test_bad_requests_are_problem_documents(server: Server) -> None:
    with client(server.url, server.key) as c:
        body = {"dataset_id": server.dataset_id, "engines": ["bayesian", "robyn"]}
        _problem(c.post("/api/v1/models/batch", json=body), 422, "unknown engine 'robyn'")
        held = {"dataset_id": server.dataset_id, "spec": {"holdout": 8}}
        r = c.post("/api/v1/models/batch", json=held)
        _problem(r, 422, "holdout: the ridge engine does not support it")
        assert c.get("/api/v1/models").json()["items"] == []  # nothing queued
        _problem(c.get("/api/v1/comparisons", params={"models": "md_x"}), 404, "md_x")
        url = f"/api/v1/datasets/{server.dataset_id}/export"
        _problem(c.get(url, params={"to": "pymc"}), 422, "Did you mean pymc-marketing")


def test_export_download_is_a_zip_of_the_tools_files(server: Server) -> None:
    with client(server.url, server.key) as c:
        r = c.get(f"/api/v1/datasets/{server.dataset_id}/export", params={"to": "robyn"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    names = sorted(zipfile.ZipFile(io.BytesIO(r.content)).namelist())
    assert names == ["robyn/README.txt", "robyn/data.csv", "robyn/fit_robyn.R"]
    script = zipfile.ZipFile(io.BytesIO(r.content)).read("robyn/fit_robyn.R").decode()
    assert 'paid_media_spends = c("x1", "x2")' in script


@pytest.mark.slow
def test_fit_all_engines_then_compare(server: Server) -> None:
    with client(server.url, server.key) as c:
        r = c.post(
            "/api/v1/models/batch",
            json={
                "dataset_id": server.dataset_id,
                "engines": ["bayesian", "ridge"],  # null (every engine): tests/service
                "name": "all",
                "spec": SPEC,
            },
        )
        assert r.status_code == 202, r.text
        batch = r.json()
        engines = [m["engine"] for m in batch["items"]]
        assert engines == ["bayesian", "ridge"]  # one job each, in the order asked
        assert [m["name"] for m in batch["items"]] == ["all (bayesian)", "all (ridge)"]
        assert len({m["job"]["id"] for m in batch["items"]}) == 2
        early = c.get(batch["comparison"])
        if early.status_code != 200:  # a fit still running: a conflict, not a half answer
            _problem(early, 409, "has no result")
        for m in batch["items"]:
            assert wait_for_model(c, m["id"])["status"] == "succeeded"
        r = c.get(batch["comparison"])
        assert r.status_code == 200, r.text
        out = r.json()
    assert [m["interval_kind"] for m in out["models"]] == ["posterior", "bootstrap"]
    assert [m["interval_text"] for m in out["models"]] == [
        "90% credible interval",
        "90% bootstrap interval",
    ]
    assert out["same_data"] is True
    assert [ch["channel"] for ch in out["channels"]] == ["x1", "x2"]
    for ch in out["channels"]:
        lo = [e["roas"]["lo"] for e in ch["estimates"]]
        hi = [e["roas"]["hi"] for e in ch["estimates"]]
        assert ch["roas_agree"] is (max(lo) <= min(hi))
        if ch["roas_agree"] is False or ch["share_agree"] is False:
            assert ch["reasons"], ch
    assert out["holdout_window"] is None


def test_health_names_engines_and_export_targets_from_their_registries(server: Server) -> None:
    from mixwise.engines.base import engine_names
    from mixwise.export import target_names

    health = httpx.get(f"{server.url}/api/v1/health").json()
    assert sorted(health["engine_labels"]) == sorted(engine_names()) == sorted(health["engines"])
    assert health["engine_labels"]["ridge"] == "Ridge (Robyn's method)"
    assert list(health["export_targets"]) == target_names()


MERIDIAN_SPEC = {
    "sampler": {"chains": 2, "draws": 20, "tune": 20, "seed": 2},
    "meridian": {"n_burnin": 10, "knots": 3},
    "adstock": {"l_max": 4},
    "holdout": 8,
}
"""Tiny draws: a Meridian fit costs TensorFlow's import and compilation (a minute or two)."""


@pytest.mark.slow
def test_a_meridian_fit_through_the_api(server: Server) -> None:
    """``engine: meridian`` through POST /models: a background job running Meridian's worker in
    its own environment (installed by `make test`), then the summary (ROAS = contribution /
    spend per draw, intervals that hold their mean) and the optimizer on the Meridian fit."""
    with client(server.url, server.key) as c:
        r = c.post(
            "/api/v1/models",
            json={"dataset_id": server.dataset_id, "engine": "meridian", "spec": MERIDIAN_SPEC},
        )
        assert r.status_code == 202, r.text
        model = wait_for_model(c, r.json()["id"])
        assert model["status"] == "succeeded", model
        assert model["engine"] == "meridian" and model["has_result"]
        summary = c.get(f"/api/v1/models/{model['id']}/summary").json()
        assert summary["interval_kind"] == "posterior"
        assert summary["n_draws"] == 2 * 20  # every kept draw of both chains (under max_draws)
        assert summary["periods"]["holdout"] == 8
        for name, ch in summary["channels"].items():
            assert ch["spend"] > 0, name
            for key in ("contribution", "roas", "share"):
                assert ch[key]["lo"] <= ch[key]["mean"] <= ch[key]["hi"], (name, key)
            assert ch["roas"]["mean"] == pytest.approx(
                ch["contribution"]["mean"] / ch["spend"], rel=1e-6
            )
        assert sorted(summary["channels"]) == ["x1", "x2"]
        sim = c.post(f"/api/v1/models/{model['id']}/simulate", json={"periods": 8}).json()
        budget = sum(sim["allocation"].values())
        opt = c.post(
            f"/api/v1/models/{model['id']}/optimize",
            json={"budget": budget, "periods": 8, "objective": "kpi"},
        )
        assert opt.status_code == 200, opt.text
        plan = opt.json()["plan"]
        assert sum(plan["allocation"].values()) == pytest.approx(budget, rel=1e-6)
        assert plan["expected_kpi"]["mean"] >= plan["current"]["expected_kpi"]["mean"] * 0.999
