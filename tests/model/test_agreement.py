"""The engine-neutral measures of model agreement, on hand-checkable numbers."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from mixwise.model import agreement


def test_intervals_agree_when_they_share_a_point() -> None:
    a, b, c = {"lo": 1, "hi": 3}, {"lo": 2.5, "hi": 4}, {"lo": 3.5, "hi": 5}
    assert agreement.intervals_agree([a, b]) is True
    assert agreement.intervals_agree([a, c]) is False
    assert agreement.intervals_agree([a, b, c]) is False  # a and c do not meet
    assert agreement.intervals_agree([a, {"lo": 3, "hi": 3}]) is True  # touching counts
    assert agreement.intervals_agree([a, None]) is None
    assert agreement.intervals_agree([a, {"lo": None, "hi": 2}]) is None


def test_spend_variation_is_sd_over_mean_of_national_spend() -> None:
    values = np.array([[[10.0, 5.0], [0.0, 5.0]], [[30.0, 5.0], [0.0, 5.0]]])  # time, geo, ch
    spend = xr.DataArray(
        values, dims=("time", "geo", "channel"), coords={"channel": ["TV", "Print"]}
    )
    cv = agreement.spend_variation(spend)
    assert cv["TV"] == pytest.approx(10 / 20)  # national 10, 30: sd 10, mean 20
    assert cv["Print"] == pytest.approx(0.0)
    zero = xr.DataArray(np.zeros((3, 1)), dims=("time", "channel"), coords={"channel": ["X"]})
    assert agreement.spend_variation(zero) == {"X": None}


def test_contraction_is_one_minus_variance_ratio() -> None:
    rng = np.random.default_rng(0)
    prior, posterior = rng.normal(0, 2, 200_000), rng.normal(1, 1, 200_000)
    assert agreement.contraction(prior, posterior) == pytest.approx(0.75, abs=0.01)
    assert agreement.contraction(prior, prior) == pytest.approx(0.0, abs=1e-12)
    assert agreement.contraction(np.ones(10), posterior) is None


def _fake(n_holdout: int, n: int = 10) -> SimpleNamespace:
    dates = pd.date_range("2024-01-01", periods=n, freq="W-MON")
    return SimpleNamespace(n_holdout=n_holdout, dates=dates, holdout_dates=dates[n - n_holdout :])


def test_holdout_window_is_what_every_model_with_a_holdout_held_out() -> None:
    a, b, none = _fake(4), _fake(2), _fake(0)
    window = agreement.holdout_window([a, b, none])  # type: ignore[list-item]
    assert window is not None and list(window) == list(a.dates[-2:])
    assert agreement.holdout_window([none, none]) is None  # type: ignore[list-item]
    assert agreement.held_out(a, window) and not agreement.held_out(none, window)  # type: ignore[arg-type]
