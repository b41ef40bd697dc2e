"""Checks on cell values of numeric roles (KPI, spend, exposure, controls, ...) and events.

Each numeric column is parsed cell by cell (:func:`parse_numbers`); text, empty cells, infinite
values, negative spend and constant columns become findings naming the column and rows.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from mixwise.data.checks._common import ERROR, WARNING, examples, finding, positions, rows_text
from mixwise.data.checks._parse import Parsed, parse_numbers
from mixwise.data.checks.structure import role_descriptions
from mixwise.data.findings import Finding
from mixwise.data.mapping import Mapping

CHANNEL_ROLES = frozenset({"spend", "exposure"})
NUMERIC_ROLES = frozenset(
    {
        "kpi",
        "revenue_per_conversion",
        "population",
        "spend",
        "exposure",
        "reach",
        "frequency",
        "control",
        "organic",
        "non_media",
    }
)
_FORMATTED = re.compile(r"[,\s%$€£¥]|^\(.*\)$")


def numeric_roles(mapping: Mapping) -> list[tuple[str, str]]:
    """(role, column) of every column that must hold numbers, without repeats."""
    seen: dict[str, str] = {}
    for role, col in mapping.role_columns():
        if role in NUMERIC_ROLES:
            seen.setdefault(col, role)
    return [(role, col) for col, role in seen.items()]


def event_is_numeric(parsed: Parsed) -> bool:
    """An event column is numeric (0/1 dummies or intensities) when every filled cell is a
    number; otherwise it is categorical and each level other than 'na'/'none'/... is an event."""
    return bool(parsed.ok.any() and not parsed.bad.any())


def check_values(
    raw: pd.DataFrame, mapping: Mapping, numbers: dict[str, Parsed], geo: Parsed | None
) -> list[Finding]:
    """All value findings for the numeric roles, the population and numeric events."""
    roles = role_descriptions(mapping)
    findings: list[Finding] = []
    for role, col in numeric_roles(mapping):
        findings += _column(raw[col], col, role, roles[col], numbers[col], mapping)
    if mapping.population:
        findings += _population(raw, mapping, numbers[mapping.population], geo)
    for col in dict.fromkeys(mapping.events):
        findings += _event(raw[col], col, parse_numbers(raw[col]))
    return findings


def _column(
    raw: pd.Series, col: str, role: str, what: str, parsed: Parsed, mapping: Mapping
) -> list[Finding]:
    findings: list[Finding] = []
    values = parsed.values.to_numpy(dtype=float)
    if parsed.bad.any():
        findings.append(_non_numeric(raw, col, what, positions(parsed.bad)))
    if parsed.missing.any():
        miss = _missing(col, role, what, positions(parsed.missing), mapping)
        if miss is not None:
            findings.append(miss)
    inf = np.isinf(values)
    if inf.any():
        pos = positions(inf)
        findings.append(
            finding(
                "infinite_value",
                ERROR,
                f"Column '{col}' ({what}) has infinite values in {rows_text(pos)}: "
                f"{examples(raw, pos)}.",
                "These usually come from a division by zero upstream; replace them with the "
                "real numbers.",
                column=col,
                pos=pos,
            )
        )
    if role in CHANNEL_ROLES:
        neg = values < 0
        if neg.any():
            pos = positions(neg)
            findings.append(
                finding(
                    "negative_spend",
                    ERROR,
                    f"Column '{col}' ({what}) is negative in {rows_text(pos)}: "
                    f"{examples(raw, pos)}.",
                    "Spend and exposure cannot be negative. Book refunds and corrections in the "
                    "period they belong to so that every period is zero or more.",
                    column=col,
                    pos=pos,
                )
            )
    if role in CHANNEL_ROLES and mapping.fill == "zero":
        values = np.where(parsed.missing, 0.0, values)
    constant = _constant(col, role, what, values)
    if constant is not None:
        findings.append(constant)
    return findings


def _non_numeric(raw: pd.Series, col: str, what: str, pos: np.ndarray) -> Finding:
    bad_values = [str(raw.iloc[int(p)]) for p in pos[:20]]
    hint = "Put plain numbers in these cells (for example 1234.5), or fix the mapping."
    if any(_FORMATTED.search(v.strip()) for v in bad_values):
        hint = (
            "Remove thousands separators, spaces, currency and percent signs so that cells hold "
            "plain numbers such as 1234.5 (use a dot for decimals)."
        )
    return finding(
        "non_numeric",
        ERROR,
        f"Column '{col}' ({what}) has text where a number is expected in {rows_text(pos)}: "
        f"{examples(raw, pos)}.",
        hint,
        column=col,
        pos=pos,
    )


def _missing(col: str, role: str, what: str, pos: np.ndarray, mapping: Mapping) -> Finding | None:
    where = f"Column '{col}' ({what}) is empty in {rows_text(pos)}."
    if role == "kpi":
        return finding(
            "missing_kpi",
            ERROR,
            where,
            "A missing KPI is never guessed: fix the source, or remove these periods (only at the "
            "start or end of the table, so that the dates stay regular).",
            column=col,
            pos=pos,
        )
    if role in CHANNEL_ROLES:
        if mapping.fill == "zero":
            return None  # coerce() fills these with 0 and reports `filled_zero`
        return finding(
            "missing_spend",
            ERROR,
            where,
            "Write 0 where nothing ran, or set `fill: zero` in the mapping to fill empty spend "
            "and exposure with 0 (the fill is reported).",
            column=col,
            pos=pos,
        )
    return finding(
        "missing_value",
        ERROR,
        where,
        "Fill in these cells (or drop the column from the mapping); missing values are never "
        "guessed.",
        column=col,
        pos=pos,
    )


def _constant(col: str, role: str, what: str, values: np.ndarray) -> Finding | None:
    finite = values[np.isfinite(values)]
    if len(finite) < 2 or finite.min() != finite.max():
        return None
    value = float(finite[0])
    same = "0 in every row" if value == 0 else f"the same value ({value:.10g}) in every row"
    if role in CHANNEL_ROLES:
        return finding(
            "constant_channel",
            ERROR,
            f"Column '{col}' ({what}) is {same}; no effect can be estimated for a channel that "
            "never changes.",
            "Drop the channel from the mapping, or check that the right column is mapped.",
            column=col,
        )
    if role == "kpi":
        return finding(
            "constant_kpi",
            ERROR,
            f"Column '{col}' (the KPI) is {same}; there is nothing to explain.",
            "Check that the right column is mapped as the KPI.",
            column=col,
        )
    if role in ("control", "organic", "non_media"):
        return finding(
            "constant_control",
            WARNING,
            f"Column '{col}' ({what}) is {same}; it adds nothing the baseline does not.",
            "Drop it from the mapping.",
            column=col,
        )
    return None


def _population(
    raw: pd.DataFrame, mapping: Mapping, parsed: Parsed, geo: Parsed | None
) -> list[Finding]:
    """``non_positive_population`` and ``population_not_constant`` (one value per geo)."""
    col = mapping.population
    assert col is not None
    findings: list[Finding] = []
    values = parsed.values.to_numpy(dtype=float)
    finite = np.isfinite(values)
    nonpos = finite & (values <= 0)
    if nonpos.any():
        pos = positions(nonpos)
        findings.append(
            finding(
                "non_positive_population",
                ERROR,
                f"Column '{col}' (population) is zero or negative in {rows_text(pos)}: "
                f"{examples(raw[col], pos)}.",
                "Population scales KPI and media per geo; it must be a positive number.",
                column=col,
                pos=pos,
            )
        )
    geos = (
        np.full(len(values), "national", dtype=object)
        if geo is None
        else geo.values.to_numpy(dtype=object)
    )
    keep = finite if geo is None else finite & ~geo.missing
    frame = pd.DataFrame({"geo": geos, "v": values, "pos": np.arange(len(values))})[keep]
    reference = frame.groupby("geo")["v"].transform("first")
    changed = frame[frame["v"].to_numpy() != reference.to_numpy()]
    if len(changed):
        pos = changed["pos"].to_numpy()
        first_geo = changed["geo"].iloc[0]
        first_value = reference[changed.index[0]]
        where = "" if geo is None else f" within geo '{first_geo}'"
        n_geos = changed["geo"].nunique()
        more = f" ({n_geos} geos are affected)" if n_geos > 1 else ""
        findings.append(
            finding(
                "population_not_constant",
                ERROR,
                f"Column '{col}' (population) changes{where}{more} in {rows_text(pos)}: it is "
                f"{first_value:.10g} first, then {examples(raw[col], pos)}.",
                "Population must be one number per geo (for example the latest census figure); "
                "put the same value on every row of a geo.",
                column=col,
                pos=pos,
            )
        )
    return findings


def _event(raw: pd.Series, col: str, parsed: Parsed) -> list[Finding]:
    """A numeric event column (0/1 dummies) must be filled in and finite."""
    if not event_is_numeric(parsed):
        return []
    findings: list[Finding] = []
    if parsed.missing.any():
        pos = positions(parsed.missing)
        findings.append(
            finding(
                "missing_value",
                ERROR,
                f"Column '{col}' (an event) holds numbers but is empty in {rows_text(pos)}.",
                "Write 0 where there was no event.",
                column=col,
                pos=pos,
            )
        )
    inf = np.isinf(parsed.values.to_numpy(dtype=float))
    if inf.any():
        pos = positions(inf)
        findings.append(
            finding(
                "infinite_value",
                ERROR,
                f"Column '{col}' (an event) has infinite values in {rows_text(pos)}.",
                "Use 0/1 (or the event's intensity) in event columns.",
                column=col,
                pos=pos,
            )
        )
    return findings
