"""``OptimizationResult``: the optimum against the recent allocation, its tables and plan.json,
checked on a tiny model where every number has a closed form, then on the demo draws."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.plan.support import PERIODS, budget_of, tiny_model

from mixwise.plan import ResponseModel, optimize


def test_tables_and_plan_json_closed_form(tmp_path: Path) -> None:
    """Two equal channels f(u) = u / (1 + u), coefficient 100, no carry-over, recent spend 10
    per period. A budget of 12 over 4 periods splits evenly (u = 1.5): media KPI
    800 x 1.5 / 2.5 = 480, ROAS 40, mROAS 100 / 2.5**2 = 16. The recent allocation (40 per
    channel, u = 10) gives 800 x 10 / 11."""
    m = tiny_model([100.0, 100.0], [1.0, 1.0], weights=[[1.0, 0.0]] * 2)
    res = optimize(m, 12.0, 4)
    np.testing.assert_allclose(res.allocation, [6.0, 6.0], rtol=1e-6)
    assert res.current_allocation.tolist() == [40.0, 40.0]
    np.testing.assert_allclose(res.marginal_roas(), [16.0, 16.0], rtol=1e-5)
    assert res.expected("media_kpi").mean == pytest.approx(480.0, rel=1e-9)
    assert res.expected("roas").mean == pytest.approx(40.0, rel=1e-9)

    table = res.channels()
    np.testing.assert_allclose(table["change"], [-34.0, -34.0], rtol=1e-6)
    np.testing.assert_allclose(table[["current_share", "optimal_share"]], 0.5, rtol=1e-6)
    np.testing.assert_allclose(table["current_media_kpi"], 400 * 10 / 11, rtol=1e-9)
    summary = res.summary()
    assert summary.loc["media_kpi", "current_mean"] == pytest.approx(8000 / 11, rel=1e-9)
    assert summary.loc["media_kpi", "optimal_mean"] == pytest.approx(480.0, rel=1e-9)
    assert summary.loc["media_kpi", "p_better"] == 0.0  # 12 buys less KPI than 80

    doc = json.loads(res.save_plan_json(tmp_path / "plan.json").read_text())
    assert doc["format_version"] == 1 and doc["objective"] == "kpi" and doc["periods"] == 4
    assert doc["start"] == "2023-05-22"  # the week after the 20 weeks from 2023-01-02
    assert doc["budget"] == pytest.approx(12.0)
    assert doc["allocation"] == pytest.approx({"A": 6.0, "B": 6.0}, rel=1e-6)
    assert doc["expected_roas"] == pytest.approx({"mean": 40.0, "lo": 40.0, "hi": 40.0})
    assert doc["current"]["expected_media_kpi"]["mean"] == pytest.approx(8000 / 11)
    assert doc["kpi_change"]["mean"] == pytest.approx(480.0 - 8000 / 11)
    assert doc["binding_constraints"] == ["total budget"] and doc["risk"] == "posterior mean"
    assert "expected_cpa" not in doc


def test_plan_json(demo_draws: ResponseModel, tmp_path: Path) -> None:
    res = optimize(demo_draws, budget_of(demo_draws), PERIODS)
    doc = res.to_plan_json()
    assert set(doc["allocation"]) == set(demo_draws.channels)
    assert sum(doc["allocation"].values()) == pytest.approx(res.budget)
    assert set(doc["expected_kpi"]) == {"mean", "lo", "hi"}
    assert set(doc["current"]) >= {"allocation", "expected_kpi"}
    assert doc["expected_kpi"]["lo"] < doc["expected_kpi"]["mean"] < doc["expected_kpi"]["hi"]
    assert doc["expected_kpi"]["mean"] > doc["current"]["expected_kpi"]["mean"]
    assert doc["kpi_change"]["lo"] > 0
    path = res.save_plan_json(tmp_path / "plan.json")
    assert json.loads(path.read_text())["allocation"] == doc["allocation"]
