"""Schemas of workspaces, datasets, mappings, findings, EDA and previews."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from mixwise.data.mapping import Mapping
from mixwise.service.schemas.common import FindingOut, Request, Schema, UTCDateTime


class WorkspaceOut(Schema):
    id: str
    name: str
    created_at: UTCDateTime


class DatasetOut(Schema):
    """An uploaded table."""

    id: str
    name: str
    filename: str
    size_bytes: int
    n_rows: int
    columns: list[str]
    has_mapping: bool = Field(description="True once a mapping was saved for this dataset.")
    created_at: UTCDateTime
    updated_at: UTCDateTime


class DatasetList(Schema):
    items: list[DatasetOut]


class MappingDoc(Schema):
    """A mapping as YAML (what a user edits) and as data (what a form edits)."""

    yaml: str
    mapping: Mapping = Field(description="The mapping as data, every field filled in.")


class MappingOut(Schema):
    """The proposed mapping (with what was guessed and why) and the saved one, if any.
    ``effective`` is what validation and fits use: the saved mapping, else the proposal."""

    dataset_id: str
    proposed: MappingDoc | None
    notes: list[str]
    current: MappingDoc | None
    effective: MappingDoc | None


class MappingIn(Request):
    """A mapping, either as YAML text or as data (exactly one of the two)."""

    yaml: str | None = None
    # Open on purpose: a mapping given as data is checked by the service like one given as YAML
    # (a ``mapping`` problem naming the field, the same messages as ``mixwise validate``), and a
    # form may send a partial one; its shape is ``MappingDoc.mapping``.
    mapping: dict[str, Any] | None = Field(
        default=None, description="The mapping as data (the shape of MappingDoc.mapping)."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> MappingIn:
        if (self.yaml is None) == (self.mapping is None):
            raise ValueError("give exactly one of 'yaml' and 'mapping'")
        return self


class ValidationOut(Schema):
    """All findings of the data checks; ``ok`` is true when nothing blocks a fit."""

    dataset_id: str
    ok: bool
    n_errors: int
    n_warnings: int
    findings: list[FindingOut]


class EDAPeriod(Schema):
    """The span of the data and its totals."""

    start: str = Field(description="First date (ISO).")
    end: str = Field(description="Last date (ISO).")
    periods: int = Field(description="Number of periods.")
    frequency: str = Field(description="weekly or daily.")
    geos: int = Field(description="Number of geos (1 for national data).")
    kpi: str = Field(description="The KPI column.")
    kpi_type: str = Field(description="revenue or conversions.")
    kpi_total: float = Field(description="Sum of the KPI over every period and geo.")
    spend_total: float = Field(description="Sum of all channels' spend.")


class EDAChannel(Schema):
    """One channel's spend over the data (national totals)."""

    channel: str
    spend: float = Field(description="Total spend.")
    spend_share: float | None = Field(description="Share of all spend (null when none).")
    active_periods: int = Field(description="Periods with spend > 0.")
    active_share: float = Field(description="Share of periods with spend > 0.")
    mean_active_spend: float | None = Field(description="Mean spend of the active periods.")
    first_active: str | None = Field(description="First date with spend (ISO).")
    last_active: str | None = Field(description="Last date with spend (ISO).")


class Correlation(Schema):
    """Pearson correlations of the channels' spends and the KPI (national totals)."""

    labels: list[str] = Field(description="Channel names, then KPI.")
    matrix: list[list[float | None]] = Field(description="Rows and columns in label order.")


class KPISeries(Schema):
    dates: list[str]
    values: list[float | None] = Field(description="The KPI per date (national total).")


class SpendSeries(Schema):
    dates: list[str]
    channels: dict[str, list[float | None]] = Field(
        description="Channel name -> spend per date (national total)."
    )


class EDAOut(Schema):
    """Exploratory summary (the data of ``mixwise describe``)."""

    dataset_id: str
    period: EDAPeriod
    channels: list[EDAChannel]
    correlation: Correlation
    kpi: KPISeries
    spend: SpendSeries
    findings: list[FindingOut]


Cell = str | int | float | bool | None
"""A cell of an uploaded table as read (text for delimited files)."""


class PreviewOut(Schema):
    """Rows of the uploaded table as read (cells as text for delimited files)."""

    dataset_id: str
    columns: list[str]
    rows: list[dict[str, Cell]] = Field(description="One object per row: column -> cell.")
    offset: int
    limit: int
    n_rows: int
