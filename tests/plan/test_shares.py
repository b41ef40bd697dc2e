"""evaluate_shares: the sliders' backend."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mixwise.plan import PlanError, ResponseModel, SharesWarning, evaluate_shares


def test_shares_over_100_percent_warn_with_normalised_alternative(
    small_draws: ResponseModel,
) -> None:
    shares = {"TV": 0.6, "Search": 0.4, "Social": 0.2}
    with pytest.warns(SharesWarning, match=r"add up to 120\.0%, more than 100%"):
        ev = evaluate_shares(small_draws, 100_000.0, shares, periods=13)
    assert ev.normalized_shares is not None and ev.normalized is not None
    np.testing.assert_allclose(ev.normalized_shares.sum(), 1.0)
    assert ev.normalized.spend.sum() == pytest.approx(100_000.0)
    assert ev.proposed.spend.sum() == pytest.approx(120_000.0)
    assert "Normalised" in ev.warnings[0]
    assert "normalized_delta_mean" in ev.metrics()


def test_deltas_are_per_draw(small_draws: ResponseModel) -> None:
    ev = evaluate_shares(small_draws, None, {"TV": 0.3, "Search": 0.5, "Social": 0.2})
    recent = small_draws.recent_spend()
    np.testing.assert_allclose(ev.original_shares, recent / recent.sum())
    assert ev.budget == pytest.approx(recent.sum() * 13)
    table = ev.metrics()
    for metric in ("total_kpi", "roas", "profit"):
        diff = ev.proposed.metric_draws()[metric] - ev.original.metric_draws()[metric]
        assert table.loc[metric, "delta_mean"] == pytest.approx(diff.mean())
        assert table.loc[metric, "delta_lo"] == pytest.approx(np.quantile(diff, 0.05))
    assert not ev.warnings
    json.dumps(ev.to_dict())


def test_shares_under_100_percent_note_unspent_budget(small_draws: ResponseModel) -> None:
    ev = evaluate_shares(small_draws, 1000.0, {"TV": 0.3, "Search": 0.3, "Social": 0.2})
    assert ev.warnings == ("The shares add up to 80.0%: 200 of the budget stays unspent.",)


def test_bad_shares(small_draws: ResponseModel) -> None:
    with pytest.raises(PlanError, match="missing for Social"):
        evaluate_shares(small_draws, 1000.0, {"TV": 0.5, "Search": 0.5})
    with pytest.raises(PlanError, match="finite and >= 0"):
        evaluate_shares(small_draws, 1000.0, {"TV": -0.5, "Search": 0.5, "Social": 1.0})
    with pytest.warns(SharesWarning, match="percentages"):
        evaluate_shares(small_draws, 1000.0, {"TV": 50, "Search": 30, "Social": 20})


def test_per_channel_results_add_up_and_follow_the_moved_budget(
    small_draws: ResponseModel,
) -> None:
    """Meridian's scenario view: each channel's spend, incremental KPI, ROAS and mROAS in both
    plans. Channel media KPIs add up to the plan's; moving budget into a channel raises its
    KPI in every draw (the response is increasing) and lowers its mROAS (diminishing returns)."""
    base = evaluate_shares(small_draws, 100_000.0, {"TV": 0.4, "Search": 0.3, "Social": 0.3})
    original = dict(base.original_shares)
    shares = {**original, "Search": original["Search"] + 0.1, "TV": original["TV"] - 0.1}
    ev = evaluate_shares(small_draws, 100_000.0, shares, periods=13)
    rows = {r["channel"]: r for r in ev.channel_results()}
    assert set(rows) == set(small_draws.channels)
    assert rows["Search"]["proposed_spend"] == pytest.approx(shares["Search"] * 100_000.0)
    assert sum(r["original_spend"] for r in rows.values()) == pytest.approx(100_000.0)
    total = ev.metrics().loc["media_kpi"]
    assert sum(r["media_kpi"]["proposed_mean"] for r in rows.values()) == pytest.approx(
        total["proposed_mean"]
    )
    search, tv = rows["Search"], rows["TV"]
    assert search["media_kpi"]["delta_lo"] > 0 and tv["media_kpi"]["delta_hi"] < 0
    assert search["mroas"]["delta_mean"] < 0 < tv["mroas"]["delta_mean"]
    assert search["roas"]["proposed_lo"] <= search["roas"]["proposed_mean"]
    json.dumps(ev.to_dict())
