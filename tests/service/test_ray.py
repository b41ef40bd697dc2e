"""The Ray executor (jobs/ray_executor) on a local Ray cluster with two worker actors: real
ridge fit jobs from the durable queue complete, and a worker killed mid-fit has its job handed
back to the queue and run again to completion, once."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator

import pytest
from tests.service.test_selection import _dataset

from mixwise.jobs.ray_executor import RayExecutor
from mixwise.service import jobs as service_jobs
from mixwise.service import models, workspaces
from mixwise.service.schemas.models import ModelIn
from mixwise.store import Store
from mixwise.store.models import Job
from mixwise.store.testing import temporary_store

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.slow  # a local Ray cluster and real ridge fits: about 1-2 minutes

SMALL = {"ridge": {"trials": 1, "iterations": 60, "bootstrap_draws": 10, "seed": 3}}
LONGER = {"ridge": {"trials": 2, "iterations": 1500, "bootstrap_draws": 20, "seed": 3}}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, RayExecutor]]:
    """A SQLite store and a running RayExecutor with 2 workers (a local cluster)."""
    with temporary_store("sqlite", tmp_path_factory.mktemp("ray")) as store:
        ex = RayExecutor(store, n=2, supervise_s=0.2, preload=(service_jobs.__name__,))
        ex.start()
        try:
            yield store, ex
        finally:
            ex.stop(timeout=5)
            ray.shutdown()


def _wait(cond: Callable[[], bool], timeout: float = 180.0) -> None:
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.2)


def _jobs(store: Store, model_ids: list[str]) -> list[Job]:
    with store.session() as s:
        rows = s.query(Job).filter(Job.model_id.in_(model_ids)).all()
        s.expunge_all()
        return rows


def test_a_portfolio_of_four_fits_runs_on_two_ray_workers(
    cluster: tuple[Store, RayExecutor],
) -> None:
    cluster, ex = cluster  # type: ignore[assignment]
    ws = workspaces.ensure_workspace(cluster, "acme").id
    ds = _dataset(cluster, ws)
    ids = [
        models.create_model(cluster, ws, ModelIn(dataset_id=ds, engine="ridge", spec=SMALL)).id
        for _ in range(4)
    ]
    _wait(lambda: all(j.status == "succeeded" for j in _jobs(cluster, ids)))
    jobs = _jobs(cluster, ids)
    assert [j.attempts for j in jobs] == [1] * 4
    workers = {j.worker_id for j in jobs}
    assert workers <= {s.worker_id for s in ex._slots}
    assert len(workers) == 2, "both Ray workers took jobs"


def test_a_killed_ray_worker_has_its_job_requeued_and_run_once(
    cluster: tuple[Store, RayExecutor],
) -> None:
    cluster, ex = cluster  # type: ignore[assignment]
    ws = workspaces.ensure_workspace(cluster, "acme").id
    ds = _dataset(cluster, ws)
    mid = models.create_model(cluster, ws, ModelIn(dataset_id=ds, engine="ridge", spec=LONGER)).id
    _wait(lambda: (j := _jobs(cluster, [mid])[0]).status == "running" and j.fraction > 0.05)
    (job,) = _jobs(cluster, [mid])
    victim = next(s for s in ex._slots if s.worker_id == job.worker_id)
    os.kill(victim.pid, signal.SIGKILL)
    _wait(lambda: _jobs(cluster, [mid])[0].status == "succeeded", timeout=300)
    (job,) = _jobs(cluster, [mid])
    assert job.attempts == 2 and job.worker_id != victim.worker_id
    assert ex.alive() == 2 and victim.pid not in ex.pids()
    assert models.get_model(cluster, ws, mid).status == "succeeded"
