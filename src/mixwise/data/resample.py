"""Daily -> weekly resampling of an already-typed frame (date parsed, numeric roles as float).

Weeks are labelled by their first day (``week_start``, Monday by default), per geo. How each role
is combined over the 7 days of a week:

- summed: spend, exposure, KPI, organic variables and numeric event columns (an event dummy becomes
  the number of event days in the week);
- averaged: controls, non-media treatments, ``revenue_per_conversion`` and population;
- reach and frequency: refused (reach on different days overlaps; it does not add up);
- categorical event columns: the most frequent level in the week that is not a baseline level
  (``EVENT_BASELINE_LEVELS`` such as "na"; ties go to the earliest day), else the most frequent
  baseline level. Two different events in one week keep only the more frequent one.

Only complete weeks (7 distinct days) are kept. Partial weeks at the start and end are dropped; an
internal week with a missing day is dropped too, so the gap shows up as a missing week that the
checks report (``incomplete_weeks`` lists them). A NaN on any day makes that week's value NaN (a
missing day is never a silent zero). Columns that the mapping does not name are dropped.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from mixwise.data.dataset import EVENT_BASELINE_LEVELS
from mixwise.data.mapping import Mapping, WeekStart
from mixwise.errors import MappingError

WEEKDAYS: tuple[WeekStart, ...] = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")

How = Literal["sum", "mean", "level"]


def week_labels(dates: pd.Series, week_start: str = "MON") -> pd.Series:
    """The first day (at midnight) of the week each date falls in."""
    start = _weekday_index(week_start)
    days = dates.dt.normalize()
    offset = (days.dt.day_of_week - start) % 7
    return (days - pd.to_timedelta(offset, unit="D")).rename(dates.name)


def aggregation(frame: pd.DataFrame, mapping: Mapping) -> dict[str, How]:
    """How each mapped column of ``frame`` is combined over a week (see the module docstring)."""
    how: dict[str, How] = {}
    for role, column in mapping.role_columns():
        if role in ("date", "geo") or column not in frame.columns or column in how:
            continue
        if role in ("reach", "frequency"):
            raise MappingError(
                f"column '{column}' ({role}) cannot be resampled to weeks: people reached on "
                "different days overlap, so daily reach does not add up to weekly reach",
                "Export weekly reach and frequency from the ad platform and drop resample.",
            )
        if role in ("control", "non_media", "revenue_per_conversion", "population"):
            how[column] = "mean"
        elif role == "event" and not _is_number(frame[column]):
            how[column] = "level"
        else:
            how[column] = "sum"
    return how


def incomplete_weeks(
    frame: pd.DataFrame, mapping: Mapping, week_start: str = "MON"
) -> pd.DataFrame:
    """Weeks (per geo) with fewer than 7 distinct days: columns [geo], date (week label), days."""
    keys = _keys(frame, mapping, week_start)
    days = frame[mapping.date].dt.normalize().groupby(keys, dropna=False).nunique()
    out = days[days < 7].rename("days").reset_index()
    return out


def to_weekly(frame: pd.DataFrame, mapping: Mapping, week_start: str = "MON") -> pd.DataFrame:
    """Weekly rows (complete weeks only) from daily ``frame``; see the module docstring.

    Raises ``MappingError`` when no complete week remains (too few days for ``resample``)."""
    keys = _keys(frame, mapping, week_start)
    n_days = frame[mapping.date].dt.normalize().groupby(keys, dropna=False).transform("nunique")
    complete = (n_days == 7).to_numpy(bool)
    if not complete.any():
        span = frame[mapping.date]
        raise MappingError(
            f"resample to weekly: no complete week ({week_start}..) in the daily data "
            f"({span.min():%Y-%m-%d} .. {span.max():%Y-%m-%d})",
            "Provide at least 7 consecutive days per geo, or remove `resample` from the mapping.",
        )
    rows = frame.loc[complete].reset_index(drop=True)
    keys = [k.loc[complete].reset_index(drop=True) for k in keys]
    how = aggregation(rows, mapping)
    parts: list[pd.DataFrame | pd.Series] = []
    for kind in ("sum", "mean"):
        cols = [c for c, h in how.items() if h == kind]
        if cols:
            parts.append(_agg_keeping_nan(rows[cols].astype(float), keys, kind))
    for col in (c for c, h in how.items() if h == "level"):
        parts.append(_weekly_level(rows[col], keys))
    out = pd.concat(parts, axis=1)
    out = out[[c for c in rows.columns if c in how]].reset_index()
    out[mapping.date] = out[mapping.date].astype("datetime64[ns]")
    sort = [mapping.geo, mapping.date] if mapping.geo else [mapping.date]
    return out.sort_values(sort, kind="stable").reset_index(drop=True)


# -- pieces ----------------------------------------------------------------------------------
def _weekday_index(week_start: str) -> int:
    code = week_start.upper()[:3]
    if code not in WEEKDAYS:
        raise MappingError(
            f"resample.week_start '{week_start}' is not a weekday",
            f"Use one of {', '.join(WEEKDAYS)}.",
        )
    return WEEKDAYS.index(code)


def _keys(frame: pd.DataFrame, mapping: Mapping, week_start: str) -> list[pd.Series]:
    week = week_labels(frame[mapping.date], week_start).rename(mapping.date)
    return [frame[mapping.geo], week] if mapping.geo else [week]


def _is_number(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s.dtype)


def _agg_keeping_nan(values: pd.DataFrame, keys: list[pd.Series], how: str) -> pd.DataFrame:
    """Group sums or means that are NaN where any day's value is NaN."""
    grouped = values.groupby(keys, dropna=False, sort=True)
    result = grouped.sum() if how == "sum" else grouped.mean()
    has_nan = values.isna().groupby(keys, dropna=False, sort=True).any()
    return result.mask(has_nan)


def _weekly_level(levels: pd.Series, keys: list[pd.Series]) -> pd.Series:
    """Per week: the most frequent non-baseline level (ties: earliest day), else the most
    frequent baseline level; NaN when every day is NaN."""
    key_names = [f"__key{i}" for i in range(len(keys))]
    text = levels.astype(object)
    tmp = pd.DataFrame({n: k.to_numpy() for n, k in zip(key_names, keys, strict=True)})
    tmp["level"] = text.to_numpy()
    tmp["day"] = np.arange(len(tmp))
    norm = text.astype(str).str.strip().str.lower()
    tmp["baseline"] = (text.isna() | norm.isin(EVENT_BASELINE_LEVELS)).to_numpy()
    counts = (
        tmp.groupby([*key_names, "level"], dropna=False, sort=False)
        .agg(n=("day", "size"), first=("day", "min"), baseline=("baseline", "first"))
        .reset_index()
        .sort_values(["baseline", "n", "first"], ascending=[True, False, True], kind="stable")
        .drop_duplicates(key_names)
    )
    multi = pd.MultiIndex.from_frame(counts[key_names], names=[k.name for k in keys])
    index = multi.get_level_values(0) if len(keys) == 1 else multi
    return pd.Series(counts["level"].to_numpy(), index=index, name=levels.name)
