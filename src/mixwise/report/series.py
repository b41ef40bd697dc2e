"""Time series and totals the report reads off a :class:`FitResult` (national: geos summed).

Pure functions of the result's arrays; intervals are equal-tailed over the stored draws.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.model.result import FitResult


def national(da: xr.DataArray) -> xr.DataArray:
    """Sum over ``geo`` when the array has one."""
    return da.sum("geo") if "geo" in da.dims else da


def quantiles(draws: np.ndarray, interval: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper ends of the central ``interval`` over axis 0."""
    q = (1 - interval) / 2
    lo, hi = np.quantile(draws, [q, 1 - q], axis=0)
    return lo, hi


def fit_frame(result: FitResult, interval: float) -> pd.DataFrame:
    """Per period: observed KPI, predicted mean and interval, residual, holdout flag.

    The prediction is the model's expected KPI (``mu``) per draw, so the band is the
    uncertainty of the expected value, without the period-to-period noise."""
    observed = national(result.observed).transpose("time").values
    fitted = national(result.fitted).transpose("draw", "time").values
    lo, hi = quantiles(fitted, interval)
    mean = fitted.mean(axis=0)
    return pd.DataFrame(
        {
            "observed": observed,
            "predicted": mean,
            "predicted_lo": lo,
            "predicted_hi": hi,
            "residual": observed - mean,
            "holdout": result.is_holdout.values,
        },
        index=pd.Index(result.dates, name="date"),
    )


def contributions_over_time(result: FitResult) -> pd.DataFrame:
    """Per period (posterior means): baseline (all components) and each channel's contribution."""
    base = national(result.baseline).sum("component").mean("draw").transpose("time").values
    contrib = national(result.contributions).mean("draw").transpose("time", "channel")
    frame = pd.DataFrame(contrib.values, index=result.dates, columns=result.channels)
    frame.insert(0, "baseline", base)
    frame.index.name = "date"
    return frame


def baseline_totals(result: FitResult) -> pd.Series:
    """Posterior-mean total of each baseline component over all periods (KPI units)."""
    base = national(result.baseline)
    totals = base.sum("time").mean("draw")
    return pd.Series(
        totals.values, index=[str(c) for c in totals["component"].values], name="total"
    )


def baseline_total_draws(result: FitResult) -> np.ndarray:
    """``(draw,)`` total baseline (all components, all periods) in KPI units."""
    base = national(result.baseline).sum(("time", "component"))
    return np.asarray(base.transpose("draw").values, dtype=float)


def media_share_draws(result: FitResult) -> np.ndarray:
    """``(draw,)`` share of the observed KPI that all channels together contributed."""
    contrib = national(result.contributions)
    per_draw = contrib.sum(("time", "channel")).values
    return np.asarray(per_draw / float(result.observed.sum()))


def effect_share_draws(result: FitResult) -> np.ndarray:
    """``(draw, channel)`` each channel's share of the total media effect (each draw sums to 1)."""
    contrib = national(result.contributions).sum("time").transpose("draw", "channel").values
    total = contrib.sum(axis=1, keepdims=True)
    return np.asarray(contrib / np.where(total == 0, np.nan, total), dtype=float)


def media_roas_draws(result: FitResult) -> np.ndarray:
    """``(draw,)`` total media contribution / total spend (all channels, all periods)."""
    contrib = national(result.contributions).sum(("time", "channel")).values
    return np.asarray(contrib / float(result.spend.sum()))


def spend_frame(result: FitResult) -> pd.DataFrame:
    """Spend per period and channel (geos summed)."""
    spend = national(result.spend).transpose("time", "channel")
    return pd.DataFrame(
        spend.values, index=pd.Index(result.dates, name="date"), columns=result.channels
    )
