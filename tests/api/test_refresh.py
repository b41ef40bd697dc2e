"""``POST /models/{id}/refresh`` and ``GET /models/{id}/accuracy`` with real ridge fits on a
thread executor: a model fitted on the first 120 weeks of the PyMC-Marketing example, refreshed
on all 179; the refresh is a new model whose summary has the parent's backtest on the 59 added
weeks, and the accuracy series runs parent -> refresh. Bad refreshes are 4xx problems, queued
nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pandas as pd
import pytest
from tests.api.support import PYMC_CSV, PYMC_MAPPING, ThreadServer, client, wait_for_model

from mixwise.jobs import ThreadExecutor
from mixwise.service import workspaces
from mixwise.store.testing import temporary_store

pytestmark = pytest.mark.slow

SPEC = {"ridge": {"trials": 1, "iterations": 60, "bootstrap_draws": 20}}
FIRST = 120


def _upload(c: httpx.Client, frame: pd.DataFrame, name: str) -> str:
    body = frame.to_csv(index=False).encode()
    r = c.post("/api/v1/datasets", files={"file": (name, io.BytesIO(body), "text/csv")})
    assert r.status_code == 201, r.text
    dataset_id: str = r.json()["id"]
    r = c.put(f"/api/v1/datasets/{dataset_id}/mapping", json={"yaml": PYMC_MAPPING.read_text()})
    assert r.status_code == 200, r.text
    return dataset_id


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str, str]]:
    home = tmp_path_factory.mktemp("refresh-api")
    full = pd.read_csv(PYMC_CSV)
    with temporary_store("sqlite", home, heartbeat_s=0.5) as store:
        executor = ThreadExecutor(store, n=1, poll_s=0.1)
        executor.start()
        try:
            with ThreadServer(store) as srv:
                _, key = workspaces.create_key(store, "alpha")
                with client(srv.url, key) as c:
                    first = _upload(c, full.iloc[:FIRST], "first.csv")
                    whole = _upload(c, full, "whole.csv")
                    body = {"dataset_id": first, "engine": "ridge", "spec": SPEC, "name": "m1"}
                    r = c.post("/api/v1/models", json=body)
                    assert r.status_code == 202, r.text
                    parent = r.json()["id"]
                    assert wait_for_model(c, parent)["status"] == "succeeded"
                yield srv.url, key, parent, whole
        finally:
            executor.stop()


def test_refresh_is_a_backtested_child_and_accuracy_follows_the_chain(
    chain: tuple[str, str, str, str],
) -> None:
    url, key, parent, whole = chain
    with client(url, key) as c:
        r = c.post(f"/api/v1/models/{parent}/refresh", json={"dataset_id": whole})
        assert r.status_code == 202, r.text
        child = r.json()
        assert child["engine"] == "ridge" and child["job"]["kind"] == "refresh"
        assert wait_for_model(c, child["id"])["status"] == "succeeded"
        summary = c.get(f"/api/v1/models/{child['id']}/summary").json()
        accuracy = c.get(f"/api/v1/models/{child['id']}/accuracy").json()
    n_added = len(pd.read_csv(PYMC_CSV)) - FIRST
    points = accuracy["points"]
    assert [p["model_id"] for p in points] == [parent, child["id"]]
    assert points[0]["backtest"] is None and points[0]["parent_id"] is None
    assert points[1]["parent_id"] == parent
    backtest = points[1]["backtest"]
    assert backtest["periods"] == n_added
    assert 0 <= backtest["coverage"] <= 1 and backtest["crps"] > 0 and backtest["mape"] > 0
    for key_ in ("periods", "mape", "coverage", "crps"):
        assert summary["backtest"][key_] == pytest.approx(backtest[key_])


def test_bad_refreshes_are_problems(chain: tuple[str, str, str, str]) -> None:
    url, key, parent, whole = chain
    with client(url, key) as c:
        before = len(c.get("/api/v1/models").json()["items"])
        mapping = PYMC_MAPPING.read_text().replace("- name: x2", "- name: x2_gone")
        r = c.post(
            f"/api/v1/models/{parent}/refresh",
            json={"dataset_id": whole, "mapping": {"yaml": mapping}},
        )
        assert r.status_code == 422, r.text
        assert "channel 'x2' of the previous run is missing" in r.json()["detail"]
        r = c.post("/api/v1/models/md_nope/refresh", json={"dataset_id": whole})
        assert r.status_code == 404, r.text
        assert len(c.get("/api/v1/models").json()["items"]) == before
