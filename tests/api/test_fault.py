"""Faults: a worker killed in the middle of a fit, and the whole server killed with it.

The job is re-queued (or failed), never left running; the next fit succeeds; a restarted server
still has every finished result and reclaims the job its dead worker left behind.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.api.support import (
    SMALL_SPEC,
    ServerProcess,
    backend_env,
    client,
    create_key,
    skip_without_postgres,
    upload_pymc,
    wait_for_model,
)

LONGER_SPEC: dict[str, Any] = {
    "sampler": {"chains": 2, "draws": 150, "tune": 150, "seed": 2},
    "max_draws": 100,
}
FITTING_STAGES = ("loading", "build", "compile", "sampling")


def _start_fit(c: httpx.Client, dataset_id: str, spec: dict[str, Any]) -> str:
    r = c.post("/api/v1/models", json={"dataset_id": dataset_id, "spec": spec})
    assert r.status_code == 202, r.text
    model_id: str = r.json()["id"]
    return model_id


def _wait_fitting(c: httpx.Client, model_id: str, timeout: float = 300) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = c.get(f"/api/v1/models/{model_id}").json()["job"]
        if job["status"] == "running" and job["stage"] in FITTING_STAGES:
            return job
        assert job["status"] in ("queued", "running"), job
        time.sleep(0.1)
    raise AssertionError("the fit never started")


def _assert_recovered(c: httpx.Client, model_id: str) -> dict[str, Any]:
    """The killed fit ends re-run (succeeded on attempt 2) or failed; never stuck."""
    model = wait_for_model(c, model_id, timeout=600)
    job = model["job"]
    if model["status"] == "failed":
        assert job["error"]["code"] == "worker_died", job
    else:
        assert model["status"] == "succeeded" and job["attempts"] == 2, job
    logs = " ".join(
        ln["message"] for ln in c.get(f"/api/v1/models/{model_id}/logs").json()["lines"]
    )
    assert "re-queued" in logs or "no attempts left" in logs
    return model


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_killed_worker_and_killed_server_lose_nothing(kind: str, tmp_path: Path) -> None:
    skip_without_postgres(kind)
    with backend_env(kind, tmp_path / "home") as env:
        env |= {"MIXWISE_STALE_AFTER_S": "20"}
        key = create_key(env, "acme")
        log = tmp_path / "server.log"
        with ServerProcess(env, workers=1, log=log) as server, client(server.url, key) as c:
            dataset_id = upload_pymc(c)
            first = _start_fit(c, dataset_id, LONGER_SPEC)
            _wait_fitting(c, first)
            (worker,) = server.worker_pids()
            os.kill(worker, signal.SIGKILL)
            _assert_recovered(c, first)
            second = _start_fit(c, dataset_id, SMALL_SPEC)
            assert wait_for_model(c, second)["status"] == "succeeded"
            finished = {
                m: c.get(f"/api/v1/models/{m}/summary").json()
                for m in (first, second)
                if c.get(f"/api/v1/models/{m}").json()["status"] == "succeeded"
            }
            third = _start_fit(c, dataset_id, LONGER_SPEC)
            _wait_fitting(c, third)
            for pid in [*server.worker_pids(), server.proc.pid]:  # type: ignore[union-attr]
                os.kill(pid, signal.SIGKILL)  # a crash: nothing gets to clean up
            server.proc.wait()  # type: ignore[union-attr]
        with ServerProcess(env, workers=1, log=log) as server, client(server.url, key) as c:
            for model_id, summary in finished.items():  # finished results survived
                assert c.get(f"/api/v1/models/{model_id}/summary").json() == summary
            _assert_recovered(c, third)
            statuses = {m["status"] for m in c.get("/api/v1/models").json()["items"]}
            assert statuses <= {"succeeded", "failed"}
        assert key not in log.read_text(errors="replace")
