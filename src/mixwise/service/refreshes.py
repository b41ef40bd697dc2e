"""Refresh use cases of stored models: ``POST /models/{id}/refresh`` (a ``refresh`` job on the
queue, :mod:`mixwise.service.refresh_job`) and ``GET /models/{id}/accuracy`` (the backtests
across the model's refresh chain: each refresh's parent scored on the periods it added)."""

from __future__ import annotations

import json

from mixwise.service import datasets
from mixwise.service.access import Principal
from mixwise.service.errors import Conflict
from mixwise.service.models import _charge_and_queue, _FitRow, model_row
from mixwise.service.refresh import check_channels
from mixwise.service.results import fit_result, result_dir
from mixwise.service.schemas.models import (
    AccuracyOut,
    AccuracyPoint,
    ModelDetail,
    RefreshIn,
)
from mixwise.service.schemas.results import BacktestOut
from mixwise.store.db import Store

MAX_CHAIN = 200
"""The longest refresh chain the accuracy series follows (a guard against a cycle)."""


def refresh_model(
    store: Store,
    workspace_id: str,
    model_id: str,
    body: RefreshIn,
    by: Principal | None = None,
    idempotency_key: str | None = None,
) -> ModelDetail:
    """Validate the refresh (the new data against the mapping, every channel of the parent
    present: a 4xx now, not a failed job) and queue it; a new model answers ``queued``."""
    parent = model_row(store, workspace_id, model_id)
    previous = fit_result(store, workspace_id, model_id)  # Conflict while it has no result
    row = datasets._row(store, workspace_id, body.dataset_id)
    mapping = datasets.parse_mapping(body.mapping) if body.mapping else None
    text = mapping.to_yaml() if mapping else parent.mapping
    dataset = datasets.load(store, workspace_id, row.id, mapping or datasets.parse_mapping(text))
    check_channels(previous, dataset)
    if dataset.dates[-1] <= previous.dates[-1]:
        raise Conflict(
            f"dataset {row.name!r} ends on {dataset.dates[-1].date()}, not after the model's "
            f"last period ({previous.dates[-1].date()}): there is nothing new to refresh on",
            "Upload the history plus the new periods.",
        )
    fit = _FitRow(row, text, parent.spec, parent.seed, parent_id=parent.id)
    name = body.name or f"{parent.name} (refreshed to {dataset.dates[-1].date()})"
    return _charge_and_queue(store, workspace_id, fit, parent.engine, name, by, idempotency_key)


def model_accuracy(store: Store, workspace_id: str, model_id: str) -> AccuracyOut:
    """The model and its ancestors (through each result's ``provenance.parent``), oldest
    first, each with the backtest its refresh recorded."""
    points: list[AccuracyPoint] = []
    current: str | None = model_id
    while current and len(points) < MAX_CHAIN:
        folder = result_dir(store, workspace_id, current)
        summary = json.loads((folder / "summary.json").read_text())
        provenance = json.loads((folder / "provenance.json").read_text())
        parent = provenance.get("parent")
        backtest = summary.get("backtest")
        points.append(
            AccuracyPoint(
                model_id=current,
                name=model_row(store, workspace_id, current).name,
                parent_id=parent,
                data_end=summary["periods"]["end"],
                backtest=BacktestOut.model_validate(backtest) if backtest else None,
            )
        )
        current = parent if parent and not parent.startswith("/") else None
    return AccuracyOut(model_id=model_id, points=points[::-1])
