"""Efficiency frontier (best KPI over a range of budgets) and sensitivity of the optimum to one
channel's bounds.

Both re-run the fixed-budget optimizer (:func:`~mixwise.plan.solver.solve_budget`) warm-started
from the neighbouring solution, then summarise the per-draw media KPI of each optimum. The
frontier's ``mroas`` is the marginal return of one more currency unit of budget at the optimum:
``value x sum_c b_c dM/db_c / sum_c b_c`` (posterior mean), which equals the common mROAS of
the channels inside their bounds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from mixwise.plan.adapter import as_response_model
from mixwise.plan.bounds import BoundsLike, BoundUnit, ResolvedBounds, resolve_bounds
from mixwise.plan.errors import PlanError, PlanInfeasible
from mixwise.plan.objectives import AllocationProblem, Risk, parse_risk
from mixwise.plan.optimize import flighting_pattern
from mixwise.plan.protocols import Flighting, Plannable
from mixwise.plan.response import ResponseModel
from mixwise.plan.solver import Solution, solve_budget
from mixwise.plan.summaries import DEFAULT_LEVEL, Estimate


class _Setup:
    def __init__(
        self,
        model: Plannable,
        periods: int,
        bounds: BoundsLike | None,
        bounds_unit: BoundUnit,
        locked: Mapping[str, float] | Sequence[str] | None,
        risk: str | Risk,
        risk_lambda: float,
        quantile: float,
        flighting: Flighting,
    ) -> None:
        self.m: ResponseModel = as_response_model(model)
        self.problem = AllocationProblem(
            self.m, periods, flighting_pattern(self.m, periods, flighting)
        )
        self.rb = resolve_bounds(self.m, periods, bounds, bounds_unit, locked)
        self.risk = parse_risk(risk, risk_lambda, quantile)
        self.periods = periods

    def row(self, sol: Solution, level: float) -> dict[str, Any]:
        media, grad = self.problem.media_grad(sol.budget)
        value = self.m.value_per_kpi or 1.0
        total = float(sol.budget.sum())
        kpi = Estimate.from_draws(media.sum(axis=1), level)
        roas = Estimate.from_draws(value * media.sum(axis=1) / total, level)
        marginal = value * float((grad.mean(axis=0) * sol.budget).sum()) / total
        out: dict[str, Any] = {"budget": total}
        out |= {f"media_kpi_{k}": v for k, v in kpi.to_dict().items()}
        out |= {f"roas_{k}": v for k, v in roas.to_dict().items()}
        out["mroas"] = marginal
        out |= dict(zip(self.m.channels, sol.budget.tolist(), strict=True))
        return out


def efficiency_frontier(
    model: Plannable,
    periods: int,
    budgets: Sequence[float] | None = None,
    *,
    bounds: BoundsLike | None = None,
    bounds_unit: BoundUnit = "amount",
    locked: Mapping[str, float] | Sequence[str] | None = None,
    risk: str | Risk = "mean",
    risk_lambda: float = 1.0,
    quantile: float = 0.1,
    flighting: Flighting = None,
    n_starts: int = 3,
    seed: int = 0,
    level: float = DEFAULT_LEVEL,
) -> pd.DataFrame:
    """Optimal media KPI (mean, median, lo, hi), ROAS and marginal ROAS per budget, with the
    allocation (one column per channel). ``budgets`` default: 0.25x .. 2x the recent spend
    over ``periods`` (8 points). Budgets the bounds make infeasible are left out."""
    s = _Setup(model, periods, bounds, bounds_unit, locked, risk, risk_lambda, quantile, flighting)
    if budgets is None:
        recent = float(s.m.recent_spend().sum()) * periods
        budgets = list(np.linspace(0.25, 2.0, 8) * recent)
    bad = [b for b in budgets if not (np.isfinite(b) and b > 0)]
    if bad:
        raise PlanError(
            f"every frontier budget must be a positive amount; got {bad[0]!r}",
            "Give budgets above zero (in the dataset's currency, over the periods).",
        )
    rows, warm = [], None
    for total in sorted(float(b) for b in budgets):
        try:
            lo, hi = s.rb.check(total)
        except PlanInfeasible:
            continue
        if warm is not None:
            warm = warm * total / warm.sum()
        sol = solve_budget(
            s.problem, s.risk, total, lo, hi, n_starts=n_starts, seed=seed, warm=warm
        )
        warm = sol.budget if sol.budget.sum() > 0 else None
        rows.append(s.row(sol, level))
    if not rows:
        raise PlanInfeasible("none of the budgets is feasible with these bounds")
    return pd.DataFrame(rows)


def sensitivity(
    model: Plannable,
    budget: float,
    periods: int,
    channel: str,
    amounts: Sequence[float] | None = None,
    *,
    mode: Literal["lock", "max", "min"] = "lock",
    bounds: BoundsLike | None = None,
    bounds_unit: BoundUnit = "amount",
    locked: Mapping[str, float] | Sequence[str] | None = None,
    risk: str | Risk = "mean",
    risk_lambda: float = 1.0,
    quantile: float = 0.1,
    n_starts: int = 3,
    seed: int = 0,
    level: float = DEFAULT_LEVEL,
) -> pd.DataFrame:
    """How the optimum moves when ``channel``'s bound moves: for each amount, the channel is
    locked at it (``mode="lock"``), capped (``"max"``) or floored (``"min"``) and the rest
    re-optimised. Columns: the amount, the optimal media KPI (mean, lo, hi), its per-draw
    change against the unconstrained optimum (``change_*``), ROAS, and the allocation.
    ``amounts`` default: 0 .. 2x the channel's unconstrained optimal budget."""
    s = _Setup(model, periods, bounds, bounds_unit, locked, risk, risk_lambda, quantile, None)
    if mode not in ("lock", "max", "min"):
        raise PlanError(f"mode must be 'lock', 'max' or 'min', got {mode!r}")
    i = int(s.m.channel_index(channel)[0])
    lo, hi = s.rb.check(budget)
    best = solve_budget(s.problem, s.risk, budget, lo, hi, n_starts=n_starts, seed=seed)
    best_media = s.problem.media(best.budget).sum(axis=1)
    if amounts is None:
        ref = best.budget[i] or float(s.m.recent_spend()[i] * periods) or 0.2 * budget
        amounts = sorted({min(budget, f * ref) for f in (0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2)})
    rows = []
    for amount in amounts:
        rb = _moved(s.rb, i, float(amount), mode)
        try:
            lo, hi = rb.check(budget)
        except PlanInfeasible:
            continue
        sol = solve_budget(
            s.problem, s.risk, budget, lo, hi, n_starts=n_starts, seed=seed, warm=best.budget
        )
        row = {"channel": channel, "mode": mode, "amount": float(amount)} | s.row(sol, level)
        change = Estimate.from_draws(s.problem.media(sol.budget).sum(axis=1) - best_media, level)
        row |= {f"change_{k}": v for k, v in change.to_dict().items()}
        rows.append(row)
    return pd.DataFrame(rows)


def _moved(rb: ResolvedBounds, i: int, amount: float, mode: str) -> ResolvedBounds:
    lo, hi = rb.lo.copy(), rb.hi.copy()
    lo_s, hi_s = rb.lo_share.copy(), rb.hi_share.copy()
    if mode in ("lock", "min"):
        lo[i], lo_s[i] = amount, 0.0
    if mode in ("lock", "max"):
        hi[i], hi_s[i] = amount, 0.0
    return dataclasses.replace(rb, lo=lo, hi=hi, lo_share=lo_s, hi_share=hi_s)
