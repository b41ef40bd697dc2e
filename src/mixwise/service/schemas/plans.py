"""Schemas of planning: simulate a plan, evaluate slider shares, optimize, efficiency frontier,
recommendations, and saved scenarios. Amounts are in the dataset's currency; ``periods`` are
periods of the data's frequency right after its last date."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, TypeAdapter, model_validator

from mixwise.service.schemas.common import (
    Interval,
    MeanInterval,
    Request,
    Schema,
    Sparse,
    UTCDateTime,
)

MAX_PERIODS = 520
"""The longest plan (10 years of weeks), for ``periods`` and ``spend`` lists alike."""
Periods = Field(
    default=None, ge=1, le=MAX_PERIODS, description="Plan length (default: 13 weeks / 90 days)."
)
Level = Field(default=None, gt=0, lt=1, description="Interval level (default: the model's).")
# The same values as plan.bounds.BoundUnit and plan.objectives.RiskKind (a test checks): not
# imported from there because importing mixwise.plan loads pandas and the planning stack (~2 s),
# which the API's schemas and the CLI's start-up do not need.
BoundUnit = Literal["amount", "share", "multiple"]
RiskKind = Literal["mean", "mean_sd", "quantile", "cvar"]


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
    treatments: dict[str, float] | None = Field(
        default=None,
        description="Non-media treatments (e.g. price) set to a level for every planned period; "
        "the KPI moves by each one's per-unit effect times the change from its recent level. "
        "Organic media cannot be planned (no spend).",
    )

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


class ShareMetric(Sparse):
    """One metric of the split: the original and proposed values and the per-draw change
    (proposed - original), each as mean and interval; ``normalized_*`` (the shares scaled to
    100%, and its change) only when the shares pass 100%."""

    original_mean: float | None
    original_lo: float | None
    original_hi: float | None
    proposed_mean: float | None
    proposed_lo: float | None
    proposed_hi: float | None
    normalized_mean: float | None = None
    normalized_lo: float | None = None
    normalized_hi: float | None = None
    delta_mean: float | None
    delta_lo: float | None
    delta_hi: float | None
    normalized_delta_mean: float | None = None
    normalized_delta_lo: float | None = None
    normalized_delta_hi: float | None = None


class ShareChannel(Schema):
    """One channel of the split: its spend in both plans and, per metric (``media_kpi``,
    ``roas`` or ``cpa``, ``mroas``), original / proposed values and the per-draw change."""

    channel: str
    original_spend: float
    proposed_spend: float
    media_kpi: ShareMetric
    roas: ShareMetric | None = None
    cpa: ShareMetric | None = None
    mroas: ShareMetric | None = None


class SharesOut(Schema):
    """Original vs proposed split per metric (``total_kpi``, ``media_kpi``, ``spend``, ``roas``
    ...), ``normalized_*`` when the shares pass 100% (see ``warnings``)."""

    model_id: str
    budget: float
    periods: int
    original_shares: dict[str, float]
    shares: dict[str, float]
    normalized_shares: dict[str, float] | None
    metrics: dict[str, ShareMetric] = Field(description="Metric name -> its values.")
    channels: list[ShareChannel] = Field(
        default_factory=list, description="Per-channel results of the split, with intervals."
    )
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
    bounds_unit: BoundUnit = "amount"
    locked: dict[str, float] | list[str] | None = None
    risk: RiskKind = "mean"
    risk_lambda: float = Field(default=1.0, ge=0)
    quantile: float = Field(default=0.1, gt=0, lt=1)
    flighting: dict[str, list[float]] | None = Flighting
    n_starts: int = Field(default=4, ge=1, le=16)
    seed: int = Field(default=0, ge=0)
    level: float | None = Level


class PlanOutcome(Sparse):
    """An allocation over the plan periods and what it is expected to bring."""

    allocation: dict[str, float] = Field(description="Channel -> total spend over the periods.")
    expected_kpi: MeanInterval = Field(description="Total KPI, baseline included.")
    expected_media_kpi: MeanInterval = Field(description="KPI from media.")
    expected_roas: MeanInterval | None = Field(default=None, description="Revenue KPIs.")
    expected_cpa: MeanInterval | None = Field(default=None, description="Conversion KPIs.")


class PlanDoc(PlanOutcome):
    """The ``plan.json`` document: the optimal allocation's outcome, the recent allocation's
    (``current``) over the same periods, and how the optimum was found."""

    current: PlanOutcome = Field(description="The recent allocation over the same periods.")
    format_version: int
    objective: str = Field(description="The objective optimized.")
    target: float | None = Field(description="The target of a target objective.")
    risk: str = Field(description="The risk measure, in words.")
    periods: int
    start: str = Field(description="First date of the plan (ISO).")
    budget: float = Field(description="Total spend of the optimal allocation.")
    interval_level: float
    kpi_change: MeanInterval = Field(description="Total KPI change vs current, per draw.")
    binding_constraints: list[str] = Field(description="Constraints that hold, in words.")
    notes: list[str]


class OptimalChannel(Schema):
    """One channel at the optimum against the recent allocation (spend over the periods)."""

    channel: str
    current: float | None
    optimal: float | None
    change: float | None = Field(description="optimal - current.")
    current_share: float | None
    optimal_share: float | None
    current_media_kpi: float | None = Field(description="Posterior mean.")
    optimal_media_kpi: float | None = Field(description="Posterior mean.")
    optimal_mroas: float | None = Field(description="Posterior-mean marginal ROAS.")


class OptimalMetric(Schema):
    """A plan metric: current and optimal posterior means and the per-draw change."""

    metric: str
    current_mean: float | None
    optimal_mean: float | None
    delta_mean: float | None
    delta_median: float | None
    delta_lo: float | None
    delta_hi: float | None
    p_better: float | None = Field(description="Share of draws where optimal > current.")


class OptimizeOut(Schema):
    """The optimum: ``plan`` is the ``plan.json`` document; ``channels`` one row per channel;
    ``metrics`` current vs optimal with the per-draw change."""

    model_id: str
    plan: PlanDoc
    channels: list[OptimalChannel]
    metrics: list[OptimalMetric]


class CellOptimizeIn(Request):
    """The optimizer per cell (each geo of a geo model): ``budget`` over all cells, bounds per
    cell and channel (amounts over the plan). The answer gives every cell's channel budgets with
    intervals. ``risk`` as in :class:`OptimizeIn`."""

    by: Literal["geo"] = "geo"
    budget: float = Field(gt=0, description="Total over all cells and the plan periods.")
    periods: int = Field(default=13, ge=1, le=MAX_PERIODS)
    bounds: dict[str, dict[str, BoundIn]] = Field(
        default_factory=dict, description="Cell -> channel -> min/max amount over the plan."
    )
    risk: RiskKind = "mean"
    risk_lambda: float = Field(default=1.0, ge=0)
    quantile: float = Field(default=0.1, gt=0, lt=1)
    n_starts: int = Field(default=4, ge=1, le=16)
    seed: int = Field(default=0, ge=0)
    level: float | None = Level


class CellAllocation(Schema):
    group: str
    cell: str
    channel: str
    recent: float = Field(description="Budget at the recent spend level.")
    budget: float
    bound: str = Field(description="'min' or 'max' where a bound binds, else ''.")
    kpi: Interval = Field(description="Media KPI of this cell and channel (with carry-over).")
    roas: Interval
    mroas: Interval


class CellTotal(Schema):
    group: str
    cell: str
    recent: float
    budget: float
    kpi: Interval
    uplift: Interval = Field(description="Media KPI minus that of the recent allocation.")


class CellOptimizeOut(Schema):
    model_id: str
    by: str
    periods: int
    risk: str
    groups: dict[str, float]
    converged: bool
    message: str
    cells: list[CellTotal]
    allocation: list[CellAllocation]


TimeObjective = Literal["kpi", "profit", "npv"]


class PeriodOptimizeIn(Request):
    """The optimizer in time: the spend of every period and channel within per-period bounds.
    ``kpi``: most (discounted) media KPI for exactly ``budget``; ``profit`` / ``npv``: most
    value x media - spend (discounted), spending at most ``budget`` if given."""

    objective: TimeObjective = "kpi"
    budget: float | None = Field(default=None, gt=0)
    periods: int = Field(default=13, ge=1, le=MAX_PERIODS)
    discount_rate: float = Field(default=0.0, ge=0, lt=1, description="Per period.")
    min_per_period: dict[str, float] = Field(default_factory=dict)
    max_per_period: dict[str, float] = Field(default_factory=dict)
    risk: RiskKind = "mean"
    risk_lambda: float = Field(default=1.0, ge=0)
    quantile: float = Field(default=0.1, gt=0, lt=1)
    level: float | None = Level


class PeriodSpend(Schema):
    period: str
    spend: dict[str, float]
    media: Interval = Field(description="Media KPI in the period (undiscounted).")
    baseline: Interval


class PeriodOptimizeOut(Schema):
    model_id: str
    objective: str
    risk: str
    discount_rate: float
    converged: bool
    message: str
    objective_value: float
    fixed_value: float = Field(description="The objective at the best fixed (even) pattern.")
    kpi: Interval = Field(description="The plan's (discounted) media KPI.")
    periods: list[PeriodSpend]


class FrontierIn(Request):
    periods: int = Field(default=13, ge=1, le=MAX_PERIODS)
    budgets: list[float] | None = Field(default=None, max_length=40)
    bounds: dict[str, BoundIn] = Field(default_factory=dict)
    bounds_unit: BoundUnit = "amount"
    locked: dict[str, float] | list[str] | None = None
    risk: RiskKind = "mean"
    flighting: dict[str, list[float]] | None = Flighting
    level: float | None = Level


class FrontierPoint(Schema):
    """The optimum at one budget: media KPI and ROAS (mean, median, interval), the
    spend-weighted marginal ROAS, and each channel's optimal amount under its own name."""

    # the channels' amounts sit beside the fixed fields, keyed by channel name
    model_config = ConfigDict(extra="allow", json_schema_extra={})
    __pydantic_extra__: dict[str, float | None] = Field(init=False)

    budget: float
    media_kpi_mean: float | None
    media_kpi_median: float | None
    media_kpi_lo: float | None
    media_kpi_hi: float | None
    roas_mean: float | None
    roas_median: float | None
    roas_lo: float | None
    roas_hi: float | None
    mroas: float | None


class FrontierOut(Schema):
    """Optimal media KPI, ROAS and mROAS per budget, with the allocation."""

    model_id: str
    points: list[FrontierPoint]


class ReallocationDetails(Schema):
    amount: float = Field(description="Spend moved over the periods.")
    periods: int
    shift: float = Field(description="Share of the source channel's budget moved.")
    probability_positive: float = Field(description="Share of draws where the move gains.")


class SaturationDetails(Schema):
    current_spend: float = Field(description="Recent spend per period.")
    saturation_spend: Interval = Field(description="Saturation point (spend per period).")
    headroom: Interval = Field(description="Saturation point - current spend.")
    mroas: Interval = Field(description="Marginal ROAS at the current spend.")
    threshold: float | None = Field(description="The mROAS (or value) threshold used.")


class _Recommendation(Schema):
    channels: list[str] = Field(description="Source and destination, or the one channel.")
    message: str
    estimate: Interval


class ReallocationOut(_Recommendation):
    """Move a share of one channel's budget to another (estimate: media KPI gained)."""

    kind: Literal["reallocate"]
    details: ReallocationDetails


class SaturationOut(_Recommendation):
    """``waste``: the channel's marginal ROAS is below the threshold (estimate: mROAS);
    ``saturation``: where its marginal ROAS falls below it (estimate: the spend per period)."""

    kind: Literal["waste", "saturation"]
    details: SaturationDetails


RecommendationOut = Annotated[ReallocationOut | SaturationOut, Field(discriminator="kind")]


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


class _Scenario(Schema):
    id: str
    model_id: str
    name: str
    allocation: dict[str, float] = Field(description="Channel -> spend over the plan.")
    periods: int
    created_at: UTCDateTime


class SimulateScenario(_Scenario):
    """A saved simulation: its request, its result when saved, and its plan."""

    kind: Literal["simulate"]
    request: SimulateIn
    result: SimulationOut


class SharesScenario(_Scenario):
    """Saved slider shares: the request, its result when saved, and its plan."""

    kind: Literal["shares"]
    request: SharesIn
    result: SharesOut


class OptimizeScenario(_Scenario):
    """A saved optimum: the request, its result when saved, and its plan."""

    kind: Literal["optimize"]
    request: OptimizeIn
    result: OptimizeOut


ScenarioOut = Annotated[
    SimulateScenario | SharesScenario | OptimizeScenario, Field(discriminator="kind")
]
"""A saved scenario (by ``kind``): its request, its result when saved, and its plan (spend
per period)."""
scenario_out: TypeAdapter[SimulateScenario | SharesScenario | OptimizeScenario] = TypeAdapter(
    ScenarioOut
)


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
