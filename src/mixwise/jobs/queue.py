"""The durable job queue: enqueue, claim, heartbeat, finish, cancel, reclaim.

Claiming is atomic. PostgreSQL: candidates are locked with ``FOR UPDATE SKIP LOCKED`` (two
workers never get the same job and never wait on each other), then the workspace row is locked
``FOR UPDATE`` while its running jobs are counted, which makes the per-workspace limit exact.
SQLite: one conditional ``UPDATE ... WHERE id = ? AND status = 'queued' AND (running jobs of
the workspace) < limit``; SQLite runs a statement under its single write lock, so the check and
the claim cannot interleave with another writer.

Every state change after the claim is conditional on ``worker_id`` and ``status = 'running'``:
a worker that lost its job (reclaimed after a stale heartbeat) can no longer finish it.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from mixwise.store.db import Store
from mixwise.store.models import Job, JobLog, Model, Workspace, new_id, utcnow

QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED = (
    "queued",
    "running",
    "succeeded",
    "failed",
    "cancelled",
)
TERMINAL = frozenset({SUCCEEDED, FAILED, CANCELLED})


@dataclass(frozen=True)
class Beat:
    """What a heartbeat learned: whether the worker still owns the job, and whether the user
    asked to cancel it."""

    owned: bool
    cancel_requested: bool


def enqueue(
    session: Session,
    workspace_id: str,
    kind: str,
    payload: dict[str, Any],
    model_id: str | None = None,
    max_attempts: int = 2,
) -> Job:
    """Add a queued job (committed with the caller's transaction)."""
    job = Job(
        id=new_id("job"),
        workspace_id=workspace_id,
        kind=kind,
        payload=payload,
        model_id=model_id,
        max_attempts=max_attempts,
        status=QUEUED,
        stage="queued",
        message="waiting for a worker",
    )
    session.add(job)
    session.flush()
    return job


def claim(store: Store, worker_id: str, limit_per_workspace: int | None = None) -> Job | None:
    """Take the oldest queued job whose workspace is under its limit; ``None`` if there is none."""
    limit = limit_per_workspace or store.settings.workspace_jobs
    with store.session() as s:
        if store.dialect == "postgresql":
            job = _claim_postgres(s, worker_id, limit)
        else:
            job = _claim_sqlite(s, worker_id, limit)
        if job is not None:
            _sync_model(s, job)
            s.add(JobLog(job_id=job.id, message=f"claimed by a worker (attempt {job.attempts})"))
        return job


def _running_in(workspace_id: Any) -> Any:
    """Running jobs of a workspace (an alias of ``jobs``: ``workspace_id`` may be the outer
    query's column, but the count never correlates with the row being updated)."""
    other = aliased(Job)
    return (
        select(func.count(other.id))
        .where(other.workspace_id == workspace_id, other.status == RUNNING)
        .scalar_subquery()
    )


def _claimed_values(worker_id: str) -> dict[str, Any]:
    now = utcnow()
    return {
        "status": RUNNING,
        "worker_id": worker_id,
        "attempts": Job.attempts + 1,
        "started_at": now,
        "heartbeat_at": now,
        "progress_at": now,
        "stage": "starting",
        "fraction": 0.0,
        "message": "starting",
    }


def _claim_postgres(s: Session, worker_id: str, limit: int) -> Job | None:
    full: set[str] = set()
    for _ in range(10):
        query = select(Job.id, Job.workspace_id).where(
            Job.status == QUEUED,
            Job.cancel_requested.is_(False),
            _running_in(Job.workspace_id) < limit,
        )
        if full:
            query = query.where(Job.workspace_id.not_in(full))
        row = s.execute(
            query.order_by(Job.created_at, Job.id).limit(1).with_for_update(skip_locked=True)
        ).first()
        if row is None:
            return None
        job_id, workspace_id = row
        # serialise claimers of one workspace, then count again: the limit is exact
        s.execute(select(Workspace.id).where(Workspace.id == workspace_id).with_for_update())
        if s.execute(select(_running_in(workspace_id))).scalar_one() >= limit:
            full.add(workspace_id)
            continue
        s.execute(update(Job).where(Job.id == job_id).values(**_claimed_values(worker_id)))
        return s.get(Job, job_id, populate_existing=True)
    return None


def _claim_sqlite(s: Session, worker_id: str, limit: int) -> Job | None:
    candidates = s.execute(
        select(Job.id, Job.workspace_id)
        .where(Job.status == QUEUED, Job.cancel_requested.is_(False))
        .order_by(Job.created_at, Job.id)
        .limit(20)
    ).all()
    for job_id, workspace_id in candidates:
        done = s.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == QUEUED, _running_in(workspace_id) < limit)
            .values(**_claimed_values(worker_id))
            .execution_options(synchronize_session=False)
        )
        if done.rowcount == 1:  # type: ignore[attr-defined]
            return s.get(Job, job_id, populate_existing=True)
    return None


def heartbeat(
    store: Store,
    job_id: str,
    worker_id: str,
    progress: tuple[str, float, str] | None = None,
    logs: list[tuple[str, str]] | None = None,
) -> Beat:
    """Prove the worker is alive; store the latest progress and log lines (``(level, text)``)."""
    now = utcnow()
    values: dict[str, Any] = {"heartbeat_at": now}
    if progress is not None:
        stage, fraction, message = progress
        values |= {
            "stage": stage[:60],
            "fraction": max(0.0, min(1.0, float(fraction))),
            "message": message,
            "progress_at": now,
        }
    with store.session() as s:
        done = s.execute(
            update(Job)
            .where(Job.id == job_id, Job.worker_id == worker_id, Job.status == RUNNING)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        owned = done.rowcount == 1  # type: ignore[attr-defined]
        if owned and logs:
            s.add_all(JobLog(job_id=job_id, level=lvl, message=msg[:4000]) for lvl, msg in logs)
        cancel = s.execute(select(Job.cancel_requested).where(Job.id == job_id)).scalar()
    return Beat(owned=owned, cancel_requested=bool(cancel))


def finish(
    session: Session,
    job_id: str,
    worker_id: str,
    status: str,
    error: tuple[str, str, str] | None = None,
    message: str = "",
) -> bool:
    """Move a running job owned by ``worker_id`` to ``status`` in the caller's transaction.

    ``error`` is ``(code, message, hint)``. Returns False (and changes nothing) when the worker
    no longer owns the job; the caller must then roll back whatever it was about to publish.
    """
    assert status in TERMINAL
    values: dict[str, Any] = {
        "status": status,
        "finished_at": utcnow(),
        "stage": status,
        "message": message or status,
    }
    if status == SUCCEEDED:
        values["fraction"] = 1.0
    if error is not None:
        values |= {"error_code": error[0], "error_message": error[1], "error_hint": error[2]}
    done = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker_id == worker_id, Job.status == RUNNING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return False
    job = session.get(Job, job_id, populate_existing=True)
    assert job is not None
    _sync_model(session, job)
    session.add(
        JobLog(
            job_id=job_id,
            level="error" if error else "info",
            message=f"{status}" + (f": {error[1]}" if error else ""),
        )
    )
    return True


def requeue_own(store: Store, job_id: str, worker_id: str, reason: str) -> bool:
    """Give a running job back to the queue without using up an attempt (worker shutdown)."""
    with store.session() as s:
        done = s.execute(
            update(Job)
            .where(Job.id == job_id, Job.worker_id == worker_id, Job.status == RUNNING)
            .values(
                status=QUEUED,
                worker_id=None,
                attempts=Job.attempts - 1,
                stage="queued",
                fraction=0.0,
                message=reason,
            )
            .execution_options(synchronize_session=False)
        )
        ok = done.rowcount == 1  # type: ignore[attr-defined]
        if ok:
            job = s.get(Job, job_id, populate_existing=True)
            assert job is not None
            _sync_model(s, job)
            s.add(JobLog(job_id=job_id, level="warning", message=reason))
        return ok


def request_cancel(session: Session, job: Job) -> None:
    """Cancel a queued job now; ask the worker of a running job to stop (it reports back)."""
    if job.status in TERMINAL:
        return
    job.cancel_requested = True
    if job.status == QUEUED:
        job.status, job.stage, job.message = CANCELLED, CANCELLED, "cancelled before it started"
        job.finished_at = utcnow()
        _sync_model(session, job)
    session.add(JobLog(job_id=job.id, level="warning", message="cancel requested"))


def _sync_model(session: Session, job: Job) -> None:
    if job.model_id is None:
        return
    values: dict[str, Any] = {"status": job.status}
    if job.status in TERMINAL:
        values["finished_at"] = job.finished_at or utcnow()
    session.execute(
        update(Model)
        .where(Model.id == job.model_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def reclaim(store: Store, job_ids: list[str], reason: str) -> dict[str, str]:
    """Re-queue (attempts left) or fail (none left) the given running jobs; ``id -> status``."""
    out: dict[str, str] = {}
    with store.session() as s:
        for job in s.scalars(select(Job).where(Job.id.in_(job_ids), Job.status == RUNNING)):
            if job.cancel_requested:
                job.status, msg = CANCELLED, f"{reason}; it had been cancelled"
            elif job.attempts < job.max_attempts:
                job.status, msg = QUEUED, f"{reason}; re-queued (attempt {job.attempts} of "
                msg += f"{job.max_attempts} used)"
            else:
                job.status, msg = FAILED, f"{reason}; no attempts left"
                job.error_code, job.error_message = "worker_died", msg
                job.error_hint = "Start the fit again; if it keeps failing, fit with fewer draws."
            job.worker_id = None if job.status == QUEUED else job.worker_id
            job.stage, job.message = job.status, msg
            job.finished_at = utcnow() if job.status != QUEUED else None
            _sync_model(s, job)
            s.add(JobLog(job_id=job.id, level="warning", message=msg))
            out[job.id] = job.status
    return out


def reclaim_stale(store: Store, stale_after_s: float | None = None) -> dict[str, str]:
    """Reclaim running jobs whose heartbeat is older than ``stale_after_s``, and jobs of dead
    worker processes on this host (their pid is gone)."""
    stale = stale_after_s if stale_after_s is not None else store.settings.stale_after_s
    cutoff: datetime = utcnow() - timedelta(seconds=stale)
    with store.session() as s:
        rows = s.execute(
            select(Job.id, Job.worker_id, Job.heartbeat_at).where(Job.status == RUNNING)
        ).all()
    ids = [i for i, w, hb in rows if (hb is None or hb < cutoff) or _dead_here(w)]
    return reclaim(store, ids, "the worker stopped responding") if ids else {}


def release_worker(
    store: Store, worker_id: str, reason: str = "the worker process died"
) -> dict[str, str]:
    """Reclaim every running job of ``worker_id`` at once (its process is known to be gone)."""
    with store.session() as s:
        ids = list(
            s.scalars(select(Job.id).where(Job.worker_id == worker_id, Job.status == RUNNING))
        )
    return reclaim(store, ids, reason) if ids else {}


def new_worker_id(pid: int | None = None, token: str | None = None) -> str:
    """``host:pid:token``: unique, and says where the worker runs (for reclaiming)."""
    pid = os.getpid() if pid is None else pid
    return f"{socket.gethostname()}:{pid}:{token or os.urandom(3).hex()}"


def _dead_here(worker_id: str | None) -> bool:
    """True when ``worker_id`` names a process on this host that no longer exists."""
    if not worker_id or worker_id.count(":") < 2:
        return False
    host, pid, _ = worker_id.rsplit(":", 2)
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _is_zombie(int(pid))


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False
