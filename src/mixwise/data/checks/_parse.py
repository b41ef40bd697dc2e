"""Tolerant parsing of raw cells into numbers and dates, keeping track of what failed.

Raw tables hold strings (CSV) or native types (Parquet, Excel, DataFrames). These helpers never
raise on cell content: every cell ends up *parsed*, *missing* or *bad*, and the checks turn the
missing and bad cells into findings. Positions are 0-based row positions in the raw table.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api import types as ptypes
from pandas.tseries.api import guess_datetime_format

NA_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "#n/a", "nat"})
"""Cell texts (compared case-insensitively, after stripping) that mean 'no value'."""

MIN_YEAR, MAX_YEAR = 1900, 2200
"""Dates outside these years are reported as bad dates (typos such as 0202-03-16)."""


@dataclass(frozen=True)
class Parsed:
    """A raw column parsed cell by cell.

    ``values`` holds the parsed values (NaN / NaT where missing or bad), ``missing`` marks empty
    cells and ``bad`` marks cells with content that could not be parsed.
    """

    values: pd.Series
    missing: np.ndarray
    bad: np.ndarray
    format: str | None = None

    @property
    def ok(self) -> np.ndarray:
        return ~(self.missing | self.bad)


def text_cells(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Cells as stripped strings (NaN where empty) and the mask of empty cells."""
    obj = s.astype(object)
    missing = obj.isna().to_numpy(bool)
    text = obj.where(~missing, "").map(str).str.strip()
    missing = missing | text.str.lower().isin(NA_TOKENS).to_numpy(bool)
    return text.where(~missing), missing


def _is_plain_numeric(s: pd.Series) -> bool:
    dtype = s.dtype
    return bool(
        ptypes.is_bool_dtype(dtype)
        or (
            ptypes.is_numeric_dtype(dtype)
            and not ptypes.is_complex_dtype(dtype)
            and not ptypes.is_datetime64_any_dtype(dtype)
            and not ptypes.is_timedelta64_dtype(dtype)
        )
    )


def parse_numbers(s: pd.Series) -> Parsed:
    """Parse a column that must hold numbers. Text such as '1,234' or '$5' is *bad*, not guessed."""
    index = s.index
    if _is_plain_numeric(s):
        values = pd.Series(s.to_numpy(dtype=float, na_value=np.nan), index=index)
        missing = values.isna().to_numpy(bool)
        return Parsed(values, missing, np.zeros(len(s), bool))
    text, missing = text_cells(s)
    values = pd.to_numeric(text, errors="coerce").astype(float)
    bad = values.isna().to_numpy(bool) & ~missing
    return Parsed(pd.Series(values.to_numpy(), index=index), missing, bad)


def _to_datetime(text: pd.Series, fmt: str | None, dayfirst: bool = False) -> pd.Series:
    """``pd.to_datetime`` that never raises on content: failures become NaT."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = pd.to_datetime(text, format=fmt, errors="coerce", dayfirst=dayfirst)
        except (ValueError, TypeError, OverflowError):
            try:
                out = pd.to_datetime(text, format=fmt, errors="coerce", utc=True)
            except (ValueError, TypeError, OverflowError):
                return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    return _naive(pd.Series(out, index=text.index))


def _naive(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_localize(None)
    if not ptypes.is_datetime64_dtype(s.dtype):
        return pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    return s


def _year_day_month(fmt: str) -> bool:
    """True for year-first formats with the day before the month ('%Y-%d-%m')."""
    y, d, m = (fmt.find(code) for code in ("%Y", "%d", "%m"))
    return min(y, d, m) >= 0 and y < d < m


def _candidate_formats(text: pd.Series) -> list[str]:
    """strftime formats guessed from the first few distinct values (month-first and day-first)."""
    sample = text.dropna().drop_duplicates().head(20)
    formats: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for dayfirst in (False, True):
            for value in sample:
                guess = guess_datetime_format(str(value), dayfirst=dayfirst)
                if guess and _year_day_month(guess):
                    continue  # '2021-01-02' read day-first: no one writes dates that way
                if guess:
                    if guess not in formats:
                        formats.append(guess)
                    break
    return formats or ["ISO8601"]


def _score(parsed: pd.Series) -> tuple[int, bool, float]:
    """How well a candidate format fits: rows parsed, then whether the median step between
    distinct dates is 1 or 7 days, then the share of steps equal to the median."""
    unique = np.sort(parsed.dropna().unique())
    if len(unique) < 2:
        return int(parsed.notna().sum()), False, 0.0
    steps = np.diff(unique).astype("timedelta64[ns]")
    median = np.median(steps.astype(np.int64))
    day = np.timedelta64(1, "D").astype("timedelta64[ns]").astype(np.int64)
    regular = bool(median in (day, 7 * day))
    return int(parsed.notna().sum()), regular, float(np.mean(steps.astype(np.int64) == median))


def parse_dates(s: pd.Series, date_format: str | None = None) -> Parsed:
    """Parse the date column. With no ``date_format`` the format is guessed from the first values
    (month-first and day-first are both tried; the one that parses more rows wins, then the one
    giving a regular daily or weekly grid) and then applied to every row, so a row in another
    format is *bad* rather than silently reinterpreted. Dates before 1900 or after 2200 are
    *bad*."""
    if ptypes.is_datetime64_any_dtype(s.dtype):
        values = _naive(s.copy())
        missing = values.isna().to_numpy(bool)
        used: str | None = None
    else:
        text, missing = text_cells(s)
        formats = [date_format] if date_format else _candidate_formats(text)
        scored = [
            (_score(parsed), i, parsed, fmt)
            for i, fmt in enumerate(formats)
            for parsed in [_to_datetime(text, fmt)]
        ]
        _, _, values, used = max(scored, key=lambda t: (t[0], -t[1]))
    years = values.dt.year
    out_of_range = ((years < MIN_YEAR) | (years > MAX_YEAR)).to_numpy(bool)
    values = values.where(~out_of_range)
    bad = values.isna().to_numpy(bool) & ~missing
    values = values.astype("datetime64[ns]")
    return Parsed(values, missing, bad, format=used)
