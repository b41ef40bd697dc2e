"""The optimizer's forward model (``AllocationProblem``) and risk measures: a hand-computed
case, agreement with ``simulate``, gradients against finite differences, closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests.plan.support import PERIODS, tiny_model

from mixwise.plan import PlanError, ResponseModel, Risk, even_plan, simulate
from mixwise.plan.objectives import AllocationProblem, parse_risk


def test_media_and_gradient_by_hand() -> None:
    """One channel, weights (1, 0.5), f(a) = 10 a / (1 + a), last spend 4; a budget of 4 over 2
    periods (2 each). Adstock with the plan (4, 3, 1) and without it (2, 0, 0) over the two
    periods and the tail: media = 10 (4/5 + 3/4 + 1/2) - 10 (2/3). One unit of budget adds
    (0.5, 0.75, 0.25) to the adstock, so dM/db = 10 (0.5/25 + 0.75/16 + 0.25/4)."""
    m = tiny_model([10.0], [1.0], weights=[[1.0, 0.5]], spend=[[1.0], [4.0]])
    problem = AllocationProblem(m, 2)
    media, grad = problem.media_grad(np.array([4.0]))
    expected = 10 * (4 / 5 + 3 / 4 + 1 / 2) - 10 * 2 / 3
    np.testing.assert_allclose(media, [[expected]], rtol=1e-12)
    np.testing.assert_allclose(problem.media(np.array([4.0])), [[expected]], rtol=1e-12)
    np.testing.assert_allclose(grad, [[10 * (0.5 / 25 + 0.75 / 16 + 0.25 / 4)]], rtol=1e-12)
    np.testing.assert_allclose(problem.media(np.array([0.0])), 0.0, atol=1e-12)
    np.testing.assert_allclose(problem.const, [[10 * 2 / 3]], rtol=1e-12)  # carry-in alone


def test_flighting_pattern_of_the_wrong_shape_is_refused() -> None:
    m = tiny_model([10.0], [1.0])
    with pytest.raises(PlanError, match=r"flighting pattern must be \(2, 1\), got \(3, 1\)"):
        AllocationProblem(m, 2, np.full((3, 1), 1 / 3))


def test_allocation_problem_matches_simulate(demo_draws: ResponseModel) -> None:
    problem = AllocationProblem(demo_draws, PERIODS)
    b = demo_draws.recent_spend() * PERIODS * np.array([1.3, 0.7, 0.0, 1.1, 2.0])
    plan = even_plan(demo_draws, dict(zip(demo_draws.channels, b, strict=True)), PERIODS)
    np.testing.assert_allclose(
        problem.media(b), simulate(demo_draws, plan).media, rtol=1e-10, atol=1e-6
    )


def test_gradients_match_finite_differences(demo_draws: ResponseModel) -> None:
    m = demo_draws.take(np.arange(20))
    problem = AllocationProblem(m, PERIODS)
    b = m.recent_spend() * PERIODS * np.array([1.3, 0.7, 0.4, 1.1, 2.0])
    _, grad = problem.media_grad(b)
    for c in range(m.n_channels):
        h = 1e-4 * b[c]
        e = np.zeros(m.n_channels)
        e[c] = h
        fd = (problem.media(b + e)[:, c] - problem.media(b - e)[:, c]) / (2 * h)
        np.testing.assert_allclose(grad[:, c], fd, rtol=1e-6)


@pytest.mark.parametrize("risk", [Risk(), Risk("mean_sd", lam=1.5), Risk("quantile", q=0.13)])
def test_risk_gradients_match_finite_differences(demo_draws: ResponseModel, risk: Risk) -> None:
    problem = AllocationProblem(demo_draws, PERIODS)
    b = demo_draws.recent_spend() * PERIODS

    def value(x: np.ndarray) -> float:
        return risk.value(problem.media(x).sum(axis=1))

    media, grad = problem.media_grad(b)
    v, g = risk.value_grad(media.sum(axis=1), grad)
    assert v == pytest.approx(value(b))
    for c in range(demo_draws.n_channels):
        h = 1e-5 * b[c]
        e = np.zeros(demo_draws.n_channels)
        e[c] = h
        fd = (value(b + e) - value(b - e)) / (2 * h)
        assert g[c] == pytest.approx(fd, rel=1e-4)


def test_risk_values_closed_forms() -> None:
    v = np.array([5.0, 1.0, 4.0, 2.0, 3.0])
    assert Risk().value(v) == 3.0
    assert Risk("mean_sd", lam=2.0).value(v) == pytest.approx(3.0 - 2.0 * math.sqrt(2.0))
    assert Risk("quantile", q=0.25).value(v) == 2.0
    assert Risk("quantile", q=0.1).value(v) == pytest.approx(1.4)  # interpolated: 1 + 0.4 (2 - 1)
    assert [Risk().describe(), Risk("mean_sd", lam=1.5).describe()] == [
        "posterior mean",
        "mean - 1.5 x sd",
    ]
    assert Risk("quantile", q=0.1).describe() == "10% quantile"


def test_risk_parsing_and_validation() -> None:
    assert parse_risk("mean-sd", lam=2.0) == Risk("mean_sd", lam=2.0)
    assert parse_risk("Quantile", q=0.2) == Risk("quantile", q=0.2)
    given = Risk("mean_sd", lam=3.0)
    assert parse_risk(given, lam=1.0) is given
    with pytest.raises(PlanError, match="unknown risk 'median'"):
        parse_risk("median")
    with pytest.raises(PlanError, match="lam >= 0 and 0 < q < 1"):
        Risk("mean_sd", lam=-1.0)
    with pytest.raises(PlanError, match="lam >= 0 and 0 < q < 1"):
        Risk("quantile", q=1.0)
