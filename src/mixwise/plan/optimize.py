"""The budget optimizer: ``optimize(model, budget, periods, bounds, objective)``.

Objectives (all over channel budgets for the next ``periods`` periods, spent evenly or with a
given flighting pattern; "KPI" below is the plan's media KPI -- its incremental KPI including
the carry-over after the plan, see :mod:`mixwise.plan.simulate`):

- ``"kpi"``: most KPI for exactly ``budget``;
- ``"profit"``: most ``value x KPI - spend``, spending at most ``budget`` (if given);
- ``"roas_target"``: the largest budget whose best allocation keeps ROAS >= ``target``;
- ``"cpa_target"``: the largest budget whose best allocation keeps CPA <= ``target``;
- ``"kpi_target"``: the least spend whose best allocation reaches a total KPI (baseline +
  media) of ``target`` over the plan periods.

``risk`` picks what is maximised over draws (:class:`~mixwise.plan.objectives.Risk`): the
posterior mean, mean - lambda x sd, or a lower quantile. Every number in the result is then
re-simulated on all draws with intervals, against the recent allocation
(:func:`~mixwise.plan.simulate.baseline_plan`) over the same periods.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from mixwise.plan.adapter import as_response_model
from mixwise.plan.bounds import BoundsLike, BoundUnit, ResolvedBounds, resolve_bounds
from mixwise.plan.errors import PlanError, PlanInfeasible
from mixwise.plan.objectives import AllocationProblem, Risk, parse_risk
from mixwise.plan.optimum import OptimizationResult
from mixwise.plan.protocols import Flighting, Plannable
from mixwise.plan.response import ResponseModel
from mixwise.plan.simulate import baseline_plan, simulate
from mixwise.plan.solver import Solution, solve_budget, solve_profit
from mixwise.plan.summaries import DEFAULT_LEVEL
from mixwise.plan.targets import _Solver, budget_range, search

Objective = Literal["kpi", "profit", "roas_target", "cpa_target", "kpi_target"]
OBJECTIVES: tuple[str, ...] = ("kpi", "profit", "roas_target", "cpa_target", "kpi_target")


def flighting_pattern(
    model: ResponseModel, periods: int, flighting: Flighting
) -> np.ndarray | None:
    """``None`` (even spend) or a ``(periods, channel)`` pattern whose columns sum to 1."""
    if flighting is None or (isinstance(flighting, str) and flighting == "even"):
        return None
    if not isinstance(flighting, pd.DataFrame):
        raise PlanError("flighting must be 'even' or a DataFrame (periods x channels)")
    missing = [c for c in model.channels if c not in flighting.columns]
    if missing or len(flighting) != periods:
        raise PlanError(
            f"flighting needs {periods} rows and a column per channel (missing: {missing})"
        )
    w = flighting[list(model.channels)].to_numpy(dtype=np.float64)
    sums = w.sum(axis=0)
    if np.any(~np.isfinite(w)) or np.any(w < 0) or np.any(sums <= 0):
        raise PlanError("flighting weights must be >= 0 with a positive total per channel")
    return np.asarray(w / sums)


def optimize(
    model: Plannable,
    budget: float | None,
    periods: int,
    bounds: BoundsLike | None = None,
    objective: Objective = "kpi",
    *,
    target: float | None = None,
    locked: Mapping[str, float] | Sequence[str] | None = None,
    bounds_unit: BoundUnit = "amount",
    risk: str | Risk = "mean",
    risk_lambda: float = 1.0,
    quantile: float = 0.1,
    flighting: Flighting = None,
    n_starts: int = 4,
    seed: int = 0,
    level: float = DEFAULT_LEVEL,
) -> OptimizationResult:
    """Find the best allocation of a budget across channels (see the module docstring).

    Args:
        model: a FitResult or :class:`~mixwise.plan.ResponseModel`.
        budget: total spend over ``periods`` ("kpi"), or a cap (other objectives; optional).
        periods: plan length in periods, starting right after the data.
        bounds: per-channel limits: ``{channel: Bound | (min, max)}`` (tuples in
            ``bounds_unit``: ``"amount"``, ``"share"`` of the total, ``"multiple"`` of recent
            spend), or a ``channel,min,max`` table / CSV path (amounts).
        objective: ``"kpi"``, ``"profit"``, ``"roas_target"``, ``"cpa_target"``,
            ``"kpi_target"``; ``target`` gives the ROAS, CPA or KPI for the target objectives.
        locked: channels whose spend is fixed: ``{channel: amount}``, or names (recent level).
        risk, risk_lambda, quantile: ``"mean"``, ``"mean_sd"`` (mean - risk_lambda x sd) or
            ``"quantile"`` (that lower quantile over draws).
        flighting: ``None``/``"even"`` or a ``(periods x channel)`` DataFrame of weights.
        n_starts: SLSQP starts (recent shares, even split, seeded random points).
    """
    m = as_response_model(model)
    if objective not in OBJECTIVES:
        raise PlanError(f"unknown objective {objective!r}", f"Use one of: {', '.join(OBJECTIVES)}.")
    if not isinstance(periods, int | np.integer) or periods < 1:
        raise PlanError(f"periods must be a whole number >= 1, got {periods!r}")
    if budget is not None and (not np.isfinite(budget) or budget <= 0):
        raise PlanError(f"budget must be a positive amount, got {budget!r}")
    r = parse_risk(risk, risk_lambda, quantile)
    problem = AllocationProblem(m, int(periods), flighting_pattern(m, int(periods), flighting))
    rb = resolve_bounds(m, int(periods), bounds, bounds_unit, locked)
    notes: list[str] = []
    if objective == "kpi":
        if budget is None:
            raise PlanError(
                "objective 'kpi' needs a budget", "Pass budget=<total over the periods>."
            )
        lo, hi = rb.check(budget)
        sol = solve_budget(problem, r, budget, lo, hi, n_starts=n_starts, seed=seed)
        binding_goal = "total budget"
    elif objective == "profit":
        sol, binding_goal = _profit(m, problem, r, rb, budget, n_starts, seed)
    else:
        sol, binding_goal, extra = _target(
            m, problem, r, rb, objective, target, budget, n_starts, seed
        )
        notes.extend(extra)
    return _result(m, problem, r, rb, objective, target, sol, binding_goal, notes, level, flighting)


def _value(m: ResponseModel, objective: str) -> float:
    value = m.value_per_kpi
    if value is None:
        raise PlanError(
            f"objective {objective!r} needs the KPI's value in currency",
            "The KPI is conversions: give revenue_per_conversion, or use 'kpi', 'cpa_target' "
            "or 'kpi_target'.",
        )
    return value


def _profit(
    m: ResponseModel,
    problem: AllocationProblem,
    r: Risk,
    rb: ResolvedBounds,
    budget: float | None,
    n_starts: int,
    seed: int,
) -> tuple[Solution, str]:
    value = _value(m, "profit")
    cap = float("inf") if budget is None else budget
    if (rb.lo_share.any() or rb.hi_share.any()) and budget is None:
        raise PlanError("share bounds need a budget to be shares of", "Pass budget=<cap>.")
    lo, hi = rb.at(cap if np.isfinite(cap) else 0.0)
    if lo.sum() > cap:
        rb.check(cap, "the budget cap")
    hi = np.minimum(hi, rb.search_cap)
    sol = solve_profit(problem, r, cap, lo, hi, value=value, n_starts=n_starts, seed=seed)
    spent = float(sol.budget.sum())
    return sol, ("budget cap" if np.isfinite(cap) and spent >= cap * (1 - 1e-6) else "")


def _target(
    m: ResponseModel,
    problem: AllocationProblem,
    r: Risk,
    rb: ResolvedBounds,
    objective: str,
    target: float | None,
    budget: float | None,
    n_starts: int,
    seed: int,
) -> tuple[Solution, str, tuple[str, ...]]:
    if target is None or not np.isfinite(target) or target <= 0:
        raise PlanError(f"objective {objective!r} needs a positive target, got {target!r}")
    s_min, s_max = budget_range(rb, budget)
    if objective == "kpi_target":
        offset = m.future_baseline(problem.periods).sum(axis=1) + problem.const.sum(axis=1)
        solver = _Solver(problem, r, rb, offset, n_starts, seed)
        found = search(solver, lambda s, sol: sol.value, target, s_min, s_max, False, "KPI target")
        return found.solution, found.binding, found.notes
    if objective == "cpa_target":
        if m.kpi_type != "conversions":
            raise PlanError("a CPA target needs a conversions KPI", "Use 'roas_target'.")
        value, goal, name = 1.0, 1.0 / target, "CPA target"
    else:
        value, goal, name = _value(m, objective), target, "ROAS target"
    solver = _Solver(problem, r, rb, 0.0, n_starts, seed)
    found = search(solver, lambda s, sol: value * sol.value / s, goal, s_min, s_max, True, name)
    return found.solution, found.binding, found.notes


def _binding(m: ResponseModel, rb: ResolvedBounds, b: np.ndarray, goal: str) -> list[str]:
    total = float(b.sum())
    lo, hi = rb.at(total)
    tol = 1e-6 * max(total, 1.0)
    out = [goal] if goal else []
    for i, name in enumerate(m.channels):
        if rb.locked[i]:
            out.append(f"{name} locked at {lo[i]:,.0f}")
        elif hi[i] - b[i] <= tol:
            out.append(f"{name} at its maximum ({hi[i]:,.0f})")
        elif rb.search_cap[i] - b[i] <= tol:
            out.append(f"{name} at the search limit ({rb.search_cap[i]:,.0f}, 10x recent spend)")
        elif b[i] - lo[i] <= tol:
            out.append(f"{name} at its minimum ({lo[i]:,.0f})")
    return out


def _result(
    m: ResponseModel,
    problem: AllocationProblem,
    r: Risk,
    rb: ResolvedBounds,
    objective: str,
    target: float | None,
    sol: Solution,
    goal: str,
    notes: list[str],
    level: float,
    flighting: Flighting,
) -> OptimizationResult:
    b = sol.budget
    if not np.all(np.isfinite(b)):
        raise PlanInfeasible("the optimizer found no valid allocation", "Check the bounds.")
    plan = pd.DataFrame(
        problem.pattern * b, index=m.future_dates(problem.periods), columns=list(m.channels)
    )
    if not sol.converged:
        notes.append(f"SLSQP reported: {sol.message} (best of the starts kept)")
    return OptimizationResult(
        objective=objective,
        risk=r,
        target=target,
        periods=problem.periods,
        allocation=pd.Series(b, index=list(m.channels), name="allocation"),
        plan=plan,
        optimal=simulate(m, plan, level),
        current=simulate(m, baseline_plan(m, problem.periods), level),
        binding=tuple(_binding(m, rb, b, goal)),
        notes=tuple(notes),
        objective_value=sol.value,
        gradient=problem.media_grad(b)[1],
    )
