"""Lift tests: how the fitted model compares with each experiment it was calibrated on.

A lift test (:class:`~mixwise.model.spec.LiftTest`) enters the fit as per-period measurements
on the channel's saturation curve (PyMC-Marketing's ``add_lift_test_measurements``)::

    kpi_scale * beta * (f((x + dx) / spend_scale) - f(x / spend_scale))  ~  Normal(dy, sigma)

with ``n`` the periods in the window, ``x`` the spend level per period, ``dx = spend_change / n``,
``dy = kpi_change / n`` and ``sigma = standard error / n``. The *fitted lift* of a test is that
left-hand side times ``n``, draw by draw: the KPI change over the window the model predicts for
the test's spend change (steady state, without carry-over, exactly as the likelihood sees it).
Reported next to the measured change, with ``z = (fitted mean - measured) / standard error``;
``|z| > 2`` means the model and the experiment disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from mixwise.errors import SpecError
from mixwise.model.catalogue import SATURATIONS
from mixwise.model.forward import saturation_params
from mixwise.model.intervals import stats

if TYPE_CHECKING:
    from mixwise.model.result import FitResult
    from mixwise.model.spec import LiftTest

DISAGREE_Z = 2.0
"""``|z|`` above which a test is flagged as disagreeing with the model."""


def periods_in(start: pd.Timestamp, end: pd.Timestamp, frequency_days: int) -> int:
    """Periods of ``frequency_days`` days from ``start`` to ``end`` inclusive."""
    return (end - start).days // frequency_days + 1


def period_days(dates: pd.DatetimeIndex) -> int:
    """Days per period of a regular date index (7 when there is a single date)."""
    return max(1, (dates[1] - dates[0]).days) if len(dates) > 1 else 7


def spend_level(spend: pd.Series, start: pd.Timestamp, end: pd.Timestamp, field: str) -> float:
    """Mean spend per period of ``spend`` (indexed by date) over ``start``..``end``."""
    window = spend[(spend.index >= start) & (spend.index <= end)]
    if window.empty:
        raise SpecError(
            f"{field}: the window {start.date()}..{end.date()} is outside the data",
            "Give spend_level (spend per period before the test) for tests outside the data.",
        )
    return float(window.mean())


def per_period(test: LiftTest, level: float, n: int) -> dict[str, float]:
    """The test as the likelihood sees it: ``x``, ``delta_x``, ``delta_y``, ``sigma`` per period."""
    return {
        "x": level,
        "delta_x": test.spend_change / n,
        "delta_y": test.kpi_change / n,
        "sigma": test.sigma / n,
    }


def _channel_spend(result: FitResult, channel: str, geo: str | None) -> pd.Series:
    da = result.spend.sel(channel=channel)
    if geo is not None:
        da = da.sel(geo=geo)
    return pd.Series(da.values, index=result.dates)


def fitted_lift_draws(result: FitResult, index: int) -> np.ndarray:
    """``(draw,)`` fitted KPI change over the window of ``result.spec.lift_tests[index]``."""
    test = result.spec.lift_tests[index]
    field = f"lift_tests.{index}"
    start, end = pd.Timestamp(test.start), pd.Timestamp(test.end)
    n = periods_in(start, end, period_days(result.dates))
    level = test.spend_level
    if level is None:
        level = spend_level(_channel_spend(result, test.channel, test.geo), start, end, field)
    p = per_period(test, level, n)
    where = {"channel": [test.channel]}  # lists keep the dims, as summary's helpers expect
    if "geo" in result.params.dims:
        where["geo"] = [str(test.geo)]
    one = result.params.sel(where)
    scale = float(one["spend_scale"].values.reshape(-1)[0])
    kpi_scale = float(one["kpi_scale"].values.reshape(-1)[0])
    beta = one["beta"].transpose("draw", ...).values.reshape(-1)
    f = SATURATIONS[one.attrs["saturation"]].function
    x = np.array([[p["x"]], [p["x"] + p["delta_x"]]]) / scale  # (time: before, during; channel)
    curve = f(x, **saturation_params(one)).reshape(len(beta), 2)  # (draw, time)
    return n * kpi_scale * beta * (curve[:, 1] - curve[:, 0])


def lift_table(result: FitResult, interval: float) -> list[dict[str, Any]]:
    """One entry per lift test: the test, the measured and fitted KPI change, ``z``, agreement."""
    rows = []
    for i, test in enumerate(result.spec.lift_tests):
        fitted = stats(fitted_lift_draws(result, i), interval)
        z = ((fitted["mean"] or 0.0) - test.kpi_change) / test.sigma
        rows.append(
            {
                "channel": test.channel,
                "geo": test.geo,
                "start": str(test.start),
                "end": str(test.end),
                "spend_change": test.spend_change,
                "measured": test.kpi_change,
                "sigma": test.sigma,
                "fitted": fitted,
                "z": float(f"{z:.4g}"),
                "agrees": bool(abs(z) <= DISAGREE_Z),
            }
        )
    return rows
