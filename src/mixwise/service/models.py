"""Model (fit) use cases: create (validate, then queue a fit job), read, follow, cancel, delete.

Creating a model checks everything that can be checked before fitting (the data against the
mapping, the spec, the engine name) so that a user mistake is a 4xx now, not a failed job later.
"""

from __future__ import annotations

from typing import Any

import yaml
from sqlalchemy import select

from mixwise.jobs import queue
from mixwise.model.spec import ModelSpec
from mixwise.service import datasets
from mixwise.service.errors import NotFound
from mixwise.service.fitting import check_engine
from mixwise.service.jobs import FIT
from mixwise.service.result_cache import forget
from mixwise.service.schemas.common import ErrorOut
from mixwise.service.schemas.models import JobOut, LogLine, LogsOut, ModelDetail, ModelIn, ModelOut
from mixwise.store.db import Store
from mixwise.store.models import Job, JobLog, Model, new_id, utcnow

MIN_FRACTION_FOR_ETA = 0.02


def parse_spec(spec: str | dict[str, Any] | ModelSpec | None) -> ModelSpec:
    """A :class:`ModelSpec` from YAML text, data or nothing (the defaults)."""
    if spec is None or isinstance(spec, ModelSpec):
        return spec or ModelSpec()
    if isinstance(spec, str):
        return ModelSpec.from_yaml(spec) if spec.strip() else ModelSpec()
    return ModelSpec.from_dict(spec)


def create_model(store: Store, workspace_id: str, body: ModelIn) -> ModelDetail:
    """Validate the request and queue its fit; the model answers ``queued`` at once."""
    check_engine(body.engine)
    spec = parse_spec(body.spec)
    row = datasets._row(store, workspace_id, body.dataset_id)
    mapping = datasets.parse_mapping(body.mapping) if body.mapping else datasets._effective(row)
    dataset = datasets.load(store, workspace_id, row.id, mapping)  # ValidationFailed -> 422
    check_engine(body.engine, spec, dataset)
    model_id = new_id("md")
    with store.session() as s:
        s.add(
            Model(
                id=model_id,
                workspace_id=workspace_id,
                dataset_id=row.id,
                name=body.name or f"{row.name} ({body.engine})",
                engine=body.engine,
                mapping=mapping.to_yaml(),
                spec=spec.to_yaml(),
                seed=body.seed,
                status=queue.QUEUED,
            )
        )
        s.flush()
        queue.enqueue(
            s,
            workspace_id,
            FIT,
            {"model_id": model_id},
            model_id=model_id,
            max_attempts=store.settings.job_attempts,
        )
    return get_model(store, workspace_id, model_id)


def model_row(store: Store, workspace_id: str, model_id: str) -> Model:
    with store.session() as s:
        m = s.get(Model, model_id)
        if m is None or m.workspace_id != workspace_id:
            raise NotFound("model", model_id)
        return m


def _latest_jobs(s: Any, model_ids: list[str]) -> dict[str, Job]:
    jobs = s.scalars(select(Job).where(Job.model_id.in_(model_ids)).order_by(Job.created_at))
    return {j.model_id: j for j in jobs}  # the newest wins


def job_out(job: Job) -> JobOut:
    eta = None
    if job.status == queue.RUNNING and job.started_at and job.fraction >= MIN_FRACTION_FOR_ETA:
        elapsed = (utcnow() - job.started_at).total_seconds()
        eta = max(0.0, elapsed * (1 - job.fraction) / job.fraction)
    error = None
    if job.error_code:
        error = ErrorOut(
            code=job.error_code, message=job.error_message or "", hint=job.error_hint or ""
        )
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        stage=job.stage,
        fraction=job.fraction,
        message=job.message,
        eta_seconds=eta,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        cancel_requested=job.cancel_requested,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        error=error,
    )


def _approximate(spec_yaml: str) -> bool:
    """Whether the spec asks for a quick (ADVI, approximate) fit: ``sampler: {mode: quick}``."""
    try:
        doc = yaml.safe_load(spec_yaml) if spec_yaml else None
    except yaml.YAMLError:
        return False
    sampler = doc.get("sampler") if isinstance(doc, dict) else None
    return isinstance(sampler, dict) and sampler.get("mode") == "quick"


def _model_out(m: Model, job: Job | None, detail: bool = False) -> ModelOut:
    data: dict[str, Any] = dict(
        id=m.id,
        name=m.name,
        dataset_id=m.dataset_id,
        engine=m.engine,
        seed=m.seed,
        status=m.status,
        has_result=m.result_artifact is not None,
        approximate=_approximate(m.spec),
        created_at=m.created_at,
        finished_at=m.finished_at,
        job=job_out(job) if job else None,
    )
    if detail:
        return ModelDetail(**data, mapping=m.mapping, spec=m.spec)
    return ModelOut(**data)


def get_model(store: Store, workspace_id: str, model_id: str) -> ModelDetail:
    m = model_row(store, workspace_id, model_id)
    with store.session() as s:
        job = _latest_jobs(s, [m.id]).get(m.id)
    out = _model_out(m, job, detail=True)
    assert isinstance(out, ModelDetail)
    return out


def list_models(store: Store, workspace_id: str) -> list[ModelOut]:
    with store.session() as s:
        rows = s.scalars(
            select(Model)
            .where(Model.workspace_id == workspace_id)
            .order_by(Model.created_at.desc())
        ).all()
        jobs = _latest_jobs(s, [m.id for m in rows])
        return [_model_out(m, jobs.get(m.id)) for m in rows]


def cancel_model(store: Store, workspace_id: str, model_id: str) -> ModelDetail:
    """Cancel the model's fit: at once when queued, at the next progress report when running."""
    model_row(store, workspace_id, model_id)
    with store.session() as s:
        job = _latest_jobs(s, [model_id]).get(model_id)
        if job is not None:
            queue.request_cancel(s, job)
    return get_model(store, workspace_id, model_id)


def logs(
    store: Store, workspace_id: str, model_id: str, after: int = 0, limit: int = 500
) -> LogsOut:
    """Log lines of the model's latest job with ``id > after``."""
    model_row(store, workspace_id, model_id)
    with store.session() as s:
        job = _latest_jobs(s, [model_id]).get(model_id)
        if job is None:
            raise NotFound("job of model", model_id)
        lines = s.scalars(
            select(JobLog)
            .where(JobLog.job_id == job.id, JobLog.id > after)
            .order_by(JobLog.id)
            .limit(limit)
        ).all()
        out = [LogLine(id=ln.id, at=ln.at, level=ln.level, message=ln.message) for ln in lines]
    return LogsOut(job_id=job.id, lines=out, next_after=out[-1].id if out else after)


def delete_model(store: Store, workspace_id: str, model_id: str) -> None:
    """Delete a model, its jobs, scenarios and result (a running fit is cancelled first)."""
    cancel_model(store, workspace_id, model_id)
    m = model_row(store, workspace_id, model_id)
    with store.session() as s:
        row = s.get(Model, m.id)
        if row is not None:
            s.delete(row)
    if m.result_artifact:
        forget(store, m.result_artifact)
        store.artifacts.delete(m.result_artifact)
