"""Multi-start SLSQP over channel budgets with exact gradients.

Two problems, both over budgets ``b`` within ``lo <= b <= hi`` (channels with ``lo == hi``
are fixed and not variables):

- :func:`solve_budget`: maximise ``risk(offset_d + value * sum_c M_dc(b))`` with
  ``sum b = total`` (most KPI for a budget);
- :func:`solve_profit`: maximise ``risk(value * sum_c M_dc(b)) - sum b`` with
  ``sum b <= cap`` (most profit).

Variables are scaled to shares of the budget and the objective to O(1) so SLSQP's tolerances
mean the same at any currency scale. Starts: the recent allocation's shares, an even split and
``n_starts - 2`` seeded random points of the simplex, each projected onto the constraints (plus
any ``warm`` start); the best result wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from mixwise.plan.bounds import project
from mixwise.plan.objectives import AllocationProblem, FloatArray, Risk


@dataclass(frozen=True)
class Solution:
    """A solved allocation: budgets per channel and the risk-adjusted objective value."""

    budget: FloatArray
    value: float
    converged: bool
    message: str


def _starts(
    problem: AllocationProblem,
    free: np.ndarray,
    lo: FloatArray,
    hi: FloatArray,
    total: float,
    n_starts: int,
    seed: int,
    warm: FloatArray | None,
) -> list[FloatArray]:
    """Feasible starting points for the free channels (summing to ``total``)."""
    rng = np.random.default_rng(seed)
    recent = problem.model.recent_spend()[free]
    raw = []
    if warm is not None:
        raw.append(warm[free])
    if recent.sum() > 0:
        raw.append(recent / recent.sum() * total)
    raw.append(np.full(free.size, total / free.size))
    while len(raw) < n_starts + (warm is not None):
        raw.append(rng.dirichlet(np.ones(free.size)) * total)
    return [project(v, lo, hi, total) for v in raw]


def _make_objective(
    problem: AllocationProblem,
    risk: Risk,
    base: FloatArray,
    free: np.ndarray,
    scale_b: float,
    offset: FloatArray | float,
    value: float,
    spend_cost: float,
) -> Callable[[FloatArray], tuple[float, FloatArray]]:
    """``z -> (-objective, -gradient)`` in share units, unscaled in the objective."""

    def fun(z: FloatArray) -> tuple[float, FloatArray]:
        b = base.copy()
        b[free] = np.maximum(z, 0.0) * scale_b
        media, grad = problem.media_grad(b)
        v = offset + value * media.sum(axis=1)
        r, g = risk.value_grad(v, value * grad[:, free])
        obj = r - spend_cost * b.sum()
        return -obj, -(g - spend_cost) * scale_b

    return fun


def _run(
    fun: Callable[[FloatArray], tuple[float, FloatArray]],
    starts: list[FloatArray],
    lo: FloatArray,
    hi: FloatArray,
    constraints: list[dict[str, object]],
    scale_b: float,
) -> tuple[FloatArray, float, bool, str]:
    """Run SLSQP from each start; the best point (unscaled), value, convergence and message."""
    f0 = max(abs(fun(s / scale_b)[0]) for s in starts) or 1.0

    def scaled(z: FloatArray) -> tuple[float, FloatArray]:
        f, g = fun(z)
        return f / f0, g / f0

    bounds = list(zip(lo / scale_b, np.minimum(hi, 1e300) / scale_b, strict=True))
    best: tuple[FloatArray, float, bool, str] | None = None
    for s in starts:
        res = minimize(
            scaled,
            s / scale_b,
            jac=True,
            method="SLSQP",
            bounds=bounds,
            constraints=constraints,
            options={"ftol": 1e-12, "maxiter": 500},
        )
        z = np.clip(res.x, lo / scale_b, hi / scale_b)
        val = fun(z)[0]
        if best is None or val < best[1]:
            best = (z * scale_b, val, bool(res.success), str(res.message))
    assert best is not None
    return best


def solve_budget(
    problem: AllocationProblem,
    risk: Risk,
    total: float,
    lo: FloatArray,
    hi: FloatArray,
    *,
    offset: FloatArray | float = 0.0,
    value: float = 1.0,
    n_starts: int = 4,
    seed: int = 0,
    warm: FloatArray | None = None,
) -> Solution:
    """Most risk-adjusted KPI for exactly ``total`` spend (``sum lo <= total <= sum hi``)."""
    hi = np.minimum(hi, total)
    free = np.flatnonzero(hi - lo > 1e-9 * max(total, 1.0))
    base = lo.copy()
    free_total = total - float(np.delete(lo, free).sum())
    if free.size == 0:
        return _finish(problem, risk, base, offset, value, True, "all channels fixed")
    if free.size == 1:
        base[free] = free_total
        return _finish(problem, risk, base, offset, value, True, "one free channel")
    lo_f, hi_f = lo[free], hi[free]
    starts = _starts(problem, free, lo_f, hi_f, free_total, n_starts, seed, warm)
    scale_b = max(free_total, 1e-12)
    fun = _make_objective(problem, risk, base, free, scale_b, offset, value, 0.0)
    target = free_total / scale_b
    cons: list[dict[str, object]] = [
        {"type": "eq", "fun": lambda z: z.sum() - target, "jac": lambda z: np.ones_like(z)}
    ]
    z, _, ok, msg = _run(fun, starts, lo_f, hi_f, cons, scale_b)
    base[free] = project(z, lo_f, hi_f, free_total)
    return _finish(problem, risk, base, offset, value, ok, msg)


def solve_profit(
    problem: AllocationProblem,
    risk: Risk,
    cap: float,
    lo: FloatArray,
    hi: FloatArray,
    *,
    value: float = 1.0,
    n_starts: int = 4,
    seed: int = 0,
) -> Solution:
    """Most risk-adjusted profit ``value * media - spend`` with ``sum b <= cap``."""
    hi = np.minimum(hi, cap)
    if not np.all(np.isfinite(hi)):
        raise ValueError("solve_profit needs finite upper bounds (a cap or search caps)")
    free = np.flatnonzero(hi - lo > 1e-9 * max(float(hi.sum()), 1.0))
    base = lo.copy()
    if free.size == 0:
        return _finish(problem, risk, base, 0.0, value, True, "all channels fixed", 1.0)
    lo_f, hi_f = lo[free], hi[free]
    room = cap - float(np.delete(lo, free).sum())
    scale_b = max(float(np.minimum(hi_f, room).sum()), 1e-12)
    starts = [
        start
        for f in (1.0, 0.3)
        for start in _starts(
            problem, free, lo_f, hi_f, max(scale_b * f, float(lo_f.sum())), n_starts, seed, None
        )
    ]
    fun = _make_objective(problem, risk, base, free, scale_b, 0.0, value, 1.0)
    cons: list[dict[str, object]] = []
    if np.isfinite(cap):
        limit = room / scale_b
        cons.append(
            {"type": "ineq", "fun": lambda z: limit - z.sum(), "jac": lambda z: -np.ones_like(z)}
        )
    z, _, ok, msg = _run(fun, starts, lo_f, hi_f, cons, scale_b)
    if np.isfinite(cap) and z.sum() > room:
        z = project(z, lo_f, hi_f, room)
    base[free] = z
    return _finish(problem, risk, base, 0.0, value, ok, msg, 1.0)


def _finish(
    problem: AllocationProblem,
    risk: Risk,
    budget: FloatArray,
    offset: FloatArray | float,
    value: float,
    ok: bool,
    msg: str,
    spend_cost: float = 0.0,
) -> Solution:
    v = offset + value * problem.media(budget).sum(axis=1)
    return Solution(budget, risk.value(v) - spend_cost * float(budget.sum()), ok, msg)
