"""simulate / baseline_plan / compare against independently computed truth."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from mixwise.plan import (
    PlanError,
    ResponseModel,
    baseline_plan,
    even_plan,
    response_model_from_truth,
    simulate,
)


def history_plan(m: ResponseModel) -> pd.DataFrame:
    return pd.DataFrame(m.spend, index=m.dates, columns=list(m.channels))


@pytest.mark.parametrize("which", ["demo", "small"])
def test_replaying_history_reproduces_truth_contributions(
    which: str, demo_data: Any, small_data: Any
) -> None:
    data = demo_data if which == "demo" else small_data
    m = response_model_from_truth(data)
    sim = simulate(m, history_plan(m))
    truth = data.truth.contributions.to_numpy()
    np.testing.assert_allclose(sim.contributions[0], truth, rtol=1e-12, atol=1e-9)
    noiseless = data.frame[data.kpi_column].to_numpy() - data.truth.noise.to_numpy()
    np.testing.assert_allclose(sim.kpi[0], noiseless, rtol=1e-12)
    assert sim.carryover_in.sum() == 0  # nothing before the data


def test_replaying_part_of_history_carries_in_actual_spend(demo_data: Any) -> None:
    m = response_model_from_truth(demo_data)
    window = history_plan(m).iloc[50:70]
    sim = simulate(m, window)
    truth = demo_data.truth.contributions.to_numpy()[50:70]
    np.testing.assert_allclose(sim.contributions[0], truth, rtol=1e-12, atol=1e-9)
    assert sim.start == 50
    assert np.all(sim.carryover_in > 0)


def _independent_future(data: Any, plan: np.ndarray) -> dict[str, np.ndarray]:
    """Window contributions, carry-in and media KPI from ChannelTruth.response (no plan code)."""
    chans = list(data.truth.channels.values())
    hist = data.frame[[c.spend_column for c in chans]].to_numpy()
    n, h, lag = hist.shape[0], plan.shape[0], max(c.adstock.l_max for c in chans)
    zeros = np.zeros((h + lag - 1, len(chans)))
    with_plan = np.vstack([hist, plan, zeros[h:]])
    without = np.vstack([hist, zeros])
    out = {"window": [], "carry": [], "media": []}
    for i, ch in enumerate(chans):
        full = ch.response(with_plan[:, i])[n:]
        base = ch.response(without[:, i])[n:]
        out["window"].append(full[:h])
        out["carry"].append(base.sum())
        out["media"].append(full.sum() - base.sum())
    return {k: np.array(v).T if k == "window" else np.array(v) for k, v in out.items()}


def test_future_plan_matches_independent_forward_model(demo_data: Any) -> None:
    m = response_model_from_truth(demo_data)
    rng = np.random.default_rng(0)
    spend = m.recent_spend() * rng.uniform(0, 2, size=(20, m.n_channels))
    plan = pd.DataFrame(spend, index=m.future_dates(20), columns=list(m.channels))
    sim = simulate(m, plan)
    ref = _independent_future(demo_data, spend)
    np.testing.assert_allclose(sim.contributions[0], ref["window"], rtol=1e-11, atol=1e-9)
    np.testing.assert_allclose(sim.carryover_in[0], ref["carry"], rtol=1e-11)
    np.testing.assert_allclose(sim.media[0], ref["media"], rtol=1e-10)
    total = sim.metric_draws()["total_kpi"][0]
    expected = m.future_baseline(20)[0].sum() + ref["carry"].sum() + ref["media"].sum()
    assert total == pytest.approx(expected, rel=1e-12)
    # an integer index means "the next periods": same result
    again = simulate(m, plan.reset_index(drop=True))
    np.testing.assert_allclose(again.media, sim.media)


def test_metrics_follow_their_definitions(demo_draws: ResponseModel) -> None:
    sim = simulate(demo_draws, baseline_plan(demo_draws, 13))
    d = sim.metric_draws()
    spend = sim.spend.sum()
    np.testing.assert_allclose(d["roas"], d["media_kpi"] / spend)
    np.testing.assert_allclose(d["roi"], d["roas"] - 1)
    np.testing.assert_allclose(d["profit"], d["media_kpi"] - spend)
    np.testing.assert_allclose(
        d["total_kpi"], sim.baseline.sum(1) + sim.carryover_in.sum(1) + sim.media.sum(1)
    )
    s = sim.summary()
    assert s.loc["roas", "mean"] == pytest.approx(d["roas"].mean())
    assert s.loc["roas", "lo"] == pytest.approx(np.quantile(d["roas"], 0.05))
    assert set(sim.channel_summary()["metric"]) >= {"spend", "media_kpi", "roas", "mroas"}
    ds = sim.to_xarray()
    assert ds["contributions"].dims == ("draw", "period", "channel")


def test_mroas_matches_finite_differences(demo_draws: ResponseModel) -> None:
    m = demo_draws.take(np.arange(5))
    plan = baseline_plan(m, 10)
    sim = simulate(m, plan)
    eps = 1e-5
    for i, ch in enumerate(m.channels):
        up, down = plan.copy(), plan.copy()
        up[ch] *= 1 + eps
        down[ch] *= 1 - eps
        fd = (simulate(m, up).media[:, i] - simulate(m, down).media[:, i]) / (
            2 * eps * plan[ch].sum()
        )
        np.testing.assert_allclose(sim.channel_mroas[:, i], fd, rtol=1e-6)


def test_baseline_plan_repeats_recent_spend(small_truth: ResponseModel) -> None:
    plan = baseline_plan(small_truth, 8)
    assert plan.index[0] == small_truth.dates[-1] + pd.Timedelta(days=7)
    np.testing.assert_allclose(plan.to_numpy(), np.tile(small_truth.recent_spend(), (8, 1)))
    even = even_plan(small_truth, {"TV": 800.0}, 8)
    assert even["TV"].tolist() == [100.0] * 8
    assert even["Search"].sum() == 0


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda p: p.drop(columns="TV"), r"the plan has no spend for channel\(s\) TV"),
        (lambda p: p.assign(Radio=1.0), r"names channel\(s\) the model does not have: Radio"),
        (lambda p: p.assign(TV=-1.0), "finite and >= 0"),
        (lambda p: p.assign(TV=np.nan), "finite and >= 0"),
        (lambda p: p.set_axis(p.index + pd.Timedelta(days=14)), "start right after"),
        (lambda p: p.iloc[[0, 2, 3]], "consecutive"),
        (lambda p: p.iloc[:0], "non-empty"),
    ],
)
def test_bad_plans_raise_plan_errors(small_truth: ResponseModel, edit: Any, match: str) -> None:
    with pytest.raises(PlanError, match=match):
        simulate(small_truth, edit(baseline_plan(small_truth, 4)))


def test_conversion_kpis_report_cpa(conversions_truth: ResponseModel) -> None:
    sim = simulate(conversions_truth, baseline_plan(conversions_truth, 13))
    d = sim.metric_draws()
    assert "roas" not in d
    np.testing.assert_allclose(d["cpa"], sim.spend.sum() / d["media_kpi"])


def test_explicit_baseline(small_draws: ResponseModel) -> None:
    plan = baseline_plan(small_draws, 4)
    sim = simulate(small_draws, plan, baseline=[1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(sim.baseline, np.tile([1.0, 2.0, 3.0, 4.0], (100, 1)))
    default = simulate(small_draws, plan)
    np.testing.assert_allclose(sim.kpi - sim.baseline, default.kpi - default.baseline)
    with pytest.raises(PlanError, match="baseline must be finite"):
        simulate(small_draws, plan, baseline=[1.0, 2.0])


def test_a_model_without_carry_over_simulates_and_optimizes() -> None:
    """l_max = 1 (adstock weights of one lag): each period's KPI is coefficient x f(spend) of
    that period alone, f(x) = x / (lam + x); the optimum of two equal channels splits evenly."""
    from tests.plan.support import tiny_model

    from mixwise.plan import optimize

    m = tiny_model([100.0, 100.0], [1.0, 1.0])  # default weights: one lag, no carry-over
    assert m.l_max == 1
    plan = pd.DataFrame({"A": [1.0, 3.0], "B": [0.0, 1.0]}, index=m.future_dates(2))
    sim = simulate(m, plan)
    expected = 100 * (1 / 2 + 3 / 4) + 100 * (0 + 1 / 2)
    assert sim.media.sum() == pytest.approx(expected, rel=1e-12)
    assert np.all(sim.carryover_in == 0) and np.all(sim.carryover_out == 0)
    best = optimize(m, budget=4.0, periods=2)
    assert best.allocation.to_numpy() == pytest.approx([2.0, 2.0], rel=1e-4)
