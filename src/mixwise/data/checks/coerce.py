"""Turn a raw table that passed :func:`check_table` into the typed frame of an ``MMMDataset``."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from mixwise.data.checks._common import WARNING, finding, positions, rows_text
from mixwise.data.checks._parse import parse_dates, parse_numbers
from mixwise.data.checks.structure import (
    STEPS,
    detect_step,
    frequency_of,
    parse_geo,
    role_descriptions,
)
from mixwise.data.checks.values import CHANNEL_ROLES, event_is_numeric, numeric_roles
from mixwise.data.findings import Finding
from mixwise.data.mapping import Mapping


def coerce(
    raw: pd.DataFrame, mapping: Mapping
) -> tuple[pd.DataFrame, Literal["daily", "weekly"], list[Finding]]:
    """Typed frame, frequency and fill findings.

    The frame has only the mapped columns: the date as ``datetime64[ns]``, the geo as ``str``,
    numeric roles as ``float``, numeric events as ``float`` and categorical events as ``str``;
    sorted by (geo, date) with a fresh index. With ``fill: zero``, empty spend and exposure cells
    become 0 and each filled column is reported as a ``filled_zero`` warning.
    Call it only when :func:`check_table` found no errors.
    """
    roles = role_descriptions(mapping)
    dates = parse_dates(raw[mapping.date], mapping.date_format)
    columns: dict[str, pd.Series] = {mapping.date: dates.values.reset_index(drop=True)}
    if mapping.geo:
        columns[mapping.geo] = parse_geo(raw[mapping.geo]).values.astype(str).reset_index(drop=True)
    findings: list[Finding] = []
    for role, col in numeric_roles(mapping):
        parsed = parse_numbers(raw[col])
        values = parsed.values.to_numpy(dtype=float)
        if role in CHANNEL_ROLES and mapping.fill == "zero" and parsed.missing.any():
            values = np.where(parsed.missing, 0.0, values)
            pos = positions(parsed.missing)
            findings.append(
                finding(
                    "filled_zero",
                    WARNING,
                    f"Column '{col}' ({roles[col]}) was empty in {rows_text(pos)}; these cells "
                    "were filled with 0 because the mapping says `fill: zero`.",
                    "Check that nothing ran in these periods; otherwise fill in the real numbers.",
                    column=col,
                    pos=pos,
                )
            )
        columns[col] = pd.Series(values, dtype=float)
    for col in dict.fromkeys(mapping.events):
        parsed = parse_numbers(raw[col])
        if event_is_numeric(parsed):
            columns[col] = pd.Series(parsed.values.to_numpy(dtype=float), dtype=float)
        else:
            columns[col] = raw[col].reset_index(drop=True).astype("str")
    frame = pd.DataFrame(columns)
    keys = [mapping.geo, mapping.date] if mapping.geo else [mapping.date]
    frame = frame.sort_values(keys, kind="stable").reset_index(drop=True)
    return frame, _frequency(frame[mapping.date], mapping), findings


def _frequency(dates: pd.Series, mapping: Mapping) -> Literal["daily", "weekly"]:
    """The mapping's frequency if set, else detected from the median step (weekly by default)."""
    if mapping.frequency != "auto":
        return mapping.frequency
    step = detect_step(np.sort(dates.dropna().unique()))
    if step is None:
        return "weekly"
    return frequency_of(step) or ("daily" if step < STEPS["weekly"] else "weekly")
