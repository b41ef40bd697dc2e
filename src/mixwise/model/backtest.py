"""Backtests: a fitted model's forecast of periods it never saw, scored against what happened.

**The forecast** (engine-neutral: it reads only a :class:`FitResult` and the new data). For each
posterior (or bootstrap) draw ``d`` and each unseen period ``t``::

    mu_d(t) = media_d(t) + sum_k baseline_{d,k}(t)
    y_d(t)  = mu_d(t) + sigma_d * z_{d,t},    z ~ Normal(0, 1)   (seeded)

- ``media_d(t)``: the forward model (:mod:`mixwise.model.forward`) on the draw's parameters and
  the actual spend of every period (so carry-over from seen periods reaches the unseen ones);
- baseline components: ``trend`` continues its mean slope over the last :data:`SLOPE_PERIODS`
  seen periods; ``seasonality`` and ``holidays`` repeat their value one year earlier (52 weeks,
  365 days); every other component (intercept, controls, organic, events) is regressed, draw by
  draw (least squares over the seen periods), on a constant and the dataset's control, organic
  and event columns, and that regression is applied to the new periods' columns (exact for the
  intercept and linear controls);
- ``sigma_d``: the draw's residual scale over the seen periods, ``sqrt(mean (y - mu_d)^2)``.

**Scores** over the unseen periods (``y`` actual, ``ŷ`` the forecast's mean):
MAPE = mean ``|y - ŷ| / |y|`` (``y != 0``); coverage = share of ``y`` inside the forecast's
central 90% interval; CRPS = mean over periods of ``E|X - y| - 0.5 E|X - X'|`` (X, X' independent
forecast draws), the continuous ranked probability score in KPI units (lower is better; it
rewards both a right centre and an honest spread). National (no-geo) runs only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.errors import MixwiseError
from mixwise.model.result import FitResult

COVERAGE_LEVEL = 0.9
"""The forecast interval whose coverage a backtest reports."""
SLOPE_PERIODS = 13
PERIODS_PER_YEAR = {"weekly": 52, "daily": 365}
SEASONAL = ("seasonality", "holidays")


class BacktestUnavailable(MixwiseError):
    """The run cannot forecast unseen periods (a geo run, a seasonality fitted on less than a
    year): a refresh goes on without its backtest and says why; ``mixwise backtest`` refuses."""


def crps_sample(draws: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """CRPS of sample forecasts ``draws (draw, time)`` at ``actual (time)``, per period.

    ``CRPS = E|X - y| - 0.5 E|X - X'|`` with the expectations over the draws (the energy form,
    Gneiting & Raftery 2007). ``E|X - X'|`` over all ordered pairs is computed from the sorted
    draws ``x_(1) <= ... <= x_(n)`` as ``2 / n^2 * sum_i (2i - n - 1) x_(i)`` in O(n log n).
    """
    x = np.sort(np.asarray(draws, float), axis=0)
    n = x.shape[0]
    term1 = np.abs(x - actual[None, :]).mean(axis=0)
    weights = (2 * np.arange(1, n + 1) - n - 1)[:, None]
    term2 = 2.0 / n**2 * (weights * x).sum(axis=0)
    return term1 - 0.5 * term2


def score(draws: np.ndarray, actual: np.ndarray, level: float = COVERAGE_LEVEL) -> dict[str, Any]:
    """``{"mape", "coverage", "crps", "periods"}`` of forecast ``draws (draw, time)`` (module
    docstring)."""
    actual = np.asarray(actual, float)
    mean = draws.mean(axis=0)
    lo, hi = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2], axis=0)
    nonzero = actual != 0
    mape = float(np.mean(np.abs(actual - mean)[nonzero] / np.abs(actual[nonzero])))
    return {
        "periods": int(actual.size),
        "mape": mape if nonzero.any() else None,
        "coverage": float(np.mean((actual >= lo) & (actual <= hi))),
        "crps": float(crps_sample(draws, actual).mean()),
        "level": level,
    }


def _extend(component: str, seen: np.ndarray, n_new: int, per_year: int) -> np.ndarray | None:
    """``(draw, n_new)`` continuation of a trend or seasonal component (None for the others)."""
    n = seen.shape[1]
    if component == "trend":
        k = min(SLOPE_PERIODS, n - 1)
        slope = (seen[:, -1] - seen[:, -1 - k]) / k
        return seen[:, -1:] + slope[:, None] * np.arange(1, n_new + 1)[None, :]
    if component in SEASONAL:
        if not np.any(seen):
            return np.zeros((seen.shape[0], n_new))
        if n < per_year:
            raise BacktestUnavailable(
                f"the model's {component} needs a year of seen periods to forecast "
                f"({n} seen, {per_year} needed)",
                "Backtest a run fitted on at least a year of data.",
            )
        idx = n - per_year + np.arange(n_new) % per_year
        return seen[:, idx]
    return None


def forecast(
    previous: FitResult,
    spend: xr.DataArray,
    regressors: np.ndarray,
    seed: int = 0,
) -> xr.DataArray:
    """``(draw, time)`` KPI forecast draws of ``previous`` for the periods of ``spend`` after its
    last date (module docstring). ``spend``: ``(time, channel)`` over the seen and the new
    periods; ``regressors``: ``(time, k)`` control / organic / event columns on the same dates."""
    if previous.has_geo:
        raise BacktestUnavailable(
            "backtests of geo runs are not supported yet", "Backtest a national run."
        )
    missing = sorted(set(previous.channels) - {str(c) for c in spend["channel"].values})
    if missing:
        raise MixwiseError(
            f"channel {missing[0]!r} of the previous model is missing from the new data",
            "Keep every channel of the previous model in the new data (0 spend is fine).",
        )
    dates = pd.DatetimeIndex(spend["time"].values)
    seen = previous.dates
    first = int(dates.searchsorted(seen[0]))  # a model's window may start after the data
    if len(dates) - first <= len(seen) or not dates[first : first + len(seen)].equals(seen):
        raise MixwiseError(
            f"the new data must hold the previous model's {len(seen)} periods "
            f"({seen[0].date()} .. {seen[-1].date()}) and add periods after them",
            "Give the whole history plus the new periods.",
        )
    dates = dates[first:]
    spend = spend.isel(time=slice(first, None))
    regressors = np.asarray(regressors, float).reshape(len(spend["time"]) + first, -1)[first:]
    n, n_new = len(seen), len(dates) - len(seen)
    media = previous.simulate_contributions(spend.sel(channel=previous.channels))
    media_new = media.sum("channel").transpose("draw", "time").values[:, n:]
    baseline = previous.baseline.transpose("draw", "component", "time")
    X = np.column_stack(
        [np.ones(len(dates)), np.asarray(regressors, float).reshape(len(dates), -1)]
    )
    per_year = PERIODS_PER_YEAR.get(previous.frequency, 52)
    base_new = np.zeros_like(media_new)
    for component in baseline["component"].values:
        part = baseline.sel(component=component).values
        extended = _extend(str(component), part, n_new, per_year)
        if extended is None:  # least squares per draw: part.T ≈ X[:n] @ coef
            coef, *_ = np.linalg.lstsq(X[:n], part.T, rcond=None)
            extended = (X[n:] @ coef).T
        base_new += extended
    mu = media_new + base_new
    fitted = previous.fitted.transpose("draw", "time").values
    resid = previous.observed.values[None, :] - fitted
    train = ~previous.is_holdout.values
    sigma = np.sqrt(np.mean(resid[:, train] ** 2, axis=1))
    rng = np.random.default_rng(seed)
    draws = mu + sigma[:, None] * rng.standard_normal(mu.shape)
    return xr.DataArray(
        draws, dims=("draw", "time"), coords={"draw": np.arange(len(draws)), "time": dates[n:]}
    )


def backtest_document(draws: xr.DataArray, actual: np.ndarray) -> dict[str, Any]:
    """summary.json's ``backtest``: the scores and, per period, actual vs forecast with its 90%
    interval."""
    values = draws.values
    lo, hi = np.quantile(values, [(1 - COVERAGE_LEVEL) / 2, (1 + COVERAGE_LEVEL) / 2], axis=0)
    mean = values.mean(axis=0)
    series = [
        {
            "date": str(pd.Timestamp(t).date()),
            "actual": float(a),
            "forecast": {"mean": float(m), "lo": float(lo_), "hi": float(hi_)},
        }
        for t, a, m, lo_, hi_ in zip(draws["time"].values, actual, mean, lo, hi, strict=True)
    ]
    return {**score(values, actual), "series": series}
