"""Checks of a journeys table, as findings with codes (like ``mixwise.data.findings``).

Codes: ``journey_missing_id``, ``journey_bad_number``, ``journey_negative_conversions``,
``journey_negative_value``, ``journey_bad_timestamp``, ``journey_unordered_timestamps``,
``journey_separator_in_channel``, ``journey_malformed_path``, ``journey_unknown_channel``,
``journey_conversion_without_touch``, ``journey_lookback_cuts_paths``, ``journey_no_conversion``,
``journey_lookback_ignored`` (docs/attribution.md, "Checks").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mixwise.data.checks import parse_numbers
from mixwise.data.findings import Finding, Severity, rows_finding

OTHER_SEPARATORS = (">", "|", "→", "->", "=>")
YES_NO = {"true": "1", "false": "0", "yes": "1", "no": "0"}
"""Flag words a conversion column may hold, as numbers."""
LOOKBACK_CUT_SHARE = 0.5
"""A lookback window that cuts touches from more than this share of journeys is reported."""


def numbers(frame: pd.DataFrame, column: str | None, role: str) -> tuple[np.ndarray, list[Finding]]:
    """``column`` as floats, parsed as the spend table's numbers are
    (:func:`mixwise.data.checks.parse_numbers`; empty or NA cells -> 0); booleans and
    true/false, yes/no -> 1/0; other text is an error naming the rows."""
    if column is None:
        return np.zeros(len(frame)), []
    raw = frame[column]
    if raw.dtype == bool:
        return raw.to_numpy(float), []
    if not pd.api.types.is_numeric_dtype(raw):
        raw = raw.astype("string").str.strip().str.lower().replace(YES_NO)
    parsed = parse_numbers(raw)
    findings = rows_finding(
        "journey_bad_number",
        parsed.bad,
        f"'{column}' ({role}) has values that are not numbers",
        f"Write {role} as numbers (0/1 or a count); fix or drop those rows.",
        column,
    )
    return parsed.values.fillna(0.0).to_numpy(float), findings


def non_negative(values: np.ndarray, column: str | None, role: str) -> list[Finding]:
    code = "journey_negative_conversions" if role != "value" else "journey_negative_value"
    return rows_finding(
        code,
        values < 0,
        f"'{column}' ({role}) is negative",
        f"{role.capitalize()} are counts of journeys and cannot be negative: fix those rows "
        "(refunds belong in a separate table).",
        column,
        Severity.ERROR if role != "value" else Severity.WARNING,
    )


def separator_inside(names: pd.Series, seps: set[str], column: str) -> list[Finding]:
    """Channel names that contain a path separator (``seps``)."""
    mask = np.zeros(len(names), dtype=bool)
    for sep in seps:
        mask |= names.str.contains(sep, regex=False).fillna(False).to_numpy(bool)
    return rows_finding(
        "journey_separator_in_channel",
        mask,
        f"channel names in '{column}' contain a path separator ({' '.join(sorted(seps))})",
        "Rename those channels (e.g. 'Paid > Search' -> 'Paid Search') or, for a path table, set "
        "`separator:` in the mapping to the one the paths use.",
        column,
    )


def unknown_channels(
    names: pd.Series, renames: dict[str, str], column: str, row_of: np.ndarray | None = None
) -> list[Finding]:
    """Channels the mapping's ``channels`` does not name (kept under their own names)."""
    if not renames:
        return []
    known = set(renames) | set(renames.values())
    mask = (~names.isin(known) & names.notna()).to_numpy(bool)
    unknown = sorted(set(names[mask].astype(str)))[:10]
    return rows_finding(
        "journey_unknown_channel",
        mask,
        f"channel(s) not in the mapping: {', '.join(unknown)}; kept under their own names",
        "Add them under `channels:` in the mapping (journey name: MMM channel name).",
        column,
        Severity.WARNING,
        row_of,
    )


def no_conversion(total: float, column: str | None) -> list[Finding]:
    if total > 0:
        return []
    return [
        Finding(
            "journey_no_conversion",
            Severity.ERROR,
            "the journeys have no conversion at all: there is nothing to attribute",
            "Check the conversion column (" + (column or "none found") + "): it should hold 1 (or "
            "a count) on the touch or row where a journey converted; map it with `conversion:`.",
            column,
        )
    ]


def without_touch(converting: np.ndarray, touched: np.ndarray, column: str | None) -> list[Finding]:
    """Journeys (or path rows) that converted but have no touchpoint: credit nobody can get."""
    lonely = converting & ~touched
    if not lonely.any():
        return []
    return [
        Finding(
            "journey_conversion_without_touch",
            Severity.WARNING,
            f"{int(lonely.sum())} converting journey(s) have no touchpoint (in the lookback "
            "window); their conversions are reported as unattributed, not given to any channel",
            "Expected for direct or untracked conversions; if they should have touches, check the "
            "journey id and channel columns (and the lookback).",
            column,
        )
    ]


def lookback_cuts(cut: int, touched: int, days: float | None) -> list[Finding]:
    if days is None or touched == 0 or cut / touched <= LOOKBACK_CUT_SHARE:
        return []
    return [
        Finding(
            "journey_lookback_cuts_paths",
            Severity.WARNING,
            f"the {days:g}-day lookback window drops touches from {cut / touched:.0%} of journeys",
            "Most paths are cut short: lengthen the lookback (--lookback-days) unless that is the "
            "window you mean.",
            None,
        )
    ]


def lookback_ignored(what: str) -> Finding:
    return Finding(
        "journey_lookback_ignored",
        Severity.INFO,
        f"{what} has no timestamps: the lookback window does not apply",
        "Map a timestamp column (`timestamp:`) to use a lookback window.",
        None,
    )
