"""Schedules: refresh a workspace's current model on a cron expression.

A schedule names a cadence (``daily`` = ``0 6 * * *``, ``weekly`` = ``0 6 * * 1``, or any
five-field cron expression, read by croniter, times in UTC) and the model it keeps current.
:func:`tick` (``mixwise schedule tick``, from the system's cron or the server) enqueues a
``schedule_run`` job for each schedule that is due and has no run queued or running; the job
(:mod:`mixwise.service.schedule_job`) runs sync -> validate -> refit -> compare and moves the
schedule's model only when every step succeeded.
"""

from __future__ import annotations

from datetime import datetime

from croniter import croniter
from sqlalchemy import select
from sqlalchemy.orm import Session

from mixwise.errors import MixwiseError
from mixwise.jobs import queue
from mixwise.service.errors import Conflict, NotFound
from mixwise.service.schemas.connectors import ScheduleIn, ScheduleOut, ScheduleRunOut
from mixwise.store.connectors import Schedule, ScheduleRun
from mixwise.store.db import Store
from mixwise.store.models import Job, JobLog, Model, new_id, utcnow

SCHEDULE_RUN = "schedule_run"
"""The job kind (registered in :mod:`mixwise.service.jobs`)."""

CADENCES = {"daily": "0 6 * * *", "weekly": "0 6 * * 1"}
STEPS = ("sync", "validate", "refit", "compare")


def cron_expression(text: str) -> str:
    """``daily`` / ``weekly`` or a valid five-field cron expression; an error names it."""
    expr = CADENCES.get(text.strip().lower(), text.strip())
    if len(expr.split()) != 5 or not croniter.is_valid(expr):
        raise MixwiseError(
            f"cron: '{text}' is not daily, weekly or a cron expression",
            "Use daily, weekly, or five fields: minute hour day-of-month month weekday "
            "(e.g. '0 6 * * 1' for Mondays at 06:00 UTC).",
        )
    return expr


def next_run(expr: str, after: datetime) -> datetime:
    """The first time after ``after`` (naive UTC) that ``expr`` fires."""
    nxt: datetime = croniter(expr, after).get_next(datetime)
    return nxt


def _current_model(s: Session, workspace_id: str, model_id: str | None) -> str:
    if model_id:
        m = s.get(Model, model_id)
        if m is None or m.workspace_id != workspace_id:
            raise NotFound("model", model_id)
        return m.id
    latest = s.scalars(
        select(Model)
        .where(Model.workspace_id == workspace_id, Model.result_artifact.is_not(None))
        .order_by(Model.created_at.desc())
    ).first()
    if latest is None:
        raise MixwiseError(
            "the workspace has no fitted model for the schedule to refresh",
            "Fit a model on the connectors' data first (mixwise connect export), or give --model.",
        )
    return latest.id


def create(store: Store, workspace_id: str, body: ScheduleIn) -> ScheduleOut:
    expr = cron_expression(body.cron)
    with store.session() as s:
        exists = s.scalars(
            select(Schedule).where(
                Schedule.workspace_id == workspace_id, Schedule.name == body.name
            )
        ).first()
        if exists is not None:
            raise Conflict(f"a schedule named '{body.name}' exists", "Remove it first.")
        row = Schedule(
            id=new_id("sch"),
            workspace_id=workspace_id,
            name=body.name,
            cron=expr,
            model_id=_current_model(s, workspace_id, body.model_id),
            enabled=True,
            next_run_at=next_run(expr, utcnow()),
        )
        s.add(row)
        s.flush()
        return _out(s, row, 0)


def _row(s: Session, workspace_id: str, name: str) -> Schedule:
    row = s.scalars(
        select(Schedule).where(
            Schedule.workspace_id == workspace_id, (Schedule.name == name) | (Schedule.id == name)
        )
    ).first()
    if row is None:
        raise NotFound("schedule", name)
    return row


def list_schedules(store: Store, workspace_id: str, runs: int = 5) -> list[ScheduleOut]:
    """The schedules with their last ``runs`` runs, newest first, each with its job's log."""
    with store.session() as s:
        rows = s.scalars(
            select(Schedule).where(Schedule.workspace_id == workspace_id).order_by(Schedule.name)
        ).all()
        return [_out(s, r, runs) for r in rows]


def remove(store: Store, workspace_id: str, name: str) -> None:
    with store.session() as s:
        s.delete(_row(s, workspace_id, name))


def run_now(store: Store, workspace_id: str, name: str) -> ScheduleRunOut:
    """Enqueue a run of schedule ``name`` now (refused while one is queued or running)."""
    with store.session() as s:
        row = _row(s, workspace_id, name)
        run = _enqueue(s, row)
        if run is None:
            raise Conflict(
                f"schedule '{row.name}' has a run queued or running",
                "Wait for it to finish (mixwise schedule list shows its step).",
            )
        return _run_out(s, run)


def tick(store: Store, now: datetime | None = None) -> list[str]:
    """Enqueue a run of every enabled schedule that is due; ids of the runs enqueued."""
    now = now or utcnow()
    started = []
    with store.session() as s:
        due = s.scalars(
            select(Schedule).where(Schedule.enabled.is_(True), Schedule.next_run_at <= now)
        ).all()
        for row in due:
            run = _enqueue(s, row)
            row.next_run_at = next_run(row.cron, now)
            if run is not None:
                started.append(run.id)
    return started


def _enqueue(s: Session, row: Schedule) -> ScheduleRun | None:
    busy = s.scalars(
        select(ScheduleRun).where(
            ScheduleRun.schedule_id == row.id, ScheduleRun.status.in_(["queued", "running"])
        )
    ).first()
    if busy is not None:
        return None
    run = ScheduleRun(
        id=new_id("srun"),
        schedule_id=row.id,
        workspace_id=row.workspace_id,
        status="queued",
        step="sync",
        previous_model_id=row.model_id,
        summary={},
    )
    s.add(run)
    s.flush()
    job = queue.enqueue(s, row.workspace_id, SCHEDULE_RUN, {"run_id": run.id}, max_attempts=1)
    run.job_id = job.id
    return run


def _run_out(s: Session, run: ScheduleRun) -> ScheduleRunOut:
    log: list[str] = []
    status = run.status
    if run.job_id:
        log = [
            f"{line.at:%Y-%m-%d %H:%M:%S} {line.level}: {line.message}"
            for line in s.scalars(
                select(JobLog).where(JobLog.job_id == run.job_id).order_by(JobLog.id)
            )
        ]
        job = s.get(Job, run.job_id)
        if job is not None and status in ("queued", "running"):
            status = job.status if job.status in ("queued", "running") else status
    out = ScheduleRunOut.model_validate(run)
    return out.model_copy(update={"log": log, "status": status})


def _out(s: Session, row: Schedule, runs: int) -> ScheduleOut:
    recent = s.scalars(
        select(ScheduleRun)
        .where(ScheduleRun.schedule_id == row.id)
        .order_by(ScheduleRun.created_at.desc(), ScheduleRun.id.desc())
        .limit(runs)
    ).all()
    out = ScheduleOut.model_validate(row)
    return out.model_copy(update={"runs": [_run_out(s, r) for r in recent]})
