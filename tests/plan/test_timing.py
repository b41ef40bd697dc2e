"""Planning in time: spend per period and channel within per-period bounds."""

from __future__ import annotations

import numpy as np
import pytest

from mixwise.plan import PlanError, PlanInfeasible, ResponseModel, Risk
from mixwise.plan.timing import TimeProblem, optimize_in_time

PERIODS = 8


def test_gradient_matches_finite_differences(small_draws: ResponseModel) -> None:
    m = small_draws.thin(5)
    prob = TimeProblem(m, PERIODS, discount_rate=0.01)
    rng = np.random.default_rng(0)
    x = rng.uniform(0.5, 1.5, (PERIODS, m.n_channels)) * m.recent_spend()
    _, grad = prob.media_grad(x)
    for t, c in [(0, 0), (3, 1), (PERIODS - 1, 2)]:
        e = np.zeros_like(x)
        h = 1e-3 * x[t, c]
        e[t, c] = h
        fd = (prob.media(x + e) - prob.media(x - e)) / (2 * h)
        np.testing.assert_allclose(grad[:, t, c], fd, rtol=1e-5)


def test_media_matches_the_fixed_plan_problem(small_truth: ResponseModel) -> None:
    """An even plan's media KPI equals the allocation problem's (same carry-in and spill)."""
    from mixwise.plan.objectives import AllocationProblem

    budgets = small_truth.recent_spend() * PERIODS
    even = np.broadcast_to(budgets / PERIODS, (PERIODS, small_truth.n_channels))
    ours = TimeProblem(small_truth, PERIODS).media(even)
    theirs = AllocationProblem(small_truth, PERIODS).media(budgets).sum(axis=1)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)


def test_kpi_keeps_budget_and_bounds_and_equalises_mroas(small_truth: ResponseModel) -> None:
    budget = float(small_truth.recent_spend().sum() * PERIODS)
    hi = {"TV": 70_000.0}
    lo = {"Social": 5_000.0}
    plan = optimize_in_time(
        small_truth, budget, PERIODS, min_per_period=lo, max_per_period=hi, maxiter=500
    )
    x = plan.spend.to_numpy()
    assert x.sum() == pytest.approx(budget, rel=1e-6)
    assert (plan.spend["TV"] <= 70_000 * (1 + 1e-6)).all()
    assert (plan.spend["Social"] >= 5_000 * (1 - 1e-6)).all()
    assert plan.objective_value >= plan.fixed_value - 1e-9 * abs(plan.fixed_value)
    # equal marginal ROAS where no bound binds, within each period (and across periods:
    # one budget constraint) -- within 1%
    free = (x > plan.lower.to_numpy() + 1e-3 * x.mean()) & (
        x < plan.upper.to_numpy() - 1e-3 * x.mean()
    )
    mroas = plan.mroas.to_numpy()[free]
    assert free.sum() >= PERIODS
    assert mroas.max() / mroas.min() - 1 < 0.01
    for t in range(PERIODS):
        row = plan.mroas.to_numpy()[t][free[t]]
        if row.size > 1:
            assert row.max() / row.min() - 1 < 0.01


def test_discounting_moves_spend_earlier(small_truth: ResponseModel) -> None:
    """A discounted KPI (fixed budget) values late returns less, so more of the budget goes to
    the first half of the window than without discounting."""
    budget = float(small_truth.recent_spend().sum() * PERIODS)
    plain = optimize_in_time(small_truth, budget, PERIODS)
    disc = optimize_in_time(small_truth, budget, PERIODS, discount_rate=0.05)
    half = PERIODS // 2
    early = [p.spend.iloc[:half].to_numpy().sum() / budget for p in (plain, disc)]
    assert early[1] > early[0] + 0.01
    assert disc.objective_value >= disc.fixed_value - 1e-9 * abs(disc.fixed_value)


def test_npv_profit(small_truth: ResponseModel) -> None:
    """NPV: value x discounted media - discounted spend; at least the fixed pattern's, and
    the reported value is the NPV recomputed from the plan."""
    rate = 0.02
    npv = optimize_in_time(small_truth, None, PERIODS, objective="npv", discount_rate=rate)
    assert npv.objective_value >= npv.fixed_value - 1e-9 * abs(npv.fixed_value)
    x = npv.spend.to_numpy()
    delta = (1 + rate) ** -np.arange(PERIODS)
    media = TimeProblem(small_truth, PERIODS, rate).media(x)
    assert npv.objective_value == pytest.approx(media.mean() - (delta[:, None] * x).sum())
    assert npv.objective_value > 0


def test_cvar_objective(small_draws: ResponseModel) -> None:
    m = small_draws.thin(40)
    budget = float(m.recent_spend().sum() * PERIODS)
    plan = optimize_in_time(m, budget, PERIODS, risk="cvar", quantile=0.2)
    assert plan.spend.to_numpy().sum() == pytest.approx(budget, rel=1e-6)
    assert "CVaR" in plan.risk
    assert plan.objective_value >= plan.fixed_value - 1e-9 * abs(plan.fixed_value)
    v = np.arange(10.0)
    g = np.eye(10)
    val, grad = Risk("cvar", q=0.2).value_grad(v, g)
    assert val == pytest.approx(0.5)
    np.testing.assert_allclose(grad, [0.5, 0.5] + [0] * 8)


def test_infeasible_and_bad_inputs(small_truth: ResponseModel) -> None:
    with pytest.raises(PlanInfeasible, match="per-period bounds"):
        optimize_in_time(small_truth, 1e6, PERIODS, max_per_period=1_000.0)
    with pytest.raises(PlanError, match="discount_rate"):
        optimize_in_time(small_truth, 1e6, PERIODS, discount_rate=-0.1)
    with pytest.raises(PlanError, match="needs a budget"):
        optimize_in_time(small_truth, None, PERIODS)


def test_per_period_bounds_are_checked(small_truth: ResponseModel) -> None:
    with pytest.raises(PlanError, match="amounts >= 0"):
        optimize_in_time(small_truth, 1e6, PERIODS, max_per_period={"TV": -1.0})
    with pytest.raises(PlanError, match="unknown channel"):
        optimize_in_time(small_truth, 1e6, PERIODS, max_per_period={"Radio": 1.0})
    with pytest.raises(PlanError, match="one per channel"):
        optimize_in_time(small_truth, 1e6, PERIODS, max_per_period=np.ones(7))
