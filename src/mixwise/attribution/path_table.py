"""Aggregated paths ("search > social > tv", conversions, value, nulls) -> the tables of
:func:`mixwise.attribution.aggregate.unique_paths` (each row is one group of journeys)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from mixwise.attribution import checks
from mixwise.attribution.events import Prepared, channel_names
from mixwise.attribution.roles import JourneyMapping
from mixwise.data.findings import Finding, Severity, rows_finding


def prepare_paths(frame: pd.DataFrame, m: JourneyMapping) -> Prepared:
    """Check a path table and split its paths into touches (no timestamps: no ages)."""
    assert m.path is not None
    findings: list[Finding] = []
    stripped_text = frame[m.path].astype("string").str.strip()
    text = stripped_text.mask(stripped_text == "")
    conv, found = checks.numbers(frame, m.conversions, "conversions")
    findings += found + checks.non_negative(conv, m.conversions, "conversions")
    nulls, found = checks.numbers(frame, m.null, "null (non-converting) counts")
    findings += found + checks.non_negative(nulls, m.null, "null (non-converting) counts")
    value, found = checks.numbers(frame, m.conversion_value, "value")
    findings += found + checks.non_negative(value, m.conversion_value, "value")
    sep = m.separator
    tokens = text.str.split(sep, regex=False).explode()
    stripped = tokens.str.strip()
    row = tokens.index.to_numpy(int)
    empty_step = (stripped.isna() | (stripped == "")).to_numpy(bool) & text.notna().to_numpy()[row]
    malformed = np.zeros(len(frame), dtype=bool)
    malformed[row[empty_step]] = True
    findings += rows_finding(
        "journey_malformed_path",
        malformed,
        f"paths in '{m.path}' have an empty step (two separators '{sep}' in a row, or one at an "
        "end)",
        f"Write paths as channel names joined by '{sep}', e.g. 'search {sep} social "
        f"{sep} tv'; fix those rows.",
        m.path,
    )
    others = {s for s in checks.OTHER_SEPARATORS if s not in sep}
    findings += checks.separator_inside(text.fillna(""), others, m.path)
    findings += checks.unknown_channels(stripped, m.channels, m.path, row)
    findings += checks.no_conversion(float(conv.sum()), m.conversions)
    if any(f.severity == Severity.ERROR for f in findings):
        return Prepared(pd.DataFrame(), pd.DataFrame(), (), findings, 0.0, False)
    touched = text.notna().to_numpy(bool)
    findings += checks.without_touch(conv > 0, touched, m.conversions)
    kept = text.notna().to_numpy()[row]
    ch, channels = pd.factorize(channel_names(stripped[kept], m.channels), sort=True)
    rows = row[kept]
    starts = np.searchsorted(rows, np.arange(len(frame)))
    touches = pd.DataFrame(
        {
            "j": rows,
            "ch": ch.astype(np.int32),
            "pos": np.arange(len(rows)) - starts[rows] + 1,
            "age": np.full(len(rows), np.nan),
        }
    )
    outcomes = pd.DataFrame(
        {"j": np.arange(len(frame)), "converters": conv, "nulls": nulls, "conv": conv, "val": value}
    )
    return Prepared(
        touches, outcomes, tuple(map(str, channels)), findings, float(conv[~touched].sum()), False
    )
