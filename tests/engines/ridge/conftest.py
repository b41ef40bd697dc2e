"""Robyn's demo data as a ridge problem (paid tv/ooh/print/facebook/search, organic newsletter,
context competitor sales and events, German holidays, window 2016-01-04 .. 2018-12-31)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mixwise.data.holidays import holiday_dummies
from mixwise.data.mapping import HolidayTableMapping
from mixwise.engines.ridge.design import build_problem
from mixwise.engines.ridge.evaluate import RidgeProblem

PAID = ["tv_S", "ooh_S", "print_S", "facebook_S", "search_S"]


def robyn_demo(shared: Path, adstock: str = "geometric") -> RidgeProblem:
    frame = pd.read_csv(shared / "robyn_dt_simulated_weekly.csv", parse_dates=["DATE"])
    frame = frame.set_index("DATE")
    table = pd.read_csv(shared / "robyn_dt_prophet_holidays.csv")
    mapping = HolidayTableMapping(kind="holidays", date="ds", holiday="holiday", country="country")
    hol = holiday_dummies(table, mapping, "DE", pd.DatetimeIndex(frame.index), "weekly")
    return build_problem(
        frame,
        kpi="revenue",
        paid=PAID,
        organic=["newsletter"],
        context=["competitor_sales_B"],
        events=["events"],
        holidays=hol,
        window=("2016-01-04", "2018-12-31"),
        adstock=adstock,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def robyn_problem(shared_datasets: Path) -> RidgeProblem:
    return robyn_demo(shared_datasets)
