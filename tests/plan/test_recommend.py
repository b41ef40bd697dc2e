"""Recommendations: every number reproduced from simulations."""

from __future__ import annotations

import numpy as np
import pytest

from mixwise.plan import ResponseModel, even_plan, recommendations, simulate
from mixwise.plan.summaries import Estimate


def test_reallocation_numbers_come_from_the_model(demo_draws: ResponseModel) -> None:
    recs = recommendations(demo_draws, periods=13)
    moves = [r for r in recs if r.kind == "reallocate"]
    assert moves, "the demo has clearly better channels (Paid Search) and worse (Print)"
    assert moves[0].channels == ("Print", "Paid Search")
    recent = demo_draws.recent_spend() * 13
    for r in moves:
        src, dst = r.channels
        i, j = demo_draws.channel_index([src, dst])
        after = recent.copy()
        after[i] -= 0.1 * recent[i]
        after[j] += 0.1 * recent[i]
        names = list(demo_draws.channels)
        a = simulate(demo_draws, even_plan(demo_draws, dict(zip(names, recent, strict=True)), 13))
        b = simulate(demo_draws, even_plan(demo_draws, dict(zip(names, after, strict=True)), 13))
        direct = Estimate.from_draws(b.media.sum(axis=1) - a.media.sum(axis=1))
        assert r.estimate.mean == pytest.approx(direct.mean, rel=1e-9)
        assert r.estimate.lo == pytest.approx(direct.lo, rel=1e-9)
        assert r.estimate.lo > 0
        assert r.message.startswith(f"Move 10% of {src} budget")
        assert f"+{r.estimate.mean:,.0f} revenue (90% interval" in r.message


def test_waste_flags_and_saturation_points(demo_draws: ResponseModel) -> None:
    recs = recommendations(demo_draws)
    waste = {r.channels[0]: r for r in recs if r.kind == "waste"}
    assert "Print" in waste  # true ROAS 0.6, mROAS below 1
    assert "Paid Search" not in waste  # true ROAS 4.0
    assert waste["Print"].estimate.mean < 1
    # A flag (a "cut") only where the whole mROAS interval lies below the threshold.
    for r in recs:
        if r.kind == "saturation" and r.channels[0] not in waste:
            assert r.details["mroas"]["hi"] >= r.details["threshold"]
    assert all(w.estimate.hi < w.details["threshold"] for w in waste.values())
    sat = [r for r in recs if r.kind == "saturation"]
    assert [r.channels[0] for r in sat] == list(demo_draws.channels)
    assert all("saturation point" in r.message for r in sat)
    assert np.isfinite(sat[0].details["headroom"]["mean"])


def test_conversions_without_threshold_get_no_waste_flags(
    conversions_truth: ResponseModel,
) -> None:
    kinds = {r.kind for r in recommendations(conversions_truth)}
    assert kinds <= {"reallocate"}
    kinds = {r.kind for r in recommendations(conversions_truth, max_marginal_cpa=40.0)}
    assert "saturation" in kinds


def test_no_waste_flag_when_the_mroas_interval_reaches_the_threshold(
    demo_draws: ResponseModel,
) -> None:
    """A threshold between a channel's mROAS mean and the top of its interval: the mean is
    below it, the interval is not, so no "cut" is advised; just above the top, it is."""
    sat = {r.channels[0]: r for r in recommendations(demo_draws) if r.kind == "saturation"}
    name, rec = next(iter(sat.items()))
    mroas = rec.details["mroas"]
    straddling = (mroas["mean"] + mroas["hi"]) / 2
    assert mroas["mean"] < straddling < mroas["hi"]
    flagged = {
        r.channels[0]
        for r in recommendations(demo_draws, threshold=straddling)
        if r.kind == "waste"
    }
    assert name not in flagged
    above = {
        r.channels[0]
        for r in recommendations(demo_draws, threshold=mroas["hi"] * 1.01)
        if r.kind == "waste"
    }
    assert name in above
