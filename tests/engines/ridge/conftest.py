"""Robyn's demo data as a ridge problem: paid tv, ooh, print, search, facebook; organic
newsletter; control competitor sales; events; German holidays; window 2016-01-04 .. 2018-12-31
(as in Robyn's demo), loaded through the example mappings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import mixwise
from mixwise.data.dataset import MMMDataset
from mixwise.data.holidays import holiday_dummies
from mixwise.data.mapping import HolidayTableMapping
from mixwise.engines.ridge.design import build_problem
from mixwise.engines.ridge.evaluate import RidgeProblem

WINDOW = ("2016-01-04", "2018-12-31")


@pytest.fixture(scope="session")
def robyn_dataset(shared_datasets: Path, mappings_dir: Path) -> MMMDataset:
    mapping = mappings_dir / "robyn_dt_simulated_weekly.yaml"
    return mixwise.load_dataset(shared_datasets / "robyn_dt_simulated_weekly.csv", mapping)


@pytest.fixture(scope="session")
def robyn_holidays(shared_datasets: Path, robyn_dataset: MMMDataset) -> pd.DataFrame:
    table = pd.read_csv(shared_datasets / "robyn_dt_prophet_holidays.csv")
    cols = HolidayTableMapping(kind="holidays", date="ds", holiday="holiday", country="country")
    return holiday_dummies(table, cols, "DE", robyn_dataset.dates, robyn_dataset.frequency)


@pytest.fixture(scope="session")
def robyn_problem(robyn_dataset: MMMDataset, robyn_holidays: pd.DataFrame) -> RidgeProblem:
    return build_problem(robyn_dataset, holidays=robyn_holidays, window=WINDOW)
