"""Comparing two plans draw by draw: hand-computed per-draw differences, probability better,
and refusal to compare simulations of different models."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.plan.support import tiny_model

from mixwise.plan import PlanError, ResponseModel, baseline_plan, compare, simulate
from mixwise.plan.summaries import Estimate


def _disagreeing_draws() -> ResponseModel:
    """Three draws that disagree on which channel works: coefficients (100, 10), (10, 100) and
    (50, 50); no carry-over, f(u) = u / (1 + u)."""
    coef = np.array([[100.0, 10.0], [10.0, 100.0], [50.0, 50.0]])
    return tiny_model(coef, 1.0, weights=[[1.0, 0.0]] * 2)


def _all_on(m: ResponseModel, channel: str, per_period: float = 3.0) -> pd.DataFrame:
    plan = baseline_plan(m, 4) * 0.0
    plan[channel] = per_period
    return plan


def test_per_draw_differences_by_hand() -> None:
    """3 per period for 4 periods on one channel: media 4 K x 3/4 = 3 K. Moving it all from A to B
    changes the media KPI by 3 (K_B - K_A) per draw: -270, +270, 0."""
    m = _disagreeing_draws()
    comp = compare(_all_on(m, "A"), _all_on(m, "B"), model=m)
    np.testing.assert_allclose(comp.delta_draws()["media_kpi"], [-270.0, 270.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(comp.delta_draws()["spend"], 0.0)
    assert comp.probability_better("media_kpi") == pytest.approx(1 / 3)  # a tie is not better
    assert comp.delta("media_kpi") == Estimate.from_draws([-270.0, 270.0, 0.0])
    per_channel = comp.channel_delta_draws()["media_kpi"]
    np.testing.assert_allclose(per_channel, [[-300, 30], [-30, 300], [-150, 150]], atol=1e-9)


def test_equal_models_built_twice_compare_and_bad_requests_say_why() -> None:
    a, b = _disagreeing_draws(), _disagreeing_draws()
    comp = compare(simulate(a, _all_on(a, "A")), simulate(b, _all_on(b, "A")))
    np.testing.assert_allclose(comp.delta_draws()["total_kpi"], 0.0)
    with pytest.raises(PlanError, match="unknown metric 'revenue'"):
        comp.delta("revenue")
    with pytest.raises(PlanError, match="comparing plans \\(DataFrames\\) needs the model"):
        compare(_all_on(a, "A"), _all_on(a, "B"))


def test_compare_deltas_are_per_draw(small_draws: ResponseModel) -> None:
    a = simulate(small_draws, baseline_plan(small_draws, 13))
    shifted = baseline_plan(small_draws, 13)
    shifted["Search"] *= 1.5
    shifted["TV"] *= 0.8
    b = simulate(small_draws, shifted)
    comp = compare(a, b)
    diff = b.metric_draws()["total_kpi"] - a.metric_draws()["total_kpi"]
    est = comp.delta("total_kpi")
    assert est == Estimate.from_draws(diff)
    ends = b.summary().loc["total_kpi", "lo"] - a.summary().loc["total_kpi", "lo"]
    assert est.lo != pytest.approx(ends, rel=1e-3)  # not interval ends subtracted
    table = comp.summary()
    assert table.loc["total_kpi", "delta_mean"] == pytest.approx(diff.mean())
    assert table.loc["total_kpi", "p_better"] == pytest.approx(np.mean(diff > 0))
    per_channel = comp.channel_summary().set_index(["channel", "metric"])
    d_search = b.media[:, 1] - a.media[:, 1]
    assert per_channel.loc[("Search", "media_kpi"), "mean"] == pytest.approx(d_search.mean())
    # plans + model work too
    assert compare(baseline_plan(small_draws, 13), shifted, model=small_draws).delta(
        "total_kpi"
    ) == pytest.approx(est)


def test_compare_refuses_different_models(small_draws: ResponseModel, small_truth: Any) -> None:
    a = simulate(small_draws, baseline_plan(small_draws, 4))
    b = simulate(small_truth, baseline_plan(small_truth, 4))
    with pytest.raises(PlanError, match="different models"):
        compare(a, b)
