"""Schemas of a fitted model's results: summary, contributions, decomposition, diagnostics,
response curves and adstock curves. Intervals are equal-tailed at the spec's ``interval``
(0.9 by default) unless a request says otherwise."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from mixwise.service.schemas.common import Interval, Schema, Sparse
from mixwise.service.schemas.pareto import ParetoSummary


class ChannelSummary(Schema):
    """What the model says about one channel over the whole history.

    ``roas`` = contribution / spend (KPI per currency unit), ``mroas`` the marginal ROAS at
    historical spend, ``cpa`` (conversion KPIs) = spend / contribution, ``half_life`` in
    periods, ``saturation_point`` (revenue KPIs) the steady spend per period above which mROAS
    falls below 1."""

    spend: float
    contribution: Interval
    share: Interval
    roas: Interval
    mroas: Interval
    cpa: Interval | None = None
    carryover_share: Interval
    half_life: Interval
    saturation_point: Interval | None = None


class LiftTestFit(Schema):
    """A calibration experiment next to the model: ``measured`` KPI change over the window
    (standard error ``sigma``), ``fitted`` the change the model predicts for the same spend
    change, ``z`` = (fitted mean - measured) / sigma; ``agrees`` when |z| <= 2."""

    channel: str
    geo: str | None = None
    start: str
    end: str
    spend_change: float
    measured: float
    sigma: float
    fitted: Interval
    z: float
    agrees: bool


class SummaryPeriods(Schema):
    """The periods the model saw: the last ``holdout`` of the ``n`` were not used to fit."""

    start: str = Field(description="First date (ISO).")
    end: str = Field(description="Last date (ISO), holdout included.")
    n: int = Field(description="Number of periods.")
    holdout: int = Field(description="Number of holdout periods at the end (0: none).")


class ComponentShare(Schema):
    share: Interval = Field(description="The component's share of the total observed KPI.")


class BaselineSummary(Schema):
    """What the KPI would be without media: its share of the total KPI, and per component
    (intercept, trend, seasonality, controls, events, holidays: those the model has)."""

    share: Interval = Field(description="Share of the total observed KPI.")
    components: dict[str, ComponentShare] = Field(description="Component name -> its share.")


class FitMetrics(Schema):
    """Posterior-mean fit against the observed KPI (null when undefined, e.g. no periods)."""

    r2: float | None = Field(description="1 - SSE/SST.")
    mape: float | None = Field(description="Mean absolute percentage error over non-zero KPI.")
    nrmse: float | None = Field(description="RMSE over the KPI's range (max - min).")


class FitQuality(Schema):
    in_sample: FitMetrics = Field(description="On the periods the model was fitted to.")
    holdout: FitMetrics | None = Field(description="On the holdout periods; null without one.")


class ConvergenceStats(Schema):
    """Sampler convergence (all null for approximate fits, which have none)."""

    rhat_max: float | None = Field(description="Largest R-hat (<= 1.01 to trust the fit).")
    ess_bulk_min: float | None = Field(description="Smallest bulk effective sample size.")
    ess_tail_min: float | None = Field(description="Smallest tail effective sample size.")
    divergences: int | None = Field(description="Number of divergent transitions.")
    bfmi_min: float | None = Field(description="Smallest Bayesian fraction of missing info.")


class SummaryDiagnostics(ConvergenceStats):
    approximate: bool = Field(description="True for quick-mode (ADVI) fits.")
    converged: bool | None = Field(description="Whether every threshold is met (null: unknown).")
    verdict: str = Field(description="The convergence verdict in words, with what to do.")


class ReviewCheck(Schema):
    """One check of the model reviewer: ``status`` ``pass`` / ``warn`` / ``fail``, a sentence
    on what to do, and the numbers it used (thresholds in docs/fitting.md)."""

    name: str = Field(description="The check, e.g. convergence, baseline, placebo.")
    status: Literal["pass", "warn", "fail"]
    message: str = Field(description="What was found and what to do.")
    numbers: dict[str, Any] = Field(default_factory=dict, description="What the check used.")


class ReviewSkipped(Schema):
    """A check this fit does not allow (no holdout, no lift tests, no priors ...), and why."""

    name: str
    reason: str


class Review(Schema):
    """The model reviewer's verdict: the worst status of its checks, in words."""

    verdict: Literal["pass", "warn", "fail"]
    message: str
    checks: list[ReviewCheck]
    skipped: list[ReviewSkipped] = Field(default_factory=list)


class ShrinkageOut(Schema):
    """How far the data moved a channel's ROAS from what its priors alone imply:
    ``contraction`` = 1 - posterior interval width / prior interval width (near 0: the prior
    decides), ``shift`` = (posterior median - prior median) / prior interval width."""

    contraction: float | None
    shift: float | None


class SynergySummary(Interval):
    """A channel pair's synergy term (spec ``interactions``): its share of the KPI (``mean``,
    ``median``, ``lo``, ``hi``), ``contribution`` in KPI units and ``lift`` = synergy /
    (contribution of A + contribution of B), the KPI the pair adds versus the two alone. There is
    evidence of synergy (or of cannibalisation) only where the interval excludes zero."""

    channels: list[str] = Field(description="The two channels, [A, B].")
    contribution: Interval
    lift: Interval


class TreatmentSummary(Schema):
    """An organic variable or non-media treatment on its own (bayesian): not a channel, no
    ROAS. ``per_unit``: KPI change per unit of the variable per period; ``share``: its
    contribution as a share of the total KPI."""

    role: Literal["organic", "non_media"]
    per_unit: Interval
    share: Interval


class MediaEffectiveness(Schema):
    """``time_varying_media`` fits: the media multiplier of the last fitted period, which plans
    use (the path per period is the run's ``effectiveness.json``)."""

    latest: Interval
    interval: float
    note: str


class BacktestPoint(Schema):
    """One unseen period: the actual KPI and the forecast (mean and interval)."""

    date: str
    actual: float
    forecast: Interval


class BacktestOut(Schema):
    """A model's forecast of periods it never saw, scored: ``mape`` (null when every actual is
    0), ``coverage`` (share of actuals inside the forecast's ``level`` interval), ``crps`` (KPI
    units, lower is better)."""

    periods: int
    mape: float | None
    coverage: float
    crps: float
    level: float = 0.9
    series: list[BacktestPoint] = Field(
        default_factory=list, description="Per unseen period: actual vs forecast with interval."
    )


class SummaryOut(Schema):
    """The fit summary (``summary.json`` of the run folder). ``interval_kind``: ``posterior``
    draws or ``bootstrap`` refits (the ridge engine, which adds ``pareto`` and
    ``chosen_model``)."""

    model_id: str
    kpi_type: str
    interval: float
    interval_kind: str = "posterior"
    approximate: bool
    n_draws: int
    periods: SummaryPeriods
    channels: dict[str, ChannelSummary] = Field(description="Channel name -> its summary.")
    baseline: BaselineSummary
    fit: FitQuality
    lift_tests: list[LiftTestFit] = Field(default_factory=list)
    interactions: dict[str, SynergySummary] = Field(
        default_factory=dict, description='Synergy pairs keyed "A + B" (empty: none in the spec).'
    )
    diagnostics: SummaryDiagnostics
    review: Review | None = Field(
        default=None, description="The model reviewer's verdict (null: fitted before it)."
    )
    prior_roas: dict[str, Interval] | None = Field(
        default=None, description="Per channel, the ROAS the priors alone imply (bayesian)."
    )
    prior_shrinkage: dict[str, ShrinkageOut] | None = Field(
        default=None, description="Per channel, prior-to-posterior contraction and shift."
    )
    treatments: dict[str, TreatmentSummary] | None = Field(
        default=None, description="Organic variables and non-media treatments, each on its own."
    )
    media_effectiveness: MediaEffectiveness | None = Field(
        default=None, description="time_varying_media: the latest effectiveness plans use."
    )
    chosen_model: str | None = Field(default=None, description="Ridge fits: the chosen model.")
    pareto: ParetoSummary | None = None
    backtest: BacktestOut | None = Field(
        default=None, description="Refreshed runs: the parent's forecast of the added periods."
    )


class Band(Schema):
    """A series over time: posterior mean and interval per period."""

    mean: list[float | None]
    lo: list[float | None]
    hi: list[float | None]


class ContributionsOut(Schema):
    """Per period: each channel's contribution, the baseline and the fit, with intervals;
    the observed KPI and the spend per channel."""

    model_id: str
    interval: float
    dates: list[str]
    holdout_start: str | None
    channels: dict[str, Band]
    baseline: Band
    fitted: Band
    observed: list[float | None]
    spend: dict[str, list[float | None]]
    synergies: dict[str, Band] = Field(
        default_factory=dict, description='Synergy pairs ("A + B") per period (spec interactions).'
    )


class DecompositionItem(Schema):
    """One part of the KPI over the window: its total and share; a channel also has the
    window's spend, its ROAS and (conversion KPIs) its CPA, each with an interval."""

    name: str
    kind: Literal["channel", "baseline", "synergy"] = Field(
        description="synergy: a channel pair's interaction term (spec interactions), named A + B."
    )
    total: Interval
    share: Interval
    spend: float | None = None
    roas: Interval | None = None
    cpa: Interval | None = None


class DecompositionOut(Schema):
    """The KPI split into baseline components and channels: totals and shares with intervals,
    and the posterior mean per period of each part (stacked, they add up to the fit)."""

    model_id: str
    interval: float
    dates: list[str]
    items: list[DecompositionItem]
    series: dict[str, list[float | None]]


class Provenance(Sparse):
    """How the result was made (the parts of ``provenance.json`` a reader needs); what an engine
    does not record is left out."""

    engine: str = Field(description="The engine that fitted the model.")
    versions: dict[str, str] | None = Field(
        default=None, description="Package name -> version used."
    )
    sampler: str | None = Field(default=None, description="nutpie, pymc or advi.")
    mode: str | None = Field(default=None, description="Sampler mode: full or quick.")
    seed: int | None = Field(default=None, description="The random seed used.")
    data_fingerprint: str | None = Field(default=None, description="Hash of the fitted data.")
    created_at: str | None = Field(default=None, description="When the fit finished (ISO).")
    timings: dict[str, float] | None = Field(
        default=None, description="Stage (build, compile, sample ...) -> seconds."
    )


class DiagnosticsOut(Schema):
    """Convergence (R-hat, ESS, divergences, BFMI, a verdict in words), fit quality (R², MAPE,
    NRMSE in sample and on the holdout) and provenance (engine, versions, seed, timings)."""

    model_id: str
    approximate: bool
    converged: bool | None
    verdict: str
    convergence: ConvergenceStats
    fit: FitQuality
    provenance: Provenance


class CurvePoint(Schema):
    multiple: float
    spend: float
    kpi: Interval
    mroas: Interval


class ChannelCurve(Schema):
    """Steady-state response per period and marginal ROAS against spend per period, with the
    current (and optimal) spend, the saturation point and the headroom before it."""

    channel: str
    points: list[CurvePoint]
    markers: dict[str, float | None]


class ResponseCurvesOut(Schema):
    model_id: str
    interval: float
    threshold: float | None
    channels: list[ChannelCurve]


class AdstockChannel(Schema):
    """Share of the effect delivered at each lag (mean, lo, hi) and the half-life (periods)."""

    channel: str
    lags: list[int]
    weight: Band
    half_life: Interval


class AdstockOut(Schema):
    model_id: str
    interval: float
    channels: list[AdstockChannel]


class TruthChannel(Schema):
    """One channel's estimate next to the value the synthetic data was generated with."""

    channel: str
    true_roas: float = Field(description="Total contribution / total spend in the generator.")
    roas: Interval
    true_half_life: float | None = Field(description="Periods until half the effect is delivered.")
    half_life: Interval
    true_share: float = Field(description="The channel's share of the total KPI.")
    share: Interval


class TruthOut(Schema):
    """Estimate vs truth per channel, for data with a known truth (the synthetic generator's)."""

    model_id: str
    known: bool = Field(description="False: the data is not synthetic data the server knows.")
    source: str | None = Field(description="Where the truth comes from (preset and seed).")
    reason: str | None = Field(description="Why there is no truth to compare with.")
    interval: float
    channels: list[TruthChannel]
