"""The ``fit`` job: load the model's dataset, fit it, save the FitResult, publish it.

The result is written to a fresh directory per attempt (``models/<ws>/<model>/<job>-<attempt>``)
by a rename from the artifact store's temp area, and the model row points at it only in the
transaction that marks the job succeeded: a reader never sees a half-written result, and a
result of an attempt that lost its job is removed instead of published.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from mixwise.data.mapping import Mapping
from mixwise.data.pipeline import load_dataset
from mixwise.errors import MixwiseError
from mixwise.jobs.context import JobContext
from mixwise.model.spec import ModelSpec
from mixwise.progress import Progress
from mixwise.store.models import Dataset, Model

LOAD_SHARE, SAVE_SHARE = 0.03, 0.04
"""Parts of the progress bar for loading the data and saving the result (the fit gets the rest)."""


def _scaled(progress: Progress, start: float, width: float) -> Progress:
    def report(stage: str, fraction: float, message: str = "") -> None:
        progress(stage, start + width * max(0.0, min(1.0, fraction)), message)

    return report


def run_fit_job(ctx: JobContext) -> None:
    """Handler of ``fit`` jobs (payload ``{"model_id": ...}``)."""
    from mixwise.fitting import fit

    store = ctx.store
    with store.session() as s:
        model = s.get(Model, ctx.payload["model_id"])
        if model is None:
            raise MixwiseError("the model was deleted before its fit started")
        dataset = s.get(Dataset, model.dataset_id) if model.dataset_id else None
        if dataset is None:
            raise MixwiseError("the model's dataset was deleted", "Upload the data again.")
    ctx.progress("loading", 0.0, f"reading {dataset.filename}")
    data = load_dataset(
        store.artifacts.path(dataset.artifact),
        Mapping.from_dict(_yaml(model.mapping), origin="the model's mapping"),
    )
    spec = ModelSpec.from_yaml(model.spec, origin="the model's spec")
    ctx.log(
        f"fitting {data.n_periods} periods, channels {', '.join(data.channels)} "
        f"with the {model.engine} engine"
    )
    result = fit(
        data,
        spec,
        engine=model.engine,
        seed=model.seed,
        progress=_scaled(ctx.progress, LOAD_SHARE, 1 - LOAD_SHARE - SAVE_SHARE),
    )
    ctx.progress("saving", 1 - SAVE_SHARE, "saving the result")
    rel = f"models/{ctx.workspace_id}/{model.id}/{ctx.job_id}-{ctx.attempt}"
    with store.artifacts.temp_dir() as tmp:
        result.save(tmp / "result")
        store.artifacts.place_dir(tmp / "result", rel)
    ctx.on_discard(lambda: store.artifacts.delete(rel))

    def publish(s: Session) -> None:
        s.execute(
            update(Model)
            .where(Model.id == model.id)
            .values(result_artifact=rel)
            .execution_options(synchronize_session=False)
        )

    ctx.on_success(publish)
    ctx.progress("done", 1.0, "fitted")


def _yaml(text: str) -> object:
    import yaml

    return yaml.safe_load(text)
