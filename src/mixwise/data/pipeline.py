"""From a source (file, query, DataFrame) and a mapping to a validated ``MMMDataset``.

    read (loaders) -> reshape (Fivetran aggregation) -> check rows (checks.check_table)
      -> coerce types -> resample (daily -> weekly) -> check the dataset (checks.check_dataset)

Nothing is coerced silently: every fill or conversion that changes values is reported as a finding.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mixwise.data import checks
from mixwise.data.dataset import MMMDataset
from mixwise.data.findings import Finding, Severity, ValidationReport
from mixwise.data.fivetran import aggregate_ad_reporting
from mixwise.data.loaders import read_table
from mixwise.data.mapping import Mapping
from mixwise.data.resample import incomplete_weeks, to_weekly
from mixwise.errors import ValidationFailed

Source = str | Path | pd.DataFrame


def read_source(source: Source, mapping: Mapping) -> pd.DataFrame:
    """Read ``source`` and apply the mapping's ``source`` reshaping (Fivetran long format)."""
    raw = source.copy() if isinstance(source, pd.DataFrame) else read_table(source, mapping.source)
    if mapping.source.format == "fivetran_ad_reporting":
        raw = aggregate_ad_reporting(raw, mapping.source.fivetran)
    return raw


def _build(source: Source, mapping: Mapping) -> tuple[ValidationReport, MMMDataset | None]:
    report = ValidationReport()
    raw = read_source(source, mapping)
    report.extend(checks.check_table(raw, mapping))
    if not report.ok:
        return report, None
    frame, frequency, fill_findings = checks.coerce(raw, mapping)
    report.extend(fill_findings)
    if mapping.resample is not None and frequency == "daily":
        week_start = mapping.resample.week_start
        report.extend(_partial_week_findings(incomplete_weeks(frame, mapping, week_start), mapping))
        frame = to_weekly(frame, mapping, week_start=week_start)
        frequency = "weekly"
    dataset = MMMDataset(frame=frame, mapping=mapping, frequency=frequency)
    report.extend(checks.check_dataset(dataset))
    if not report.ok:
        return report, None
    kept = tuple(f for f in report.findings if f.severity != Severity.ERROR)
    return report, MMMDataset(frame=frame, mapping=mapping, frequency=frequency, findings=kept)


def _partial_week_findings(partial: pd.DataFrame, mapping: Mapping) -> list[Finding]:
    """Weeks with fewer than 7 days are dropped by the daily -> weekly conversion: say so."""
    if partial.empty:
        return []
    labels = sorted({pd.Timestamp(d).date().isoformat() for d in partial[mapping.date]})
    shown = ", ".join(labels[:5]) + (f" and {len(labels) - 5} more" if len(labels) > 5 else "")
    return [
        Finding(
            code="partial_weeks_dropped",
            severity=Severity.WARNING,
            message=f"{len(partial)} week(s) with fewer than 7 days of data were left out of the "
            f"weekly table (weeks starting {shown})",
            hint="Expected at the edges of daily data; inside the history it means missing days.",
        )
    ]


def validate(source: Source, mapping: Mapping | str | Path) -> ValidationReport:
    """Check ``source`` against ``mapping`` and return every finding (never raises for data
    problems; unreadable files and invalid mappings still raise ``MixwiseError``)."""
    m = mapping if isinstance(mapping, Mapping) else Mapping.load(mapping)
    report, _ = _build(source, m)
    return report


def load_dataset(source: Source, mapping: Mapping | str | Path) -> MMMDataset:
    """Load and validate; raise ``ValidationFailed`` (with all findings) on any error."""
    m = mapping if isinstance(mapping, Mapping) else Mapping.load(mapping)
    report, dataset = _build(source, m)
    if dataset is None:
        raise ValidationFailed(report.findings)
    return dataset
