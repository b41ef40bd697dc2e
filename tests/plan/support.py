"""Helpers shared by the planning tests (``from tests.plan.support import ...``): the plan
length most tests use, and a tiny hand-built :class:`ResponseModel` whose optimum, ROAS and
media KPI have closed forms."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from mixwise.plan import ResponseModel

PERIODS = 13


def budget_of(m: ResponseModel, factor: float = 1.0) -> float:
    """``factor`` x the recent spend per period, over :data:`PERIODS` periods."""
    return float(m.recent_spend().sum() * PERIODS * factor)


def history_plan(m: ResponseModel) -> pd.DataFrame:
    """The model's own historical spend as a plan."""
    return pd.DataFrame(m.spend, index=m.dates, columns=list(m.channels))


def tiny_model(
    coefficient: npt.ArrayLike,
    lam: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
    spend: npt.ArrayLike | None = None,
    spend_scale: npt.ArrayLike | None = None,
    n_periods: int = 20,
    **extra: Any,
) -> ResponseModel:
    """Michaelis-Menten channels ``f(x) = x / (lam + x)`` (shape ``alpha = 1``; the effect is
    ``coefficient``), weekly, zero baseline.

    ``coefficient`` and ``lam``: ``(channel,)`` or ``(draw, channel)``; ``weights``: ``(channel,
    lag)`` adstock weights shared by all draws (default: no carry-over, one lag of weight 1);
    ``spend``: ``(time, channel)`` history (default: 10 per period); ``spend_scale``: ones."""
    coef = np.atleast_2d(np.asarray(coefficient, dtype=np.float64))
    n_draws, n_ch = coef.shape
    lam_ = np.broadcast_to(np.asarray(lam, dtype=np.float64), coef.shape).copy()
    w = np.ones((n_ch, 1)) if weights is None else np.asarray(weights, dtype=np.float64)
    hist = (
        np.full((n_periods, n_ch), 10.0) if spend is None else np.asarray(spend, dtype=np.float64)
    )
    return ResponseModel(
        channels=tuple("ABCDEFGH"[:n_ch]),
        adstock_weights=np.broadcast_to(w, (n_draws, *w.shape)).copy(),
        saturation=("michaelis_menten",) * n_ch,
        saturation_params={"alpha": np.ones_like(coef), "lam": lam_},
        coefficient=coef,
        spend_scale=np.ones(n_ch) if spend_scale is None else np.asarray(spend_scale, float),
        spend=hist,
        dates=pd.date_range("2023-01-02", periods=hist.shape[0], freq="7D"),
        frequency="weekly",
        baseline=np.zeros((n_draws, hist.shape[0])),
        **extra,
    )
