"""SLSQP over channel budgets on problems whose optimum has a closed form.

Channels ``c`` with ``f(u) = u / (1 + u)``, coefficient ``K_c``, no carry-over and spend
``b_c`` spread evenly over ``P`` periods (``u_c = b_c / P``): the media KPI is ``P K_c u_c /
(1 + u_c)`` and its derivative in ``b_c`` is ``K_c / (1 + u_c)**2``. Equal marginal returns
give ``u_c = t sqrt(K_c) - 1``, with ``t`` set by the budget; the profit optimum (marginal
return 1) is ``u_c = sqrt(K_c) - 1``.
"""

from __future__ import annotations

import numpy as np
import pytest
from tests.plan.support import tiny_model

from mixwise.plan import Risk
from mixwise.plan.objectives import AllocationProblem
from mixwise.plan.solver import solve_budget, solve_profit

P = 4
K = np.array([100.0, 400.0, 900.0])  # sqrt: 10, 20, 30
ZERO, NO_MAX = np.zeros(3), np.full(3, np.inf)


def problem(coefficient: np.ndarray = K) -> AllocationProblem:
    return AllocationProblem(tiny_model(coefficient, 1.0), P)


def best_split(total: float, k: np.ndarray = K) -> np.ndarray:
    """``b_c = P (t sqrt(K_c) - 1)`` with ``sum b = total`` (all channels inside)."""
    t = (total / P + k.size) / np.sqrt(k).sum()
    return P * (t * np.sqrt(k) - 1.0)


def test_budget_optimum_equalises_marginal_returns() -> None:
    expected = best_split(80.0)  # t = 23/60: (11.33, 26.67, 42)
    np.testing.assert_allclose(expected, [4 * (230 / 60 - 1), 4 * (460 / 60 - 1), 42.0])
    sol = solve_budget(problem(), Risk(), 80.0, ZERO, NO_MAX)
    np.testing.assert_allclose(sol.budget, expected, rtol=1e-5)
    assert sol.budget.sum() == pytest.approx(80.0, rel=1e-12)
    u = expected / P
    assert sol.value == pytest.approx(float((P * K * u / (1 + u)).sum()), rel=1e-9)
    assert sol.converged


def test_upper_bound_binds_and_the_rest_is_split_optimally() -> None:
    """Channel C capped at 20 (below its free optimum 42): A and B share the other 60."""
    sol = solve_budget(problem(), Risk(), 80.0, ZERO, np.array([np.inf, np.inf, 20.0]))
    np.testing.assert_allclose(sol.budget[2], 20.0, rtol=1e-9)
    np.testing.assert_allclose(sol.budget[:2], best_split(60.0, K[:2]), rtol=1e-5)


def test_posterior_mean_optimum_is_that_of_the_mean_coefficient() -> None:
    """With one shared ``lam`` the mean media KPI over draws is that of the mean coefficient."""
    draws = np.vstack([K, 3 * K, 2 * K])  # mean coefficient 2 K
    sol = solve_budget(problem(draws), Risk(), 120.0, ZERO, NO_MAX)
    np.testing.assert_allclose(sol.budget, best_split(120.0, 2 * K), rtol=1e-5)


def test_profit_optimum_has_marginal_return_one() -> None:
    sol = solve_profit(problem(), Risk(), np.inf, ZERO, np.full(3, 1000.0))
    u = np.sqrt(K) - 1.0  # 9, 19, 29
    np.testing.assert_allclose(sol.budget, P * u, rtol=1e-5)
    assert sol.value == pytest.approx(float((P * K * u / (1 + u)).sum() - P * u.sum()), rel=1e-9)
    capped = solve_profit(problem(), Risk(), 80.0, ZERO, np.full(3, 1000.0))
    np.testing.assert_allclose(capped.budget, best_split(80.0), rtol=1e-5)  # the cap binds
    with pytest.raises(ValueError, match="finite upper bounds"):
        solve_profit(problem(), Risk(), np.inf, ZERO, NO_MAX)


def test_fixed_and_single_free_channels_need_no_search() -> None:
    fixed = np.array([10.0, 20.0, 30.0])
    sol = solve_budget(problem(), Risk(), 60.0, fixed, fixed)
    assert sol.message == "all channels fixed"
    np.testing.assert_array_equal(sol.budget, fixed)
    one = solve_budget(
        problem(), Risk(), 100.0, np.array([10.0, 20.0, 0.0]), np.array([10, 20, 500.0])
    )
    assert one.message == "one free channel"
    np.testing.assert_allclose(one.budget, [10.0, 20.0, 70.0])
