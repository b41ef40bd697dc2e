"""The `holidays` package and Robyn's Prophet holiday table agree on the calendar of Robyn's
demo (country DE, 2016-2018), so a ridge fit's holiday dummies are Robyn's."""

from __future__ import annotations

from pathlib import Path

import holidays
import pandas as pd

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"


def test_holidays_package_and_robyn_table_agree_for_the_demo_window() -> None:
    table = pd.read_csv(SHARED / "robyn_dt_prophet_holidays.csv")
    de = table[(table["country"] == "DE") & table["year"].between(2016, 2018)]
    from_table = set(pd.to_datetime(de["ds"]).dt.date)
    from_package = set(holidays.country_holidays("DE", years=[2016, 2017, 2018]))
    assert len(from_table) == 28
    assert from_table == from_package
