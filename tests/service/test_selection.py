"""Choosing another Pareto model of a stored ridge fit (``POST /models/{id}/select``)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from mixwise.errors import MixwiseError
from mixwise.jobs import Worker
from mixwise.service import datasets, models, results, selection, workspaces
from mixwise.service import jobs as _service_jobs  # noqa: F401  (registers the fit job)
from mixwise.service.schemas.datasets import MappingIn
from mixwise.service.schemas.models import ModelIn
from mixwise.store import Store

REPO = Path(__file__).resolve().parents[2]
CSV = REPO.parent / "shared" / "datasets" / "pymc_marketing_mmm_example.csv"
MAPPING = REPO / "examples" / "mappings" / "pymc_marketing_mmm_example.yaml"
SPEC = {"ridge": {"trials": 1, "iterations": 120, "bootstrap_draws": 20, "seed": 3}}


def _dataset(store: Store, ws: str) -> str:
    with CSV.open("rb") as fh:
        ds = datasets.upload(store, ws, "example.csv", fh)
    datasets.set_mapping(store, ws, ds.id, MappingIn(yaml=MAPPING.read_text()))
    return ds.id


def test_select_replaces_a_stored_result_whole(store: Store) -> None:
    ws = workspaces.ensure_workspace(store, "acme").id
    m = models.create_model(
        store, ws, ModelIn(dataset_id=_dataset(store, ws), engine="ridge", spec=SPEC)
    )
    Worker(store, poll_s=0.05).run(threading.Event(), max_jobs=1)
    before = results.summary(store, ws, m.id)
    assert before.interval_kind == "bootstrap" and before.pareto is not None
    # the API's Pareto schemas carry summary.json's pareto whole (a schema drops unknown keys)
    raw = json.loads((results.result_dir(store, ws, m.id) / "summary.json").read_text())
    assert before.pareto.model_dump(mode="json") == raw["pareto"]
    old = results.model_artifact(store, ws, m.id)
    other = next(x.id for x in before.pareto.models if x.id != before.chosen_model)
    after = selection.select_stored_model(store, ws, m.id, other)
    assert after.chosen_model == other
    assert results.summary(store, ws, m.id).chosen_model == other
    assert results.model_artifact(store, ws, m.id) != old
    assert not store.artifacts.path(old).exists()
    stored = results.fit_result(store, ws, m.id)
    assert stored.extras["pareto"]["chosen_model"] == other
    # every bootstrap draw now carries the picked model's hyperparameters (Hill alpha = slope)
    picked = next(x for x in stored.extras["pareto"]["models"] if x["id"] == other)
    for ch in stored.channels:
        slope = stored.params["saturation_slope"].sel(channel=ch).values
        np.testing.assert_array_equal(slope, picked["hyperparameters"][f"{ch}_alpha"])
    with pytest.raises(MixwiseError, match="no Pareto model"):
        selection.select_stored_model(store, ws, m.id, "9_9999")
