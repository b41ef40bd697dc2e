"""Property tests: injected defects are always found, on exactly the injected rows; clean tables
give no errors; arbitrary cell content never makes ``check_table`` raise."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mixwise.data import checks
from mixwise.data.checks._parse import NA_TOKENS
from mixwise.data.findings import Finding, Severity
from mixwise.data.mapping import Mapping

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NUMERIC = ["revenue", "ch0", "ch1", "ch2", "control"]


@dataclass
class Table:
    frame: pd.DataFrame
    mapping: Mapping
    channels: list[str]
    representation: str
    frequency: str
    dates: pd.DatetimeIndex


def _column(values: np.ndarray, representation: str) -> pd.Series:
    if representation == "str":
        return pd.Series([repr(float(v)) for v in values], dtype="str")
    if representation == "int":
        return pd.Series(np.round(values).astype(np.int64))
    return pd.Series(values.astype(float))


@st.composite
def tables(draw: st.DrawFn, min_rows: int = 8) -> Table:
    """A clean table: regular dates, non-constant finite KPI, channels (>= 0) and a control,
    each column held as text, floats or integers."""
    n = draw(st.integers(min_rows, 60))
    frequency = draw(st.sampled_from(["daily", "weekly"]))
    start = draw(st.dates(dt.date(1995, 1, 1), dt.date(2150, 1, 1)))
    representation = draw(st.sampled_from(["str", "float", "int"]))
    date_kind = draw(st.sampled_from(["iso", "dmy", "native"]))
    n_channels = draw(st.integers(1, 3))
    dates = pd.date_range(start, periods=n, freq="D" if frequency == "daily" else "7D")

    def numbers(lo: float, hi: float) -> np.ndarray:
        base = draw(st.lists(st.floats(lo, hi), min_size=n, max_size=n))
        return np.asarray(base) + np.arange(n) * 1.5  # never constant, even as integers

    data: dict[str, Any] = {}
    if date_kind == "iso":
        data["date"] = pd.Series(dates.strftime("%Y-%m-%d"), dtype="str")
    elif date_kind == "dmy":
        data["date"] = pd.Series(dates.strftime("%d/%m/%Y"), dtype="str")
    else:
        data["date"] = pd.Series(dates)
    data["revenue"] = _column(numbers(-1e6, 1e9), representation)
    channels = [f"ch{i}" for i in range(n_channels)]
    for ch in channels:
        data[ch] = _column(numbers(0, 1e7), representation)
    data["control"] = _column(numbers(-100, 100), representation)
    frame = pd.DataFrame(data)
    mapping = Mapping.model_validate(
        {
            "date": "date",
            "kpi": {"column": "revenue"},
            "channels": [{"name": ch.upper(), "spend": ch} for ch in channels],
            "controls": ["control"],
            "frequency": draw(st.sampled_from(["auto", frequency])),
        }
    )
    return Table(frame, mapping, channels, representation, frequency, dates)


def _rows(data: st.DataObject, n: int, max_size: int = 15) -> list[int]:
    """A sorted set of 1-based rows."""
    return sorted(data.draw(st.sets(st.integers(1, n), min_size=1, max_size=min(n, max_size))))


def _set(frame: pd.DataFrame, rows: list[int], col: str, value: object) -> pd.DataFrame:
    out = frame.copy()
    if not (isinstance(value, str) and out[col].dtype == "str"):
        out[col] = out[col].astype(object)
    out.loc[[r - 1 for r in rows], col] = value  # type: ignore[call-overload]
    return out


def _only(findings: list[Finding], code: str, column: str | None = None) -> Finding:
    found = [f for f in findings if f.code == code and (column is None or f.column == column)]
    assert len(found) == 1, [(f.code, f.column, f.rows) for f in findings]
    return found[0]


def _is_bad_number(text: str) -> bool:
    if text.strip().lower() in NA_TOKENS:
        return False
    return bool(pd.isna(pd.to_numeric(pd.Series([text], dtype="str"), errors="coerce")[0]))


# -- clean tables ------------------------------------------------------------------------------
@SETTINGS
@given(tables())
def test_clean_tables_have_no_errors(t: Table) -> None:
    findings = checks.check_table(t.frame, t.mapping)
    assert [f for f in findings if f.severity == Severity.ERROR] == []
    typed, frequency, fills = checks.coerce(t.frame, t.mapping)
    assert frequency == t.frequency and fills == [] and len(typed) == len(t.frame)
    assert typed["date"].is_monotonic_increasing and typed["revenue"].dtype == float


# -- injected defects --------------------------------------------------------------------------
@SETTINGS
@given(tables(), st.data())
def test_missing_spend_is_found_on_exactly_the_injected_rows(t: Table, data: st.DataObject) -> None:
    col = data.draw(st.sampled_from(t.channels))
    rows = _rows(data, len(t.frame))
    marker = data.draw(st.sampled_from([np.nan, None, "", "NA", " null "]))
    frame = _set(t.frame, rows, col, marker)
    finding = _only(checks.check_table(frame, t.mapping), "missing_spend", col)
    assert finding.rows == tuple(rows[:10]) and finding.severity == Severity.ERROR
    assert col in finding.message


@SETTINGS
@given(tables(), st.data())
def test_negative_spend_is_found_on_exactly_the_injected_rows(
    t: Table, data: st.DataObject
) -> None:
    col = data.draw(st.sampled_from(t.channels))
    rows = _rows(data, len(t.frame))
    value = -data.draw(st.floats(0.01, 1e9))
    frame = _set(t.frame, rows, col, repr(value) if t.representation == "str" else value)
    finding = _only(checks.check_table(frame, t.mapping), "negative_spend", col)
    assert finding.rows == tuple(rows[:10])


@SETTINGS
@given(tables(), st.data())
def test_text_in_a_numeric_cell_is_found(t: Table, data: st.DataObject) -> None:
    col = data.draw(st.sampled_from([c for c in NUMERIC if c in t.frame.columns]))
    rows = _rows(data, len(t.frame))
    text = data.draw(st.text(min_size=1, max_size=12).filter(_is_bad_number))
    frame = _set(t.frame, rows, col, text)
    finding = _only(checks.check_table(frame, t.mapping), "non_numeric", col)
    assert finding.rows == tuple(rows[:10])


@SETTINGS
@given(tables(), st.data())
def test_duplicate_dates_name_the_repeated_rows(t: Table, data: st.DataObject) -> None:
    originals = _rows(data, len(t.frame), max_size=12)
    parts, last = [], 0
    for r in originals:
        parts += [t.frame.iloc[last:r], t.frame.iloc[[r - 1]]]
        last = r
    frame = pd.concat([*parts, t.frame.iloc[last:]], ignore_index=True)
    expected = tuple(r + k for k, r in enumerate(originals, start=1))
    finding = _only(checks.check_table(frame, t.mapping), "duplicate_date")
    assert finding.rows == expected[:10]


@SETTINGS
@given(tables(min_rows=12), st.data())
def test_dropped_rows_are_named_as_gaps(t: Table, data: st.DataObject) -> None:
    n = len(t.frame)
    candidates = data.draw(st.sets(st.integers(2, n - 1), min_size=1, max_size=n // 4))
    dropped: list[int] = []
    for r in sorted(candidates):  # keep gaps apart: one missing period each
        if not dropped or r - dropped[-1] >= 2:
            dropped.append(r)
    frame = t.frame.drop(index=[r - 1 for r in dropped]).reset_index(drop=True)
    finding = _only(checks.check_table(frame, t.mapping), "irregular_dates")
    expected = tuple(r - k for k, r in enumerate(dropped))  # the row after each gap, renumbered
    assert finding.rows == expected[:10]
    first_missing = t.dates[dropped[0] - 1].date()
    assert f"no row for {first_missing}" in finding.message


# -- robustness --------------------------------------------------------------------------------
cells = st.one_of(
    st.text(max_size=15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.booleans(),
    st.none(),
    st.dates(),
)


@SETTINGS
@given(tables(), st.data())
def test_arbitrary_content_never_raises(t: Table, data: st.DataObject) -> None:
    frame = t.frame.copy()
    n = len(frame)
    for col in data.draw(st.sets(st.sampled_from(list(frame.columns)), min_size=1)):
        values = data.draw(st.lists(cells, min_size=n, max_size=n))
        frame[col] = pd.Series(values, dtype=object)
    findings = checks.check_table(frame, t.mapping)
    assert all(isinstance(f, Finding) and f.message and f.hint for f in findings)
    if not any(f.severity == Severity.ERROR for f in findings):
        checks.coerce(frame, t.mapping)


@SETTINGS
@given(tables(), st.lists(st.text(max_size=20), min_size=1, max_size=60))
def test_arbitrary_strings_in_numeric_columns(t: Table, texts: list[str]) -> None:
    n = len(t.frame)
    frame = t.frame.assign(
        **{c: pd.Series((texts * n)[:n], dtype="str") for c in NUMERIC if c in t.frame}
    )
    findings = checks.check_table(frame, t.mapping)
    assert all(isinstance(f, Finding) for f in findings)
