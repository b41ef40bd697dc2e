"""Touchpoint events -> per-touch and per-journey tables for path aggregation.

A journey is every row with the same journey id, in time order. Rows with a channel are touches;
a row's ``conversion`` (a 0/1 flag or a count) and ``value`` count for its journey, whether on a
touch or on a row of its own without channel. Touches after a journey's last conversion, and
(with a lookback) touches more than ``lookback_days`` before the conversion (or the journey's
last touch), are dropped: they cannot have caused it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mixwise.attribution import checks
from mixwise.attribution.roles import JourneyMapping
from mixwise.data.checks import parse_dates
from mixwise.data.findings import Finding, Severity, rows_finding
from mixwise.errors import MappingError

UNIT_SEP = "\x1f"
"""Joins a channel and its campaign (or creative) into one unit name (a control character no
table holds)."""
NO_LABEL = "(none)"
"""The campaign (or creative) of a touch that has none."""
EPOCH = pd.Timestamp(0)
"""Timestamps become days since this instant (naive; time zones are dropped by the parser)."""


@dataclass
class Prepared:
    """Inputs of :func:`mixwise.attribution.aggregate.unique_paths` and what the checks found."""

    touches: pd.DataFrame
    outcomes: pd.DataFrame
    channels: tuple[str, ...]
    findings: list[Finding]
    unattributed: float
    with_ages: bool
    units: tuple[str, ...] = ()
    """With ``by``: the (channel, campaign or creative) units, ``UNIT_SEP``-joined; ``touches``
    then has a ``unit`` column of their codes."""


def channel_names(stripped: pd.Series, renames: dict[str, str]) -> pd.Series:
    """Stripped channel names with the mapping's renames applied; empty -> missing."""
    names = stripped.mask(stripped == "")
    return names.replace(renames) if renames else names


def times(frame: pd.DataFrame, column: str | None) -> tuple[np.ndarray, list[Finding], bool]:
    """Timestamps in days (a numeric column is taken as days); file order when there is no
    column. Text is parsed as the spend table's dates are (:func:`mixwise.data.checks.parse_dates`:
    one format guessed from the first values and applied to every row), so a row written in
    another format is an error naming it, never silently reinterpreted; missing timestamps too."""
    if column is None:
        return np.arange(len(frame), dtype=float), [], False
    raw = frame[column]
    fmt = None
    if pd.api.types.is_numeric_dtype(raw):
        days = raw.to_numpy(float)
        bad = np.isnan(days)
    else:
        parsed = parse_dates(raw)
        fmt = parsed.format
        bad = ~parsed.ok
        days = ((parsed.values - EPOCH) / pd.Timedelta(days=1)).to_numpy(float)
    found = rows_finding(
        "journey_bad_timestamp",
        bad,
        f"'{column}' has values that are missing or not timestamps"
        + (f" in the format of the other rows ({fmt})" if fmt else ""),
        "Write every timestamp in one format, ISO dates or datetimes (2024-05-01 13:45:00); "
        "fix those rows.",
        column,
    )
    return np.where(bad, 0.0, days), found, True


def units_of(frame: pd.DataFrame, names: pd.Series, m: JourneyMapping, by: str) -> pd.Series:
    """Each row's unit: its channel and its ``by`` (campaign or creative) label."""
    column = getattr(m, by)
    if column is None:
        raise MappingError(
            f"credits by {by} need a {by} column; the journeys have none that is named like one "
            f"(columns: {', '.join(map(str, frame.columns[:12]))})",
            f"Map it in the mapping (`{by}: <column>`), or leave out --by.",
        )
    labels = frame[column].astype("string").str.strip()
    labels = labels.mask(labels == "").fillna(NO_LABEL)
    return names.str.cat(labels, sep=UNIT_SEP).where(names.notna())


def prepare_events(
    frame: pd.DataFrame, m: JourneyMapping, lookback: float | None, by: str | None = None
) -> Prepared:
    """Check the events and lay them out as touches and journeys (see the module docstring);
    with ``by`` (``campaign`` or ``creative``) each touch also names its unit."""
    assert m.journey_id is not None and m.channel is not None
    findings: list[Finding] = []
    ids = frame[m.journey_id]
    findings += rows_finding(
        "journey_missing_id",
        ids.isna().to_numpy(bool),
        f"'{m.journey_id}' (journey id) is empty",
        "Every touch needs the id of its journey (user, cookie); fix or drop those rows.",
        m.journey_id,
    )
    raw_names = frame[m.channel].astype("string").str.strip()
    findings += checks.separator_inside(raw_names, {m.separator.strip() or m.separator}, m.channel)
    findings += checks.unknown_channels(raw_names, m.channels, m.channel)
    names = channel_names(raw_names, m.channels)
    conv, found = checks.numbers(frame, m.conversion, "conversions")
    findings += found + checks.non_negative(conv, m.conversion, "conversions")
    value, found = checks.numbers(frame, m.value, "value")
    findings += found + checks.non_negative(value, m.value, "value")
    ts, found, timed = times(frame, m.timestamp)
    findings += found
    findings += checks.no_conversion(float(conv.sum()), m.conversion)
    if any(f.severity == Severity.ERROR for f in findings):
        return Prepared(pd.DataFrame(), pd.DataFrame(), (), findings, 0.0, False)
    if lookback is not None and not timed:
        findings.append(checks.lookback_ignored("events without a timestamp column"))
        lookback = None
    prepared = _layout(ids, names, conv, value, ts, timed, m, lookback, findings)
    if by is not None:
        unit, units = pd.factorize(units_of(frame, names, m, by), sort=True)
        prepared.touches["unit"] = unit[prepared.touches.pop("row").to_numpy()].astype(np.int32)
        prepared.units = tuple(map(str, units))
    else:
        prepared.touches.pop("row")
    return prepared


def _unordered_rows(j: np.ndarray, ts: np.ndarray) -> np.ndarray:
    """Rows whose time is earlier than the previous row of the same journey in the file."""
    unordered = np.zeros(len(j), dtype=bool)
    file_order = np.lexsort((np.arange(len(j)), j))
    back = np.flatnonzero((np.diff(ts[file_order]) < 0) & (np.diff(j[file_order]) == 0)) + 1
    unordered[file_order[back]] = True
    return unordered


def _ages(
    j: np.ndarray, ch: np.ndarray, conv: np.ndarray, ts: np.ndarray, n_j: int
) -> tuple[np.ndarray, np.ndarray]:
    """(conversions per journey, each row's age): the time from the row to its journey's last
    conversion, or to its last touch when it did not convert."""
    conv_j = np.bincount(j, weights=conv, minlength=n_j)
    conv_ts = np.full(n_j, -np.inf)
    np.maximum.at(conv_ts, j[conv > 0], ts[conv > 0])
    last_ts = np.full(n_j, -np.inf)
    np.maximum.at(last_ts, j[ch >= 0], ts[ch >= 0])
    return conv_j, np.where(conv_j > 0, conv_ts, last_ts)[j] - ts


def _layout(
    ids: pd.Series,
    names: pd.Series,
    conv: np.ndarray,
    value: np.ndarray,
    ts: np.ndarray,
    timed: bool,
    m: JourneyMapping,
    lookback: float | None,
    findings: list[Finding],
) -> Prepared:
    j, _ = pd.factorize(ids)
    n_j = int(j.max()) + 1
    ch, channels = pd.factorize(names, sort=True)
    findings += rows_finding(
        "journey_unordered_timestamps",
        _unordered_rows(j, ts),
        f"touches of a journey are not in time order in '{m.timestamp}'; mixwise orders them by "
        "time",
        "Nothing to do if the timestamps are right; otherwise fix them (a wrong clock or "
        "time zone reorders paths).",
        m.timestamp,
        Severity.WARNING,
    )
    conv_j, age = _ages(j, ch, conv, ts, n_j)
    touch = (ch >= 0) & (age >= 0)
    in_window = touch if lookback is None else touch & (age <= lookback)
    cut_j = np.bincount(j[touch & ~in_window], minlength=n_j) > 0
    touched_j = np.bincount(j[in_window], minlength=n_j) > 0
    findings += checks.lookback_cuts(int(cut_j.sum()), int((cut_j | touched_j).sum()), lookback)
    findings += checks.without_touch(conv_j > 0, touched_j, m.conversion)
    order = np.lexsort((np.arange(len(j)), ts, j))
    keep = order[in_window[order]]
    starts = np.searchsorted(j[keep], np.arange(n_j))
    touches = pd.DataFrame(
        {
            "row": keep,
            "j": j[keep],
            "ch": ch[keep].astype(np.int32),
            "pos": np.arange(len(keep)) - starts[j[keep]] + 1,
            "age": age[keep] if timed else np.full(len(keep), np.nan),
        }
    )
    outcomes = pd.DataFrame(
        {
            "j": np.arange(n_j),
            "converters": (conv_j > 0).astype(float),
            "nulls": (conv_j <= 0).astype(float),
            "conv": conv_j,
            "val": np.bincount(j, weights=value, minlength=n_j),
        }
    )
    unattributed = float(conv_j[~touched_j].sum())
    return Prepared(touches, outcomes, tuple(map(str, channels)), findings, unattributed, timed)
