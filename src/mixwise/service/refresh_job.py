"""The ``refresh`` job: the parent model's result refreshed on the new model's dataset
(:func:`mixwise.service.refresh.refresh_result`, as ``mixwise refresh`` does), published like a
fit (:mod:`mixwise.service.fit_job`: a fresh directory per attempt, the model row points at it
only when the job succeeded, so a failed refresh leaves the parent the current model)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from mixwise.data.mapping import Mapping
from mixwise.errors import MixwiseError
from mixwise.jobs.context import JobContext
from mixwise.model.result import FitResult
from mixwise.service import datasets
from mixwise.service.refresh import write_refresh
from mixwise.service.result_cache import cached_result
from mixwise.store.models import Dataset, Model


def run_refresh_job(ctx: JobContext) -> None:
    """Handler of ``refresh`` jobs (payload ``{"model_id": new, "parent_id": previous}``)."""
    from mixwise.service.refresh import refresh_result

    store = ctx.store
    with store.session() as s:
        model = s.get(Model, ctx.payload["model_id"])
        parent = s.get(Model, ctx.payload["parent_id"])
        if model is None or parent is None or parent.result_artifact is None:
            raise MixwiseError("the model or its parent was deleted before the refresh started")
        dataset = s.get(Dataset, model.dataset_id) if model.dataset_id else None
        if dataset is None:
            raise MixwiseError("the model's dataset was deleted", "Upload the data again.")
    rel = f"models/{ctx.workspace_id}/{model.id}/{ctx.job_id}-{ctx.attempt}"
    previous = cached_result(store, parent.result_artifact)
    ctx.progress("loading", 0.0, f"reading {dataset.filename}")
    mapping = Mapping.from_dict(_yaml(model.mapping), origin="the model's mapping")
    data = datasets.load(store, ctx.workspace_id, dataset.id, mapping)

    def save(result: FitResult, document: dict[str, Any]) -> None:
        store.artifacts.write_dir(rel, lambda folder: write_refresh(folder, result, document))
        ctx.on_discard(lambda: store.artifacts.delete(rel))

    refresh_result(previous, parent.id, data, save, progress=ctx.progress, log=ctx.log)

    def publish(s: Session) -> None:
        s.execute(
            update(Model)
            .where(Model.id == model.id)
            .values(result_artifact=rel)
            .execution_options(synchronize_session=False)
        )

    ctx.on_success(publish)


def _yaml(text: str) -> object:
    import yaml

    return yaml.safe_load(text)
