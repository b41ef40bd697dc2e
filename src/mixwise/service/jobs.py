"""The service's job kinds, registered with the job queue: ``fit`` (:mod:`mixwise.service.fit_job`)
and ``schedule_run`` (:mod:`mixwise.service.schedule_job`).

Importing this module registers them. A process runs fit jobs only after importing it, so the
service starts workers through here: :func:`local_workers` (``mixwise serve``: worker processes
that preload this module) and :func:`run_worker` (``mixwise worker``: this process). In-process
executors (tests, notebooks) import it themselves.
"""

from __future__ import annotations

import os

from mixwise.jobs import Executor, LocalProcessExecutor, register_handler
from mixwise.jobs.runner import run_worker_process
from mixwise.service.fit_job import run_fit_job
from mixwise.service.refresh_job import run_refresh_job
from mixwise.service.schedule_job import run_schedule_job
from mixwise.service.schedules import SCHEDULE_RUN
from mixwise.store.db import Store

FIT = "fit"

register_handler(FIT, run_fit_job)
# sync -> validate -> refit -> compare of a schedule (mixwise.service.schedules)
register_handler(SCHEDULE_RUN, run_schedule_job)

REFRESH = "refresh"
register_handler(REFRESH, run_refresh_job)


def local_workers(store: Store, n: int) -> Executor:
    """``n`` supervised worker processes on this machine that run the service's job kinds;
    with ``MIXWISE_EXECUTOR=ray``, ``n`` Ray actors on the cluster at ``RAY_ADDRESS`` (or a
    local one) instead (:mod:`mixwise.jobs.ray_executor`, docs/scaling.md)."""
    if os.environ.get("MIXWISE_EXECUTOR", "local").strip().lower() == "ray":
        from mixwise.jobs.ray_executor import RayExecutor

        return RayExecutor(store, n, preload=(__name__,))
    return LocalProcessExecutor(store, n, preload=(__name__,))


def run_worker(max_jobs: int | None = None) -> int:
    """Run jobs in this process until SIGTERM/SIGINT (or ``max_jobs``); returns jobs run."""
    return run_worker_process(max_jobs=max_jobs)
