"""Summaries of posterior draws: mean, median and a central interval, computed per quantity.

Every number a planner sees comes with its interval. Intervals are central: with ``level = 0.9``
``lo`` is the 5% and ``hi`` the 95% quantile over draws. Differences between two plans are always
summarised from per-draw differences, never by subtracting interval ends.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]

DEFAULT_LEVEL = 0.9
"""Default interval level (a 90% central interval)."""


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise ValueError(f"interval level must be in (0, 1), got {level}")


@dataclass(frozen=True)
class Estimate:
    """One quantity over draws: ``mean``, ``median`` and the central ``level`` interval."""

    mean: float
    median: float
    lo: float
    hi: float
    level: float = DEFAULT_LEVEL

    @classmethod
    def from_draws(cls, draws: npt.ArrayLike, level: float = DEFAULT_LEVEL) -> Estimate:
        """Summarise a 1-d array of draws (NaN draws are ignored; all NaN gives NaN)."""
        _check_level(level)
        x = np.asarray(draws, dtype=np.float64).ravel()
        x = x[~np.isnan(x)]
        if x.size == 0:
            nan = float("nan")
            return cls(nan, nan, nan, nan, level)
        lo, med, hi = np.quantile(x, [(1 - level) / 2, 0.5, (1 + level) / 2])
        return cls(float(x.mean()), float(med), float(lo), float(hi), level)

    def to_dict(self) -> dict[str, float]:
        """``{"mean", "median", "lo", "hi"}`` (JSON-ready; the level is left out)."""
        d = asdict(self)
        d.pop("level")
        return d

    def __format__(self, spec: str) -> str:
        spec = spec or ",.0f"
        pct = round(self.level * 100)
        return f"{self.mean:{spec}} ({pct}% interval {self.lo:{spec}} to {self.hi:{spec}})"


def summarize(
    draws: npt.ArrayLike, labels: Sequence[str], level: float = DEFAULT_LEVEL
) -> pd.DataFrame:
    """Summarise ``(draw, k)`` draws into a frame indexed by ``labels`` with columns
    ``mean, median, lo, hi`` (vectorised over the k quantities)."""
    _check_level(level)
    x = np.asarray(draws, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        q = np.nanquantile(x, [(1 - level) / 2, 0.5, (1 + level) / 2], axis=0)
        mean = np.nanmean(x, axis=0)
    return pd.DataFrame(
        {"mean": mean, "median": q[1], "lo": q[0], "hi": q[2]},
        index=pd.Index(list(labels)),
    )


def safe_ratio(num: FloatArray, den: npt.ArrayLike) -> FloatArray:
    """``num / den`` with NaN where ``den == 0`` (a ROAS of zero spend is undefined, not 0)."""
    d = np.asarray(den, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d != 0, num / np.where(d != 0, d, 1.0), np.nan)
