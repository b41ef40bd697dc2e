"""Budgets set by a target (ROAS, CPA, KPI): closed forms on a tiny model, then the
defining property on the synthetic truth -- the largest (smallest) budget that meets it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.plan.support import PERIODS, budget_of, tiny_model

from mixwise.plan import PlanError, PlanInfeasible, ResponseModel, optimize
from mixwise.plan.bounds import ResolvedBounds
from mixwise.plan.targets import budget_range

# Two equal channels f(u) = u / (1 + u), coefficient 100, no carry-over (weights 1, 0), 4
# periods, zero baseline: the best split is even, u = S / 8 per channel and period, the media KPI
# is 800 u / (1 + u) and ROAS = 100 / (1 + u).
P = 4


def twins(**extra: Any) -> ResponseModel:
    return tiny_model([100.0, 100.0], [1.0, 1.0], weights=[[1.0, 0.0]] * 2, **extra)


def test_roas_target_closed_form() -> None:
    res = optimize(twins(), None, P, objective="roas_target", target=40.0)  # u = 1.5
    assert res.budget == pytest.approx(12.0, rel=1e-5)
    np.testing.assert_allclose(res.allocation, [6.0, 6.0], rtol=1e-4)
    assert res.binding[0] == "ROAS target"


def test_cpa_target_closed_form() -> None:
    """Conversions: CPA = S / media = (1 + u) / 100; a CPA of 0.025 is u = 1.5, S = 12."""
    res = optimize(twins(kpi_type="conversions"), None, P, objective="cpa_target", target=0.025)
    assert res.budget == pytest.approx(12.0, rel=1e-5)
    with pytest.raises(PlanError, match="a CPA target needs a conversions KPI"):
        optimize(twins(), None, P, objective="cpa_target", target=0.025)


def test_kpi_target_closed_form() -> None:
    """A KPI of 400 over the 4 periods (zero baseline, no carry-in) is u = 1: S = 8."""
    res = optimize(twins(), None, P, objective="kpi_target", target=400.0)
    assert res.budget == pytest.approx(8.0, rel=1e-5)
    assert res.optimal.metric_draws()["total_kpi"].mean() == pytest.approx(400.0, rel=1e-6)


def test_unreachable_and_missing_targets_say_why() -> None:
    with pytest.raises(PlanInfeasible, match="no budget within the bounds reaches the ROAS target"):
        optimize(twins(), None, P, objective="roas_target", target=200.0)  # ROAS < 100 always
    for bad in (None, 0.0, -1.0, float("nan")):
        with pytest.raises(PlanError, match="'roas_target' needs a positive target"):
            optimize(twins(), None, P, objective="roas_target", target=bad)


def test_a_target_met_at_the_cap_does_not_bind() -> None:
    """ROAS at a budget cap of 12 is 40: a target of 20 is met there, so the cap binds."""
    res = optimize(twins(), 12.0, P, objective="roas_target", target=20.0)
    assert res.budget == pytest.approx(12.0, rel=1e-9)
    assert res.binding[0] == "budget cap"
    assert any("does not bind" in n for n in res.notes)


def _rb(lo: list[float], lo_share: list[float], cap: list[float]) -> ResolvedBounds:
    n = len(lo)
    return ResolvedBounds(
        channels=tuple("ABC"[:n]),
        lo=np.array(lo),
        hi=np.full(n, np.inf),
        lo_share=np.array(lo_share),
        hi_share=np.zeros(n),
        locked=np.zeros(n, dtype=bool),
        search_cap=np.array(cap),
    )


def test_budget_range_from_minimums_shares_and_caps() -> None:
    # minimum 10 in amounts and 50% in shares: the smallest total S has S = 10 + S / 2
    assert budget_range(_rb([10.0, 0.0], [0.0, 0.5], [100.0, 200.0]), None) == (20.0, 300.0)
    assert budget_range(_rb([10.0, 0.0], [0.0, 0.0], [100.0, 200.0]), 150.0) == (10.0, 150.0)
    with pytest.raises(PlanInfeasible, match="minimum shares add up to 100% or more"):
        budget_range(_rb([0.0, 0.0], [0.6, 0.4], [100.0, 200.0]), None)
    with pytest.raises(PlanInfeasible, match=r"channel minimums \(50\) exceed the largest budget"):
        budget_range(_rb([50.0, 0.0], [0.0, 0.0], [100.0, 200.0]), 40.0)


def test_roas_target_budget_has_target_roas(small_draws: ResponseModel) -> None:
    current = optimize(small_draws, budget_of(small_draws), PERIODS)
    target = float(np.mean(current.optimal.metric_draws()["roas"])) * 1.1
    res = optimize(small_draws, None, PERIODS, objective="roas_target", target=target)
    roas = res.optimal.metric_draws()["media_kpi"].mean() / res.budget
    assert roas == pytest.approx(target, rel=1e-4)
    assert "ROAS target" in res.binding
    # the largest such budget: 1% more, optimally allocated, falls below the target
    more = optimize(small_draws, res.budget * 1.01, PERIODS)
    assert more.optimal.metric_draws()["media_kpi"].mean() / more.budget < target


def test_cpa_target_budget_has_target_cpa(conversions_truth: ResponseModel) -> None:
    budget = budget_of(conversions_truth)
    cur = optimize(conversions_truth, budget, PERIODS).optimal.metric_draws()
    target = budget / cur["media_kpi"].mean() * 1.2  # allow a 20% higher CPA
    res = optimize(conversions_truth, None, PERIODS, objective="cpa_target", target=target)
    cpa = res.budget / res.optimal.metric_draws()["media_kpi"].mean()
    assert cpa == pytest.approx(target, rel=1e-4)
    assert res.budget > budget


def test_kpi_target_is_reached_with_least_spend(small_draws: ResponseModel) -> None:
    ref = optimize(small_draws, budget_of(small_draws), PERIODS)
    target = float(ref.optimal.metric_draws()["total_kpi"].mean()) * 1.01
    res = optimize(small_draws, None, PERIODS, objective="kpi_target", target=target)
    assert res.optimal.metric_draws()["total_kpi"].mean() == pytest.approx(target, rel=1e-6)
    less = optimize(small_draws, res.budget * 0.99, PERIODS)
    assert less.optimal.metric_draws()["total_kpi"].mean() < target


def test_small_kpi_target_needs_little_spend(small_truth: ResponseModel) -> None:
    base = optimize(small_truth, 1.0, PERIODS).optimal.metric_draws()
    floor = float(base["total_kpi"].mean())  # baseline + carry-in: reached with ~no spend
    res = optimize(small_truth, None, PERIODS, objective="kpi_target", target=floor + 1000.0)
    assert res.budget < 1000.0
    assert res.optimal.metric_draws()["total_kpi"].mean() == pytest.approx(floor + 1000.0)
