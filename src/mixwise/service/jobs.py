"""The service's job kinds, registered with the job queue: ``fit`` (:mod:`mixwise.service.fit_job`).

Importing this module registers them. A process runs fit jobs only after importing it, so the
service starts workers through here: :func:`local_workers` (``mixwise serve``: worker processes
that preload this module) and :func:`run_worker` (``mixwise worker``: this process). In-process
executors (tests, notebooks) import it themselves.
"""

from __future__ import annotations

from mixwise.jobs import LocalProcessExecutor, register_handler
from mixwise.jobs.runner import run_worker_process
from mixwise.service.fit_job import run_fit_job
from mixwise.service.refresh_job import run_refresh_job
from mixwise.store.db import Store

FIT = "fit"

register_handler(FIT, run_fit_job)

REFRESH = "refresh"
register_handler(REFRESH, run_refresh_job)


def local_workers(store: Store, n: int) -> LocalProcessExecutor:
    """``n`` supervised worker processes on this machine that run the service's job kinds."""
    return LocalProcessExecutor(store, n, preload=(__name__,))


def run_worker(max_jobs: int | None = None) -> int:
    """Run jobs in this process until SIGTERM/SIGINT (or ``max_jobs``); returns jobs run."""
    return run_worker_process(max_jobs=max_jobs)
