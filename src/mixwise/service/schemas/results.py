"""Schemas of a fitted model's results: summary, contributions, decomposition, diagnostics,
response curves and adstock curves. Intervals are equal-tailed at the spec's ``interval``
(0.9 by default) unless a request says otherwise."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from mixwise.service.schemas.common import Interval, Schema
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
    periods: dict[str, Any]
    channels: dict[str, ChannelSummary]
    baseline: dict[str, Any]
    fit: dict[str, Any]
    lift_tests: list[LiftTestFit] = Field(default_factory=list)
    diagnostics: dict[str, Any]
    chosen_model: str | None = Field(default=None, description="Ridge fits: the chosen model.")
    pareto: ParetoSummary | None = None


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


class DecompositionItem(Schema):
    name: str
    kind: str  # "channel" or "baseline"
    total: Interval
    share: Interval


class DecompositionOut(Schema):
    """The KPI split into baseline components and channels: totals and shares with intervals,
    and the posterior mean per period of each part (stacked, they add up to the fit)."""

    model_id: str
    interval: float
    dates: list[str]
    items: list[DecompositionItem]
    series: dict[str, list[float | None]]


class DiagnosticsOut(Schema):
    """Convergence (R-hat, ESS, divergences, BFMI, a verdict in words), fit quality (R², MAPE,
    NRMSE in sample and on the holdout) and provenance (engine, versions, seed, timings)."""

    model_id: str
    approximate: bool
    converged: bool | None
    verdict: str
    convergence: dict[str, Any]
    fit: dict[str, Any]
    provenance: dict[str, Any]


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
