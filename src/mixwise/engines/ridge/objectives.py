"""Robyn's objectives, for a batch of candidates at once (all are minimised).

- NRMSE, the fit error: ``sqrt(mean((y - yhat)^2)) / (max(y) - min(y))``.
- DECOMP.RSSD, the business error: ``sqrt(sum_c (effect_share_c - spend_share_c)^2)`` over paid
  media, where ``effect_share_c = effect_c / sum effect`` (each channel's total decomposed
  effect in the window) and ``spend_share_c = spend_c / sum spend``; with Robyn's
  ``rssd_zero_penalty`` multiplied by ``1 + (share of channels whose effect share rounds to 0
  at 4 decimals)``; ``inf`` when every paid channel's effect is 0.
- MAPE.LIFT, the calibration error (Robyn's ``calibration_scope = "total"``): for each lift test,
  ``pred = sum`` of the tested channels' contributions over the test's periods, scaled by
  ``lift_days / decomp_days``; ``mean_tests |pred - lift| / |lift|``. Robyn's ``"immediate"``
  scope (carry-over removed) is not implemented.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def nrmse(y: npt.ArrayLike, yhat: npt.ArrayLike) -> FloatArray:
    """``sqrt(mean_t (y - yhat)^2) / (max y - min y)`` for ``yhat (..., time)``."""
    ya, ha = np.asarray(y, dtype=np.float64), np.asarray(yhat, dtype=np.float64)
    return np.sqrt(np.mean((ya - ha) ** 2, axis=-1)) / (ya.max() - ya.min())


def decomp_rssd(
    effect: npt.ArrayLike, spend: npt.ArrayLike, zero_penalty: bool = True
) -> FloatArray:
    """DECOMP.RSSD from total effects ``(..., paid)`` and total spend ``(paid,)``."""
    ea, sa = np.asarray(effect, dtype=np.float64), np.asarray(spend, dtype=np.float64)
    spend_share = sa / sa.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        effect_share = ea / ea.sum(axis=-1, keepdims=True)
    rssd = np.sqrt(np.sum((effect_share - spend_share) ** 2, axis=-1))
    if zero_penalty:
        rssd = rssd * (1.0 + np.mean(np.round(effect_share, 4) == 0, axis=-1))
    return np.where(np.isfinite(rssd), rssd, np.inf)


@dataclass(frozen=True)
class LiftTest:
    """A lift study: the KPI ``lift`` that ``channels`` caused over window rows ``rows``.

    ``days_ratio`` is Robyn's ``liftDays / decompDays`` (1 when the rows cover the study).
    """

    channels: tuple[int, ...]
    rows: tuple[int, ...]
    lift: float
    days_ratio: float = 1.0


def mape_lift(contributions: npt.ArrayLike, tests: Sequence[LiftTest]) -> FloatArray:
    """Mean absolute percentage error of predicted vs measured lift, ``contributions
    (..., time, channel)`` in KPI units -> ``(...,)``; 0 without tests."""
    ca = np.asarray(contributions, dtype=np.float64)
    if not tests:
        return np.zeros(ca.shape[:-2])
    errors = []
    for t in tests:
        part = ca[..., list(t.rows), :][..., list(t.channels)]
        pred = part.sum(axis=(-2, -1)) * t.days_ratio
        errors.append(np.abs(pred - t.lift) / abs(t.lift))
    return np.mean(errors, axis=0)
