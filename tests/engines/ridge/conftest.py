"""Robyn's demo data as a ridge problem: paid tv, ooh, print, search, facebook; organic
newsletter; control competitor sales; events; German holidays; window 2016-01-04 .. 2018-12-31
(as in Robyn's demo), loaded through the example mappings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mixwise
from mixwise.data.holidays import holiday_dummies
from mixwise.data.mapping import HolidayTableMapping
from mixwise.engines.ridge.design import build_problem
from mixwise.engines.ridge.evaluate import RidgeProblem

WINDOW = ("2016-01-04", "2018-12-31")


@pytest.fixture(scope="session")
def robyn_problem(shared_datasets: Path, mappings_dir: Path) -> RidgeProblem:
    mapping = mappings_dir / "robyn_dt_simulated_weekly.yaml"
    dataset = mixwise.load_dataset(shared_datasets / "robyn_dt_simulated_weekly.csv", mapping)
    table = pd.read_csv(shared_datasets / "robyn_dt_prophet_holidays.csv")
    cols = HolidayTableMapping(kind="holidays", date="ds", holiday="holiday", country="country")
    hol = holiday_dummies(table, cols, "DE", dataset.dates, dataset.frequency)
    return build_problem(dataset, holidays=hol, window=WINDOW)
