"""Planning in time: the spend of every period and channel, ``x[t, c]``, chosen by the optimizer.

:func:`~mixwise.plan.optimize` splits channel totals over a fixed flighting pattern; here every
``x[t, c]`` of the ``H`` plan periods is a variable, within per-period bounds
``lo[t, c] <= x[t, c] <= hi[t, c]``. With ``s`` the scaled spend timeline (the ``L - 1``
periods of actual spend before the plan, the plan, then ``L - 1`` periods of no spend)::

    a[d, t, c] = sum_l w[d, c, l] s[t - l, c]          t = 0 .. H + L - 2 (plan + spill-over)
    M_d(x)     = sum_{t, c} delta_t beta[d, c] (f_c(a[d, t, c]) - f_c(a0[d, t, c]))
    dM_d / dx[s, c] = sum_l w[d, c, l] delta_{s+l} beta[d, c] f_c'(a[d, s + l, c]) / scale_c

``a0`` is the adstock of the spend before the plan alone, so ``M`` is the plan's incremental
KPI, carry-over spilling past the window included, and the carry-over from before the window
shapes the saturation the plan's first periods meet. ``delta_t = (1 + r)^-t`` discounts period
``t`` (``r = 0``: no discounting). Objectives:

- ``"kpi"``: most discounted KPI for exactly ``budget`` (``sum x = budget``);
- ``"profit"``: most ``value x M - sum_t delta_t sum_c x[t, c]``, spending at most ``budget``;
  with ``discount_rate > 0`` this is the plan's net present value (``"npv"`` is an alias).

``risk`` is any :class:`~mixwise.plan.objectives.Risk` (mean, mean - lambda sd, quantile, CVaR).
The model is additive (``kpi = baseline + media``), so the baseline's seasonality adds to the
KPI of each period (reported per period) but does not change the media's return; the timing
of spend is driven by carry-over, saturation, discounting and the per-period bounds. The start
is the best fixed even pattern (:func:`~mixwise.plan.optimize`), so the answer is never worse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from scipy.optimize import minimize

from mixwise.plan.adapter import as_response_model
from mixwise.plan.bounds import project
from mixwise.plan.errors import PlanError, PlanInfeasible
from mixwise.plan.forward import adstock_windows, timeline, windows
from mixwise.plan.objectives import FloatArray, Risk, parse_risk
from mixwise.plan.optimize import optimize
from mixwise.plan.protocols import Plannable
from mixwise.plan.response import ResponseModel
from mixwise.plan.summaries import DEFAULT_LEVEL, Estimate

TimeObjective = Literal["kpi", "profit", "npv"]
TIME_OBJECTIVES: tuple[str, ...] = ("kpi", "profit", "npv")

type PeriodBound = float | FloatArray | dict[str, float] | None
"""A per-period limit: one amount for every period and channel, ``{channel: amount}``, or a
``(periods, channel)`` array; ``None``: 0 (min) or no limit (max)."""


class TimeProblem:
    """Discounted media KPI of a ``(periods, channel)`` spend plan, with its exact gradient."""

    def __init__(self, model: ResponseModel, periods: int, discount_rate: float = 0.0) -> None:
        self.model = model
        self.periods = periods
        n_lag = model.l_max
        self.discount = (1.0 + discount_rate) ** -np.arange(periods + n_lag - 1, dtype=float)
        hist = windows(
            timeline(model, np.zeros((periods, model.n_channels)), model.n_periods), n_lag
        )
        self.weights = model.adstock_weights  # (D, C, L)
        a0 = adstock_windows(hist, self.weights)
        self.coef = model.coefficient[:, None, :] * self.discount[None, :, None]  # (D, T, C)
        self.const = (self.coef * model.saturate(a0)).sum(axis=(1, 2))  # (D,)

    def media_grad(self, x: FloatArray) -> tuple[FloatArray, FloatArray]:
        """``(M (draw,), dM/dx (draw, periods, channel))`` at spend ``x`` ``(periods, channel)``."""
        m = self.model
        a = adstock_windows(windows(timeline(m, x, m.n_periods), m.l_max), self.weights)
        f, g = m.saturate_value_grad(a)
        media = (self.coef * f).sum(axis=(1, 2)) - self.const
        q = self.coef * g / m.spend_scale  # (D, T, C) with T = periods + L - 1
        # dM/dx[s] = sum_l w[l] q[s + l]: windows of q forward in time, weights not reversed
        win = sliding_window_view(q, m.l_max, axis=1)  # (D, periods, C, L)
        grad = np.einsum("dscl,dcl->dsc", win, self.weights)
        return media, np.nan_to_num(grad, posinf=1e300)

    def media(self, x: FloatArray) -> FloatArray:
        return self.media_grad(x)[0]


def _period_bound(model: ResponseModel, periods: int, raw: PeriodBound, fill: float) -> FloatArray:
    c = model.n_channels
    if raw is None:
        return np.full((periods, c), fill)
    if isinstance(raw, dict):
        arr = np.full((periods, c), fill)
        for name, v in raw.items():
            arr[:, int(model.channel_index(name)[0])] = float(v)
    else:
        try:
            arr = np.broadcast_to(np.asarray(raw, dtype=np.float64), (periods, c)).copy()
        except ValueError:
            raise PlanError(
                f"per-period bounds must be one amount, one per channel or ({periods}, {c})"
            ) from None
    if np.any(np.isnan(arr)) or np.any(arr < 0):
        raise PlanError("per-period bounds must be amounts >= 0")
    return arr


@dataclass(frozen=True)
class TimePlan:
    """The chosen spend per period and channel, and what it is worth, with intervals.

    ``spend``: ``(period x channel)`` DataFrame; ``kpi``: the plan's (discounted) media KPI;
    ``objective_value``: the risk-adjusted objective; ``fixed_value``: the same objective at
    the best fixed even pattern (the start), so ``objective_value >= fixed_value``;
    ``per_period``: per plan period the media KPI (undiscounted, with the spill of earlier
    periods) and the baseline, as estimates; ``mroas``: ``(period x channel)`` posterior-mean
    marginal ROAS (KPI per currency for conversions).
    """

    spend: pd.DataFrame
    kpi: Estimate
    objective_value: float
    fixed_value: float
    per_period: pd.DataFrame
    mroas: pd.DataFrame
    lower: pd.DataFrame
    upper: pd.DataFrame
    objective: str
    risk: str
    discount_rate: float
    converged: bool
    message: str

    def to_dict(self) -> dict[str, object]:
        return {
            "objective": self.objective,
            "risk": self.risk,
            "discount_rate": self.discount_rate,
            "converged": self.converged,
            "message": self.message,
            "objective_value": self.objective_value,
            "fixed_value": self.fixed_value,
            "kpi": self.kpi.to_dict(),
            "periods": [
                {
                    "period": str(t.date()),
                    "spend": {c: float(v) for c, v in self.spend.loc[t].items()},
                    "media": self.per_period.loc[t, "media"].to_dict(),
                    "baseline": self.per_period.loc[t, "baseline"].to_dict(),
                }
                for t in self.spend.index
            ],
        }


def optimize_in_time(
    model: Plannable,
    budget: float | None,
    periods: int,
    *,
    min_per_period: PeriodBound = None,
    max_per_period: PeriodBound = None,
    objective: TimeObjective = "kpi",
    discount_rate: float = 0.0,
    risk: str | Risk = "mean",
    risk_lambda: float = 1.0,
    quantile: float = 0.1,
    level: float = DEFAULT_LEVEL,
    maxiter: int = 300,
) -> TimePlan:
    """Choose the spend of every period and channel (see the module docstring).

    Args:
        budget: total over the plan ("kpi", exact) or a cap ("profit"/"npv", optional).
        min_per_period, max_per_period: per-period limits (:data:`PeriodBound`).
        discount_rate: per period, ``>= 0``.
    """
    m = as_response_model(model)
    if objective not in TIME_OBJECTIVES:
        raise PlanError(
            f"unknown objective {objective!r} for planning in time",
            f"Use one of: {', '.join(TIME_OBJECTIVES)}.",
        )
    if not isinstance(periods, int | np.integer) or periods < 1:
        raise PlanError(f"periods must be a whole number >= 1, got {periods!r}")
    if not np.isfinite(discount_rate) or discount_rate < 0:
        raise PlanError(f"discount_rate must be >= 0 per period, got {discount_rate!r}")
    if budget is not None and (not np.isfinite(budget) or budget <= 0):
        raise PlanError(f"budget must be a positive amount, got {budget!r}")
    r = parse_risk(risk, risk_lambda, quantile)
    h, c = int(periods), m.n_channels
    lo = _period_bound(m, h, min_per_period, 0.0)
    hi = _period_bound(m, h, max_per_period, np.inf)
    if np.any(lo > hi):
        raise PlanInfeasible("a per-period minimum is above its maximum")
    profit = objective in ("profit", "npv")
    value = m.value_per_kpi
    if profit and value is None:
        raise PlanError(
            "a profit or NPV objective needs the KPI's value in currency",
            "Give revenue_per_conversion, or use objective 'kpi'.",
        )
    if not profit:
        if budget is None:
            raise PlanError("objective 'kpi' needs a budget", "Pass budget=<total over the plan>.")
        if lo.sum() > budget * (1 + 1e-9) or hi.sum() < budget * (1 - 1e-9):
            raise PlanInfeasible(
                f"the budget {budget:,.0f} does not fit the per-period bounds (minimums "
                f"{lo.sum():,.0f}, maximums {hi.sum():,.0f})",
                "Change the per-period minimums/maximums or the budget.",
            )
    if profit and not np.all(np.isfinite(hi)) and budget is None:
        recent = m.recent_spend()
        hi = np.minimum(hi, 10.0 * np.where(recent > 0, recent, recent.mean()))
    problem = TimeProblem(m, h, discount_rate)
    val = value or 1.0
    cost = problem.discount[:h, None] * np.ones((1, c)) if profit else np.zeros((h, c))
    cap = budget if budget is not None else float(np.minimum(hi, 1e300).sum())
    scale = max(float(budget or np.minimum(hi, 1e300).sum()), 1e-12)

    def fun(z: FloatArray) -> tuple[float, FloatArray]:
        x = np.maximum(z, 0.0).reshape(h, c) * scale
        media, grad = problem.media_grad(x)
        v, g = r.value_grad(val * media, val * grad.reshape(media.shape[0], -1))
        obj = v - float((cost * x).sum())
        return -obj, -(g - cost.ravel()) * scale

    start = _fixed_start(m, budget, h, lo, hi, profit, r)
    f_fixed = fun(start.ravel() / scale)[0]
    f0 = abs(f_fixed) or 1.0
    zlo, zhi = lo.ravel() / scale, np.minimum(hi.ravel(), cap) / scale  # one x <= the total

    def scaled(z: FloatArray) -> tuple[float, FloatArray]:
        f, g = fun(z)
        return f / f0, g / f0

    z0 = start.ravel() / scale
    if profit:  # unconstrained in the sum first; the cap, if it binds, as an equality
        z, ok, msg = _lbfgsb(scaled, z0, zlo, zhi, maxiter)
        if budget is not None and z.sum() > cap / scale:
            z, ok, msg = _augmented(scaled, z0, zlo, zhi, cap / scale, maxiter)
    else:
        z, ok, msg = _augmented(scaled, z0, zlo, zhi, 1.0, maxiter)
    f_best = fun(z)[0]
    if f_best > f_fixed:  # never worse than the fixed pattern
        z, f_best = start.ravel() / scale, f_fixed
    x = z.reshape(h, c) * scale
    return _summarise(
        m,
        problem,
        x,
        lo,
        hi,
        r,
        val,
        objective,
        discount_rate,
        -f_best,
        -f_fixed,
        ok,
        msg,
        level,
    )


def _lbfgsb(
    fun: Callable[[FloatArray], tuple[float, FloatArray]],
    z0: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    maxiter: int,
) -> tuple[FloatArray, bool, str]:
    res = minimize(
        fun,
        z0,
        jac=True,
        method="L-BFGS-B",
        bounds=list(zip(lo, hi, strict=True)),
        options={"maxiter": maxiter, "ftol": 1e-15, "gtol": 1e-10},
    )
    return np.clip(res.x, lo, hi), bool(res.success), str(res.message)


def _augmented(
    fun: Callable[[FloatArray], tuple[float, FloatArray]],
    z0: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    total: float,
    maxiter: int,
    rounds: int = 30,
) -> tuple[FloatArray, bool, str]:
    """Minimise ``fun`` over ``lo <= z <= hi``, ``sum z = total`` by the augmented Lagrangian
    ``fun(z) + lam (sum z - total) + rho/2 (sum z - total)^2``, each round by L-BFGS-B (box
    bounds natively, no dense matrices: fast for hundreds of variables, unlike SLSQP), then
    ``lam += rho (sum z - total)``. The last point is projected onto the constraints."""
    z = project(z0, lo, hi, total)
    lam = -float(np.median(fun(z)[1]))  # the multiplier at the start: minus a typical slope
    rho, gap_before = 10.0, np.inf
    ok, msg = False, "augmented Lagrangian: no round run"
    for _ in range(rounds):

        def lagr(v: FloatArray, lam: float = lam, rho: float = rho) -> tuple[float, FloatArray]:
            f, g = fun(v)
            gap = v.sum() - total
            return f + lam * gap + 0.5 * rho * gap * gap, g + lam + rho * gap

        z, ok, msg = _lbfgsb(lagr, z, lo, hi, maxiter)
        gap = float(z.sum() - total)
        lam += rho * gap
        if abs(gap) < 1e-10 * max(total, 1.0):
            break
        if abs(gap) > 0.25 * gap_before:
            rho *= 10.0
        gap_before = abs(gap)
    return project(z, lo, hi, total), ok, msg


def _fixed_start(
    m: ResponseModel,
    budget: float | None,
    h: int,
    lo: FloatArray,
    hi: FloatArray,
    profit: bool,
    risk: Risk,
) -> FloatArray:
    """The best fixed even pattern within the per-period bounds (the start and the benchmark)."""
    tot_lo, tot_hi = lo.sum(axis=0), hi.sum(axis=0)
    bounds = {
        ch: (float(tot_lo[i]), float(tot_hi[i]) if np.isfinite(tot_hi[i]) else None)
        for i, ch in enumerate(m.channels)
    }
    fixed = optimize(m, budget, h, bounds, "profit" if profit else "kpi", risk=risk)
    totals = np.array([fixed.allocation[ch] for ch in m.channels], dtype=float)
    even = np.broadcast_to(totals / h, (h, m.n_channels))
    return np.clip(even, lo, hi)


def _summarise(
    m: ResponseModel,
    problem: TimeProblem,
    x: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    r: Risk,
    value: float,
    objective: str,
    rate: float,
    best: float,
    fixed: float,
    ok: bool,
    msg: str,
    level: float,
) -> TimePlan:
    dates = m.future_dates(problem.periods)
    media, grad = problem.media_grad(x)
    undiscounted = TimeProblem(m, problem.periods)
    a = adstock_windows(windows(timeline(m, x, m.n_periods), m.l_max), m.adstock_weights)
    per_t = (undiscounted.coef * m.saturate(a)).sum(axis=2)[:, : problem.periods]
    a0 = adstock_windows(windows(timeline(m, 0 * x, m.n_periods), m.l_max), m.adstock_weights)
    per_t -= (undiscounted.coef * m.saturate(a0)).sum(axis=2)[:, : problem.periods]
    base = m.baseline_at(m.n_periods, problem.periods)
    rows = {
        "media": [Estimate.from_draws(per_t[:, t], level) for t in range(problem.periods)],
        "baseline": [Estimate.from_draws(base[:, t], level) for t in range(problem.periods)],
    }
    frame = lambda v: pd.DataFrame(v, index=dates, columns=list(m.channels))  # noqa: E731
    return TimePlan(
        spend=frame(x),
        kpi=Estimate.from_draws(media, level),
        objective_value=best,
        fixed_value=fixed,
        per_period=pd.DataFrame(rows, index=dates),
        mroas=frame(value * grad.mean(axis=0)),
        lower=frame(lo),
        upper=frame(hi),
        objective=objective,
        risk=r.describe(),
        discount_rate=rate,
        converged=ok,
        message=msg,
    )
