"""Workers and executors: outcomes, publishing, cancel, and surviving a killed worker process."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mixwise.errors import MixwiseError
from mixwise.jobs import JobContext, LocalProcessExecutor, ThreadExecutor, Worker, queue
from mixwise.jobs.context import HANDLERS, register_handler
from mixwise.store import Store
from mixwise.store.models import Job, JobLog, Workspace


@pytest.fixture(autouse=True)
def _restore_handlers() -> object:
    saved = dict(HANDLERS)
    yield
    HANDLERS.clear()
    HANDLERS.update(saved)


def _submit(store: Store, kind: str, payload: dict[str, object], attempts: int = 2) -> str:
    with store.session() as s:
        if s.get(Workspace, "ws") is None:
            s.add(Workspace(id="ws", name="ws"))
            s.flush()
        return queue.enqueue(s, "ws", kind, payload, max_attempts=attempts).id


def _job(store: Store, job_id: str) -> Job:
    with store.session() as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def _wait(cond: Callable[[], bool], timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def _run_one(store: Store, job_id: str) -> Job:
    worker = Worker(store, poll_s=0.05)
    assert worker.run(threading.Event(), max_jobs=1) == 1
    return _job(store, job_id)


def test_success_publishes_in_the_same_transaction(store: Store) -> None:
    published: list[str] = []

    def handler(ctx: JobContext) -> None:
        ctx.progress("work", 0.5, "half way")
        ctx.log("a line for the user")
        ctx.on_success(
            lambda s: (
                published.append(ctx.job_id) or s.add(Workspace(id="made_by_job", name="made"))
            )
        )

    register_handler("t", handler)
    job = _run_one(store, _submit(store, "t", {}))
    assert job.status == "succeeded" and job.fraction == 1.0 and published == [job.id]
    with store.session() as s:
        assert s.get(Workspace, "made_by_job") is not None
        lines = s.scalars(select(JobLog.message).where(JobLog.job_id == job.id)).all()
    assert "work: half way" in lines and "a line for the user" in lines


def test_user_error_and_bug_are_failed_with_code_and_hint(store: Store) -> None:
    discarded: list[bool] = []

    def bad_input(ctx: JobContext) -> None:
        ctx.on_discard(lambda: discarded.append(True))
        raise MixwiseError("the data is odd", "fix the data")

    def bug(ctx: JobContext) -> None:
        raise ZeroDivisionError("division by zero")

    register_handler("bad", bad_input)
    register_handler("bug", bug)
    job = _run_one(store, _submit(store, "bad", {}))
    assert (job.status, job.error_code, job.error_message, job.error_hint) == (
        "failed",
        "mixwise_error",
        "the data is odd",
        "fix the data",
    )
    assert discarded == [True]
    job = _run_one(store, _submit(store, "bug", {}))
    assert job.status == "failed" and job.error_code == "internal_error"
    assert "ZeroDivisionError" in (job.error_message or "")


def test_failing_publish_fails_the_job_and_publishes_nothing(store: Store) -> None:
    def handler(ctx: JobContext) -> None:
        def publish(s: Session) -> None:
            s.add(Workspace(id="half", name="half"))
            raise RuntimeError("disk full")

        ctx.on_success(publish)

    register_handler("t", handler)
    job = _run_one(store, _submit(store, "t", {}))
    assert job.status == "failed" and "disk full" in (job.error_message or "")
    with store.session() as s:
        assert s.get(Workspace, "half") is None


def test_lost_job_is_not_published(store: Store) -> None:
    def handler(ctx: JobContext) -> None:
        queue.reclaim(ctx.store, [ctx.job_id], "simulated stale heartbeat")
        ctx.on_success(lambda s: s.add(Workspace(id="ghost", name="ghost")))

    register_handler("t", handler)
    job = _run_one(store, _submit(store, "t", {}))
    assert job.status == "queued"  # re-queued by the reclaim, not succeeded by the old worker
    with store.session() as s:
        assert s.get(Workspace, "ghost") is None


def test_cancel_stops_a_running_job(store: Store) -> None:
    ex = ThreadExecutor(store, n=1, poll_s=0.05)
    ex.start()
    try:
        job_id = _submit(store, "sleep", {"seconds": 60})
        _wait(lambda: _job(store, job_id).status == "running")
        with store.session() as s:
            queue.request_cancel(s, s.get(Job, job_id))  # type: ignore[arg-type]
        _wait(lambda: _job(store, job_id).status == "cancelled", timeout=20)
    finally:
        ex.stop()


def test_killed_worker_process_job_is_rerun_and_worker_replaced(store: Store) -> None:
    ex = LocalProcessExecutor(store, n=1, supervise_s=0.2)
    ex.start()
    try:
        job_id = _submit(store, "sleep", {"seconds": 3})
        _wait(lambda: _job(store, job_id).status == "running" and _job(store, job_id).fraction > 0)
        (pid,) = ex.pids()
        os.kill(pid, signal.SIGKILL)
        _wait(lambda: _job(store, job_id).status == "succeeded", timeout=90)
        job = _job(store, job_id)
        assert job.attempts == 2 and ex.alive() == 1 and ex.pids() != [pid]
    finally:
        ex.stop()
    assert ex.alive() == 0


def test_stopping_the_executor_gives_running_jobs_back(store: Store) -> None:
    ex = LocalProcessExecutor(store, n=1, supervise_s=0.2)
    ex.start()
    job_id = _submit(store, "sleep", {"seconds": 60})
    try:
        _wait(lambda: _job(store, job_id).fraction > 0)
    finally:
        ex.stop(timeout=20)
    job = _job(store, job_id)
    assert job.status == "queued" and job.attempts == 0
