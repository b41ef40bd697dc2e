"""Baseline regressors for the ridge engine until a Prophet-style decomposition is added.

Robyn puts Prophet's trend, season and holiday components into the regression; here they are
plain regressors instead: a linear trend ``t / T`` and yearly Fourier terms
``sin(2 pi k t / P), cos(2 pi k t / P)`` for ``k = 1 .. order`` (``P`` periods per year), with
``t`` the period's index from the first date. Holiday dummies come from
:func:`mixwise.engines.holidays.holiday_dummies` (the spec's ``holidays``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def trend_and_seasonality(
    dates: pd.DatetimeIndex, periods_per_year: float, order: int = 2
) -> pd.DataFrame:
    """Columns ``trend``, ``sin_k``, ``cos_k`` indexed by ``dates``."""
    days = (dates - dates[0]).days.to_numpy(dtype=np.float64)
    t = days / (365.25 / periods_per_year)  # period index, robust to gaps
    cols: dict[str, np.ndarray] = {"trend": t / max(t[-1], 1.0)}
    for k in range(1, order + 1):
        angle = 2 * np.pi * k * t / periods_per_year
        cols[f"sin_{k}"] = np.sin(angle)
        cols[f"cos_{k}"] = np.cos(angle)
    return pd.DataFrame(cols, index=dates)
