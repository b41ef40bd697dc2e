"""ResponseModel: construction from truth and from a FitResult, kernels, baseline continuation."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mixwise.model import transforms as tf
from mixwise.plan import PlanError, ResponseModel, as_response_model, response_model_from_truth
from mixwise.plan.kernels import saturation, saturation_value_grad

X = np.array([[0.0, 1e-9, 0.01, 0.3, 1.0, 2.5, 10.0]]).T  # (time, 1)


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("logistic", {"lam": np.array([[2.3]])}),
        ("hill", {"slope": np.array([[1.7]]), "kappa": np.array([[0.6]])}),
        ("hill", {"slope": np.array([[1.0]]), "kappa": np.array([[0.6]])}),
        ("hill", {"slope": np.array([[0.7]]), "kappa": np.array([[0.6]])}),
        ("michaelis_menten", {"alpha": np.array([[1.5]]), "lam": np.array([[0.8]])}),
    ],
)
def test_kernels_equal_transforms(kind: str, params: dict[str, np.ndarray]) -> None:
    flat = {k: v[0] for k, v in params.items()}  # transforms take (channel,) params
    expected = tf.SATURATIONS[kind](X, **flat)
    expected_grad = tf.SATURATION_GRADS[kind](X, **flat)
    f, g = saturation_value_grad(kind, X, params)
    np.testing.assert_allclose(f, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(saturation(kind, X, params), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(g, expected_grad, rtol=1e-9, atol=1e-14)


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


def test_from_result_equals_from_truth(small_fit_result: Any, small_truth: ResponseModel) -> None:
    m = as_response_model(small_fit_result)
    assert as_response_model(small_fit_result) is m  # converted once, cached
    assert m.channels == small_truth.channels
    np.testing.assert_allclose(m.coefficient, small_truth.coefficient, rtol=1e-12)
    np.testing.assert_allclose(m.adstock_weights, small_truth.adstock_weights, rtol=1e-12)
    np.testing.assert_allclose(
        m.saturation_params["lam"], small_truth.saturation_params["lam"], rtol=1e-12
    )
    np.testing.assert_allclose(m.baseline, small_truth.baseline)
    np.testing.assert_array_equal(m.spend, small_truth.spend)
    assert m.dates.equals(small_truth.dates)


def test_as_response_model_rejects_other_objects() -> None:
    with pytest.raises(PlanError, match="cannot plan with a dict"):
        as_response_model({})


def test_inconsistent_model_is_a_plan_error(small_truth: ResponseModel) -> None:
    with pytest.raises(PlanError, match="baseline"):
        dataclasses.replace(small_truth, baseline=small_truth.baseline[:, :-1])


def _with_baseline(m: ResponseModel, baseline: np.ndarray) -> ResponseModel:
    n = baseline.shape[1]
    dates = pd.date_range("2020-01-06", periods=n, freq="7D")
    spend = np.ones((n, m.n_channels))
    return dataclasses.replace(m, baseline=baseline, spend=spend, dates=dates)


def test_future_baseline_is_seasonal_naive_with_drift(small_truth: ResponseModel) -> None:
    t = np.arange(156)
    season = 1000 * np.sin(2 * np.pi * t / 52)
    b = 50_000 + 40 * t + season
    m = _with_baseline(small_truth, b[None, :104])
    # exact for a linear trend plus a 52-period season: the continuation is the truth
    np.testing.assert_allclose(m.future_baseline(52)[0], b[104:], rtol=1e-12)
    # one-off event in the first year does not move the drift (median)
    spiked = b[:104].copy()
    spiked[10] += 1e6
    m2 = _with_baseline(small_truth, spiked[None])
    np.testing.assert_allclose(m2.future_baseline(52)[0], b[104:], rtol=1e-12)


def test_future_baseline_short_history_is_flat(small_truth: ResponseModel) -> None:
    b = np.arange(30.0)[None]
    m = _with_baseline(small_truth, b)
    np.testing.assert_allclose(m.future_baseline(4)[0], np.full(4, b[0, -13:].mean()))
    m2 = _with_baseline(small_truth, np.arange(60.0)[None])  # one to two seasons: no drift
    np.testing.assert_allclose(m2.future_baseline(3)[0], [8.0, 9.0, 10.0])


def test_take_and_thin(demo_draws: ResponseModel) -> None:
    sub = demo_draws.take([3, 7])
    assert sub.n_draws == 2
    np.testing.assert_array_equal(sub.coefficient, demo_draws.coefficient[[3, 7]])
    assert demo_draws.thin(50, seed=1).n_draws == 50
    assert demo_draws.thin(10_000) is demo_draws
