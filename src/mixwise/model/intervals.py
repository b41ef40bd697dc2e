"""Summaries of posterior draws: mean, median and an equal-tailed interval, rounded."""

from __future__ import annotations

import math

import numpy as np

DIGITS = 10
"""Significant digits kept in summaries."""


def stats(draws: np.ndarray, interval: float) -> dict[str, float | None]:
    """Mean, median and equal-tailed interval of 1-d ``draws`` (inf/NaN -> None)."""
    q = (1 - interval) / 2
    d = np.asarray(draws, dtype=float)
    vals = {
        "mean": float(np.mean(d)),
        "median": float(np.quantile(d, 0.5)),
        "lo": float(np.quantile(d, q)),
        "hi": float(np.quantile(d, 1 - q)),
    }
    return {k: rounded(v) for k, v in vals.items()}


def rounded(value: float) -> float | None:
    """Finite values to :data:`DIGITS` significant digits (so summation order does not show);
    inf and NaN to None."""
    if not math.isfinite(value):
        return None
    return float(f"{value:.{DIGITS}g}")
