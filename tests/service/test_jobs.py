"""The service's job kinds reach every process that runs jobs: ``fit`` is registered by
``mixwise.service.jobs`` (not named by the jobs layer), and the worker processes the service
starts preload it."""

from __future__ import annotations

import time

from mixwise.jobs import LocalProcessExecutor, queue
from mixwise.jobs.context import HANDLERS, get_handler
from mixwise.service import jobs as service_jobs
from mixwise.service.fit_job import run_fit_job
from mixwise.service.schedule_job import run_schedule_job
from mixwise.service.schedules import SCHEDULE_RUN
from mixwise.store import Store
from mixwise.store.models import Job, Workspace


def _failed_fit(store: Store, executor: LocalProcessExecutor) -> Job:
    """Run a fit job for a model that does not exist in ``executor``'s worker; the failed job."""
    with store.session() as s:
        s.add(Workspace(id="ws", name="ws"))
        s.flush()
        job_id = queue.enqueue(s, "ws", service_jobs.FIT, {"model_id": "gone"}, max_attempts=1).id
    executor.start()
    try:
        deadline = time.monotonic() + 120
        while True:
            with store.session() as s:
                job = s.get(Job, job_id)
                assert job is not None
                if job.status == queue.FAILED:
                    return job
            assert time.monotonic() < deadline, f"the job is still {job.status}"
            time.sleep(0.2)
    finally:
        executor.stop()


def test_the_service_registers_fit_and_jobs_names_no_upper_layer() -> None:
    assert get_handler(service_jobs.FIT) is run_fit_job
    assert get_handler(SCHEDULE_RUN) is run_schedule_job
    assert not [t for t in HANDLERS.values() if isinstance(t, str) and "service" in t]


def test_service_worker_processes_run_fit_jobs(store: Store) -> None:
    job = _failed_fit(store, service_jobs.local_workers(store, 1))
    assert job.error_code == "mixwise_error"  # the fit handler ran (and found no model)
    assert "deleted" in (job.error_message or "")


def test_a_worker_that_preloads_nothing_has_no_fit_handler(store: Store) -> None:
    job = _failed_fit(store, LocalProcessExecutor(store, 1))
    assert job.error_code == "internal_error"
    assert "no handler for job kind 'fit'" in (job.error_message or "")
