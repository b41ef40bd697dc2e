"""``MMMDataset``: a validated, typed table plus the roles of its columns.

Everything after the data layer (engines, planning, reports) reads an ``MMMDataset``; nothing
after it ever re-parses user files. The frame is tidy: one row per date (per geo), sorted, with
the date column parsed and every numeric role as float.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.data.findings import Finding
from mixwise.data.mapping import Mapping

NATIONAL = "national"
"""Geo label used for data without a geo column, so every array has a ``geo`` dimension."""

EVENT_BASELINE_LEVELS = frozenset({"", "na", "n/a", "none", "no", "0", "false", "nan"})
"""Levels of a categorical event column that mean 'no event' (they get no dummy)."""


@dataclass(frozen=True)
class MMMDataset:
    """A validated marketing mix dataset.

    Attributes:
        frame: tidy table, sorted by (geo, date); date parsed; numeric roles as float.
        mapping: which column plays which role.
        frequency: ``"daily"`` or ``"weekly"`` (detected from the dates).
        findings: warnings (and the report of explicit fills) from validation.
    """

    frame: pd.DataFrame
    mapping: Mapping
    frequency: Literal["daily", "weekly"]
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    # -- shape ------------------------------------------------------------------------------
    @property
    def channels(self) -> list[str]:
        return self.mapping.channel_names

    @property
    def kpi_type(self) -> str:
        return self.mapping.kpi.type

    @property
    def has_geo(self) -> bool:
        return self.mapping.geo is not None

    @property
    def dates(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(sorted(self.frame[self.mapping.date].unique()))

    @property
    def geos(self) -> list[str]:
        if not self.mapping.geo:
            return [NATIONAL]
        return sorted(self.frame[self.mapping.geo].astype(str).unique())

    @property
    def n_periods(self) -> int:
        return len(self.dates)

    @property
    def periods_per_year(self) -> float:
        return 52.1775 if self.frequency == "weekly" else 365.25

    # -- national views (summed over geos) -------------------------------------------------
    def _national(self, columns: list[str], how: Literal["sum", "mean"] = "sum") -> pd.DataFrame:
        grouped = self.frame.groupby(self.mapping.date, sort=True)[columns]
        out = grouped.sum() if how == "sum" else grouped.mean()
        out.index = pd.DatetimeIndex(out.index, name="date")
        return out.astype(float)

    def spend(self) -> pd.DataFrame:
        """Spend per period (rows) and channel (columns), summed over geos."""
        out = self._national(self.mapping.spend_columns)
        out.columns = pd.Index(self.channels, name="channel")
        return out

    def kpi(self) -> pd.Series:
        """KPI per period, summed over geos."""
        return self._national([self.mapping.kpi.column])[self.mapping.kpi.column].rename("kpi")

    def controls(self) -> pd.DataFrame:
        return self._national(self.mapping.controls, how="mean")

    def event_dummies(self) -> pd.DataFrame:
        """0/1 columns for every event: numeric event columns as they are, categorical ones
        one-hot encoded as ``<column>=<level>`` (levels meaning 'no event' get no column)."""
        cols: dict[str, pd.Series] = {}
        for col in self.mapping.events:
            s = self.frame[col]
            if pd.api.types.is_numeric_dtype(s):
                cols[col] = s.astype(float)
                continue
            levels = sorted({str(v) for v in s.dropna().unique()})
            for level in levels:
                if level.strip().lower() in EVENT_BASELINE_LEVELS:
                    continue
                cols[f"{col}={level}"] = (s.astype(str) == level).astype(float)
        return pd.DataFrame(cols, index=self.frame.index)

    # -- xarray -----------------------------------------------------------------------------
    def to_xarray(self) -> xr.Dataset:
        """The dataset with named dims ``time``, ``geo``, ``channel`` (and ``control``,
        ``organic``, ``non_media``, ``event`` where present; ``reach`` and ``frequency`` on
        ``rf_channel`` for reach & frequency channels). National data gets a single geo
        ``"national"``."""
        m = self.mapping
        f = self.frame.copy()
        geo_col = m.geo or "__geo__"
        if not m.geo:
            f[geo_col] = NATIONAL
        f[geo_col] = f[geo_col].astype(str)
        events = self.event_dummies()
        f = pd.concat([f, events.add_prefix("__event__")], axis=1)
        idx = f.set_index([m.date, geo_col]).sort_index()
        times, geos = self.dates, self.geos

        def cube(columns: list[str], dim: str, labels: list[str]) -> xr.DataArray:
            data = (
                np.stack(
                    [
                        idx[c].unstack(geo_col).reindex(index=times, columns=geos).to_numpy(float)
                        for c in columns
                    ],
                    axis=-1,
                )
                if columns
                else np.zeros((len(times), len(geos), 0))
            )
            return xr.DataArray(
                data, dims=("time", "geo", dim), coords={"time": times, "geo": geos, dim: labels}
            )

        ds = xr.Dataset(
            {
                "kpi": cube([m.kpi.column], "_k", ["kpi"]).squeeze("_k", drop=True),
                "spend": cube(m.spend_columns, "channel", self.channels),
            }
        )
        if m.exposure_columns:
            exp_cols = [c.exposure or "" for c in m.channels]
            present = [c for c in exp_cols if c]
            arr = cube(present, "channel", [c.name for c in m.channels if c.exposure])
            ds["exposure"] = arr.reindex(channel=self.channels)
        if m.controls:
            ds["controls"] = cube(m.controls, "control", m.controls)
        if m.organic:
            ds["organic"] = cube(m.organic, "organic", m.organic)
        if m.non_media:
            ds["non_media"] = cube(m.non_media, "non_media", m.non_media)
        rf = [c for c in m.channels if c.reach and c.frequency]
        if rf:
            names = [c.name for c in rf]
            ds["reach"] = cube([c.reach or "" for c in rf], "rf_channel", names)
            ds["frequency"] = cube([c.frequency or "" for c in rf], "rf_channel", names)
        if len(events.columns):
            ds["events"] = cube(
                [f"__event__{c}" for c in events.columns], "event", list(events.columns)
            )
        if m.kpi.revenue_per_conversion:
            ds["revenue_per_conversion"] = cube(
                [m.kpi.revenue_per_conversion], "_k", ["r"]
            ).squeeze("_k", drop=True)
        if m.population:
            pop = idx[m.population].groupby(level=1).first().reindex(geos)
            ds["population"] = xr.DataArray(
                pop.to_numpy(float), dims=("geo",), coords={"geo": geos}
            )
        ds.attrs.update(
            kpi_type=m.kpi.type, frequency=self.frequency, fingerprint=self.fingerprint()
        )
        return ds

    # -- identity ---------------------------------------------------------------------------
    def fingerprint(self) -> str:
        """Stable hash of the content and the mapping: ``sha256:<hex>``.

        Row order and pandas internals do not matter; values and the mapping do.
        """
        cols = [c for _, c in self.mapping.role_columns() if c in self.frame.columns]
        frame = self.frame[cols]
        h = hashlib.sha256()
        h.update(self.mapping.identity_json().encode())
        h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
        h.update(json.dumps([str(t) for t in frame.dtypes]).encode())
        return "sha256:" + h.hexdigest()

    def __repr__(self) -> str:
        return (
            f"MMMDataset({self.n_periods} {self.frequency} periods "
            f"{self.dates[0].date()}..{self.dates[-1].date()}, geos={len(self.geos)}, "
            f"channels={self.channels}, kpi={self.mapping.kpi.column!r} ({self.kpi_type}))"
        )
