"""The campaign calendar: which campaign ran which creative on which channel, and when.

One row per flight: ``campaign``, ``channel``, ``start``, ``end`` (required) and optionally
``creative`` (name), ``creative_type`` ("TV Ad", "Social Carousel"), ``tags`` (hashtags,
separated by spaces, commas or semicolons), ``segment`` (audience) and ``spend``. A mapping
(role -> column) renames the user's columns; unmapped roles use their own name.

Checks return findings with codes that name the row (1 = the first row below the header):

- ``calendar_missing_column`` (error): a required role has no column;
- ``calendar_bad_date`` (error): a start or end that is not a date;
- ``calendar_end_before_start`` (error): a flight ends before it starts;
- ``calendar_bad_spend`` (error): a spend that is not a number >= 0;
- ``calendar_empty_field`` (error): an empty campaign or channel;
- ``calendar_unknown_channel`` (error): a channel the model (or dataset) does not have;
- ``calendar_outside_data`` (warning): a flight partly or wholly outside the data's dates;
- ``calendar_overlap`` (warning): two flights of the same campaign and channel overlap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mixwise.data.checks._common import ERROR, WARNING, positions, rows_text
from mixwise.data.findings import Finding, first_rows
from mixwise.data.loaders import read_table
from mixwise.errors import MixwiseError

REQUIRED_ROLES: tuple[str, ...] = ("campaign", "channel", "start", "end")
OPTIONAL_ROLES: tuple[str, ...] = ("creative", "creative_type", "tags", "segment", "spend")
ROLES: tuple[str, ...] = REQUIRED_ROLES + OPTIONAL_ROLES
"""The calendar's column roles, declared once (loaders, API schemas and docs read this)."""

_TAG_SPLIT = re.compile(r"[\s,;]+")


class CalendarError(MixwiseError):
    """A calendar that cannot be used: its findings say which rows and fields."""

    code = "calendar_invalid"

    def __init__(self, message: str, findings: Sequence[Finding] = (), hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.findings = list(findings)
        self.extra = {"findings": [f.to_dict() for f in self.findings]} if findings else {}


@dataclass(frozen=True)
class Flight:
    """One calendar row: a creative of a campaign live on a channel from ``start`` to ``end``
    (both days included). ``row`` is the 1-based row number in the calendar."""

    row: int
    campaign: str
    channel: str
    start: date
    end: date
    creative: str = ""
    creative_type: str = ""
    tags: tuple[str, ...] = ()
    segment: str = ""
    spend: float | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "campaign": self.campaign,
            "channel": self.channel,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "creative": self.creative,
            "creative_type": self.creative_type,
            "tags": list(self.tags),
            "segment": self.segment,
            "spend": self.spend,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Flight:
        """The inverse of :meth:`to_dict` (a stored calendar)."""
        return cls(
            row=int(d["row"]),
            campaign=str(d["campaign"]),
            channel=str(d["channel"]),
            start=date.fromisoformat(str(d["start"])),
            end=date.fromisoformat(str(d["end"])),
            creative=str(d.get("creative", "")),
            creative_type=str(d.get("creative_type", "")),
            tags=tuple(d.get("tags", ())),
            segment=str(d.get("segment", "")),
            spend=None if d.get("spend") is None else float(d["spend"]),
        )


@dataclass
class Calendar:
    """The parsed flights and the findings about them (``ok`` when no finding is an error)."""

    flights: list[Flight]
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)

    def raise_if_errors(self) -> None:
        """Raise :class:`CalendarError` naming the first error when the calendar is unusable."""
        errors = [f for f in self.findings if f.severity == ERROR]
        if errors:
            more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
            raise CalendarError(
                f"The campaign calendar has errors: {errors[0].message}{more}",
                errors,
                hint=errors[0].hint,
            )


def read_calendar(source: str | Path, mapping: Mapping[str, str] | None = None) -> Calendar:
    """Read a calendar from a CSV/Excel/Parquet file and parse it (see :func:`parse_calendar`)."""
    return parse_calendar(read_table(source), mapping)


def calendar_from_records(
    records: Iterable[Mapping[str, Any]], mapping: Mapping[str, str] | None = None
) -> Calendar:
    """A calendar from JSON-like rows (the API), parsed like a file."""
    rows = list(records)
    if not rows:
        raise CalendarError("The campaign calendar has no rows.", hint="Send at least one flight.")
    return parse_calendar(pd.DataFrame(rows), mapping)


def parse_calendar(frame: pd.DataFrame, mapping: Mapping[str, str] | None = None) -> Calendar:
    """Flights from a table, with findings for rows that cannot be read (those rows are dropped).

    ``mapping`` maps a role (:data:`ROLES`) to the column holding it; a role not mapped is read
    from a column of its own name when there is one.
    """
    columns = _columns(frame, mapping or {})
    missing = [r for r in REQUIRED_ROLES if r not in columns]
    if missing:
        finding = Finding(
            "calendar_missing_column",
            ERROR,
            f"The campaign calendar has no column for {', '.join(missing)}.",
            "Name the columns campaign, channel, start, end or map them "
            "(e.g. --map start=launch_date).",
            missing[0],
        )
        return Calendar([], [finding])
    findings: list[Finding] = []
    col = {role: frame[name] for role, name in columns.items()}
    start = pd.to_datetime(col["start"], errors="coerce")
    end = pd.to_datetime(col["end"], errors="coerce")
    for role, parsed in (("start", start), ("end", end)):
        findings += _rows(
            "calendar_bad_date",
            parsed.isna().to_numpy(),
            f"{columns[role]!r} is not a date",
            "Write dates as YYYY-MM-DD.",
            columns[role],
        )
    backwards = (end < start).to_numpy()
    findings += _rows(
        "calendar_end_before_start",
        backwards,
        "a flight ends before it starts",
        "Swap start and end, or fix the dates.",
        columns["end"],
    )
    bad = start.isna().to_numpy() | end.isna().to_numpy() | backwards
    for role in ("campaign", "channel"):
        empty = col[role].isna().to_numpy() | (col[role].astype(str).str.strip() == "").to_numpy()
        findings += _rows(
            "calendar_empty_field",
            empty,
            f"{columns[role]!r} is empty",
            f"Every flight needs a {role}.",
            columns[role],
        )
        bad |= empty
    spend = None
    if "spend" in col:
        spend = pd.to_numeric(col["spend"], errors="coerce")
        wrong = (col["spend"].notna() & (spend.isna() | (spend < 0))).to_numpy()
        findings += _rows(
            "calendar_bad_spend",
            wrong,
            f"{columns['spend']!r} is not a number >= 0",
            "Leave spend empty or write a plain number.",
            columns["spend"],
        )
        bad |= wrong
    flights = [_flight(i, col, start, end, spend) for i in range(len(frame)) if not bad[i]]
    return Calendar(flights, findings)


def check_calendar(
    calendar: Calendar, dates: Sequence[Any], channels: Sequence[str], step_days: int = 7
) -> Calendar:
    """The calendar with findings against a dataset or model: unknown channels (error), flights
    outside the data's dates (warning; the data's last period covers ``step_days`` days) and
    overlapping flights of one campaign and channel (warning)."""
    findings = list(calendar.findings)
    flights = calendar.flights
    known = set(channels)
    unknown = [f for f in flights if f.channel not in known]
    for name in sorted({f.channel for f in unknown}):
        rows = [f.row for f in unknown if f.channel == name]
        findings.append(
            Finding(
                "calendar_unknown_channel",
                ERROR,
                f"channel {name!r} is not in the model ({_rows_of(rows)})",
                f"Known channels: {', '.join(channels)}. Rename the channel in the calendar.",
                "channel",
                first_rows(r - 1 for r in rows),
            )
        )
    if len(dates):
        first = pd.Timestamp(min(dates)).date()
        last = (pd.Timestamp(max(dates)) + pd.Timedelta(days=step_days - 1)).date()
        outside = [f.row for f in flights if f.start < first or f.end > last]
        if outside:
            findings.append(
                Finding(
                    "calendar_outside_data",
                    WARNING,
                    f"flights run outside the data ({first} to {last}) ({_rows_of(outside)}); "
                    "only the days inside count",
                    "Extend the data or trim the flights.",
                    "start",
                    first_rows(r - 1 for r in outside),
                )
            )
    overlaps = _overlaps(flights)
    if overlaps:
        findings.append(
            Finding(
                "calendar_overlap",
                WARNING,
                f"flights of the same campaign and channel overlap ({_rows_of(overlaps)}); "
                "their spend is counted once per day by the model",
                "Merge the overlapping flights or check their dates.",
                "start",
                first_rows(r - 1 for r in overlaps),
            )
        )
    return Calendar(flights, findings)


def _columns(frame: pd.DataFrame, mapping: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(set(mapping) - set(ROLES))
    if unknown:
        raise CalendarError(
            f"Unknown calendar role {unknown[0]!r}.", hint=f"Roles: {', '.join(ROLES)}."
        )
    out: dict[str, str] = {}
    for role in ROLES:
        name = mapping.get(role, role)
        if name in frame.columns:
            out[role] = name
        elif role in mapping:
            raise CalendarError(
                f"The calendar has no column {name!r} (mapped to {role}).",
                hint=f"Columns: {', '.join(map(str, frame.columns))}.",
            )
    return out


def _rows(code: str, mask: np.ndarray, message: str, hint: str, column: str) -> list[Finding]:
    pos = positions(mask)
    if len(pos) == 0:
        return []
    return [Finding(code, ERROR, f"{message} ({rows_text(pos)})", hint, column, first_rows(pos))]


def _rows_of(rows: Sequence[int]) -> str:
    return rows_text([r - 1 for r in rows])


def _text(series: pd.Series | None, i: int) -> str:
    if series is None:
        return ""
    value = series.iloc[i]
    return "" if pd.isna(value) else str(value).strip()


def _flight(
    i: int,
    col: dict[str, pd.Series],
    start: pd.Series,
    end: pd.Series,
    spend: pd.Series | None,
) -> Flight:
    tags_text = _text(col.get("tags"), i)
    tags = tuple(dict.fromkeys(t.lstrip("#").lower() for t in _TAG_SPLIT.split(tags_text) if t))
    value = None if spend is None or pd.isna(spend.iloc[i]) else float(spend.iloc[i])
    return Flight(
        row=i + 1,
        campaign=_text(col["campaign"], i),
        channel=_text(col["channel"], i),
        start=start.iloc[i].date(),
        end=end.iloc[i].date(),
        creative=_text(col.get("creative"), i),
        creative_type=_text(col.get("creative_type"), i),
        tags=tuple(t for t in tags if t),
        segment=_text(col.get("segment"), i),
        spend=value,
    )


def _overlaps(flights: Sequence[Flight]) -> list[int]:
    """Rows of flights overlapping an earlier-starting flight of the same campaign and channel."""
    rows: set[int] = set()
    groups: dict[tuple[str, str], list[Flight]] = {}
    for f in flights:
        groups.setdefault((f.campaign, f.channel), []).append(f)
    for group in groups.values():
        group.sort(key=lambda f: (f.start, f.row))
        latest = group[0]
        for b in group[1:]:
            if b.start <= latest.end:
                rows.update((latest.row, b.row))
            if b.end > latest.end:
                latest = b
    return sorted(rows)
