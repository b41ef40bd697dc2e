"""Efficiency frontier and sensitivity."""

from __future__ import annotations

import numpy as np
import pytest

from mixwise.plan import ResponseModel, efficiency_frontier, optimize, sensitivity


def test_frontier_rises_with_budget_and_matches_optimize(small_draws: ResponseModel) -> None:
    recent = float(small_draws.recent_spend().sum() * 13)
    budgets = [0.5 * recent, recent, 1.5 * recent, 2 * recent]
    front = efficiency_frontier(small_draws, 13, budgets)
    assert np.all(np.diff(front["media_kpi_mean"]) > 0)
    assert np.all(np.diff(front["roas_mean"]) < 0)  # diminishing returns
    assert np.all(np.diff(front["mroas"]) < 0)
    np.testing.assert_allclose(front[list(small_draws.channels)].sum(axis=1), front["budget"])
    direct = optimize(small_draws, recent, 13)
    row = front.iloc[1]
    assert row["media_kpi_mean"] == pytest.approx(direct.optimal.media.sum(1).mean(), rel=1e-6)
    assert np.all(front["media_kpi_lo"] < front["media_kpi_mean"])


def test_sensitivity_of_one_channel(small_draws: ResponseModel) -> None:
    budget = float(small_draws.recent_spend().sum() * 13)
    table = sensitivity(small_draws, budget, 13, "TV")
    best = table.loc[table["change_mean"].idxmax()]
    assert best["change_mean"] == pytest.approx(0.0, abs=1e-6 * budget)
    assert np.all(table["change_mean"] <= 1e-6 * budget)
    np.testing.assert_allclose(table["TV"], table["amount"], rtol=1e-9)
    capped = sensitivity(small_draws, budget, 13, "TV", [0.0, 1e9], mode="max")
    assert capped["TV"].iloc[0] == 0
    assert capped["change_mean"].iloc[1] == pytest.approx(0.0, abs=1e-6 * budget)
