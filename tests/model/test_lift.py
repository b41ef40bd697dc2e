"""Lift tests against the fitted model: windows, per-period terms and the fitted lift against the
formula the likelihood uses, computed here by hand from the draws (national and geo). The
engine-level check (that this equals PyMC-Marketing's own lift likelihood) is in
tests/engines/bayesian/test_engine.py."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from tests.model.support import make_result

from mixwise.errors import SpecError
from mixwise.model.lift import (
    DISAGREE_Z,
    fitted_lift_draws,
    lift_table,
    per_period,
    period_days,
    periods_in,
    spend_level,
)
from mixwise.model.result import FitResult
from mixwise.model.spec import LiftTest

# four weeks of the fixture's weekly data (Mondays from 2022-01-03)
WINDOW = {"start": "2022-02-07", "end": "2022-03-06"}


def _with_tests(result: FitResult, *tests: LiftTest) -> FitResult:
    result.spec = result.spec.model_copy(update={"lift_tests": list(tests)})
    return result


def _logistic(a: np.ndarray, lam: np.ndarray) -> np.ndarray:
    return (1 - np.exp(-lam * a)) / (1 + np.exp(-lam * a))


def test_periods_and_period_length() -> None:
    start = pd.Timestamp("2019-06-03")
    assert periods_in(start, pd.Timestamp("2019-06-30"), 7) == 4
    assert periods_in(start, start, 7) == 1
    assert periods_in(start, pd.Timestamp("2019-06-09"), 1) == 7
    assert period_days(pd.date_range("2020-01-06", periods=3, freq="7D")) == 7
    assert period_days(pd.date_range("2020-01-06", periods=3, freq="D")) == 1
    assert period_days(pd.DatetimeIndex(["2020-01-06"])) == 7


def test_spend_level_is_the_window_mean_and_outside_windows_name_the_test() -> None:
    spend = pd.Series(
        [1.0, 2.0, 3.0, 10.0], index=pd.date_range("2020-01-06", periods=4, freq="7D")
    )
    level = spend_level(spend, pd.Timestamp("2020-01-13"), pd.Timestamp("2020-01-26"), "x")
    assert level == 2.5
    with pytest.raises(SpecError, match=r"lift_tests\.3: the window 2021-01-04..2021-01-31 is"):
        spend_level(spend, pd.Timestamp("2021-01-04"), pd.Timestamp("2021-01-31"), "lift_tests.3")


def test_per_period_terms() -> None:
    test = LiftTest(channel="tv", spend_change=40.0, kpi_change=80.0, sigma=20.0, **WINDOW)
    assert per_period(test, 12.0, 4) == {"x": 12.0, "delta_x": 10.0, "delta_y": 20.0, "sigma": 5.0}


def test_fitted_lift_is_the_likelihoods_left_hand_side_times_n() -> None:
    """n kpi_scale beta (f((x + dx) / scale) - f(x / scale)), draw by draw, with x the channel's
    mean spend over the window (by default) or the given spend level."""
    result = _with_tests(
        make_result(),
        LiftTest(channel="tv", spend_change=40.0, kpi_change=80.0, sigma=20.0, **WINDOW),
        LiftTest(channel="search", spend_change=-8.0, kpi_change=-5.0, sigma=3.0, x=30.0, **WINDOW),
    )
    p = result.params
    window = result.spend.sel(time=slice(WINDOW["start"], WINDOW["end"]))
    assert window.sizes["time"] == 4
    for i, (channel, x, dx) in enumerate(
        [("tv", float(window.sel(channel="tv").mean()), 10.0), ("search", 30.0, -2.0)]
    ):
        lam = p["saturation_lam"].sel(channel=channel).values
        beta = p["beta"].sel(channel=channel).values
        expected = 4 * 1000.0 * beta * (_logistic((x + dx) / 100, lam) - _logistic(x / 100, lam))
        np.testing.assert_allclose(fitted_lift_draws(result, i), expected, rtol=1e-12)


def test_geo_lift_reads_its_geos_parameters() -> None:
    result = make_result(geos=["north", "south"])
    test = LiftTest(
        channel="tv", geo="south", spend_change=40.0, kpi_change=1.0, sigma=1.0, x=20.0, **WINDOW
    )
    _with_tests(result, test)
    one = result.params.sel(channel="tv", geo="south")
    lam, beta = one["saturation_lam"].values, one["beta"].values
    expected = 4 * 1000.0 * beta * (_logistic(0.3, lam) - _logistic(0.2, lam))
    np.testing.assert_allclose(fitted_lift_draws(result, 0), expected, rtol=1e-12)


def test_lift_table_z_and_agreement() -> None:
    result = make_result()
    base = {"channel": "tv", "spend_change": 40.0, "sigma": 20.0, **WINDOW}
    _with_tests(result, LiftTest(kpi_change=0.0, **base))
    fitted_mean = float(fitted_lift_draws(result, 0).mean())
    agree = fitted_mean + 1.5 * 20.0  # z = -1.5
    disagree = fitted_mean - 2.5 * 20.0  # z = +2.5
    _with_tests(result, LiftTest(kpi_change=agree, **base), LiftTest(kpi_change=disagree, **base))
    rows = lift_table(result, 0.9)
    assert [r["z"] for r in rows] == pytest.approx([-1.5, 2.5], rel=1e-3)
    assert [r["agrees"] for r in rows] == [True, False]
    assert DISAGREE_Z == 2.0
    first = rows[0]
    assert (first["channel"], first["geo"], first["start"], first["end"]) == (
        "tv",
        None,
        "2022-02-07",
        "2022-03-06",
    )
    assert first["measured"] == agree and first["sigma"] == 20.0
    assert first["fitted"]["lo"] <= first["fitted"]["median"] <= first["fitted"]["hi"]
    assert math.isclose(first["fitted"]["mean"], fitted_mean, rel_tol=1e-9)
    assert result.summary_dict()["lift_tests"] == rows
