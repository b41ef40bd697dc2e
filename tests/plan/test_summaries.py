"""Summaries of draws: mean, median and central interval against hand-computed quantiles."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from mixwise.plan import Estimate
from mixwise.plan.summaries import safe_ratio, summarize


def test_estimate_of_0_to_100() -> None:
    """101 equally spaced draws: the 5% and 95% quantiles are the draws 5 and 95 exactly."""
    e = Estimate.from_draws(np.arange(101.0)[::-1])
    expected = (50.0, 50.0, 5.0, 95.0, 0.9)
    assert (e.mean, e.median, e.lo, e.hi, e.level) == pytest.approx(expected, rel=1e-12)
    half = Estimate.from_draws(np.arange(101.0), level=0.5)
    assert (half.lo, half.hi) == pytest.approx((25.0, 75.0), rel=1e-12)
    assert Estimate.from_draws(np.arange(101.0).reshape(1, -1, 1)) == e  # any shape, flattened


def test_nan_draws_are_ignored_and_all_nan_is_nan() -> None:
    e = Estimate.from_draws([np.nan, 1.0, 2.0, 3.0, np.nan])
    assert (e.mean, e.median) == (2.0, 2.0)
    assert e.lo == pytest.approx(1.1) and e.hi == pytest.approx(2.9)
    empty = Estimate.from_draws([np.nan, np.nan], level=0.8)
    assert all(math.isnan(v) for v in (empty.mean, empty.median, empty.lo, empty.hi))
    assert empty.level == 0.8


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5, -0.1])
def test_interval_level_outside_0_1_is_refused(level: float) -> None:
    with pytest.raises(ValueError, match=rf"interval level must be in \(0, 1\), got {level}"):
        Estimate.from_draws([1.0, 2.0], level=level)
    with pytest.raises(ValueError, match="interval level"):
        summarize(np.ones((3, 2)), ["a", "b"], level=level)


def test_to_dict_and_format() -> None:
    e = Estimate(mean=1234.4, median=1200.0, lo=1000.0, hi=1500.0, level=0.8)
    assert e.to_dict() == {"mean": 1234.4, "median": 1200.0, "lo": 1000.0, "hi": 1500.0}
    assert f"{e}" == "1,234 (80% interval 1,000 to 1,500)"
    assert f"{e:.1f}" == "1234.4 (80% interval 1000.0 to 1500.0)"


def test_summarize_is_from_draws_per_column() -> None:
    rng = np.random.default_rng(0)
    draws = rng.normal(size=(200, 3))
    draws[:7, 1] = np.nan
    draws[:, 2] = np.nan  # an undefined quantity: NaN row, no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = summarize(draws, ["a", "b", "c"], level=0.8)
    assert list(table.columns) == ["mean", "median", "lo", "hi"]
    assert list(table.index) == ["a", "b", "c"]
    for i, name in enumerate("ab"):
        e = Estimate.from_draws(draws[:, i], level=0.8)
        np.testing.assert_allclose(table.loc[name].to_numpy(), [e.mean, e.median, e.lo, e.hi])
    assert table.loc["c"].isna().all()
    one = summarize(draws[:, 0], ["a"], level=0.8)  # 1-d draws: one quantity
    np.testing.assert_allclose(one.to_numpy(), table.loc[["a"]].to_numpy(), rtol=1e-12)


def test_safe_ratio_is_nan_where_the_denominator_is_zero() -> None:
    num = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]])  # (draw, channel)
    out = safe_ratio(num, [2.0, 0.0, 4.0])
    np.testing.assert_array_equal(out, [[0.5, np.nan, 0.75], [1.0, np.nan, 1.5]])
