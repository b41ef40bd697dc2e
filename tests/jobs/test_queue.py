"""The job queue on SQLite and PostgreSQL: atomic claims, the per-workspace limit, heartbeats,
ownership, cancel and reclaiming jobs of dead workers."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy import select, update

from mixwise.jobs import queue
from mixwise.store import Store
from mixwise.store.models import Job, JobLog, Model, Workspace, utcnow


def _workspaces(store: Store, *names: str) -> None:
    with store.session() as s:
        for n in names:
            s.add(Workspace(id=n, name=n))


def _enqueue(store: Store, ws: str, n: int = 1, **kw: object) -> list[str]:
    with store.session() as s:
        return [queue.enqueue(s, ws, "sleep", {"i": i}, **kw).id for i in range(n)]  # type: ignore[arg-type]


def test_concurrent_claims_never_share_a_job(store: Store) -> None:
    _workspaces(store, *(f"ws{i}" for i in range(10)))
    for i in range(10):
        _enqueue(store, f"ws{i}", 3)
    got: list[str] = []
    lock = threading.Lock()

    def claimer(k: int) -> None:
        while (job := queue.claim(store, f"w{k}", limit_per_workspace=100)) is not None:
            with lock:
                got.append(job.id)

    threads = [threading.Thread(target=claimer, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(got) == 30 and len(set(got)) == 30


def test_workspace_limit_is_exact_under_concurrency(store: Store) -> None:
    _workspaces(store, "a", "b")
    _enqueue(store, "a", 6)
    _enqueue(store, "b", 1)
    claimed: list[Job] = []
    lock = threading.Lock()

    def claimer(k: int) -> None:
        job = queue.claim(store, f"w{k}", limit_per_workspace=2)
        if job is not None:
            with lock:
                claimed.append(job)

    threads = [threading.Thread(target=claimer, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    per_ws = {w: sum(j.workspace_id == w for j in claimed) for w in ("a", "b")}
    assert per_ws == {"a": 2, "b": 1}
    assert all(j.status == "running" and j.attempts == 1 for j in claimed)


def test_oldest_job_first_and_heartbeat_records_progress(store: Store) -> None:
    _workspaces(store, "a")
    first, _second = _enqueue(store, "a", 2)
    job = queue.claim(store, "w1")
    assert job is not None and job.id == first
    beat = queue.heartbeat(store, first, "w1", ("sampling", 0.4, "chain 1"), [("info", "hello")])
    assert beat.owned and not beat.cancel_requested
    assert not queue.heartbeat(store, first, "someone-else").owned
    with store.session() as s:
        j = s.get(Job, first)
        assert j is not None and (j.stage, j.fraction, j.message) == ("sampling", 0.4, "chain 1")
        logs = s.scalars(select(JobLog.message).where(JobLog.job_id == first)).all()
        assert "hello" in logs


def test_finish_only_by_the_owner_and_model_status_follows(store: Store) -> None:
    _workspaces(store, "a")
    with store.session() as s:
        s.add(Model(id="m1", workspace_id="a", name="m", engine="bayesian", mapping="", spec=""))
        s.flush()
        job_id = queue.enqueue(s, "a", "fit", {}, model_id="m1").id
    queue.claim(store, "w1")
    with store.session() as s:
        assert s.get(Model, "m1").status == "running"  # type: ignore[union-attr]
        assert not queue.finish(s, job_id, "intruder", queue.SUCCEEDED)
        assert queue.finish(s, job_id, "w1", queue.FAILED, ("x", "went wrong", "try again"))
    with store.session() as s:
        job, model = s.get(Job, job_id), s.get(Model, "m1")
        assert job is not None and model is not None
        assert (job.status, job.error_code, job.error_hint) == ("failed", "x", "try again")
        assert model.status == "failed" and model.finished_at is not None


def test_cancel_a_queued_job_at_once_and_a_running_one_by_request(store: Store) -> None:
    _workspaces(store, "a")
    queued_id, running_id = _enqueue(store, "a", 2)
    with store.session() as s:
        queue.request_cancel(s, s.get(Job, queued_id))  # type: ignore[arg-type]
    job = queue.claim(store, "w1")
    assert job is not None and job.id == running_id  # the cancelled one is never claimed
    with store.session() as s:
        queue.request_cancel(s, s.get(Job, running_id))  # type: ignore[arg-type]
    assert queue.heartbeat(store, running_id, "w1").cancel_requested
    with store.session() as s:
        assert s.get(Job, queued_id).status == "cancelled"  # type: ignore[union-attr]
        assert s.get(Job, running_id).status == "running"  # type: ignore[union-attr]


def test_stale_job_is_requeued_then_failed_never_left_running(store: Store) -> None:
    _workspaces(store, "a")
    (job_id,) = _enqueue(store, "a", 1, max_attempts=2)
    for attempt, expected in ((1, "queued"), (2, "failed")):
        job = queue.claim(store, f"remote-host:1:{attempt}")
        assert job is not None and job.attempts == attempt
        with store.session() as s:
            s.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(heartbeat_at=utcnow() - timedelta(seconds=600))
            )
        assert queue.reclaim_stale(store, stale_after_s=60) == {job_id: expected}
    with store.session() as s:
        job = s.get(Job, job_id)
        assert job is not None and job.error_code == "worker_died" and job.finished_at


def test_fresh_heartbeat_is_not_reclaimed(store: Store) -> None:
    _workspaces(store, "a")
    _enqueue(store, "a")
    queue.claim(store, "remote-host:1:x")
    assert queue.reclaim_stale(store, stale_after_s=60) == {}


def test_dead_local_pid_is_reclaimed_at_once(store: Store) -> None:
    import subprocess
    import sys

    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    _workspaces(store, "a")
    (job_id,) = _enqueue(store, "a")
    queue.claim(store, queue.new_worker_id(p.pid, "t"))
    assert queue.reclaim_stale(store, stale_after_s=3600) == {job_id: "queued"}


def test_release_worker_and_requeue_own(store: Store) -> None:
    _workspaces(store, "a")
    a, b = _enqueue(store, "a", 2)
    queue.claim(store, "w1")
    queue.claim(store, "w2")
    assert queue.release_worker(store, "w1") == {a: "queued"}
    assert queue.requeue_own(store, b, "w2", "shutting down")
    with store.session() as s:
        jb = s.get(Job, b)
        assert jb is not None and jb.status == "queued" and jb.attempts == 0
    time.sleep(0.01)
