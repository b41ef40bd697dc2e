"""Daily -> weekly: sums, means, event levels, week_start, geos, incomplete weeks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mixwise.data.mapping import Mapping
from mixwise.data.resample import incomplete_weeks, to_weekly, week_labels
from mixwise.errors import MappingError

MAPPING = Mapping.model_validate(
    {
        "date": "day",
        "kpi": {"column": "sales"},
        "channels": [{"name": "TV", "spend": "tv", "exposure": "tv_grps", "exposure_type": "grps"}],
        "controls": ["price"],
        "organic": ["newsletter"],
        "events": ["promo", "holiday"],
    }
)


def _daily(start: str, days: int, geo: str | None = None, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "day": pd.date_range(start, periods=days, freq="D"),
            "tv": rng.uniform(0, 100, days).round(2),
            "tv_grps": rng.uniform(0, 5, days).round(2),
            "sales": rng.uniform(500, 900, days).round(2),
            "price": rng.uniform(9, 11, days).round(2),
            "newsletter": rng.integers(0, 3, days).astype(float),
            "promo": (np.arange(days) % 5 == 0).astype(float),
            "holiday": ["na"] * days,
            "unmapped": "x",
        }
    )
    if geo is not None:
        frame.insert(0, "region", geo)
    return frame


def test_seven_days_make_one_week() -> None:
    daily = _daily("2024-01-01", 7)  # Monday .. Sunday
    daily.loc[2, "holiday"] = "newyear"
    daily.loc[4:5, "holiday"] = "sale"
    weekly = to_weekly(daily, MAPPING)
    assert len(weekly) == 1
    row = weekly.iloc[0]
    assert row["day"] == pd.Timestamp("2024-01-01")
    for col in ("tv", "tv_grps", "sales", "newsletter", "promo"):
        assert row[col] == pytest.approx(daily[col].sum()), col
    assert row["price"] == pytest.approx(daily["price"].mean())
    assert row["holiday"] == "sale"  # most frequent non-baseline level
    assert "unmapped" not in weekly.columns
    assert weekly["day"].dtype == "datetime64[ns]"


def test_event_level_ties_go_to_the_earliest_and_baseline_when_no_event() -> None:
    daily = pd.concat([_daily("2024-01-01", 7), _daily("2024-01-08", 7, seed=1)])
    daily = daily.reset_index(drop=True)
    daily.loc[5, "holiday"] = "b"
    daily.loc[3, "holiday"] = "a"
    weekly = to_weekly(daily, MAPPING)
    assert weekly["holiday"].tolist() == ["a", "na"]


def test_week_start_is_respected() -> None:
    daily = _daily("2024-01-01", 21)  # Mon 1 Jan .. Sun 21 Jan
    sunday = to_weekly(daily, MAPPING, week_start="SUN")
    # Sunday weeks: 7-13 and 14-20 are complete; 1-6 and 21 are partial and dropped
    assert sunday["day"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-07", "2024-01-14"]
    assert (sunday["day"].dt.day_of_week == 6).all()
    assert sunday["tv"].iloc[0] == pytest.approx(daily["tv"].iloc[6:13].sum())
    monday = to_weekly(daily, MAPPING)
    assert len(monday) == 3
    assert monday["sales"].sum() == pytest.approx(daily["sales"].sum())


def test_week_labels() -> None:
    raw = ["2024-01-03 15:00", "2024-01-07", "2024-01-08"]
    dates = pd.Series(pd.to_datetime(raw, format="ISO8601"))
    assert week_labels(dates, "MON").dt.day.tolist() == [1, 1, 8]
    assert week_labels(dates, "WED").dt.day.tolist() == [3, 3, 3]


def test_two_geos_are_resampled_separately() -> None:
    mapping = MAPPING.model_copy(update={"geo": "region", "population": None})
    east = _daily("2024-01-01", 14, geo="east", seed=1)
    west = _daily("2024-01-03", 14, geo="west", seed=2)  # starts on a Wednesday
    weekly = to_weekly(pd.concat([west, east], ignore_index=True), mapping)
    assert weekly[["region", "day"]].astype(str).values.tolist() == [
        ["east", "2024-01-01"],
        ["east", "2024-01-08"],
        ["west", "2024-01-08"],
    ]
    assert weekly["tv"].iloc[1] == pytest.approx(east["tv"].iloc[7:14].sum())
    assert weekly["tv"].iloc[2] == pytest.approx(west["tv"].iloc[5:12].sum())
    assert weekly["price"].iloc[2] == pytest.approx(west["price"].iloc[5:12].mean())


def test_internal_missing_day_drops_the_week_and_is_listed() -> None:
    daily = _daily("2024-01-01", 21).drop(index=9).reset_index(drop=True)  # no 10 Jan
    weekly = to_weekly(daily, MAPPING)
    assert weekly["day"].dt.day.tolist() == [1, 15]
    gaps = incomplete_weeks(daily, MAPPING)
    assert gaps.to_dict("records") == [{"day": pd.Timestamp("2024-01-08"), "days": 6}]


def test_nan_day_makes_the_week_nan() -> None:
    daily = _daily("2024-01-01", 14)
    daily.loc[3, "tv"] = np.nan
    daily.loc[10, "price"] = np.nan
    weekly = to_weekly(daily, MAPPING)
    assert np.isnan(weekly["tv"].iloc[0]) and not np.isnan(weekly["tv"].iloc[1])
    assert np.isnan(weekly["price"].iloc[1]) and not np.isnan(weekly["price"].iloc[0])


def test_no_complete_week_is_an_error() -> None:
    with pytest.raises(MappingError, match="no complete week") as info:
        to_weekly(_daily("2024-01-02", 6), MAPPING)
    assert "resample" in info.value.hint
    with pytest.raises(MappingError, match="not a weekday"):
        to_weekly(_daily("2024-01-01", 7), MAPPING, week_start="XYZ")
