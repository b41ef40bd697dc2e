"""Checks on the shape of the raw table: columns, dates, geos and the time grid.

The time grid must be regular (every period present, one step apart) and, with geos, rectangular
(every geo has a row for every date). Daily or weekly is detected from the median step between
distinct dates: ``step = median(diff(sorted unique dates))``.
"""

from __future__ import annotations

import difflib
from collections import Counter
from typing import Literal

import numpy as np
import pandas as pd

from mixwise.data.checks._common import ERROR, INFO, day, examples, finding, positions, rows_text
from mixwise.data.checks._parse import Parsed, text_cells
from mixwise.data.findings import Finding
from mixwise.data.mapping import Mapping

STEPS: dict[str, pd.Timedelta] = {"daily": pd.Timedelta(days=1), "weekly": pd.Timedelta(days=7)}


def role_descriptions(mapping: Mapping) -> dict[str, str]:
    """Column -> what the mapping uses it for, in words ('spend of channel TV')."""
    out: dict[str, str] = {}
    for ch in mapping.channels:
        out[ch.spend] = f"spend of channel '{ch.name}'"
        if ch.exposure:
            out[ch.exposure] = f"exposure of channel '{ch.name}'"
        if ch.reach and ch.frequency:
            out[ch.reach] = f"reach of channel '{ch.name}'"
            out[ch.frequency] = f"frequency of channel '{ch.name}'"
    words = {
        "date": "the date",
        "kpi": "the KPI",
        "revenue_per_conversion": "revenue per conversion",
        "geo": "the geo",
        "population": "population",
        "control": "a control",
        "organic": "an organic variable",
        "non_media": "a non-media treatment",
        "event": "an event",
    }
    for role, col in mapping.role_columns():
        out.setdefault(col, words.get(role, role))
    return out


def check_shape(raw: pd.DataFrame, mapping: Mapping) -> list[Finding]:
    """``missing_column``, ``duplicate_column``, ``empty_table`` (errors) and
    ``blank_rows_skipped`` (info: the loader dropped empty lines, so row numbers skip them)."""
    findings: list[Finding] = []
    blank = raw.attrs.get("blank_rows_dropped", 0)
    if isinstance(blank, int) and blank > 0:
        findings.append(
            finding(
                "blank_rows_skipped",
                INFO,
                f"{blank} blank row(s) of the file were skipped; row numbers in other findings "
                "count data rows without them.",
                "Nothing to do, unless those lines were meant to hold data.",
            )
        )
    needed = list(dict.fromkeys(col for _, col in mapping.role_columns()))
    present = set(raw.columns)
    missing = [c for c in needed if c not in present]
    if missing:
        findings.append(_missing_columns(missing, raw, mapping))
    counts = Counter(raw.columns)
    for col in (c for c in needed if counts.get(c, 0) > 1):
        findings.append(
            finding(
                "duplicate_column",
                ERROR,
                f"The table has {counts[col]} columns named '{col}'; the mapping cannot tell "
                "which one to use.",
                "Rename or drop the extra columns so that every column name is unique.",
                column=col,
            )
        )
    if len(raw) == 0:
        findings.append(
            finding(
                "empty_table",
                ERROR,
                "The table has no data rows"
                + (f" (columns: {_column_list(raw)})." if len(raw.columns) else "."),
                "Check that the file is the right one and that its rows are not all filtered out.",
            )
        )
    return findings


def _column_list(raw: pd.DataFrame, limit: int = 30) -> str:
    labels = [str(c) for c in raw.columns]
    more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
    return ", ".join(labels[:limit]) + more


def _missing_columns(missing: list[str], raw: pd.DataFrame, mapping: Mapping) -> Finding:
    roles = role_descriptions(mapping)
    labels = [str(c) for c in raw.columns]
    used = {col for _, col in mapping.role_columns()}
    free = [label for label in labels if label not in used]  # never suggest a mapped column
    lowered = {label.lower().strip(): label for label in free}
    named = ", ".join(f"'{c}' ({roles.get(c, 'mapped')})" for c in missing)
    suggestions = []
    for col in missing:
        close = lowered.get(col.lower().strip())
        if close is None:
            matches = difflib.get_close_matches(col, free, n=1, cutoff=0.6)
            close = matches[0] if matches else None
        if close is not None:
            suggestions.append(f"'{col}' -> '{close}'")
    hint = (
        "Did you mean " + ", ".join(suggestions) + "? Fix the names in the mapping."
        if suggestions
        else "Fix the column names in the mapping (`mixwise init-mapping` proposes one)."
    )
    label = "Column" if len(missing) == 1 else "Columns"
    verb = "is" if len(missing) == 1 else "are"
    available = _column_list(raw) if labels else "(none)"
    return finding(
        "missing_column",
        ERROR,
        f"{label} {named} named in the mapping {verb} not in the table. "
        f"Available columns: {available}.",
        hint,
        column=missing[0],
    )


def parse_geo(s: pd.Series) -> Parsed:
    """Geo labels as stripped strings; empty cells are *missing*."""
    text, missing = text_cells(s)
    return Parsed(text, missing, np.zeros(len(s), bool))


def check_geo(raw: pd.DataFrame, mapping: Mapping, geo: Parsed) -> list[Finding]:
    """``missing_geo``: every row needs a geo label."""
    if not mapping.geo or not geo.missing.any():
        return []
    pos = positions(geo.missing)
    return [
        finding(
            "missing_geo",
            ERROR,
            f"Column '{mapping.geo}' (the geo) is empty in {rows_text(pos)}.",
            "Fill in the geo of these rows or remove them.",
            column=mapping.geo,
            pos=pos,
        )
    ]


def check_dates(raw: pd.DataFrame, mapping: Mapping, dates: Parsed) -> list[Finding]:
    """``bad_date``: empty cells and cells that are not dates in the expected format."""
    col = mapping.date
    findings: list[Finding] = []
    if dates.missing.any():
        pos = positions(dates.missing)
        findings.append(
            finding(
                "bad_date",
                ERROR,
                f"Column '{col}' (the date) is empty in {rows_text(pos)}.",
                "Every row needs a date: fill them in or remove these rows.",
                column=col,
                pos=pos,
            )
        )
    if dates.bad.any():
        pos = positions(dates.bad)
        fmt = dates.format if dates.format and dates.format not in ("ISO8601",) else None
        expected = f" in the format '{fmt}'" if fmt else ""
        good = dates.values[dates.ok]
        like = f" like '{day(good.iloc[0])}'" if len(good) else ""
        findings.append(
            finding(
                "bad_date",
                ERROR,
                f"Column '{col}' (the date) has values that are not dates{like}{expected} in "
                f"{rows_text(pos)}: {examples(raw[col], pos)}.",
                "Fix these cells, or set `date_format` in the mapping (for example '%d/%m/%Y') "
                "if the dates use another format. Years must lie between 1900 and 2200.",
                column=col,
                pos=pos,
            )
        )
    return findings


def _grid(dates: Parsed, geo: Parsed | None) -> pd.DataFrame:
    """Valid rows as a frame with columns ``pos`` (0-based raw position), ``geo`` and ``date``."""
    ok = dates.ok if geo is None else dates.ok & ~geo.missing
    geos = np.full(len(ok), "") if geo is None else geo.values.to_numpy(dtype=object)
    frame = pd.DataFrame(
        {"pos": np.arange(len(ok)), "geo": geos, "date": dates.values.to_numpy()},
    )
    return frame[ok].reset_index(drop=True)


def check_duplicates(mapping: Mapping, dates: Parsed, geo: Parsed | None) -> list[Finding]:
    """``duplicate_date``: a date seen more than once (per geo); the later rows are named."""
    grid = _grid(dates, geo)
    dup = grid.duplicated(["geo", "date"], keep="first").to_numpy(bool)
    if not dup.any():
        return []
    pos = grid["pos"].to_numpy()[dup]
    first = grid[dup].iloc[0]
    same = grid[(grid["geo"] == first["geo"]) & (grid["date"] == first["date"])]
    where = f" in geo '{first['geo']}'" if mapping.geo else ""
    return [
        finding(
            "duplicate_date",
            ERROR,
            f"Column '{mapping.date}' repeats dates{' within a geo' if mapping.geo else ''} in "
            f"{rows_text(pos)}: {day(first['date'])}{where} is in rows "
            + ", ".join(str(int(p) + 1) for p in same["pos"].head(5))
            + ".",
            "Each date must appear once"
            + (" per geo" if mapping.geo else "")
            + ": remove the repeated rows, or aggregate them (sum spend and KPI) first.",
            column=mapping.date,
            pos=pos,
        )
    ]


def detect_step(unique_dates: np.ndarray) -> pd.Timedelta | None:
    """Median step between sorted distinct dates, or None with fewer than two dates."""
    if len(unique_dates) < 2:
        return None
    return pd.Timedelta(np.median(np.diff(unique_dates).astype("timedelta64[ns]").astype(np.int64)))


def frequency_of(step: pd.Timedelta | None) -> Literal["daily", "weekly"] | None:
    """'daily' or 'weekly' for a step of 1 or 7 days, else None."""
    for name, value in STEPS.items():
        if step == value:
            return name  # type: ignore[return-value]
    return None


def _days(td: pd.Timedelta) -> str:
    n = td / pd.Timedelta(days=1)
    if float(n).is_integer():
        return f"{int(n)} day" + ("" if int(n) == 1 else "s")
    return str(td)


def check_grid(mapping: Mapping, dates: Parsed, geo: Parsed | None) -> list[Finding]:
    """``unsupported_frequency``, ``irregular_dates`` and ``geo_missing_dates``."""
    grid = _grid(dates, geo)
    first_pos = grid.groupby("date")["pos"].min().sort_index()
    unique = first_pos.index.to_numpy()
    median = detect_step(unique)
    if median is None:
        return []
    if mapping.frequency != "auto":
        step = STEPS[mapping.frequency]
    elif frequency_of(median) is None:
        return [
            finding(
                "unsupported_frequency",
                ERROR,
                f"Dates in column '{mapping.date}' are typically {_days(median)} apart; mixwise "
                "models daily or weekly data.",
                "Provide one row per week (or per day). Monthly data is too coarse to separate "
                "carry-over effects from the rest.",
                column=mapping.date,
            )
        ]
    else:
        step = median
    findings = _irregular(mapping, unique, first_pos.to_numpy(), step, median)
    if mapping.geo and geo is not None:
        findings += _geo_missing(mapping, grid, unique)
    return findings


def _irregular(
    mapping: Mapping,
    unique: np.ndarray,
    first_pos: np.ndarray,
    step: pd.Timedelta,
    median: pd.Timedelta,
) -> list[Finding]:
    diffs = np.diff(unique).astype("timedelta64[ns]")
    bad = np.flatnonzero(diffs != step.to_timedelta64())
    if not len(bad):
        return []
    i = int(bad[0])
    prev, nxt, gap = pd.Timestamp(unique[i]), pd.Timestamp(unique[i + 1]), pd.Timedelta(diffs[i])
    row_prev, row_next = int(first_pos[i]) + 1, int(first_pos[i + 1]) + 1
    freq = frequency_of(step) or "regular"
    if gap > step and gap % step == pd.Timedelta(0):
        n_missing = int(gap // step) - 1
        more = f" and {n_missing - 1} more up to {day(nxt - step)}" if n_missing > 1 else ""
        first = f"no row for {day(prev + step)}{more} (between rows {row_prev} and {row_next})"
    else:
        first = (
            f"{day(nxt)} (row {row_next}) is {_days(gap)} after {day(prev)} (row {row_prev}); "
            f"{freq} rows must be {_days(step)} apart"
        )
    others = f"; {len(bad) - 1} more irregular step(s)" if len(bad) > 1 else ""
    hint = "Add the missing periods (with 0 spend where nothing ran) and fix misaligned dates."
    if mapping.frequency != "auto" and median != step:
        hint += (
            f" The mapping says frequency '{mapping.frequency}' but the dates are typically "
            f"{_days(median)} apart: check `frequency`."
        )
    return [
        finding(
            "irregular_dates",
            ERROR,
            f"Column '{mapping.date}' does not step regularly ({freq}): {first}{others}.",
            hint,
            column=mapping.date,
            pos=first_pos[bad + 1],
        )
    ]


def _geo_missing(mapping: Mapping, grid: pd.DataFrame, unique: np.ndarray) -> list[Finding]:
    findings: list[Finding] = []
    per_geo = grid.groupby("geo", sort=True)["date"].unique()
    for geo_label, present in per_geo.items():
        absent = np.setdiff1d(unique, np.asarray(present, dtype=unique.dtype))
        if not len(absent):
            continue
        more = f" and {len(absent) - 1} more of the {len(unique)} dates" if len(absent) > 1 else ""
        findings.append(
            finding(
                "geo_missing_dates",
                ERROR,
                f"Geo '{geo_label}' (column '{mapping.geo}') has no row for "
                f"{day(absent[0])}{more}; every geo needs a row for every date.",
                "Add the missing rows (with 0 spend where nothing ran), or remove the geo.",
                column=mapping.geo,
            )
        )
    return findings
