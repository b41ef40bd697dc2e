"""Recommendations derived from the model, each with its numbers and interval.

Three kinds, all computed per draw on the recent allocation over ``periods`` (recent spend per
period, spread evenly, carry-over from actual spend included):

- ``reallocate``: "Move 10% of TV budget (X) to Paid Search: +Y revenue (90% interval a to b)".
  For every pair of channels the change in media KPI of moving ``shift`` of the first one's
  budget to the second, per draw. A move is recommended only when its whole interval is above
  zero; per source channel the best destination is kept.
- ``waste``: a channel whose steady-state marginal ROAS at its current spend is below the
  threshold (1.0 for revenue KPIs: the last currency unit returns less than it costs), i.e.
  that spends past its saturation point, with its whole interval below: ``mROAS_hi <
  threshold``. A channel whose interval reaches the threshold is not flagged (the data cannot
  tell whether its last unit pays), so a "cut" is never advised on an uncertain estimate.
- ``saturation``: every channel's saturation point (steady spend per period where mROAS falls
  to the threshold) and the headroom from its current spend.

Nothing here is a rule of thumb: every number comes from the model's draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from mixwise.plan.adapter import as_response_model
from mixwise.plan.curves import response_curves
from mixwise.plan.objectives import AllocationProblem
from mixwise.plan.protocols import Plannable
from mixwise.plan.response import FloatArray, ResponseModel
from mixwise.plan.summaries import DEFAULT_LEVEL, Estimate

Kind = Literal["reallocate", "waste", "saturation"]


@dataclass(frozen=True)
class Recommendation:
    """One recommendation: a sentence, the estimate behind it and the numbers it uses."""

    kind: Kind
    channels: tuple[str, ...]
    message: str
    estimate: Estimate
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "channels": list(self.channels),
            "message": self.message,
            "estimate": self.estimate.to_dict(),
            "details": self.details,
        }


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}"


def _per(m: ResponseModel) -> str:
    return "per week" if m.frequency == "weekly" else "per day"


def reallocation_deltas(
    m: ResponseModel, periods: int, shift: float
) -> tuple[FloatArray, FloatArray]:
    """``(current budgets (C,), deltas (draw, from, to))``: media KPI change of moving
    ``shift`` of channel ``from``'s budget to channel ``to`` (0 on the diagonal)."""
    problem = AllocationProblem(m, periods)
    b = m.recent_spend() * periods
    base = problem.media(b)  # (D, C)
    loss = problem.media(b * (1 - shift)) - base  # channels are separable
    c = m.n_channels
    deltas = np.zeros((m.n_draws, c, c))
    for f in range(c):  # one evaluation per source channel, all destinations at once
        gain = problem.media(b + shift * b[f]) - base
        deltas[:, f, :] = loss[:, f : f + 1] + gain
        deltas[:, f, f] = 0.0
    return b, deltas


def _reallocations(
    m: ResponseModel, periods: int, shift: float, level: float
) -> list[Recommendation]:
    b, deltas = reallocation_deltas(m, periods, shift)
    out = []
    for f, src in enumerate(m.channels):
        if b[f] <= 0:
            continue
        means = deltas[:, f, :].mean(axis=0)
        means[f] = -np.inf
        t = int(np.argmax(means))
        est = Estimate.from_draws(deltas[:, f, t], level)
        if not est.lo > 0:
            continue
        dst, moved = m.channels[t], shift * b[f]
        msg = (
            f"Move {shift:.0%} of {src} budget ({_fmt(moved)} over {periods} periods) to "
            f"{dst}: +{_fmt(est.mean)} {m.kpi_name} ({round(level * 100)}% interval "
            f"{_fmt(est.lo)} to {_fmt(est.hi)})"
        )
        details = {
            "amount": moved,
            "periods": periods,
            "shift": shift,
            "probability_positive": float(np.mean(deltas[:, f, t] > 0)),
        }
        out.append(Recommendation("reallocate", (src, dst), msg, est, details))
    return sorted(out, key=lambda r: -r.estimate.mean)


def recommendations(
    model: Plannable,
    periods: int | None = None,
    *,
    shift: float = 0.10,
    threshold: float | None = None,
    max_marginal_cpa: float | None = None,
    top: int = 5,
    level: float = DEFAULT_LEVEL,
) -> list[Recommendation]:
    """Reallocation moves (best first, at most ``top``), waste flags and saturation points.

    ``periods`` defaults to the recent window (13 weeks / 90 days); ``threshold`` (mROAS) or
    ``max_marginal_cpa`` define waste and saturation (default 1.0 for revenue KPIs; conversion
    KPIs without a value get no waste/saturation items unless one is given)."""
    m = as_response_model(model)
    periods = m.recent_periods if periods is None else periods
    if not 0 < shift < 1:
        raise ValueError("shift must be in (0, 1)")
    recs = _reallocations(m, periods, shift, level)[:top]
    curves = response_curves(m, threshold=threshold, max_marginal_cpa=max_marginal_cpa, level=level)
    if curves.saturation is None:
        return recs
    marg = curves.at(curves.current)[1][:, 0, :]
    thr = curves.threshold
    per = _per(m)
    for i, name in enumerate(m.channels):
        cur = float(curves.current[i])
        sat = Estimate.from_draws(curves.saturation[:, i], level)
        room = Estimate.from_draws(curves.saturation[:, i] - cur, level)
        mr = Estimate.from_draws(marg[:, i], level)
        pct = round(level * 100)
        details = {
            "current_spend": cur,
            "saturation_spend": sat.to_dict(),
            "headroom": room.to_dict(),
            "mroas": mr.to_dict(),
            "threshold": thr,
        }
        if cur > 0 and thr is not None and mr.hi < thr:
            where = (
                "even its first units return less than they cost"
                if sat.hi == 0
                else f"it spends past its saturation point of {_fmt(sat.mean)} {per} "
                f"({pct}% interval {_fmt(sat.lo)} to {_fmt(sat.hi)})"
            )
            msg = (
                f"{name}: marginal ROAS {mr.mean:.2f} ({pct}% interval {mr.lo:.2f} to "
                f"{mr.hi:.2f}) is below {thr:g} at its current {_fmt(cur)} {per}; {where}"
            )
            recs.append(Recommendation("waste", (name,), msg, mr, details))
        msg = (
            f"{name}: saturation point {_fmt(sat.mean)} {per} ({pct}% interval {_fmt(sat.lo)} "
            f"to {_fmt(sat.hi)}); headroom {room.mean:+,.0f} {per} from the current "
            f"{_fmt(cur)}"
        )
        recs.append(Recommendation("saturation", (name,), msg, sat, details))
    return recs
