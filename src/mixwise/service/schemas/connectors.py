"""Request and response documents of connectors and schedules. A connector's secrets are
write-only: ``ConnectorIn`` takes them, no response has a field for them."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from mixwise.service.schemas.common import Schema, UTCDateTime


class ConnectorIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")
    kind: str
    settings: dict[str, Any] = Field(default_factory=dict)
    secrets: dict[str, str] = Field(default_factory=dict, description="write-only; encrypted")
    lookback_days: int = Field(7, ge=0, le=90)
    replace: bool = False


class ConnectorOut(Schema):
    id: str
    name: str
    kind: str
    label: str
    settings: dict[str, Any]
    lookback_days: int
    last_day: date | None
    last_sync_at: UTCDateTime | None
    last_status: str | None
    last_error: str | None
    rows: int | None = None


class SyncOut(Schema):
    connector: str
    start: date | None
    end: date | None
    fetched_rows: int
    landed_rows: int
    findings: list[dict[str, Any]]


class ScheduleIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")
    cron: str = Field(description="daily, weekly, or a cron expression ('0 6 * * 1')")
    model_id: str | None = None


class ScheduleRunOut(Schema):
    id: str
    status: str
    step: str
    job_id: str | None
    previous_model_id: str | None
    new_model_id: str | None
    error: str | None
    summary: dict[str, Any]
    created_at: UTCDateTime
    finished_at: UTCDateTime | None
    log: list[str] = Field(default_factory=list)


class ScheduleOut(Schema):
    id: str
    name: str
    cron: str
    model_id: str | None
    enabled: bool
    next_run_at: UTCDateTime | None
    runs: list[ScheduleRunOut] = Field(default_factory=list)


class SourceKindOut(Schema):
    name: str
    label: str
    settings: list[str]
    secrets: list[str]
    """The names of the secrets it needs (never their values)."""
    client: str


class MappingProposalOut(Schema):
    mapping: str
    """YAML: one channel per platform, the KPI, ``source.format: fivetran_ad_reporting``."""
