"""Read a journeys table (CSV, Parquet, DuckDB, ...), check it, and group it into unique paths."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import pandas as pd

from mixwise.attribution.aggregate import unique_paths
from mixwise.attribution.checks import lookback_ignored
from mixwise.attribution.events import prepare_events
from mixwise.attribution.path_table import prepare_paths
from mixwise.attribution.paths import Paths
from mixwise.attribution.roles import JourneyMapping, load_mapping, resolve
from mixwise.data.findings import Finding, Severity
from mixwise.data.loaders import read_table
from mixwise.data.mapping import SourceSpec
from mixwise.errors import MappingError, MixwiseError, ValidationFailed

JourneySource = str | Path | pd.DataFrame


@dataclass
class Journeys:
    """The unique paths of a journeys table, its roles, and what the checks found."""

    paths: Paths
    mapping: JourneyMapping
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    n_rows: int = 0
    by_paths: Paths | None = None
    """With ``by``: the same journeys with (channel, campaign or creative) units for channels
    (their names ``UNIT_SEP``-joined, see :mod:`mixwise.attribution.by_unit`)."""


def read_journeys(
    source: JourneySource,
    mapping: str | Path | dict[str, object] | None = None,
    lookback_days: float | None = None,
    sql: str | None = None,
    by: Literal["campaign", "creative"] | None = None,
) -> Journeys:
    """Read, check and aggregate journeys. ``ValidationFailed`` (every finding) on errors.

    ``mapping`` (a YAML file or its data) may set any role, ``separator``, ``channels`` (journey
    channel -> MMM channel), ``lookback_days`` and ``sql`` (the query for a database file);
    unset roles are proposed from column names. ``by`` also groups the journeys by
    (channel, campaign or creative) units (touchpoint events only).
    """
    overrides = load_mapping(mapping) if isinstance(mapping, str | Path) else mapping
    sql = sql or (str(overrides["sql"]) if overrides and overrides.get("sql") else None)
    frame = source if isinstance(source, pd.DataFrame) else read_table(source, SourceSpec(sql=sql))
    m, notes = resolve(frame, overrides)
    lookback = lookback_days if lookback_days is not None else m.lookback_days
    if by is not None and m.layout == "paths":
        raise MappingError(
            f"credits by {by} need touchpoint events with a {by} column; an aggregated path "
            "table has only channels",
            "Attribute the event-level journeys (journey id, timestamp, channel, campaign), or "
            "leave out --by.",
        )
    prepared = (
        prepare_events(frame, m, lookback, by) if m.layout == "events" else prepare_paths(frame, m)
    )
    if lookback is not None and m.layout == "paths":
        prepared.findings.append(lookback_ignored("a path table"))
    if any(f.severity == Severity.ERROR for f in prepared.findings):
        raise ValidationFailed(prepared.findings)
    touches = prepared.touches.drop(columns="unit", errors="ignore")
    paths = unique_paths(touches, prepared.outcomes, prepared.channels, prepared.with_ages)
    paths = replace(paths, unattributed=prepared.unattributed)
    if paths.conversions.sum() <= 0:
        raise MixwiseError(
            "no converting journey has a touchpoint"
            + (f" within the {lookback:g}-day lookback" if lookback else "")
            + ": there is nothing to attribute",
            "Check that conversions belong to journeys with channel touches (the journey id), "
            "or lengthen the lookback.",
        )
    by_paths = None
    if by is not None:
        unit_touches = prepared.touches.assign(ch=prepared.touches["unit"]).drop(columns="unit")
        by_paths = unique_paths(unit_touches, prepared.outcomes, prepared.units, prepared.with_ages)
        by_paths = replace(by_paths, unattributed=prepared.unattributed)
    return Journeys(paths, m, prepared.findings, notes, len(frame), by_paths)
