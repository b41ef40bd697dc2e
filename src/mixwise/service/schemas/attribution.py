"""Request and response documents of multi-touch attribution (the CLI's and the API's)."""

from __future__ import annotations

from typing import Any, Literal

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
    by: Literal["campaign", "creative"] | None = Field(
        None,
        description="also credit each campaign (or creative) within its channel: rule-based and "
        "Markov models, touchpoint events with that column",
    )

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
    """A channel's credit under a model (``lo``/``hi``: its interval) and its share of the
    model's channels (``share_lo``/``share_hi``); ``note`` says why a number is missing."""

    channel: str
    model: str
    credit: float | None
    share: float | None
    lo: float | None
    hi: float | None
    share_lo: float | None = None
    share_hi: float | None = None
    note: str = ""


class UnitCreditOut(Schema):
    """A campaign's (or creative's) credit within its channel (``by``)."""

    channel: str
    unit: str
    model: str
    credit: float
    share: float | None
    channel_share: float | None
    lo: float
    hi: float


class ComparedOut(Schema):
    """A compared MMM run: its name (the ``model`` of its credits), engine and engine label."""

    name: str
    engine: str
    engine_label: str


class LiftOut(Schema):
    """A channel's measured incremental ROAS from a run's lift tests (KPI per currency unit):
    the measured KPI change over the spend change, ``lo``/``hi`` from their standard errors."""

    run: str
    channel: str
    iroas: float
    lo: float
    hi: float
    tests: int


class DisagreementOut(Schema):
    """Model ``a`` gives ``channel`` ``ratio`` times the share model ``b`` gives it, intervals
    apart (``share_a``, ``share_b``: shares of the channels both measure)."""

    a: str
    b: str
    channel: str
    ratio: float
    share_a: float
    share_b: float
    sentence: str


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
    disagreements: list[DisagreementOut] = Field(default_factory=list)
    runs: list[ComparedOut] = Field(default_factory=list)
    lift: list[LiftOut] = Field(default_factory=list)
    by: str | None = None
    unit_credits: list[UnitCreditOut] = Field(default_factory=list)
    notes: list[str]
    findings: list[FindingOut]
    mapping: str
