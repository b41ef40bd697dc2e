"""The ``fit`` job: load the model's dataset, fit it, save the FitResult, publish it
(through :func:`mixwise.service.fitting.fit_and_save`, as ``mixwise fit`` does).

The result is written to a fresh directory per attempt (``models/<ws>/<model>/<job>-<attempt>``)
by a rename from the artifact store's temp area, and the model row points at it only in the
transaction that marks the job succeeded: a reader never sees a half-written result, and a
result of an attempt that lost its job is removed instead of published.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from mixwise.data.dataset import MMMDataset
from mixwise.data.mapping import Mapping
from mixwise.errors import MixwiseError
from mixwise.jobs.context import JobContext
from mixwise.model.result import FitResult
from mixwise.model.spec import ModelSpec
from mixwise.service import datasets
from mixwise.service.fitting import fit_and_save
from mixwise.service.tracking import Track, registered_name
from mixwise.store.models import Dataset, Model


def run_fit_job(ctx: JobContext) -> None:
    """Handler of ``fit`` jobs (payload ``{"model_id": ...}``)."""
    store = ctx.store
    with store.session() as s:
        model = s.get(Model, ctx.payload["model_id"])
        if model is None:
            raise MixwiseError("the model was deleted before its fit started")
        dataset = s.get(Dataset, model.dataset_id) if model.dataset_id else None
        if dataset is None:
            raise MixwiseError("the model's dataset was deleted", "Upload the data again.")
    rel = f"models/{ctx.workspace_id}/{model.id}/{ctx.job_id}-{ctx.attempt}"

    def load() -> MMMDataset:
        ctx.progress("loading", 0.0, f"reading {dataset.filename}")
        mapping = Mapping.from_dict(_yaml(model.mapping), origin="the model's mapping")
        # under the server's read limits; errors name the user's file, never a server path
        return datasets.load(store, ctx.workspace_id, dataset.id, mapping)

    def save(result: FitResult) -> Path:
        store.artifacts.write_dir(rel, result.save)
        ctx.on_discard(lambda: store.artifacts.delete(rel))
        return store.artifacts.path(rel)

    fit_and_save(
        load,
        ModelSpec.from_yaml(model.spec, origin="the model's spec"),
        save,
        engine=model.engine,
        seed=model.seed,
        progress=ctx.progress,
        log=ctx.log,
        track=Track(
            tags={"mixwise.workspace": ctx.workspace_id, "mixwise.model": model.id},
            register_as=registered_name(ctx.workspace_id, model.id),
            settings=store.settings,
        ),
    )

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
