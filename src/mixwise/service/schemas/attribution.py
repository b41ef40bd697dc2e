"""Request and response documents of multi-touch attribution (the CLI's and the API's)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from mixwise.attribution.models import MODELS
from mixwise.attribution.paths import Target
from mixwise.service.schemas.common import FindingOut, Request, Schema


class AttributionOptions(Request):
    """Which models and how: time-decay half-life (days; touches without timestamps), the
    position-based first/last shares, what is attributed, the bootstrap, sequences' support."""

    models: list[str] = Field(default_factory=lambda: list(MODELS))
    half_life: float = Field(7.0, gt=0)
    first_share: float = Field(0.4, ge=0, le=1)
    last_share: float = Field(0.4, ge=0, le=1)
    target: Target = "conversions"
    replicates: int = Field(100, ge=10, le=2000, description="bootstrap replicates")
    interval: float = Field(0.9, gt=0, lt=1)
    seed: int = 0
    lookback_days: float | None = Field(None, gt=0)
    min_support: int = Field(100, ge=1, description="journeys on each side of a sequence")
    permutations: int = Field(200, ge=10, le=100_000, description="Shapley, above 12 channels")

    @model_validator(mode="after")
    def _shares(self) -> AttributionOptions:
        if self.first_share + self.last_share > 1:
            raise ValueError("first_share + last_share must be at most 1")
        return self


class AttributionIn(AttributionOptions):
    """``POST /attribution``: an uploaded journeys table, optional roles and channel renames
    (the YAML mapping's keys), and fitted models of the workspace to compare with."""

    dataset_id: str
    mapping: dict[str, Any] | None = None
    compare: list[str] = Field(default_factory=list, description="model ids")


class CreditOut(Schema):
    channel: str
    model: str
    credit: float | None
    share: float | None
    lo: float | None
    hi: float | None
    note: str = ""


class SequenceOut(Schema):
    first: str
    then: str
    journeys_first_then: float
    rate_first_then: float
    journeys_then_only: float
    rate_then_only: float
    difference: float
    lo: float
    hi: float
    lift: float | None


class AttributionOut(Schema):
    channels: list[str]
    models: list[str]
    compared: list[str]
    target: str
    rows: int
    journeys: float
    unique_paths: int
    total: float
    unattributed: float
    credits: list[CreditOut]
    sequences: list[SequenceOut]
    recommendations: list[str]
    notes: list[str]
    findings: list[FindingOut]
    mapping: str
