"""Number formatting: the same number always reads the same way."""

from __future__ import annotations

import math

from mixwise.report import format as fm


def test_amounts_use_separators_and_drop_decimals_above_100() -> None:
    assert fm.amount(1_234_567.89) == "1,234,568"
    assert fm.amount(12.345) == "12.35"
    assert fm.amount(0.0) == "0"
    assert fm.amount(-0.0001) == "0"
    assert fm.amount(3e-11) == "0"
    assert fm.amount(-0.5) == "-0.50"


def test_missing_and_infinite_values_read_na() -> None:
    for value in (None, math.nan, math.inf, "x"):
        assert fm.amount(value) == fm.NA
        assert fm.ratio(value) == fm.NA
        assert fm.pct(value) == fm.NA


def test_percent_and_ratio() -> None:
    assert fm.pct(0.1234) == "12.3%"
    assert fm.pct(-0.00001) == "0.0%"
    assert fm.ratio(2.846) == "2.85"
    assert fm.ratio(1234.5) == "1,234.50"


def test_interval_reads_mean_then_bounds() -> None:
    assert fm.interval(2.5, 1.25, 4.0, "ratio") == "2.50 (1.25 to 4.00)"
    assert fm.interval(0.5, None, 0.7, "pct") == "50.0%"
    assert fm.bounds(1000, 2000, "money") == "(1,000 to 2,000)"
    assert fm.level(0.9) == "90%"


def test_compact_headlines() -> None:
    assert fm.compact(9_985_809) == "9.99M"
    assert fm.compact(245_000) == "245k"
    assert fm.compact(812) == "812"
    assert fm.compact(2.5e9) == "2.5B"
