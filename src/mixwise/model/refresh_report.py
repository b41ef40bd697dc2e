"""The refresh report: what changed per channel between a run and its refresh, any engine.

Per paid channel of the previous run: ROAS, contribution per period and the response curve
(steady-state KPI per period at 0.5x, 1x and 1.5x the previous average spend per period, from the
forward model) before and after, each ``{mean, median, lo, hi}`` at the run's interval. A
metric is **flagged** when the two intervals do not overlap: the change is larger than the
intervals explain (the posterior, or the bootstrap, of each run). Contribution is compared per
period so a longer window does not read as a change.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from mixwise.model.intervals import stats
from mixwise.model.result import FitResult

CURVE_LEVELS = (0.5, 1.0, 1.5)
"""Multiples of the previous average spend per period at which the curves are compared."""


def steady_response(result: FitResult, channel: str, spend: float) -> np.ndarray:
    """``(draw,)`` KPI per period of a steady ``spend`` per period on ``channel`` (the last of
    ``3 * l_max`` periods, when the adstock has reached its steady state)."""
    n = 3 * int(result.params.attrs.get("l_max", 8)) + 1
    values = np.zeros((n, len(result.channels)))
    values[:, result.channels.index(channel)] = spend
    plan = xr.DataArray(
        values,
        dims=("time", "channel"),
        coords={"time": np.arange(n), "channel": result.channels},
    )
    c = result.simulate_contributions(plan).sel(channel=channel)
    return c.isel(time=-1).values.reshape(c.sizes["draw"], -1).sum(axis=1)


def _per_period_contribution(result: FitResult, channel: str) -> np.ndarray:
    c = result.contributions.sel(channel=channel)
    return c.sum([d for d in c.dims if d != "draw"]).values / len(result.dates)


def _roas(result: FitResult, channel: str) -> np.ndarray:
    spend = float(result.spend.sel(channel=channel).sum())
    total = _per_period_contribution(result, channel) * len(result.dates)
    return total / spend if spend else np.full_like(total, np.nan)


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if None in (a["lo"], a["hi"], b["lo"], b["hi"]):
        return True
    return bool(a["lo"] <= b["hi"] and b["lo"] <= a["hi"])


def _metric(before: np.ndarray, after: np.ndarray, interval: float) -> dict[str, Any]:
    b, a = stats(before, interval), stats(after, interval)
    change = None
    if b["mean"] and a["mean"] is not None:
        change = (a["mean"] - b["mean"]) / abs(b["mean"])
    return {"before": b, "after": a, "change": change, "beyond_intervals": not _overlap(b, a)}


def compare_channels(
    previous: FitResult, refreshed: FitResult, interval: float
) -> list[dict[str, Any]]:
    """One row per channel of ``previous`` (module docstring): ``roas``, ``contribution``
    (per period), ``curve`` (a list over :data:`CURVE_LEVELS`), ``flagged`` and ``reasons``."""
    rows = []
    for channel in previous.channels:
        avg = float(previous.spend.sel(channel=channel).mean("time").sum())
        roas = _metric(_roas(previous, channel), _roas(refreshed, channel), interval)
        contribution = _metric(
            _per_period_contribution(previous, channel),
            _per_period_contribution(refreshed, channel),
            interval,
        )
        curve = [
            {
                "spend": level * avg,
                **_metric(
                    steady_response(previous, channel, level * avg),
                    steady_response(refreshed, channel, level * avg),
                    interval,
                ),
            }
            for level in CURVE_LEVELS
        ]
        reasons = [
            f"{name} changed more than the intervals explain"
            for name, m in (("ROAS", roas), ("contribution per period", contribution))
            if m["beyond_intervals"]
        ]
        if any(p["beyond_intervals"] for p in curve):
            reasons.append("the response curve moved beyond its intervals")
        rows.append(
            {
                "channel": channel,
                "roas": roas,
                "contribution": contribution,
                "curve": curve,
                "flagged": bool(reasons),
                "reasons": reasons,
            }
        )
    return rows
