"""A piecewise-linear trend whose time axis is fixed by the training window.

PyMC-Marketing's ``LinearTrendEffect`` divides time by the maximum time *of the data it is given*
and places its changepoints on that range, so evaluating a fitted model on a longer window (a
holdout) would move the changepoints. This effect fixes both to the training window::

    t = days since the first training date / days spanned by the training window   (0..1 in-sample)
    trend(t) = sum_m delta_m * max(t - s_m, 0),    s_m = m / M,  m = 0..M-1
    delta_m ~ Laplace(0, scale)            (per geo in geo models)

``trend(0) = 0`` (the intercept holds the level); after the training window the last slope is
extrapolated linearly. The contribution is the deterministic ``trend_effect_contribution`` in
target-scaled units.
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
    scale: float = 0.25
    dims: tuple[str, ...] = ()
    prefix: str = PREFIX

    def _t(self, dates: Any) -> np.ndarray:
        days = (pd.DatetimeIndex(dates) - pd.Timestamp(self.first_date)).days.to_numpy(float)
        return days / self.span_days

    def create_data(self, mmm: Any) -> None:
        t = self._t(mmm.model.coords["date"])
        pmd.Data(f"{self.prefix}_t", t, dims="date")

    def create_effect(self, mmm: Any) -> Any:
        model: pm.Model = mmm.model
        cp_dim = f"{self.prefix}_changepoint"
        model.add_coord(cp_dim, range(self.n_changepoints))
        prior = Prior("Laplace", mu=0, b=self.scale, dims=(cp_dim, *self.dims))
        delta = prior.create_variable(f"{self.prefix}_delta", xdist=True)
        s = as_xtensor(np.arange(self.n_changepoints) / self.n_changepoints, dims=(cp_dim,))
        t = model[f"{self.prefix}_t"]
        hinge = pmd.math.maximum(t - s, 0.0)
        return pmd.Deterministic(CONTRIBUTION, (hinge * delta).sum(dim=cp_dim))

    def set_data(self, mmm: Any, model: pm.Model, X: xr.Dataset) -> None:
        pm.set_data({f"{self.prefix}_t": self._t(model.coords["date"])}, model=model)
