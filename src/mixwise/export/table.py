"""The dataset as named columns by role: what every export writes, in its tool's words.

Column names are the user's (the mapping's), made safe for the target where a tool needs it
(:func:`safe_name`); categorical event columns become 0/1 dummies ``<column>_<level>``, public
holidays of the spec (``holidays: {country: ..}``) 0/1 columns ``holiday_<name>``, and, where the
spec has a trend and the tool no trend of its own, a ``trend`` column ``0, 1, ..., n - 1``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.engines.holidays import holiday_dummies
from mixwise.model.spec import ModelSpec


def safe_name(name: str) -> str:
    """``name`` as an identifier R and Python accept: other characters become ``_``, and a
    leading digit gets an ``x`` in front."""
    out = re.sub(r"[^0-9A-Za-z_]+", "_", name).strip("_") or "column"
    return f"x{out}" if out[0].isdigit() else out


@dataclass
class ExportTable:
    """The exported columns by role (every list names columns of :attr:`frame`)."""

    frame: pd.DataFrame
    date: str
    kpi: str
    kpi_type: str
    frequency: str
    geo: str | None = None
    population: str | None = None
    revenue_per_conversion: str | None = None
    spend: list[str] = field(default_factory=list)
    exposure: list[str | None] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    controls: list[str] = field(default_factory=list)
    organic: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    holidays: list[str] = field(default_factory=list)
    trend: str | None = None

    @property
    def n_periods(self) -> int:
        return int(self.frame[self.date].nunique())


def export_table(
    dataset: MMMDataset, spec: ModelSpec, rename: bool = False, trend: bool = False
) -> ExportTable:
    """The columns of ``dataset`` an export writes. ``rename``: make every name
    :func:`safe_name` (tools that read names as identifiers); ``trend``: add a trend column when
    the spec has a trend (tools without a trend of their own)."""
    m = dataset.mapping
    name = safe_name if rename else (lambda s: s)
    src = dataset.frame.sort_values([c for c in (m.geo, m.date) if c]).reset_index(drop=True)
    cols: dict[str, pd.Series] = {}

    def put(column: str, values: pd.Series) -> str:
        new = name(column)
        if new in cols:
            raise ValueError(f"two columns export as {new!r}")  # pragma: no cover (safe names)
        cols[new] = values.reset_index(drop=True)
        return new

    date = put(m.date, src[m.date].dt.strftime("%Y-%m-%d"))
    geo = put(m.geo, src[m.geo].astype(str)) if m.geo else None
    kpi = put(m.kpi.column, src[m.kpi.column])
    rpc = m.kpi.revenue_per_conversion
    table = ExportTable(
        frame=pd.DataFrame(),
        date=date,
        kpi=kpi,
        kpi_type=m.kpi.type,
        frequency=dataset.frequency,
        geo=geo,
        revenue_per_conversion=put(rpc, src[rpc]) if rpc else None,
        population=put(m.population, src[m.population]) if m.population else None,
    )
    for ch in m.channels:
        table.channels.append(ch.name)
        table.spend.append(put(ch.spend, src[ch.spend]))
        table.exposure.append(put(ch.exposure, src[ch.exposure]) if ch.exposure else None)
    if spec.controls:
        table.controls = [put(c, src[c]) for c in m.controls]
    table.organic = [put(c, src[c]) for c in m.organic]
    if spec.events:
        dummies = dataset.event_dummies().loc[src.index] if len(m.events) else pd.DataFrame()
        table.events = [
            put(c.replace("=", "_"), dummies[c].reset_index(drop=True)) for c in dummies.columns
        ]
    if spec.holidays is not None:
        dates = pd.DatetimeIndex(src[m.date])
        days = holiday_dummies(dataset.dates, dataset.frequency, spec.holidays)
        for c in days.columns:
            label = "holiday_" + c.removeprefix("holiday:")
            table.holidays.append(put(label, days[c].reindex(dates).fillna(0.0)))
    if trend and spec.trend.enabled:
        position = {d: i for i, d in enumerate(dataset.dates)}
        table.trend = put("trend", pd.Series([position[d] for d in src[m.date]], dtype=float))
    table.frame = pd.DataFrame(cols)
    return table
