"""Choosing another model of a ridge run: ``mixwise select RUN MODEL_ID`` and
``POST /models/{id}/select``.

A ridge fit keeps every Pareto model (``pareto.json``); selecting one refits its bootstrap
draws (same seed, draws and blocks as the fit, from ``ridge_problem.json``: no data needed) and
replaces the result whole or not at all, with ``summary.json``'s ``chosen_model`` updated. A run
folder is rewritten in place (atomically); a stored model gets a new result folder that its row
points at once complete (the old one is then removed), as a fit job publishes its result.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update

from mixwise.engines.ridge.engine import select_model
from mixwise.model.result import FitResult, check_result_dir, load_result
from mixwise.service import results
from mixwise.service.errors import Conflict
from mixwise.service.result_cache import forget, forget_folder
from mixwise.service.schemas.results import SummaryOut
from mixwise.service.tracking import Track, log_fit, registered_name
from mixwise.store.db import Store
from mixwise.store.models import Model, new_id


def select_run_model(run: str | Path, model_id: str) -> FitResult:
    """Make Pareto model ``model_id`` the chosen model of the ridge run folder ``run``."""
    path = check_result_dir(run)
    chosen = select_model(load_result(path), model_id)
    chosen.save(path)
    forget_folder(path)
    return chosen


def select_stored_model(
    store: Store, workspace_id: str, model_id: str, pareto_model: str
) -> SummaryOut:
    """Make Pareto model ``pareto_model`` the chosen model of a fitted ridge model."""
    old = results.model_artifact(store, workspace_id, model_id)
    chosen = select_model(results.fit_result(store, workspace_id, model_id), pareto_model)
    rel = f"models/{workspace_id}/{model_id}/{new_id('select')}"
    store.artifacts.write_dir(rel, chosen.save)
    with store.session() as s:
        moved = s.execute(
            update(Model)
            .where(Model.id == model_id, Model.result_artifact == old)
            .values(result_artifact=rel)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
    if not moved:
        store.artifacts.delete(rel)
        raise Conflict(
            "the model's result changed while another Pareto model was being chosen",
            "Read the model's summary again and choose again.",
        )
    forget(store, old)
    store.artifacts.delete(old)
    track = Track(
        kind="select",
        tags={
            "mixwise.workspace": workspace_id,
            "mixwise.model": model_id,
            "mixwise.pareto_model": pareto_model,
        },
        register_as=registered_name(workspace_id, model_id),
        settings=store.settings,
    )
    log_fit(chosen, engine="ridge", run_dir=store.artifacts.path(rel), track=track)
    return results.summary(store, workspace_id, model_id)
