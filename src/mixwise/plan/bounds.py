"""Per-channel spend limits for the optimizer: amounts, shares of the total, multiples of history.

A :class:`Bound` is given in one unit:

- ``"amount"``: currency over the whole plan;
- ``"share"``: fraction of the plan's total budget (0.2 = 20%);
- ``"multiple"``: times the channel's recent spend over the same number of periods (recent =
  last 13 weeks / 90 days average per period, times the plan's periods).

Locked channels spend exactly their amount. ``bounds.csv`` (``channel,min,max`` in amounts,
empty cells for no limit) is read by :func:`read_bounds`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from mixwise.plan.errors import PlanError, PlanInfeasible
from mixwise.plan.response import ResponseModel

FloatArray = npt.NDArray[np.float64]
BoundUnit = Literal["amount", "share", "multiple"]


@dataclass(frozen=True)
class Bound:
    """Minimum and/or maximum for one channel, in ``unit`` (None: no limit)."""

    min: float | None = None
    max: float | None = None
    unit: BoundUnit = "amount"

    def __post_init__(self) -> None:
        if self.unit not in ("amount", "share", "multiple"):
            raise PlanError(f"bound unit must be amount, share or multiple, got {self.unit!r}")
        for v in (self.min, self.max):
            if v is not None and (not np.isfinite(v) or v < 0):
                raise PlanError(f"bounds must be finite and >= 0, got {v!r}")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise PlanInfeasible(f"a bound has min {self.min:,.6g} > max {self.max:,.6g}")


BoundsLike = Mapping[str, "Bound | tuple[float | None, float | None]"] | pd.DataFrame | str | Path


def read_bounds(source: pd.DataFrame | str | Path) -> dict[str, Bound]:
    """Bounds from a ``channel,min,max`` table (CSV path or DataFrame), amounts."""
    frame = source if isinstance(source, pd.DataFrame) else pd.read_csv(source)
    cols = {str(c).strip().lower(): c for c in frame.columns}
    if "channel" not in cols or not ({"min", "max"} & set(cols)):
        raise PlanError(
            "a bounds table needs columns channel,min,max",
            "Example row: TV,100000,800000 (leave a cell empty for no limit).",
        )
    out = {}
    for _, row in frame.iterrows():
        lo = row[cols["min"]] if "min" in cols else None
        hi = row[cols["max"]] if "max" in cols else None
        out[str(row[cols["channel"]]).strip()] = Bound(
            None if lo is None or pd.isna(lo) else float(lo),
            None if hi is None or pd.isna(hi) else float(hi),
        )
    return out


@dataclass(frozen=True)
class ResolvedBounds:
    """Bounds as ``lo + lo_share * total`` and ``hi + hi_share * total`` per channel."""

    channels: tuple[str, ...]
    lo: FloatArray
    hi: FloatArray
    lo_share: FloatArray
    hi_share: FloatArray
    locked: npt.NDArray[np.bool_]
    search_cap: npt.NDArray[np.bool_]

    def at(self, total: float) -> tuple[FloatArray, FloatArray]:
        """``(lo, hi)`` amounts for a plan of ``total`` budget."""
        return self.lo + self.lo_share * total, self.hi + self.hi_share * total

    def check(self, total: float, what: str = "the budget") -> tuple[FloatArray, FloatArray]:
        """``(lo, hi)`` at ``total``, raising :class:`PlanInfeasible` when they cannot add up."""
        lo, hi = self.at(total)
        if lo.sum() > total * (1 + 1e-9) + 1e-9:
            parts = ", ".join(
                f"{c} {v:,.0f}" for c, v in zip(self.channels, lo, strict=True) if v > 0
            )
            raise PlanInfeasible(
                f"the channel minimums add up to {lo.sum():,.0f}, more than {what} "
                f"{total:,.0f} ({parts})",
                "Lower some minimums or locked amounts, or raise the budget.",
            )
        if hi.sum() < total * (1 - 1e-9) - 1e-9:
            raise PlanInfeasible(
                f"{what} {total:,.0f} cannot be spent: the channel maximums add up to only "
                f"{hi.sum():,.0f}",
                "Raise some maximums, unlock channels, or lower the budget.",
            )
        return lo, hi


def resolve_bounds(
    model: ResponseModel,
    periods: int,
    bounds: BoundsLike | None = None,
    unit: BoundUnit = "amount",
    locked: Mapping[str, float] | Sequence[str] | None = None,
    search_multiple: float = 10.0,
) -> ResolvedBounds:
    """Turn user bounds and locks into per-channel limits.

    Channels without a maximum get none (``inf``), except that ``search_multiple`` x recent
    spend caps the search where the objective has no budget (profit, targets); such caps are
    flagged in ``search_cap`` so results can say when one binds."""
    c = model.n_channels
    recent_total = model.recent_spend() * periods
    lo, hi = np.zeros(c), np.full(c, np.inf)
    lo_s, hi_s = np.zeros(c), np.zeros(c)
    table = read_bounds(bounds) if isinstance(bounds, pd.DataFrame | str | Path) else bounds
    for name, raw in (table or {}).items():
        i = int(model.channel_index(name)[0])
        b = raw if isinstance(raw, Bound) else Bound(raw[0], raw[1], unit)
        for v, amount, share in ((b.min, lo, lo_s), (b.max, hi, hi_s)):
            if v is None:
                continue
            if b.unit == "share":
                amount[i] = 0.0
                share[i] = v
            elif b.unit == "multiple":
                amount[i] = v * recent_total[i]
            else:
                amount[i] = v
    locked_mask = np.zeros(c, dtype=bool)
    if locked is not None:
        items: list[tuple[str, float | None]] = (
            list(locked.items()) if isinstance(locked, Mapping) else [(n, None) for n in locked]
        )
        for name, fixed in items:
            i = int(model.channel_index(name)[0])
            value = float(recent_total[i]) if fixed is None else float(fixed)
            if not np.isfinite(value) or value < 0:
                raise PlanError(f"locked amount for {name!r} must be >= 0, got {fixed!r}")
            lo[i] = hi[i] = value
            lo_s[i] = hi_s[i] = 0.0
            locked_mask[i] = True
    cap = np.where(recent_total > 0, recent_total, recent_total.mean()) * search_multiple
    no_max = np.isinf(hi) & (hi_s == 0)
    return ResolvedBounds(
        channels=model.channels,
        lo=lo,
        hi=np.where(no_max, np.inf, hi),
        lo_share=lo_s,
        hi_share=hi_s,
        locked=locked_mask,
        search_cap=np.where(no_max, cap, np.inf),
    )


def project(v: FloatArray, lo: FloatArray, hi: FloatArray, total: float) -> FloatArray:
    """The point ``clip(v + tau, lo, hi)`` summing to ``total`` (bisection on ``tau``).

    This is the Euclidean projection onto ``{lo <= x <= hi, sum x = total}``; feasibility
    (``sum lo <= total <= sum hi``) is the caller's job."""
    span = float(np.max(np.where(np.isfinite(hi), hi, 0.0), initial=0.0)) + abs(total) + 1.0
    a, b = -span - float(np.max(np.abs(v))), span + float(np.max(np.abs(v)))
    for _ in range(200):
        mid = 0.5 * (a + b)
        if np.clip(v + mid, lo, hi).sum() > total:
            b = mid
        else:
            a = mid
    return np.asarray(np.clip(v + 0.5 * (a + b), lo, hi))
