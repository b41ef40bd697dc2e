"""Holiday calendars: a table of (date, holiday, country), such as Robyn's ``dt_prophet_holidays``,
checked and turned into per-period event dummies."""

from __future__ import annotations

import pandas as pd

from mixwise.data.findings import Finding, Severity, first_rows, format_rows
from mixwise.data.mapping import HolidayTableMapping


def check_holiday_table(raw: pd.DataFrame, mapping: HolidayTableMapping) -> list[Finding]:
    """Errors for missing columns, unparseable dates and empty holiday names."""
    needed = [mapping.date, mapping.holiday, mapping.country] + (
        [mapping.year] if mapping.year else []
    )
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        return [
            Finding(
                code="missing_column",
                severity=Severity.ERROR,
                column=missing[0],
                message=f"column(s) {', '.join(map(repr, missing))} named by the mapping are "
                f"not in the table (it has: {', '.join(map(str, raw.columns))})",
                hint="Fix the column names in the mapping file.",
            )
        ]
    if raw.empty:
        return [
            Finding(
                code="empty_table",
                severity=Severity.ERROR,
                message="the holiday table has no rows",
                hint="Check the file.",
            )
        ]
    findings: list[Finding] = []
    parsed = pd.to_datetime(raw[mapping.date], errors="coerce")
    bad = parsed.isna().to_numpy().nonzero()[0]
    if len(bad):
        rows = first_rows(bad)
        findings.append(
            Finding(
                code="bad_date",
                severity=Severity.ERROR,
                column=mapping.date,
                rows=rows,
                message=f"'{mapping.date}' has values that are not dates "
                f"({format_rows(rows, len(bad))})",
                hint="Use ISO dates (YYYY-MM-DD).",
            )
        )
    names = raw[mapping.holiday].astype("string").str.strip()
    empty = (names.isna() | (names == "")).to_numpy().nonzero()[0]
    if len(empty):
        rows = first_rows(empty)
        findings.append(
            Finding(
                code="missing_value",
                severity=Severity.ERROR,
                column=mapping.holiday,
                rows=rows,
                message=f"'{mapping.holiday}' is empty in {format_rows(rows, len(empty))}",
                hint="Every holiday row needs a name.",
            )
        )
    return findings


def holiday_dummies(
    raw: pd.DataFrame,
    mapping: HolidayTableMapping,
    country: str,
    periods: pd.DatetimeIndex,
    frequency: str,
) -> pd.DataFrame:
    """0/1 indicator per period: 1 when a holiday of ``country`` falls inside the period
    (the day itself for daily data, the week starting at the period's date for weekly data)."""
    table = raw[raw[mapping.country] == country]
    days = pd.to_datetime(table[mapping.date])
    span = pd.Timedelta(days=7 if frequency == "weekly" else 1)
    hit = [bool(((days >= p) & (days < p + span)).any()) for p in periods]
    return pd.DataFrame({f"holiday_{country}": [float(h) for h in hit]}, index=periods)
