"""Backtest forecasts and scores against a known data-generating process.

The truth: ``y = media(params) + 500 + 2 t + 80 sin(2 pi t / 52) + 30 x(t) + Normal(0, 40)``
with known media parameters. A "model" whose draws sit on the truth, fitted on 104 weeks, forecasts
300 more: its 90% interval must cover about 90% of them (binomial sd at n = 300 is 0.017; the
tolerance, 0.06, is 3.5 sd) and its CRPS must beat a model with every media coefficient doubled
and one with no trend. The CRPS formula is checked against its definition on a tiny sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from tests.model.support import CHANNELS, make_params

from mixwise.errors import MixwiseError
from mixwise.model.backtest import crps_sample, forecast, score
from mixwise.model.forward import forward_contributions
from mixwise.model.result import Diagnostics, FitResult
from mixwise.model.spec import ModelSpec

N_SEEN, N_NEW, SIGMA = 104, 300, 40.0
COMPONENTS = ["intercept", "trend", "seasonality", "controls"]


def _truth() -> tuple[xr.Dataset, xr.DataArray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    n = N_SEEN + N_NEW
    dates = pd.date_range("2020-01-06", periods=n, freq="W-MON")
    params = make_params(alpha=0.4).isel(draw=slice(0, 1))
    params = params.isel(draw=np.zeros(500, int)).assign_coords(draw=np.arange(500))
    spend = xr.DataArray(
        rng.uniform(0, 80, (n, len(CHANNELS))),
        dims=("time", "channel"),
        coords={"time": dates, "channel": CHANNELS},
    )
    x = rng.normal(0, 1, n)
    t = np.arange(n)
    parts = np.stack([np.full(n, 500.0), 2.0 * t, 80 * np.sin(2 * np.pi * t / 52), 30 * x])
    media = forward_contributions(params, spend).isel(draw=0).sum("channel").values
    y = media + parts.sum(axis=0) + rng.normal(0, SIGMA, n)
    return params, spend, parts, x, y


def _model(params: xr.Dataset, spend: xr.DataArray, parts: np.ndarray, y: np.ndarray) -> FitResult:
    seen = spend.isel(time=slice(0, N_SEEN))
    contributions = forward_contributions(params, seen)
    d = params.sizes["draw"]
    baseline = xr.DataArray(
        np.broadcast_to(parts[:, :N_SEEN].T, (d, N_SEEN, 4)).copy(),
        dims=("draw", "time", "component"),
        coords={
            "time": seen["time"],
            "component": ["intercept", "trend", "seasonality", "controls"],
        },
    )
    fitted = contributions.sum("channel") + baseline.sum("component")
    return FitResult(
        params=params,
        contributions=contributions,
        baseline=baseline,
        fitted=fitted.transpose("draw", "time"),
        observed=xr.DataArray(y[:N_SEEN], dims=("time",), coords={"time": seen["time"]}),
        spend=seen,
        spec=ModelSpec().resolved("weekly", N_SEEN),
        diagnostics=Diagnostics(False, True, "converged"),
        provenance={"engine": "test"},
    )


def test_a_well_specified_model_covers_about_90_percent_and_beats_wrong_ones() -> None:
    params, spend, parts, x, y = _truth()
    truth = score(forecast(_model(params, spend, parts, y), spend, x[:, None]).values, y[N_SEEN:])
    assert truth["periods"] == N_NEW
    assert truth["coverage"] == pytest.approx(0.9, abs=0.06)
    assert truth["mape"] < 0.1
    doubled = params.assign(beta=params["beta"] * 2)
    no_trend = parts.copy()
    no_trend[1] = 0.0
    for wrong in (_model(doubled, spend, parts, y), _model(params, spend, no_trend, y)):
        other = score(forecast(wrong, spend, x[:, None]).values, y[N_SEEN:])
        assert truth["crps"] < 0.8 * other["crps"]


def test_crps_matches_its_definition() -> None:
    draws = np.array([[1.0, 5.0], [2.0, 3.0], [4.0, -1.0]])
    y = np.array([2.5, 0.0])
    x = draws
    term1 = np.abs(x - y).mean(axis=0)
    term2 = np.abs(x[:, None, :] - x[None, :, :]).mean(axis=(0, 1))
    assert crps_sample(draws, y) == pytest.approx(term1 - 0.5 * term2)
    # a point forecast's CRPS is its absolute error
    assert crps_sample(np.full((4, 1), 3.0), np.array([1.0])) == pytest.approx([2.0])


def test_a_channel_missing_from_the_new_data_is_an_error() -> None:
    params, spend, parts, x, y = _truth()
    model = _model(params, spend, parts, y)
    with pytest.raises(MixwiseError, match="channel 'search'"):
        forecast(model, spend.sel(channel=["tv"]), x[:, None])


def test_new_data_must_extend_the_seen_periods() -> None:
    params, spend, parts, x, y = _truth()
    model = _model(params, spend, parts, y)
    with pytest.raises(MixwiseError, match="must hold the previous model's 104 periods"):
        forecast(model, spend.isel(time=slice(1, None)), x[1:, None])


def test_a_window_that_starts_after_the_data_is_forecast_from_its_own_periods() -> None:
    """A ridge window may start after the data's first period: the earlier rows are skipped."""
    params, spend, parts, x, y = _truth()
    model = _model(params, spend, parts, y)
    earlier = spend.isel(time=slice(0, 3)).assign_coords(
        time=pd.date_range(end=spend["time"].values[0], periods=4, freq="W-MON")[:-1]
    )
    longer = xr.concat([earlier, spend], dim="time")
    x_longer = np.concatenate([np.zeros(3), x])[:, None]
    a = forecast(model, spend, x[:, None], seed=3)
    b = forecast(model, longer, x_longer, seed=3)
    assert b.sizes["time"] == N_NEW
    np.testing.assert_allclose(a.values, b.values)
