"""Cancelling a running fit over HTTP: the job stops within seconds, nothing is published."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tests.api.support import ThreadServer, client, skip_without_postgres, upload_pymc

from mixwise.jobs import ThreadExecutor
from mixwise.service import jobs as _service_jobs  # noqa: F401  (registers the fit job)
from mixwise.service import workspaces
from mixwise.store.testing import temporary_store

SLOW_SPEC = {"sampler": {"chains": 2, "draws": 3000, "tune": 3000, "seed": 3}, "max_draws": 50}


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_cancel_a_running_fit(kind: str, tmp_path: Path) -> None:
    skip_without_postgres(kind)
    with temporary_store(kind, tmp_path, heartbeat_s=0.5) as store:
        executor = ThreadExecutor(store, n=1, poll_s=0.1)
        executor.start()
        try:
            _, key = workspaces.create_key(store, "acme")
            with ThreadServer(store) as server, client(server.url, key) as c:
                ds = upload_pymc(c)
                model_id = c.post(
                    "/api/v1/models", json={"dataset_id": ds, "spec": SLOW_SPEC}
                ).json()["id"]
                deadline = time.monotonic() + 300
                while c.get(f"/api/v1/models/{model_id}").json()["job"]["stage"] != "sampling":
                    assert time.monotonic() < deadline, "the fit never reached sampling"
                    time.sleep(0.2)
                asked = time.monotonic()
                body = c.post(f"/api/v1/models/{model_id}/cancel").json()
                assert body["job"]["cancel_requested"] is True
                while c.get(f"/api/v1/models/{model_id}").json()["status"] != "cancelled":
                    assert time.monotonic() - asked < 30, "cancel was not honoured"
                    time.sleep(0.2)
                model = c.get(f"/api/v1/models/{model_id}").json()
                assert model["has_result"] is False and model["job"]["error"] is None
                r = c.get(f"/api/v1/models/{model_id}/summary")
                assert r.status_code == 409
        finally:
            executor.stop()
        assert not list((store.settings.artifacts / "models").rglob("result.nc"))
