"""Model (fit) use cases: create (validate, then queue a fit job), read, follow, cancel, delete.

Creating a model checks everything that can be checked before fitting (the data against the
mapping, the spec, the engine name) so that a user mistake is a 4xx now, not a failed job later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from sqlalchemy import select

from mixwise.jobs import queue
from mixwise.model.spec import ModelSpec
from mixwise.service import billing, datasets
from mixwise.service.access import Principal
from mixwise.service.errors import NotFound
from mixwise.service.fitting import ALL_ENGINES, check_engine, check_engines, resolve_engines
from mixwise.service.jobs import FIT, REFRESH
from mixwise.service.result_cache import forget
from mixwise.service.schemas.common import ErrorOut
from mixwise.service.schemas.models import (
    JobOut,
    LogLine,
    LogsOut,
    ModelDetail,
    ModelIn,
    ModelOut,
    ModelsIn,
)
from mixwise.store.db import Store
from mixwise.store.models import Dataset, Job, JobLog, Model, new_id, utcnow

MIN_FRACTION_FOR_ETA = 0.02


def parse_spec(spec: str | dict[str, Any] | ModelSpec | None) -> ModelSpec:
    """A :class:`ModelSpec` from YAML text, data or nothing (the defaults)."""
    if spec is None or isinstance(spec, ModelSpec):
        return spec or ModelSpec()
    if isinstance(spec, str):
        return ModelSpec.from_yaml(spec) if spec.strip() else ModelSpec()
    return ModelSpec.from_dict(spec)


def create_model(
    store: Store,
    workspace_id: str,
    body: ModelIn,
    by: Principal | None = None,
    idempotency_key: str | None = None,
) -> ModelDetail:
    """Validate the request and queue its fit; the model answers ``queued`` at once.

    With ``by`` (an API request), a metered workspace is charged the fit's feature
    (:func:`billing.fit_feature`) once per ``idempotency_key``: a retry answers the first
    model instead of fitting again. A fit that fails through no fault of the user is refunded
    (:func:`billing.settle_refunds`)."""
    check_engine(body.engine)
    return _create(store, workspace_id, body, [body.engine], by, idempotency_key)[0]


def create_models(
    store: Store,
    workspace_id: str,
    body: ModelsIn,
    by: Principal | None = None,
    idempotency_key: str | None = None,
) -> list[ModelDetail]:
    """Fit every engine asked for (``engines``; every engine the server can run when null) on one
    dataset: everything is validated for every engine first, then one fit job per engine is
    queued (and charged as :func:`create_model` charges one; a retry with the same
    ``idempotency_key`` is charged once per engine); the models answer ``queued`` at once, in
    the order of ``engines``."""
    engines = resolve_engines(",".join(body.engines) if body.engines else ALL_ENGINES)
    return _create(store, workspace_id, body, engines, by, idempotency_key)


def _create(
    store: Store,
    workspace_id: str,
    body: ModelIn | ModelsIn,
    engines: list[str],
    by: Principal | None,
    idempotency_key: str | None,
) -> list[ModelDetail]:
    spec = parse_spec(body.spec)
    row = datasets._row(store, workspace_id, body.dataset_id)
    mapping = datasets.parse_mapping(body.mapping) if body.mapping else datasets._effective(row)
    dataset = datasets.load(store, workspace_id, row.id, mapping)  # ValidationFailed -> 422
    check_engines(engines, spec, dataset)
    fit = _FitRow(row, mapping.to_yaml(), spec.to_yaml(), body.seed)
    several = idempotency_key is not None and len(engines) > 1
    return [
        _charge_and_queue(
            store,
            workspace_id,
            fit,
            engine,
            _name(body, row.name, engine),
            by,
            f"{idempotency_key}:{engine}" if several else idempotency_key,
        )
        for engine in engines
    ]


@dataclass(frozen=True)
class _FitRow:
    """What every engine's fit of one request shares."""

    dataset: Dataset
    mapping: str
    spec: str
    seed: int | None
    parent_id: str | None = None
    """Set for a refresh: the model refreshed (a ``refresh`` job instead of a ``fit``)."""


def _charge_and_queue(
    store: Store,
    workspace_id: str,
    fit: _FitRow,
    engine: str,
    name: str,
    by: Principal | None,
    idempotency_key: str | None,
) -> ModelDetail:
    model_id = new_id("md")
    if by is None:
        _queue_fit(store, workspace_id, fit, engine, name, model_id)
        return get_model(store, workspace_id, model_id)
    paid = billing.charge(store, by, billing.fit_feature(engine), idempotency_key, model_id)
    if paid.replayed and paid.ref:
        return get_model(store, workspace_id, paid.ref)
    try:
        _queue_fit(store, workspace_id, fit, engine, name, model_id)
    except BaseException:
        billing.refund(store, workspace_id, paid.entry_id, "the fit could not be queued")
        raise
    return get_model(store, workspace_id, model_id)


def _queue_fit(
    store: Store, workspace_id: str, fit: _FitRow, engine: str, name: str, model_id: str
) -> None:
    with store.session() as s:
        s.add(
            Model(
                id=model_id,
                workspace_id=workspace_id,
                dataset_id=fit.dataset.id,
                name=name,
                engine=engine,
                mapping=fit.mapping,
                spec=fit.spec,
                seed=fit.seed,
                status=queue.QUEUED,
            )
        )
        s.flush()
        payload = {"model_id": model_id}
        if fit.parent_id:
            payload["parent_id"] = fit.parent_id
        queue.enqueue(
            s,
            workspace_id,
            REFRESH if fit.parent_id else FIT,
            payload,
            model_id=model_id,
            max_attempts=store.settings.job_attempts,
        )


def _name(body: ModelIn | ModelsIn, dataset_name: str, engine: str) -> str:
    """A single fit: its name, else ``<dataset> (<engine>)``; several: ``<name> (<engine>)``."""
    if isinstance(body, ModelIn) and body.name:
        return body.name
    return f"{body.name or dataset_name} ({engine})"


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
