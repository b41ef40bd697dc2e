"""ResponseModel: consistency checks, baseline continuation, taking and thinning draws (built
from truth: test_truth.py; from a fit result: test_adapter.py; kernels: test_kernels.py)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from mixwise.plan import PlanError, ResponseModel


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
