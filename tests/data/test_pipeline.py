"""The load pipeline end to end: daily data to weekly, with what was dropped reported."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mixwise.data.mapping import Mapping
from mixwise.data.pipeline import load_dataset, validate
from mixwise.errors import ValidationFailed


def _daily(n: int = 200, start: str = "2024-01-03") -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "date": pd.date_range(start, periods=n, freq="D").astype(str),
            "revenue": rng.uniform(100, 200, n),
            "tv_spend": rng.uniform(0, 10, n),
            "search_spend": rng.uniform(0, 5, n),
        }
    )


MAPPING = Mapping.from_dict(
    {
        "date": "date",
        "kpi": {"column": "revenue"},
        "channels": [
            {"name": "TV", "spend": "tv_spend"},
            {"name": "Search", "spend": "search_spend"},
        ],
        "resample": {"week_start": "MON"},
    }
)


def test_daily_to_weekly_sums_and_reports_partial_weeks() -> None:
    raw = _daily()
    ds = load_dataset(raw, MAPPING)
    assert ds.frequency == "weekly"
    # 2024-01-03 is a Wednesday: the first complete Monday week starts 2024-01-08.
    assert ds.dates[0] == pd.Timestamp("2024-01-08")
    first_week = raw.iloc[5:12]
    assert ds.spend()["TV"].iloc[0] == pytest.approx(first_week["tv_spend"].sum())
    assert ds.kpi().iloc[0] == pytest.approx(first_week["revenue"].sum())
    codes = [f.code for f in ds.findings]
    assert "partial_weeks_dropped" in codes


def test_load_dataset_raises_with_all_findings() -> None:
    raw = _daily()
    raw["tv_spend"] = raw["tv_spend"].astype(object)
    raw.loc[3, "tv_spend"] = "abc"
    with pytest.raises(ValidationFailed) as exc:
        load_dataset(raw, MAPPING)
    assert "non_numeric" in {f.code for f in exc.value.findings}
    assert not validate(raw, MAPPING).ok


def test_fingerprint_is_stable_and_content_sensitive() -> None:
    raw = _daily()
    a = load_dataset(raw, MAPPING).fingerprint()
    assert a == load_dataset(raw.copy(), MAPPING).fingerprint()
    raw.loc[20, "revenue"] = float(raw.loc[20, "revenue"]) + 1.0
    assert a != load_dataset(raw, MAPPING).fingerprint()


def test_to_xarray_has_named_dims() -> None:
    ds = load_dataset(_daily(), MAPPING)
    x = ds.to_xarray()
    assert x["spend"].dims == ("time", "geo", "channel")
    assert list(x["channel"].values) == ["TV", "Search"]
    np.testing.assert_allclose(x["spend"].sel(geo="national").to_numpy(), ds.spend().to_numpy())
