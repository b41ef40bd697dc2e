"""From Robyn's demo dataset to the ridge problem."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mixwise.engines.ridge.baseline import trend_and_seasonality
from mixwise.engines.ridge.design import window_rows
from mixwise.engines.ridge.evaluate import RidgeProblem
from mixwise.errors import SpecError


def test_robyn_demo_problem(robyn_problem: RidgeProblem, shared_datasets: Path) -> None:
    p = robyn_problem
    assert p.channels == ("tv", "ooh", "print", "search", "facebook", "newsletter")
    assert p.n_paid == 5 and p.media.shape == (208, 6)
    assert len(p.y) == 157  # 2016-01-04 .. 2018-12-31 weekly
    # events=event2 never happens in the window: left out
    assert p.fixed_names == (
        "trend", "sin_1", "cos_1", "sin_2", "cos_2", "competitor_sales_B", "events=event1",
        "holiday_DE",
    )  # fmt: skip
    assert list(p.nonneg) == [True] * 6 + [False] * 8
    raw = pd.read_csv(
        shared_datasets / "robyn_dt_simulated_weekly.csv", parse_dates=["DATE"]
    ).set_index("DATE")
    window = raw.loc["2016-01-04":"2018-12-31"]
    np.testing.assert_allclose(
        p.spend, window[["tv_S", "ooh_S", "print_S", "search_S", "facebook_S"]].sum()
    )
    np.testing.assert_allclose(p.y, window["revenue"])
    assert p.lam_max > 0


def test_baseline_terms() -> None:
    dates = pd.date_range("2020-01-06", periods=105, freq="7D")
    b = trend_and_seasonality(dates, 52.1775, order=1)
    assert list(b.columns) == ["trend", "sin_1", "cos_1"]
    assert b["trend"].iloc[0] == 0 and b["trend"].iloc[-1] == 1
    # one year later the season repeats (within the 1.25-day drift of a 52-week year)
    assert b["cos_1"].iloc[52] == pytest.approx(1.0, abs=1e-3)


def test_window_must_hold_periods() -> None:
    dates = pd.date_range("2020-01-06", periods=30, freq="7D")
    assert window_rows(dates, "2020-02-01", None) == slice(4, 30)
    with pytest.raises(SpecError, match="holds 0 periods"):
        window_rows(dates, "2021-01-01", "2021-02-01")


def test_lift_test_periods_as_robyn_reads_them() -> None:
    from mixwise.engines.ridge.design import lift_test

    dates = pd.date_range("2020-01-06", periods=20, freq="7D")  # Mondays
    window = slice(2, 20)
    # starts on a Monday: the periods starting 01-20 .. 02-10 (rows 2..5, window rows 0..3)
    t = lift_test(dates, window, [1], "2020-01-20", "2020-02-16", 500.0)
    assert t.rows == (0, 1, 2, 3) and t.channels == (1,)
    assert t.days_ratio == pytest.approx(27 / 21)
    # starts mid-week: the period before is added
    mid = lift_test(dates, window, [0], "2020-01-29", "2020-02-16", 10.0)
    assert mid.rows == (1, 2, 3)
    with pytest.raises(SpecError, match="no period inside the modelling window"):
        lift_test(dates, window, [0], "2020-01-06", "2020-01-12", 1.0)
