"""One real Meridian fit per session (small draws), shared by the Meridian tests: TensorFlow's
import and compilation make each fit cost a minute or more. The Meridian environment must be
installed (`make test` installs it: `mixwise engines install meridian`); a missing environment
fails the tests with the install command rather than skipping them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mixwise.data.dataset import MMMDataset
from mixwise.data.mapping import Mapping
from mixwise.fitting import fit
from mixwise.model.result import FitResult
from mixwise.model.spec import ModelSpec

N_WEEKS = 60
SMALL = {"chains": 1, "tune": 50, "draws": 40, "seed": 3}


def meridian_national(shared: Path, n_weeks: int = N_WEEKS) -> MMMDataset:
    """The first ``n_weeks`` of Meridian's national sample: 3 paid channels, 2 controls and the
    organic channel and the Promo non-media treatment."""
    df = pd.read_csv(shared / "meridian_national_all_channels.csv", parse_dates=["time"])
    df = df.head(n_weeks).copy()
    channels = ["Channel0", "Channel1", "Channel2"]
    cols = ["conversions", *(f"{c}_spend" for c in channels), "Organic_channel0_impression"]
    cols += ["competitor_sales_control", "sentiment_score_control", "Promo"]
    for col in cols:
        df[col] = df[col].astype(float)
    mapping = Mapping(
        date="time",
        kpi={"column": "conversions", "type": "conversions"},
        channels=[{"name": c, "spend": f"{c}_spend"} for c in channels],
        controls=["competitor_sales_control", "sentiment_score_control"],
        organic=["Organic_channel0_impression"],
        non_media=["Promo"],
    )
    return MMMDataset(frame=df, mapping=mapping, frequency="weekly")


@pytest.fixture(scope="session")
def national_dataset(shared_datasets: Path) -> MMMDataset:
    return meridian_national(shared_datasets)


@pytest.fixture(scope="session")
def national_fit(national_dataset: MMMDataset) -> FitResult:
    """National Meridian fit: holdout of 6 weeks, a CPA prior on Channel0, 5 knots."""
    spec = ModelSpec.from_dict(
        {
            "sampler": SMALL,
            "meridian": {"n_burnin": 20, "knots": 5},
            "holdout": 6,
            "adstock": {"l_max": 4},
            "channels": {"Channel0": {"cpa": {"mean": 0.002, "sigma": 0.001}}},
        }
    )
    return fit(national_dataset, spec, engine="meridian")


GEOS = ["Geo10", "Geo11", "Geo2"]
"""Sorted as text; Meridian sorts them naturally (Geo2 first): the conversion must realign."""


def meridian_geos(shared: Path, geos: list[str] = GEOS) -> MMMDataset:
    """``geos`` of Meridian's geo sample, 2 channels, a control and the population."""
    df = pd.read_csv(shared / "meridian_geo_all_channels.csv", index_col=0, parse_dates=["time"])
    df = df[df["geo"].isin(geos)].sort_values(["geo", "time"]).reset_index(drop=True)
    mapping = Mapping(
        date="time",
        geo="geo",
        population="population",
        kpi={"column": "conversions", "type": "conversions"},
        channels=[{"name": c, "spend": f"{c}_spend"} for c in ("Channel0", "Channel3")],
        controls=["competitor_sales_control"],
    )
    for col in ("conversions", "population", "competitor_sales_control"):
        df[col] = df[col].astype(float)
    for c in ("Channel0", "Channel3"):
        df[f"{c}_spend"] = df[f"{c}_spend"].astype(float)
    return MMMDataset(frame=df, mapping=mapping, frequency="weekly")


@pytest.fixture(scope="session")
def geo_fit(shared_datasets: Path) -> FitResult:
    """Geo Meridian fit on 3 geos x 156 weeks x 2 channels (per-geo scales and coefficients,
    populations, geos Meridian orders differently from the dataset)."""
    spec = ModelSpec.from_dict({"sampler": SMALL, "meridian": {"n_burnin": 20}})
    return fit(meridian_geos(shared_datasets), spec, engine="meridian")
