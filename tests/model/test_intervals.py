"""Summaries of draws (model/intervals): hand-computed quantiles, rounding to 10 significant
digits, and None for what is not finite."""

from __future__ import annotations

import numpy as np
import pytest

from mixwise.model.intervals import rounded, stats


def test_stats_round_and_drop_non_finite() -> None:
    s = stats(np.arange(101.0), 0.9)
    assert s == pytest.approx({"mean": 50.0, "median": 50.0, "lo": 5.0, "hi": 95.0}, rel=1e-12)
    assert stats(np.array([1.0 / 3.0] * 3), 0.9)["mean"] == 0.3333333333  # 10 digits
    with np.errstate(invalid="ignore"):  # numpy's quantile of inf warns
        assert stats(np.array([1.0, np.inf]), 0.9)["mean"] is None


def test_rounded_keeps_ten_significant_digits() -> None:
    assert rounded(123456.78901234) == 123456.789
    assert rounded(2 / 3 * 1e-7) == 6.666666667e-08
    assert rounded(float("nan")) is None and rounded(float("-inf")) is None
