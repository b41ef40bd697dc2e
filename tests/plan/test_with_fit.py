"""Planning on a real fit (quick mode: ADVI), and PyMC-Marketing's BudgetOptimizer on it."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

import mixwise.data.synthetic as syn
import mixwise.plan as plan
from mixwise.plan.objectives import AllocationProblem

PERIODS = 13


@pytest.fixture(scope="module")
def quick_fit() -> Any:
    from mixwise.fitting import fit
    from mixwise.model.spec import ModelSpec

    data = syn.generate(syn.preset("small"))
    spec = ModelSpec.from_dict(
        {"sampler": {"mode": "quick", "advi_iterations": 3000, "draws": 100, "seed": 3}}
    )
    return fit(data.to_dataset(), spec)


@pytest.mark.slow
def test_fit_result_replays_its_own_contributions(quick_fit: Any) -> None:
    m = plan.as_response_model(quick_fit)
    assert m.n_draws == 100 and m.source == "bayesian"
    history = pd.DataFrame(m.spend, index=m.dates, columns=list(m.channels))
    sim = plan.simulate(quick_fit, history)
    expected = quick_fit.contributions.transpose("draw", "time", "channel").values
    np.testing.assert_allclose(sim.contributions, expected, rtol=1e-6, atol=1e-6)
    fitted = quick_fit.fitted.transpose("draw", "time").values
    np.testing.assert_allclose(sim.kpi, fitted, rtol=1e-9, atol=1e-6)


@pytest.mark.slow
def test_optimum_at_least_pymc_marketing_budget_optimizer(quick_fit: Any) -> None:
    m = plan.as_response_model(quick_fit)
    per_period = float(m.recent_spend().sum())
    start = m.dates[-1] + m.step
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        optimizer = quick_fit.native.budget_optimizer(
            start_date=start, end_date=start + m.step * (PERIODS - 1)
        )
        theirs = optimizer.allocate_budget(total_budget=per_period).budgets
    their_alloc = theirs.to_series().reindex(list(m.channels)).to_numpy() * PERIODS
    ours = plan.optimize(quick_fit, per_period * PERIODS, PERIODS)
    problem = AllocationProblem(m, PERIODS)
    k_ours = problem.media(ours.allocation.to_numpy()).sum(axis=1).mean()
    k_theirs = problem.media(their_alloc).sum(axis=1).mean()
    assert their_alloc.sum() == pytest.approx(ours.budget, rel=1e-6)
    assert k_ours >= k_theirs * (1 - 1e-3)
