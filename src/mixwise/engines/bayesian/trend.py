"""A piecewise-linear trend whose time axis is fixed by the training window.

PyMC-Marketing's ``LinearTrendEffect`` divides time by the maximum time *of the data it is given*
and places its changepoints on that range, so evaluating a fitted model on a longer window (a
holdout) would move the changepoints. This effect fixes both to the training window::

    t = days since the first training date / days spanned by the training window   (0..1 in-sample)
    h_m(t) = max(t - s_m, 0) - mean over training periods of max(t - s_m, 0)
    trend(t) = sum_m delta_m * h_m(t),    s_m = m / M,  m = 0..M-1
    delta_m ~ Laplace(0, scale)            (per geo in geo models)

The hinges are centred on the training window, so the trend averages to 0 there and the
intercept holds the *average* level. Uncentred, the intercept (the level at the first date)
and the first slope are about -0.87 correlated in the posterior, which a diagonal mass matrix
samples badly: on Meridian's 40-geo panel centring lifted the lowest bulk ESS of the per-geo
intercepts and slopes from about 210-310 to 460-600 (docs/benchmarks.md, Geo model). After the
training window the last slope is extrapolated linearly. The contribution is the
deterministic ``trend_effect_contribution`` in target-scaled units.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pymc as pm
import pymc.dims as pmd
import xarray as xr
from pymc_extras.prior import Prior
from pymc_marketing.mmm.additive_effect import MuEffect
from pytensor.xtensor import as_xtensor

PREFIX = "trend"
CONTRIBUTION = f"{PREFIX}_effect_contribution"


class FixedWindowTrend(MuEffect):
    """Trend with ``n_changepoints`` slope changes over the training window (see module doc)."""

    first_date: str
    span_days: float
    n_changepoints: int
    centres: tuple[float, ...]
    scale: float = 0.25
    dims: tuple[str, ...] = ()
    prefix: str = PREFIX

    @classmethod
    def for_training(
        cls, train_dates: pd.DatetimeIndex, n_changepoints: int, **kwargs: Any
    ) -> FixedWindowTrend:
        """The trend for this training window: its first date, span and hinge centres."""
        first = str(pd.Timestamp(train_dates[0]).date())
        span = float((pd.Timestamp(train_dates[-1]) - pd.Timestamp(first)).days or 1)
        centres = _hinges(_time(train_dates, first, span), n_changepoints).mean(axis=0)
        return cls(
            first_date=first,
            span_days=span,
            n_changepoints=n_changepoints,
            centres=tuple(float(c) for c in centres),
            **kwargs,
        )

    def _t(self, dates: Any) -> np.ndarray:
        return _time(dates, self.first_date, self.span_days)

    def create_data(self, mmm: Any) -> None:
        t = self._t(mmm.model.coords["date"])
        pmd.Data(f"{self.prefix}_t", t, dims="date")
        # data, not constants: a compiled model reused for another window reads its centres
        mmm.model.add_coord(self._cp_dim, range(self.n_changepoints))
        pmd.Data(f"{self.prefix}_centre", np.asarray(self.centres), dims=self._cp_dim)

    @property
    def _cp_dim(self) -> str:
        return f"{self.prefix}_changepoint"

    def create_effect(self, mmm: Any) -> Any:
        model: pm.Model = mmm.model
        cp_dim = self._cp_dim
        prior = Prior("Laplace", mu=0, b=self.scale, dims=(cp_dim, *self.dims))
        delta = prior.create_variable(f"{self.prefix}_delta", xdist=True)
        s = as_xtensor(_changepoints(self.n_changepoints), dims=(cp_dim,))
        t = model[f"{self.prefix}_t"]
        hinge = pmd.math.maximum(t - s, 0.0) - model[f"{self.prefix}_centre"]
        return pmd.Deterministic(CONTRIBUTION, (hinge * delta).sum(dim=cp_dim))

    def set_data(self, mmm: Any, model: pm.Model, X: xr.Dataset) -> None:
        pm.set_data({f"{self.prefix}_t": self._t(model.coords["date"])}, model=model)


def _time(dates: Any, first_date: str, span_days: float) -> np.ndarray:
    """``t``: days since ``first_date`` over ``span_days`` (0..1 on the training window)."""
    days = (pd.DatetimeIndex(dates) - pd.Timestamp(first_date)).days.to_numpy(float)
    return days / span_days


def _changepoints(n_changepoints: int) -> np.ndarray:
    """``s_m = m / M``, ``m = 0..M-1``."""
    return np.arange(n_changepoints) / n_changepoints


def _hinges(t: np.ndarray, n_changepoints: int) -> np.ndarray:
    """``max(t - s_m, 0)`` for each period (rows) and changepoint (columns)."""
    return np.maximum(t[:, None] - _changepoints(n_changepoints)[None, :], 0.0)
