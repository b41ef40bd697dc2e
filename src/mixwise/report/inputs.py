"""Everything a report is built from: the saved run, its summary and the planning results.

Nothing in the report is computed outside this module's sources: the :class:`FitResult` and
``summary.json`` of the run, and :mod:`mixwise.plan` (optimizer, response curves, adstock
profile, efficiency frontier, recommendations) run on that result. The budget plan reallocates
the budget actually spent over the recent window (the last 13 weeks, or 90 days for daily data)
over the same number of future periods, unless a plan is passed in.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

import mixwise.plan as mp
from mixwise.errors import MixwiseError
from mixwise.model.result import FitResult, load_result

if TYPE_CHECKING:
    from mixwise.plan import OptimizationResult, Recommendation, ResponseCurves


@dataclass
class PlanOutputs:
    """Planning results for the report; parts that could not be computed are ``None`` and the
    reason is in ``problems`` (shown in the report, never hidden)."""

    periods: int
    budget: float
    given: bool = False
    optimum: OptimizationResult | None = None
    curves: ResponseCurves | None = None
    adstock: pd.DataFrame | None = None
    frontier: pd.DataFrame | None = None
    recommendations: list[Recommendation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class ReportInputs:
    run_dir: Path
    result: FitResult
    summary: dict[str, Any]
    interval: float
    plan: PlanOutputs
    pareto: dict[str, Any] | None = None
    """``pareto.json`` of a ridge run (the Pareto models, clusters, chosen model), else None."""

    @property
    def kpi_type(self) -> str:
        return self.result.kpi_type

    @property
    def is_revenue(self) -> bool:
        return self.result.kpi_type == "revenue"

    def budget_phrase(self) -> str:
        """What budget the plan spreads, in words (the recent spend, or the plan passed in)."""
        opt, per = self.plan.optimum, self.per
        if opt is None:
            return "no budget plan"
        amount = f"{opt.budget:,.0f}"
        if self.plan.given:
            return (
                f"the plan passed in: a budget of {amount} over the next {opt.periods} {per}s "
                f"(objective {opt.objective})"
            )
        return (
            f"the budget actually spent over the last {opt.periods} {per}s ({amount}), "
            f"spread over the next {opt.periods} {per}s"
        )

    @property
    def interval_kind(self) -> str:
        """What the draws are: ``"posterior"`` (bayesian engine) or ``"bootstrap"`` (ridge)."""
        return str(self.summary.get("interval_kind", "posterior"))

    @property
    def is_bootstrap(self) -> bool:
        return self.interval_kind == "bootstrap"

    @property
    def draws(self) -> str:
        """The draws in words, for captions: ``"posterior draws"`` or ``"bootstrap refits"``."""
        return "bootstrap refits" if self.is_bootstrap else "posterior draws"

    @property
    def mean_word(self) -> str:
        """What a point estimate is: ``"posterior mean"`` or ``"bootstrap mean"``."""
        return f"{self.interval_kind} mean"

    @property
    def per(self) -> str:
        """``"week"`` or ``"day"``."""
        return "day" if self.result.frequency == "daily" else "week"


def load_summary(run_dir: Path, result: FitResult, interval: float) -> dict[str, Any]:
    """``summary.json`` of the run when it was written at ``interval``, else recomputed."""
    path = run_dir / "summary.json"
    try:
        stored: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MixwiseError(f"cannot read {path}: {exc}", "Re-run `mixwise fit`.") from None
    if math.isclose(float(stored.get("interval", -1)), interval):
        return stored
    return result.summary_dict(interval)


def check_interval(interval: float) -> float:
    if not 0 < interval < 1:
        raise MixwiseError(
            f"interval must be between 0 and 1 (e.g. 0.9 for 90%), got {interval}",
            "Pass --interval 0.9 for 90% intervals.",
        )
    return float(interval)


def load_inputs(
    run_dir: str | Path, *, plan: OptimizationResult | None = None, interval: float = 0.9
) -> ReportInputs:
    """Load the run at ``run_dir`` and compute the planning results the report shows."""
    interval = check_interval(interval)
    path = Path(run_dir)
    result = load_result(path)
    summary = load_summary(path, result, interval)
    return ReportInputs(
        path, result, summary, interval, plan_outputs(result, plan, interval), load_pareto(path)
    )


def load_pareto(run_dir: Path) -> dict[str, Any] | None:
    """``pareto.json`` of a ridge run; None for runs without one (the bayesian engine)."""
    path = run_dir / "pareto.json"
    if not path.is_file():
        return None
    try:
        doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MixwiseError(f"cannot read {path}: {exc}", "Re-run `mixwise fit`.") from None
    return doc


def plan_outputs(
    result: FitResult, plan: OptimizationResult | None, interval: float
) -> PlanOutputs:
    """Optimum, curves, adstock profile, frontier and recommendations (see module docstring)."""
    try:
        model = mp.as_response_model(result)
    except MixwiseError as exc:
        out = PlanOutputs(periods=0, budget=float("nan"))
        out.problems.append(f"Budget planning is not available for this model: {exc.message}")
        return out
    periods = plan.periods if plan is not None else model.recent_periods
    budget = plan.budget if plan is not None else float(model.recent_spend().sum() * periods)
    out = PlanOutputs(periods=periods, budget=budget, given=plan is not None)
    out.optimum = (
        plan
        if plan is not None
        else _attempt(
            out,
            "the budget optimizer",
            lambda: mp.optimize(result, budget, periods, level=interval),
        )
    )
    out.curves = _attempt(
        out,
        "the response curves",
        lambda: mp.response_curves(result, optimal=out.optimum, level=interval),
    )
    out.adstock = _attempt(out, "the adstock profile", lambda: mp.adstock_profile(result, interval))
    out.frontier = _attempt(
        out,
        "the efficiency frontier",
        lambda: mp.efficiency_frontier(result, periods, level=interval),
    )
    recs = _attempt(
        out, "the recommendations", lambda: mp.recommendations(result, periods, level=interval)
    )
    out.recommendations = list(recs or [])
    return out


def _attempt(out: PlanOutputs, what: str, compute: Any) -> Any:
    """Run one planning step; a user-level failure becomes a stated problem, not a crash."""
    try:
        return compute()
    except MixwiseError as exc:
        out.problems.append(f"Could not compute {what}: {exc.message}")
        return None
