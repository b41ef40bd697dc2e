"""A portfolio of independent models: ``mixwise portfolio fit DATA --mapping M --by brand,region``.

The table holds one series per cell of the ``by`` columns (e.g. brand x region); each cell's rows
(those columns dropped) are loaded with the same mapping and fitted on their own, to
``OUT/<brand>=<b>/<region>=<r>/`` (a run folder per cell, each logged to MLflow like any fit).
``portfolio.json`` in ``OUT`` lists the cells, their run folders and their fit scores.

``executor="local"`` fits the cells one after the other in this process; ``executor="ray"``
fits each cell as a Ray task (``RAY_ADDRESS`` or a local cluster), in parallel over the
cluster's CPUs. Both give the same results (each cell's fit is seeded).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from mixwise.data.loaders import read_table
from mixwise.data.mapping import Mapping
from mixwise.data.pipeline import load_dataset
from mixwise.errors import MixwiseError
from mixwise.files import write_json_atomic
from mixwise.model.spec import ModelSpec
from mixwise.service.fitting import check_run_target, fit_and_save

EXECUTORS = ("local", "ray")


def cells(frame: pd.DataFrame, by: Sequence[str]) -> list[tuple[dict[str, str], pd.DataFrame]]:
    """The cells of ``frame`` by the ``by`` columns: ``(labels, rows without those columns)``,
    sorted by label; a missing column is refused, naming it and the columns there are."""
    missing = [c for c in by if c not in frame.columns]
    if missing:
        raise MixwiseError(
            f"column {missing[0]!r} (--by) is not in the table",
            f"The table has: {', '.join(map(str, frame.columns))}.",
        )
    if not by:
        raise MixwiseError("no --by column given", "Name the cell columns, e.g. --by brand,region.")
    out = []
    for key, rows in frame.groupby(list(by), sort=True, dropna=False):
        values = key if isinstance(key, tuple) else (key,)
        labels = {c: str(v) for c, v in zip(by, values, strict=True)}
        out.append((labels, rows.drop(columns=list(by)).reset_index(drop=True)))
    return out


def cell_dir(out: Path, labels: dict[str, str]) -> Path:
    """``out/<col>=<value>/...`` (a value's path separators replaced)."""
    path = out
    for col, value in labels.items():
        path = path / f"{col}={value.replace('/', '_').replace(os.sep, '_')}"
    return path


def fit_cell(
    rows: pd.DataFrame,
    mapping: dict[str, Any],
    spec: dict[str, Any],
    engine: str,
    seed: int | None,
    out: str,
) -> dict[str, Any]:
    """Fit one cell's rows and save them to ``out``; the cell's fit scores (runs in a Ray
    task as well as here: plain arguments in, plain data out)."""
    dataset = load_dataset(rows, Mapping.from_dict(mapping, origin="the portfolio's mapping"))
    result, _ = fit_and_save(
        lambda: dataset,
        ModelSpec.from_dict(spec, origin="the portfolio's spec"),
        lambda r: r.save(out),
        engine=engine,
        seed=seed,
    )
    return {"run": out, "fit": result.summary_dict()["fit"]}


def fit_portfolio(
    data: str | Path,
    mapping: str | Path,
    out: Path,
    by: Sequence[str],
    spec: ModelSpec | None = None,
    *,
    engine: str = "ridge",
    seed: int | None = None,
    executor: str = "local",
    force: bool = False,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Fit every cell (module docstring); ``portfolio.json``'s content."""
    if executor not in EXECUTORS:
        raise MixwiseError(f"unknown executor {executor!r}", f"Choose {' or '.join(EXECUTORS)}.")
    check_run_target(out, force)
    frame = read_table(data)
    m = Mapping.load(mapping).model_dump(mode="json", exclude_defaults=True)
    s = (spec or ModelSpec()).to_dict()
    parts = cells(frame, by)
    dirs = [str(cell_dir(out, labels)) for labels, _ in parts]
    log(f"{len(parts)} cells by {', '.join(by)}, fitted with the {engine} engine ({executor})")
    if executor == "ray":
        import ray

        if not ray.is_initialized():
            ray.init(address=os.environ.get("RAY_ADDRESS") or None, log_to_driver=False)
        task = ray.remote(num_cpus=1)(fit_cell)
        refs = [
            task.remote(rows, m, s, engine, seed, d)
            for (_, rows), d in zip(parts, dirs, strict=True)
        ]
        fitted = ray.get(refs)
    else:
        fitted = [
            fit_cell(rows, m, s, engine, seed, d) for (_, rows), d in zip(parts, dirs, strict=True)
        ]
    document = {
        "by": list(by),
        "engine": engine,
        "cells": [{"labels": labels, **f} for (labels, _), f in zip(parts, fitted, strict=True)],
    }
    write_json_atomic(out / "portfolio.json", document)
    return document
