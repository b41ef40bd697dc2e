"""Schemas of planning: simulate a plan, evaluate slider shares, optimize, efficiency frontier,
recommendations, and saved scenarios. Amounts are in the dataset's currency; ``periods`` are
periods of the data's frequency right after its last date."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from mixwise.service.schemas.common import Interval, Request, Schema, UTCDateTime

MAX_PERIODS = 520
"""The longest plan (10 years of weeks), for ``periods`` and ``spend`` lists alike."""
Periods = Field(
    default=None, ge=1, le=MAX_PERIODS, description="Plan length (default: 13 weeks / 90 days)."
)
Level = Field(default=None, gt=0, lt=1, description="Interval level (default: the model's).")


class SimulateIn(Request):
    """A spend plan: ``allocation`` (total per channel, spread evenly over ``periods``) or
    ``spend`` (one amount per period per channel); neither: the recent average spend."""

    periods: int | None = Periods
    allocation: dict[str, float] | None = None
    spend: dict[str, list[float]] | None = None
    dates: list[date] | None = Field(
        default=None,
        description="The plan's consecutive period dates, one per ``spend`` amount (default: "
        "right after the data; dates inside the data replay history with this spend).",
    )
    fill: Literal["zero", "recent"] | None = Field(
        default=None,
        description="Channels ``spend`` leaves out: an error by default; 'zero' (no spend) or "
        "'recent' (the recent average spend per period) when chosen.",
    )
    level: float | None = Level

    @model_validator(mode="after")
    def _one_plan(self) -> SimulateIn:
        if self.allocation is not None and self.spend is not None:
            raise ValueError("give 'allocation' or 'spend', not both")
        if self.dates is not None and self.spend is None:
            raise ValueError("'dates' go with 'spend' (one date per period)")
        longest = max((len(v) for v in (self.spend or {}).values()), default=0)
        if longest > MAX_PERIODS:
            raise ValueError(
                f"'spend' lists have up to {longest} periods; a plan has at most {MAX_PERIODS}"
            )
        return self


class Delta(Schema):
    """A per-draw difference (plan minus reference) and the share of draws where it is > 0."""

    mean: float | None
    median: float | None = None
    lo: float | None
    hi: float | None
    p_better: float | None = None


class SimulationOut(Schema):
    """What a plan produces: totals over the plan (``total_kpi``, ``media_kpi``, ``spend``,
    ``roas``, ``roi``, ``mroas``, ``profit`` or ``cpa``), per channel, per period, and the
    per-draw change against the recent allocation (``vs_current``)."""

    model_id: str
    periods: int
    interval: float
    dates: list[str]
    allocation: dict[str, float]
    metrics: dict[str, Interval]
    channels: dict[str, dict[str, Interval]]
    kpi_by_period: list[Interval]
    current_allocation: dict[str, float]
    vs_current: dict[str, Delta]


class SharesIn(Request):
    """Slider shares (fractions: 0.25 = 25%) of ``budget`` over ``periods``."""

    shares: dict[str, float]
    budget: float | None = Field(default=None, gt=0, description="Default: recent spend.")
    periods: int | None = Periods
    level: float | None = Level


class SharesOut(Schema):
    """Original vs proposed split: per metric ``original_*``, ``proposed_*`` and per-draw
    ``delta_*`` (``mean, lo, hi``), ``normalized_*`` when the shares pass 100% (see
    ``warnings``)."""

    model_id: str
    budget: float
    periods: int
    original_shares: dict[str, float]
    shares: dict[str, float]
    normalized_shares: dict[str, float] | None
    metrics: dict[str, dict[str, float | None]]
    warnings: list[str]
    interval_level: float


class BoundIn(Request):
    min: float | None = Field(default=None, ge=0)
    max: float | None = Field(default=None, ge=0)


Objective = Literal["kpi", "profit", "roas_target", "cpa_target", "kpi_target"]
Flighting = Field(
    default=None,
    description="How each channel's budget is spread over the periods: per channel one weight "
    "per period (normalised to sum to 1; every channel needed); even when omitted.",
)


class OptimizeIn(Request):
    """The optimizer: ``kpi`` (most KPI for ``budget``), ``profit`` (at most ``budget``),
    ``roas_target`` / ``cpa_target`` (largest budget keeping ROAS >= / CPA <= ``target``),
    ``kpi_target`` (least spend reaching total KPI ``target``). Bounds per channel in
    ``bounds_unit`` (amounts, shares of the total, multiples of recent spend); ``locked``
    channels spend a fixed amount (or their recent level when only named); ``risk``: ``mean``,
    ``mean_sd`` (mean - risk_lambda x sd) or ``quantile`` (that lower quantile)."""

    objective: Objective = "kpi"
    budget: float | None = Field(default=None, gt=0)
    periods: int = Field(default=13, ge=1, le=MAX_PERIODS)
    target: float | None = None
    bounds: dict[str, BoundIn] = Field(default_factory=dict)
    bounds_unit: Literal["amount", "share", "multiple"] = "amount"
    locked: dict[str, float] | list[str] | None = None
    risk: Literal["mean", "mean_sd", "quantile"] = "mean"
    risk_lambda: float = Field(default=1.0, ge=0)
    quantile: float = Field(default=0.1, gt=0, lt=1)
    flighting: dict[str, list[float]] | None = Flighting
    n_starts: int = Field(default=4, ge=1, le=16)
    seed: int = Field(default=0, ge=0)
    level: float | None = Level


class OptimizeOut(Schema):
    """The optimum: ``plan`` is the ``plan.json`` document (``allocation``, ``expected_kpi``,
    ``current`` ..., binding constraints, notes); ``channels`` one row per channel (current,
    optimal, change, shares, media KPI, mROAS); ``metrics`` current vs optimal with the per-draw
    change."""

    model_id: str
    plan: dict[str, Any]
    channels: list[dict[str, Any]]
    metrics: list[dict[str, Any]]


class FrontierIn(Request):
    periods: int = Field(default=13, ge=1, le=MAX_PERIODS)
    budgets: list[float] | None = Field(default=None, max_length=40)
    bounds: dict[str, BoundIn] = Field(default_factory=dict)
    bounds_unit: Literal["amount", "share", "multiple"] = "amount"
    locked: dict[str, float] | list[str] | None = None
    risk: Literal["mean", "mean_sd", "quantile"] = "mean"
    flighting: dict[str, list[float]] | None = Flighting
    level: float | None = Level


class FrontierOut(Schema):
    """Optimal media KPI (mean, lo, hi), ROAS and mROAS per budget, with the allocation."""

    model_id: str
    points: list[dict[str, Any]]


class RecommendationOut(Schema):
    kind: str
    channels: list[str]
    message: str
    estimate: Interval
    details: dict[str, Any]


class RecommendationsOut(Schema):
    """Reallocation moves, waste flags and saturation points, each with its interval."""

    model_id: str
    items: list[RecommendationOut]


class ScenarioIn(Request):
    """Save a named scenario of a model: exactly one of ``simulate``, ``shares``, ``optimize``."""

    model_id: str
    name: str = Field(min_length=1, max_length=300)
    simulate: SimulateIn | None = None
    shares: SharesIn | None = None
    optimize: OptimizeIn | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> ScenarioIn:
        if sum(x is not None for x in (self.simulate, self.shares, self.optimize)) != 1:
            raise ValueError("give exactly one of 'simulate', 'shares' and 'optimize'")
        return self


class ScenarioOut(Schema):
    """A saved scenario: its request, its result when saved, and its plan (spend per period)."""

    id: str
    model_id: str
    name: str
    kind: str
    request: dict[str, Any]
    result: dict[str, Any]
    allocation: dict[str, float]
    periods: int
    created_at: UTCDateTime


class ScenarioList(Schema):
    items: list[ScenarioOut]


class CompareIn(Request):
    scenario_ids: list[str] = Field(min_length=2, max_length=10)
    level: float | None = Level


class ScenarioMetrics(Schema):
    id: str
    name: str
    model_id: str
    periods: int
    allocation: dict[str, float]
    metrics: dict[str, Interval]
    vs_first: dict[str, Delta] | None


class CompareOut(Schema):
    """Scenarios side by side, re-simulated now; ``vs_first`` is each one's per-draw change
    against the first scenario (same model only: different models share no draws)."""

    scenarios: list[ScenarioMetrics]
    notes: list[str]
