"""Schemas of workspaces, datasets, mappings, findings, EDA and previews."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

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
    mapping: dict[str, Any]


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
    mapping: dict[str, Any] | None = None

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


class EDAOut(Schema):
    """Exploratory summary (the data of ``mixwise describe``): ``period`` (first/last date,
    periods, frequency, geos), ``channels`` (spend, share, active periods ...), ``correlation``
    (labels + matrix), ``kpi`` (dates + values) and ``spend`` (dates + values per channel)."""

    dataset_id: str
    period: dict[str, Any]
    channels: list[dict[str, Any]]
    correlation: dict[str, Any]
    kpi: dict[str, Any]
    spend: dict[str, Any]
    findings: list[FindingOut]


class PreviewOut(Schema):
    """Rows of the uploaded table as read (cells as text for delimited files)."""

    dataset_id: str
    columns: list[str]
    rows: list[dict[str, Any]]
    offset: int
    limit: int
    n_rows: int
