"""Response and mROAS curves, saturation points and adstock profiles against the truth."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from mixwise.plan import (
    ResponseModel,
    adstock_profile,
    optimize,
    response_curves,
    response_model_from_truth,
)


def test_curve_is_the_steady_state_of_the_true_channel(demo_data: Any) -> None:
    m = response_model_from_truth(demo_data)
    curves = response_curves(m, max_multiple=3.0, n_points=7)
    for i, ch in enumerate(demo_data.truth.channels.values()):
        for k in (1, 3, 6):
            s = curves.spend[k, i]
            steady = ch.response(np.full(40, s))[-1]  # long constant spend, independent code
            assert curves.response[0, k, i] == pytest.approx(steady, rel=1e-10)
    np.testing.assert_allclose(curves.spend[-1], 3 * m.recent_spend())


def test_mroas_curve_is_the_derivative(demo_draws: ResponseModel) -> None:
    curves = response_curves(demo_draws, n_points=11)
    h = 1e-3 * curves.spend[5]
    up = curves.at(curves.spend[5] + h)[0][:, 0]
    down = curves.at(curves.spend[5] - h)[0][:, 0]
    np.testing.assert_allclose(curves.mroas[:, 5], (up - down) / (2 * h), rtol=1e-6)


def test_saturation_point_is_where_mroas_meets_threshold(demo_draws: ResponseModel) -> None:
    curves = response_curves(demo_draws)
    sat = curves.saturation
    assert sat is not None
    at = np.stack([curves.at(sat[d])[1][d, 0] for d in range(0, 200, 20)])
    positive = sat[::20] > 0
    np.testing.assert_allclose(at[positive], 1.0, rtol=1e-6)
    beyond = np.stack([curves.at(sat[d] * 1.05 + 1)[1][d, 0] for d in range(0, 200, 20)])
    assert np.all(beyond < 1.0)
    # Print's true ROAS is 0.6 (logistic): in most draws not even the first unit pays
    assert np.mean(sat[:, 2] == 0) > 0.8
    markers = curves.markers()
    assert markers.loc["TV", "headroom_mean"] == pytest.approx(
        np.mean(sat[:, 1] - curves.current[1])
    )
    assert markers.loc["Print", "current_spend"] == pytest.approx(demo_draws.recent_spend()[2])


def test_truth_saturation_point_of_a_losing_channel_is_zero(demo_truth: ResponseModel) -> None:
    sat = response_curves(demo_truth).saturation
    assert sat is not None
    assert sat[0, 2] == 0  # Print: mROAS < 1 from the first unit
    assert sat[0, 3] > demo_truth.recent_spend()[3]  # Paid Search: headroom left


def test_optimal_marker(small_truth: ResponseModel) -> None:
    res = optimize(small_truth, float(small_truth.recent_spend().sum() * 13), 13)
    markers = response_curves(small_truth, optimal=res).markers()
    np.testing.assert_allclose(markers["optimal_spend"], res.allocation / 13)
    # at the optimum the marginal ROAS of steady spending is close to the plan's common value
    assert "optimal_mroas_mean" in markers


def test_conversions_need_a_threshold(conversions_truth: ResponseModel) -> None:
    assert response_curves(conversions_truth).saturation is None
    curves = response_curves(conversions_truth, max_marginal_cpa=50.0)
    assert curves.threshold == pytest.approx(1 / 50)
    assert curves.saturation is not None and "saturation_mean" in curves.markers()


def test_frame_is_tidy(small_draws: ResponseModel) -> None:
    frame = response_curves(small_draws, n_points=5).frame()
    assert len(frame) == 5 * 3
    assert {"channel", "multiple", "spend", "kpi_mean", "kpi_lo", "mroas_hi"} <= set(frame)
    first = frame[frame["multiple"] == 0]
    assert np.all(first["kpi_mean"] == 0)
    assert np.all(frame["kpi_lo"] <= frame["kpi_hi"])


def test_adstock_profile(small_draws: ResponseModel, small_data: Any) -> None:
    prof = adstock_profile(small_draws)
    sums = prof.groupby("channel")["weight_mean"].sum()
    np.testing.assert_allclose(sums, 1.0)
    truth = response_model_from_truth(small_data)
    tv = adstock_profile(truth).query("channel == 'TV'")
    assert tv["halflife_mean"].iloc[0] == pytest.approx(np.log(0.5) / np.log(0.6))
    w = 0.6 ** np.arange(6)
    np.testing.assert_allclose(tv["weight_mean"], w / w.sum())
