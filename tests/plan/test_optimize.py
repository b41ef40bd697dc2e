"""The optimizer against brute force, optimality conditions, the objectives' errors, flighting,
and PyMC-Marketing's own budget optimizer on a real fit (slow)."""

from __future__ import annotations

import dataclasses
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.plan.support import PERIODS, budget_of

from mixwise.plan import (
    PlanError,
    PlanInfeasible,
    ResponseModel,
    as_response_model,
    optimize,
)
from mixwise.plan.objectives import AllocationProblem


def grid_best(problem: AllocationProblem, budget: float, n: int = 400) -> float:
    """Brute force over the 3-channel simplex on an n-step grid (posterior-mean media KPI).

    Channels are separable, so each channel's media KPI on the 1-d grid is computed once and the
    simplex is the sum ``M0(i) + M1(j) + M2(n - i - j)``."""
    amounts = np.linspace(0.0, budget, n + 1)
    curves = np.array([problem.media(np.full(3, a)).mean(axis=0) for a in amounts])  # (n+1, 3)
    i, j = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    k = n - i - j
    ok = k >= 0
    total = curves[i[ok], 0] + curves[j[ok], 1] + curves[k[ok], 2]
    return float(total.max())


@pytest.mark.parametrize("model", ["small_truth", "hill_truth", "small_draws"])
@pytest.mark.parametrize("factor", [0.5, 1.0, 2.0])
def test_optimum_matches_brute_force_grid(model: str, factor: float, request: Any) -> None:
    m: ResponseModel = request.getfixturevalue(model)
    budget = budget_of(m, factor)
    res = optimize(m, budget, PERIODS)
    problem = AllocationProblem(m, PERIODS)
    best = grid_best(problem, budget)
    found = float(problem.media(res.allocation.to_numpy()).sum(axis=1).mean())
    assert found >= best * (1 - 1e-9)  # never worse than the grid ...
    assert found <= best * 1.005  # ... and the grid is within 0.5% of it
    assert res.budget == pytest.approx(budget, rel=1e-9)


@pytest.mark.parametrize("model", ["small_truth", "small_draws", "demo_draws"])
def test_unconstrained_channels_have_equal_mroas(model: str, request: Any) -> None:
    m: ResponseModel = request.getfixturevalue(model)
    res = optimize(m, budget_of(m), PERIODS)
    alloc = res.allocation.to_numpy()
    inside = alloc > 1e-6 * res.budget
    assert inside.sum() >= 2
    mroas = res.marginal_roas().to_numpy()
    np.testing.assert_allclose(mroas[inside], mroas[inside].mean(), rtol=1e-3)
    assert np.all(mroas[~inside] <= mroas[inside].mean() * (1 + 1e-3))  # corners pay less


def test_risk_adjusted_optimum_beats_mean_optimum_on_its_own_measure(
    demo_draws: ResponseModel,
) -> None:
    budget = budget_of(demo_draws)
    problem = AllocationProblem(demo_draws, PERIODS)
    mean_opt = optimize(demo_draws, budget, PERIODS).allocation.to_numpy()
    for risk, kw in (("mean_sd", {"risk_lambda": 2.0}), ("quantile", {"quantile": 0.05})):
        res = optimize(demo_draws, budget, PERIODS, risk=risk, **kw)
        r = res.risk
        ours = r.value(problem.media(res.allocation.to_numpy()).sum(axis=1))
        assert ours >= r.value(problem.media(mean_opt).sum(axis=1)) - 1e-6 * abs(ours)
        assert res.objective_value == pytest.approx(ours)


def test_profit_optimum_has_mroas_one(small_draws: ResponseModel) -> None:
    res = optimize(small_draws, None, PERIODS, objective="profit")
    mroas = res.marginal_roas()
    inside = res.allocation > 1e-6 * res.budget
    np.testing.assert_allclose(mroas[inside], 1.0, rtol=1e-3)
    assert np.all(mroas[~inside] <= 1 + 1e-3)
    capped = optimize(small_draws, res.budget * 0.5, PERIODS, objective="profit")
    assert capped.budget == pytest.approx(res.budget * 0.5, rel=1e-6)
    assert "budget cap" in capped.binding


def test_binding_constraints_are_reported(small_truth: ResponseModel) -> None:
    budget = budget_of(small_truth)
    free = optimize(small_truth, budget, PERIODS)
    cap = 0.5 * free.allocation["Search"]
    res = optimize(small_truth, budget, PERIODS, bounds={"Search": (None, cap)})
    assert res.allocation["Search"] == pytest.approx(cap, rel=1e-6)
    assert "total budget" in res.binding
    assert f"Search at its maximum ({cap:,.0f})" in res.binding


def test_infeasible_requests_say_why(small_truth: ResponseModel) -> None:
    budget = budget_of(small_truth)
    with pytest.raises(PlanInfeasible, match=r"minimums add up to .* more than the budget"):
        optimize(small_truth, budget, PERIODS, bounds={"TV": (budget, None), "Search": (1, None)})
    with pytest.raises(PlanInfeasible, match="cannot be spent: the channel maximums add up"):
        optimize(small_truth, budget, PERIODS, bounds={c: (0, 1000) for c in small_truth.channels})
    with pytest.raises(PlanInfeasible, match="reaches the KPI target"):
        optimize(small_truth, None, PERIODS, objective="kpi_target", target=1e12)
    with pytest.raises(PlanInfeasible, match=r"min .* > max"):
        optimize(small_truth, budget, PERIODS, bounds={"TV": (10, 5)})
    with pytest.raises(PlanError, match="needs a budget"):
        optimize(small_truth, None, PERIODS)
    with pytest.raises(PlanError, match="unknown channel"):
        optimize(small_truth, budget, PERIODS, bounds={"Radio": (0, 1)})


def test_profit_on_conversions_needs_a_value(conversions_truth: ResponseModel) -> None:
    with pytest.raises(PlanError, match="revenue_per_conversion"):
        optimize(conversions_truth, None, PERIODS, objective="profit")


def test_flighting_pattern_is_followed(small_truth: ResponseModel) -> None:
    weights = pd.DataFrame(
        {c: np.linspace(1, 2, PERIODS) for c in small_truth.channels},
    )
    res = optimize(small_truth, budget_of(small_truth), PERIODS, flighting=weights)
    tv = res.plan["TV"].to_numpy()
    np.testing.assert_allclose(tv / tv.sum(), np.linspace(1, 2, PERIODS) / weights["TV"].sum())


def test_conversions_with_a_value_allow_profit(conversions_truth: ResponseModel) -> None:
    m = dataclasses.replace(conversions_truth, revenue_per_conversion=30.0)
    res = optimize(m, None, PERIODS, objective="profit")
    d = res.optimal.metric_draws()
    np.testing.assert_allclose(d["roas"], 30.0 * d["media_kpi"] / res.budget)
    np.testing.assert_allclose(d["cpa"], res.budget / d["media_kpi"])
    inside = res.allocation > 1e-6 * res.budget
    np.testing.assert_allclose(res.marginal_roas()[inside], 1.0, rtol=1e-3)


@pytest.mark.slow
def test_optimum_at_least_pymc_marketing_budget_optimizer(quick_fit: Any) -> None:
    m = as_response_model(quick_fit)
    per_period = float(m.recent_spend().sum())
    start = m.dates[-1] + m.step
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        optimizer = quick_fit.native.budget_optimizer(
            start_date=start, end_date=start + m.step * (PERIODS - 1)
        )
        theirs = optimizer.allocate_budget(total_budget=per_period).budgets
    their_alloc = theirs.to_series().reindex(list(m.channels)).to_numpy() * PERIODS
    ours = optimize(quick_fit, per_period * PERIODS, PERIODS)
    problem = AllocationProblem(m, PERIODS)
    k_ours = problem.media(ours.allocation.to_numpy()).sum(axis=1).mean()
    k_theirs = problem.media(their_alloc).sum(axis=1).mean()
    assert their_alloc.sum() == pytest.approx(ours.budget, rel=1e-6)
    assert k_ours >= k_theirs * (1 - 1e-3)
