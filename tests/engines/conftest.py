"""Datasets for engine tests, built directly from the reference CSVs (no loader involved)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mixwise.data.dataset import MMMDataset
from mixwise.data.mapping import Mapping


def pymc_example(shared: Path) -> MMMDataset:
    df = pd.read_csv(shared / "pymc_marketing_mmm_example.csv", parse_dates=["date_week"])
    for col in ("y", "x1", "x2", "event_1", "event_2"):
        df[col] = df[col].astype(float)
    mapping = Mapping(
        date="date_week",
        kpi={"column": "y", "type": "revenue"},
        channels=[{"name": "x1", "spend": "x1"}, {"name": "x2", "spend": "x2"}],
        events=["event_1", "event_2"],
    )
    return MMMDataset(frame=df, mapping=mapping, frequency="weekly")


def meridian_geo_subset(shared: Path, n_geos: int = 3, n_channels: int = 2) -> MMMDataset:
    df = pd.read_csv(shared / "meridian_geo_all_channels.csv", index_col=0, parse_dates=["time"])
    geos = sorted(df["geo"].unique())[:n_geos]
    df = df[df["geo"].isin(geos)].sort_values(["geo", "time"]).reset_index(drop=True)
    channels = [f"Channel{i}" for i in range(n_channels)]
    spend = [f"{c}_spend" for c in channels]
    for col in ("conversions", "competitor_sales_control", *spend):
        df[col] = df[col].astype(float)
    mapping = Mapping(
        date="time",
        geo="geo",
        kpi={"column": "conversions", "type": "conversions"},
        channels=[{"name": c, "spend": s} for c, s in zip(channels, spend, strict=True)],
        controls=["competitor_sales_control"],
    )
    return MMMDataset(frame=df, mapping=mapping, frequency="weekly")


@pytest.fixture(scope="session")
def pymc_dataset(shared_datasets: Path) -> MMMDataset:
    return pymc_example(shared_datasets)


@pytest.fixture(scope="session")
def geo_dataset(shared_datasets: Path) -> MMMDataset:
    return meridian_geo_subset(shared_datasets)
