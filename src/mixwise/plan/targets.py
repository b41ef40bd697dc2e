"""Budgets set by a target: the largest budget that keeps ROAS (or CPA) on target, and the least
spend that reaches a KPI target.

Both search over the total budget ``S``; at each ``S`` the allocation is the most-KPI one
(:func:`~mixwise.plan.solver.solve_budget`), so the answer is also the best allocation of the
budget it finds. With ``K*(S)`` the best risk-adjusted media KPI for budget ``S``:

- ROAS target (Robyn's ``target_efficiency``, Meridian's flexible budget): the largest ``S``
  with ``value * K*(S) / S >= target``. A CPA target ``c`` is the same with ``value = 1`` and
  ``target = 1 / c`` (conversions per currency unit);
- KPI target: the smallest ``S`` with ``risk(baseline + carry-in + media) >= target``.

The search evaluates a geometric grid of budgets, then refines the crossing with Brent's
method to a relative tolerance of 1e-6.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from mixwise.plan.bounds import ResolvedBounds
from mixwise.plan.errors import PlanInfeasible
from mixwise.plan.objectives import AllocationProblem, FloatArray, Risk
from mixwise.plan.solver import Solution, solve_budget

GRID_POINTS = 12


@dataclass(frozen=True)
class TargetSearch:
    """What a target search found: the budget, its allocation and notes for the user."""

    total: float
    solution: Solution
    binding: str
    notes: tuple[str, ...]


def budget_range(rb: ResolvedBounds, cap: float | None) -> tuple[float, float]:
    """Smallest and largest total budget the bounds allow (searching within ``cap``)."""
    share_lo = float(rb.lo_share.sum())
    if share_lo >= 1:
        raise PlanInfeasible("the minimum shares add up to 100% or more")
    s_min = float(rb.lo.sum()) / (1 - share_lo)
    limit = np.minimum(rb.hi, rb.search_cap)
    s_max = float(limit.sum()) if not rb.hi_share.any() else float("inf")
    if cap is not None:
        s_max = min(s_max, cap)
    if not np.isfinite(s_max):
        s_max = float(np.minimum(rb.lo + rb.search_cap, 1e300).sum())
    if s_max < s_min:
        raise PlanInfeasible(
            f"the channel minimums ({s_min:,.0f}) exceed the largest budget allowed ({s_max:,.0f})"
        )
    return s_min, s_max


class _Solver:
    """Best allocation per total budget, warm-started from the last solution."""

    def __init__(
        self,
        problem: AllocationProblem,
        risk: Risk,
        rb: ResolvedBounds,
        offset: FloatArray | float,
        n_starts: int,
        seed: int,
    ) -> None:
        self.problem, self.risk, self.rb, self.offset = problem, risk, rb, offset
        self.n_starts, self.seed = n_starts, seed
        self.last: Solution | None = None
        self.cache: dict[float, Solution] = {}

    def __call__(self, total: float, final: bool = False) -> Solution:
        if total in self.cache and not final:
            return self.cache[total]
        lo, hi = self.rb.check(total)
        warm = None
        if self.last is not None and self.last.budget.sum() > 0:
            warm = self.last.budget * total / self.last.budget.sum()
        sol = solve_budget(
            self.problem,
            self.risk,
            total,
            lo,
            hi,
            offset=self.offset,
            n_starts=self.n_starts if final else 2,
            seed=self.seed,
            warm=warm,
        )
        self.cache[total] = self.last = sol
        return sol


def _grid(s_min: float, s_max: float, with_zero: bool) -> FloatArray:
    """Geometric grid from ``max(s_min, s_max / 1000)`` to ``s_max``, plus ``s_min`` itself
    (zero only where the score is defined there: not for ROAS)."""
    start = max(s_min, s_max * 1e-3)
    grid = np.geomspace(start, s_max, GRID_POINTS) if s_max > start else np.array([s_max])
    extra = [s_min] if s_min > 0 or with_zero else []
    return np.unique(np.concatenate([extra, grid]))


def search(
    solver: _Solver,
    score: Callable[[float, Solution], float],
    target: float,
    s_min: float,
    s_max: float,
    largest: bool,
    describe: str,
) -> TargetSearch:
    """The largest (``largest``) or smallest budget with ``score >= target``."""
    grid = _grid(s_min, s_max, with_zero=not largest)
    scores = np.array([score(s, solver(s)) for s in grid])
    ok = np.flatnonzero(scores >= target)
    if ok.size == 0:
        best = int(np.argmax(scores))
        raise PlanInfeasible(
            f"no budget within the bounds reaches the {describe} of {target:,.4g}: the best is "
            f"{scores[best]:,.4g} at a budget of {grid[best]:,.0f}",
            "Relax the target, widen the channel bounds, or raise the budget cap.",
        )
    i = int(ok[-1] if largest else ok[0])
    edge = i == grid.size - 1 if largest else i == 0
    if edge:
        total = float(grid[i])
        sol = solver(total, final=True)
        where = "the largest budget allowed" if largest else "the smallest budget allowed"
        note = f"The {describe} is met even at {where} ({total:,.0f}); the target does not bind."
        return TargetSearch(total, sol, "budget cap" if largest else "channel minimums", (note,))
    j = i + 1 if largest else i - 1
    lo_s, hi_s = sorted((float(grid[i]), float(grid[j])))
    total = brentq(lambda s: score(s, solver(s)) - target, lo_s, hi_s, xtol=1e-9 * hi_s, rtol=1e-6)
    sol = solver(float(total), final=True)
    return TargetSearch(float(total), sol, describe, ())
