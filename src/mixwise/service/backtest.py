"""Backtests of fitted runs (:mod:`mixwise.model.backtest` for the forecast and the scores).

- :func:`backtest_previous`: the previous run of a refresh scored on the new periods (the new
  run's ``summary.json`` ``backtest``).
- :func:`backtest_history` (``mixwise backtest RUN DATA --mapping M --horizons 4,8,13``): rolling
  origin on the run's own history. For each horizon ``h`` the run's spec is refitted with its
  engine on the periods up to ``n - h`` (the origin) and that refit forecasts the last ``h``
  periods, which it never saw: one refit per horizon.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from mixwise.data.dataset import MMMDataset
from mixwise.data.pipeline import load_dataset
from mixwise.errors import MixwiseError
from mixwise.fitting import fit
from mixwise.model.backtest import BacktestUnavailable, backtest_document, forecast
from mixwise.model.crossval import periods
from mixwise.model.result import FitResult, check_result_dir, load_result
from mixwise.progress import Progress, no_progress
from mixwise.service.fitting import scaled, spec_with_sampler

REGRESSORS = ("controls", "organic", "events")
"""The dataset's columns a forecast regresses the non-trend, non-seasonal baseline on."""


def forecast_inputs(dataset: MMMDataset) -> tuple[xr.DataArray, np.ndarray, np.ndarray]:
    """``(spend (time, channel), regressors (time, k), kpi (time,))`` of national data."""
    if dataset.geos and len(dataset.geos) > 1:
        raise BacktestUnavailable(
            "backtests of geo data are not supported yet", "Use national data."
        )
    ds = dataset.to_xarray().isel(geo=0, drop=True)
    columns = [ds[name].values for name in REGRESSORS if name in ds]
    regressors = np.column_stack(columns) if columns else np.zeros((ds.sizes["time"], 0))
    return ds["spend"], regressors, ds["kpi"].values


def backtest_previous(previous: FitResult, dataset: MMMDataset, seed: int = 0) -> dict[str, Any]:
    """``previous`` scored on the periods of ``dataset`` after its last date."""
    spend, regressors, kpi = forecast_inputs(dataset)
    draws = forecast(previous, spend, regressors, seed=seed)
    return backtest_document(draws, kpi[-draws.sizes["time"] :])


def parse_horizons(text: str) -> list[int]:
    """``"4,8,13"`` -> ``[4, 8, 13]``; a clear error for anything else."""
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        values = []
    if not values or min(values) < 1:
        raise MixwiseError(
            f"--horizons {text!r} is not a list of positive period counts", "E.g. 4,8,13."
        )
    return sorted(set(values))


def backtest_history(
    run: str | Path,
    data: str | Path,
    mapping: str | Path,
    horizons: list[int],
    *,
    draws: int | None = None,
    iterations: int | None = None,
    trials: int | None = None,
    progress: Progress = no_progress,
) -> dict[str, Any]:
    """Rolling-origin backtest of ``run`` (module docstring): ``{"horizons": [{"horizon",
    "origin", ...scores, "series"}]}``."""
    previous = load_result(check_result_dir(run))
    dataset = load_dataset(data, mapping)
    n = dataset.n_periods
    if max(horizons) > n - 26:
        raise MixwiseError(
            f"--horizons {max(horizons)} leaves {n - max(horizons)} of {n} periods to fit",
            "Use shorter horizons (at least 26 periods must remain before the origin).",
        )
    engine = str(previous.provenance.get("engine", "bayesian"))
    spec = spec_with_sampler(previous.spec, draws=draws, iterations=iterations, trials=trials)
    out = []
    for k, h in enumerate(horizons):
        train = periods(dataset, 0, n - h)
        share = 1 / len(horizons)
        refit = fit(train, spec, engine=engine, progress=scaled(progress, k * share, share))
        out.append(
            {
                "horizon": h,
                "origin": str(dataset.dates[n - h - 1].date()),
                **backtest_previous(refit, replace(dataset)),
            }
        )
    progress("done", 1.0, "backtested")
    return {"run": str(run), "engine": engine, "horizons": out}
