"""Where fitted models agree and why they may not: the engine-neutral measures behind
``mixwise compare``.

- **Agreement** of estimates: their intervals share a point, ``max(lo) <= min(hi)`` (for
  intervals on a line, pairwise overlap and a common point are the same thing).
- **Spend variation**: the coefficient of variation of a channel's spend over time,
  ``CV = sd_t(spend) / mean_t(spend)`` (national totals per period). Below
  :data:`LOW_SPEND_CV` the channel's spend barely moves, so the data cannot separate its effect
  from the baseline and each engine's assumptions decide.
- **Posterior contraction** of a coefficient, ``1 - var(posterior) / var(prior)``: near 1 the data
  pinned the coefficient down, near 0 the posterior is still the prior. Below
  :data:`PRIOR_DOMINATED` a channel is called prior-dominated.
- **Fit on a window**: R², MAPE and NRMSE of a model's posterior-mean fit on chosen periods
  (:func:`mixwise.model.summary.fit_metrics`), so that every model is scored on the same holdout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.model.summary import fit_metrics

if TYPE_CHECKING:
    from mixwise.model.result import FitResult

LOW_SPEND_CV = 0.2
"""Spend whose coefficient of variation over time is below this barely varies."""

PRIOR_DOMINATED = 0.5
"""Posterior contraction below this: the coefficient is closer to its prior than to the data."""


def intervals_agree(intervals: Iterable[Mapping[str, Any] | None]) -> bool | None:
    """True when every interval (``{"lo", "hi"}``) shares a point with every other one; None when
    one of them is missing (an estimate that could not be computed cannot agree or disagree)."""
    items = list(intervals)
    if any(i is None or i.get("lo") is None or i.get("hi") is None for i in items):
        return None
    los = [float(i["lo"]) for i in items if i is not None]
    his = [float(i["hi"]) for i in items if i is not None]
    return max(los) <= min(his)


def spend_variation(spend: xr.DataArray) -> dict[str, float | None]:
    """Per channel, ``sd / mean`` of the spend per period (summed over geos); None for a
    channel with no spend."""
    per_period = spend.sum("geo") if "geo" in spend.dims else spend
    values = per_period.transpose("time", "channel").values
    out: dict[str, float | None] = {}
    for j, ch in enumerate(per_period["channel"].values):
        mean = float(values[:, j].mean())
        out[str(ch)] = float(values[:, j].std()) / mean if mean > 0 else None
    return out


def contraction(prior: np.ndarray, posterior: np.ndarray) -> float | None:
    """Posterior contraction ``1 - var(posterior) / var(prior)`` (None when the prior draws do
    not vary, so nothing can contract)."""
    v_prior = float(np.var(prior))
    if not np.isfinite(v_prior) or v_prior <= 0:
        return None
    return 1.0 - float(np.var(posterior)) / v_prior


def coefficient_draws(result: FitResult, channel: str) -> np.ndarray:
    """The ``beta`` draws of a channel (national models: ``(draw,)``; geo: mean over geos)."""
    beta = result.params["beta"].sel(channel=channel)
    return np.asarray(beta.mean("geo").values if "geo" in beta.dims else beta.values, dtype=float)


def holdout_window(results: Sequence[FitResult]) -> pd.DatetimeIndex | None:
    """The periods every model that held some out held out: the last ``min(n_holdout)`` dates
    of those models (None when none held any out)."""
    held = [r for r in results if r.n_holdout > 0]
    if not held:
        return None
    n = min(r.n_holdout for r in held)
    windows = [set(r.dates[-n:]) for r in held]
    common = sorted(set.intersection(*windows))
    return pd.DatetimeIndex(common) if common else None


def window_fit(result: FitResult, dates: pd.DatetimeIndex) -> dict[str, float | None] | None:
    """R², MAPE, NRMSE of the posterior-mean fit on ``dates`` (summed over geos); None when the
    model does not cover all of them."""
    if not set(dates).issubset(set(result.dates)):
        return None
    observed = result.observed.sel(time=dates)
    fitted = result.fitted.mean("draw").sel(time=dates).transpose(*observed.dims)
    if "geo" in observed.dims:
        observed, fitted = observed.sum("geo"), fitted.sum("geo")
    return fit_metrics(observed.values, fitted.values)


def held_out(result: FitResult, dates: pd.DatetimeIndex) -> bool:
    """Whether every one of ``dates`` is in the model's holdout (so its fit there is a true
    out-of-sample prediction)."""
    return set(dates).issubset(set(result.holdout_dates))
