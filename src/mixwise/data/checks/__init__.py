"""Data checks: findings with stable codes, the rows they concern and what to do about them.

Three entry points, called in this order by :mod:`mixwise.data.pipeline`:

- :func:`check_table` on the raw table (strings from CSV, native types otherwise): columns,
  dates, the time grid, geos, and cell values of every numeric role. Never raises on content.
- :func:`coerce` turns a table without errors into the typed frame (and reports explicit fills).
- :func:`check_dataset` on the typed (and possibly resampled) ``MMMDataset``: enough
  observations, history length, collinearity, sparse channels, KPI outliers, cost per exposure.

Codes (severity): see ``docs`` or the modules ``structure``, ``values`` and ``statistics``.
"""

from __future__ import annotations

import pandas as pd

from mixwise.data.checks._parse import Parsed, parse_dates, parse_numbers
from mixwise.data.checks.coerce import coerce
from mixwise.data.checks.statistics import check_dataset
from mixwise.data.checks.structure import (
    check_dates,
    check_duplicates,
    check_geo,
    check_grid,
    check_shape,
    parse_geo,
)
from mixwise.data.checks.values import check_values, numeric_roles
from mixwise.data.findings import Finding, Severity
from mixwise.data.mapping import Mapping

__all__ = ["check_dataset", "check_table", "coerce", "parse_dates", "parse_numbers"]


def check_table(raw: pd.DataFrame, mapping: Mapping) -> list[Finding]:
    """Every finding about the raw table. Errors here stop the pipeline before ``coerce``."""
    findings = check_shape(raw, mapping)
    if any(f.severity == Severity.ERROR for f in findings):
        return findings
    dates = parse_dates(raw[mapping.date], mapping.date_format)
    geo: Parsed | None = parse_geo(raw[mapping.geo]) if mapping.geo else None
    findings += check_dates(raw, mapping, dates)
    findings += check_geo(raw, mapping, geo) if geo is not None else []
    findings += check_duplicates(mapping, dates, geo)
    findings += check_grid(mapping, dates, geo)
    numbers = {col: parse_numbers(raw[col]) for _, col in numeric_roles(mapping)}
    findings += check_values(raw, mapping, numbers, geo)
    return findings
