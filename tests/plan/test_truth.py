"""``response_model_from_truth``: the model that generated a synthetic dataset, checked against
the generator's own ground truth (parameters, counterfactual responses, ROAS, baseline)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import mixwise.data.synthetic as syn
from mixwise.plan import PlanError, ResponseModel, response_model_from_truth, simulate


def test_from_truth_shapes_and_values(demo_data: Any, demo_truth: ResponseModel) -> None:
    m = demo_truth
    assert m.channels == tuple(demo_data.truth.channels)
    assert m.adstock_weights.shape == (1, 5, 8)
    assert m.saturation == ("hill", "hill", "logistic", "hill", "logistic")
    tv = demo_data.truth.channels["TV"]
    assert m.coefficient[0, 1] == pytest.approx(tv.coefficient)
    assert m.spend_scale[1] == pytest.approx(tv.spend_scale[0])
    np.testing.assert_allclose(m.halflife()[0, 1], np.log(0.5) / np.log(0.7))
    assert m.recent_periods == 13
    np.testing.assert_allclose(m.recent_spend(), m.spend[-13:].mean(axis=0))


def test_jittered_draws_are_seeded_and_centred(demo_data: Any) -> None:
    a = response_model_from_truth(demo_data, n_draws=400, jitter=0.05, seed=5)
    b = response_model_from_truth(demo_data, n_draws=400, jitter=0.05, seed=5)
    np.testing.assert_array_equal(a.coefficient, b.coefficient)
    truth = response_model_from_truth(demo_data)
    ratio = np.median(a.coefficient, axis=0) / truth.coefficient[0]
    np.testing.assert_allclose(ratio, 1.0, atol=0.02)
    assert np.all((a.adstock_params["alpha"] > 0) & (a.adstock_params["alpha"] < 1))


def test_counterfactual_spend_gets_the_generators_response(
    small_data: Any, small_truth: ResponseModel
) -> None:
    """Another spend history (TV x 1.5, Search off in even weeks, Social flat) replayed from the
    first period: every channel's contribution is ``ChannelTruth.response`` of that spend."""
    m = small_truth
    spend = m.spend.copy()
    spend[:, 0] *= 1.5
    spend[::2, 1] = 0.0
    spend[:, 2] = spend[:, 2].mean()
    sim = simulate(m, pd.DataFrame(spend, index=m.dates, columns=list(m.channels)))
    for i, name in enumerate(m.channels):
        expected = small_data.truth.channels[name].response(spend[:, i])
        np.testing.assert_allclose(sim.contributions[0, :, i], expected, rtol=1e-12, atol=1e-9)


def test_historical_roas_and_baseline_are_the_truths(
    small_data: Any, small_truth: ResponseModel
) -> None:
    m = small_truth
    sim = simulate(m, pd.DataFrame(m.spend, index=m.dates, columns=list(m.channels)))
    roas = sim.contributions[0].sum(axis=0) / m.spend.sum(axis=0)
    expected = [small_data.truth.channels[c].roas for c in m.channels]
    np.testing.assert_allclose(roas, expected, rtol=1e-12)
    np.testing.assert_allclose(m.baseline[0], small_data.truth.baseline.sum(axis=1), rtol=1e-12)
    assert (m.kpi_type, m.frequency, m.source) == ("revenue", "weekly", "truth")


def test_geo_data_and_no_draws_are_refused(small_data: Any) -> None:
    with pytest.raises(PlanError, match="planning on geo-level models is not supported yet"):
        response_model_from_truth(syn.generate(syn.geo_config()))
    with pytest.raises(ValueError, match="n_draws must be >= 1"):
        response_model_from_truth(small_data, n_draws=0)
