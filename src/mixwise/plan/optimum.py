"""``OptimizationResult``: the optimal allocation, its outcome against the recent allocation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mixwise.plan.compare import Comparison, compare
from mixwise.plan.objectives import FloatArray, Risk
from mixwise.plan.simulate import Simulation
from mixwise.plan.summaries import Estimate

PLAN_JSON_VERSION = 1


@dataclass(frozen=True, eq=False)
class OptimizationResult:
    """What :func:`~mixwise.plan.optimize` found.

    Attributes:
        allocation: channel -> total spend over the plan periods.
        plan: spend per period and channel (the allocation spread by the flighting pattern).
        optimal, current: simulations of the optimal plan and of the recent allocation
            (recent average spend per period) over the same periods, on all draws.
        binding: the constraints that hold with equality at the optimum, in words.
        notes: anything the user should know (target not binding, solver warnings).
        objective_value: the maximised risk-adjusted value (KPI, profit ...).
        gradient: ``(draw, channel)`` d media KPI / d channel budget at the optimum.
    """

    objective: str
    risk: Risk
    target: float | None
    periods: int
    allocation: pd.Series
    plan: pd.DataFrame
    optimal: Simulation
    current: Simulation
    binding: tuple[str, ...]
    notes: tuple[str, ...]
    objective_value: float
    gradient: FloatArray

    @property
    def budget(self) -> float:
        """Total spend of the optimal allocation."""
        return float(self.allocation.sum())

    @property
    def current_allocation(self) -> pd.Series:
        return pd.Series(
            self.current.spend.sum(axis=0), index=self.allocation.index, name="current"
        )

    @cached_property
    def comparison(self) -> Comparison:
        """Optimal minus current, per draw."""
        return compare(self.current, self.optimal)

    def expected(self, metric: str = "total_kpi") -> Estimate:
        """A metric of the optimal plan with its interval (``total_kpi``, ``media_kpi``,
        ``roas``, ``cpa``, ``profit`` ...)."""
        return Estimate.from_draws(self.optimal.metric_draws()[metric], self.optimal.level)

    def marginal_roas(self) -> pd.Series:
        """Posterior-mean mROAS per channel at the optimum: value x d media KPI / d budget.

        Channels strictly inside their bounds share one value when the objective is the mean
        (the optimality condition)."""
        value = self.optimal.value
        return pd.Series(value * self.gradient.mean(axis=0), index=self.allocation.index)

    def summary(self) -> pd.DataFrame:
        """Plan metrics: current and optimal means, and the per-draw change with interval."""
        return self.comparison.summary().rename(
            columns={"a_mean": "current_mean", "b_mean": "optimal_mean"}
        )

    def channels(self) -> pd.DataFrame:
        """Per channel: current and optimal spend, change, shares, media KPI, mROAS."""
        cur, opt = self.current_allocation, self.allocation
        media_opt = self.optimal.media.mean(axis=0)
        media_cur = self.current.media.mean(axis=0)
        total = max(opt.sum(), 1e-300)
        return pd.DataFrame(
            {
                "current": cur,
                "optimal": opt,
                "change": opt - cur,
                "current_share": cur / max(cur.sum(), 1e-300),
                "optimal_share": opt / total,
                "current_media_kpi": media_cur,
                "optimal_media_kpi": media_opt,
                "optimal_mroas": self.marginal_roas(),
            }
        )

    def to_plan_json(self) -> dict[str, Any]:
        """The ``plan.json`` document: ``allocation`` (channel -> amount over the periods),
        ``expected_kpi`` (``mean, lo, hi``: total KPI over the periods, baseline included),
        and ``current`` with the same two keys for the recent allocation; plus the media KPI,
        ROAS (revenue) or CPA (conversions), the per-draw change, binding constraints, notes."""
        opt, cur = self.optimal.metric_draws(), self.current.metric_draws()
        level = self.optimal.level

        def est(draws: FloatArray) -> dict[str, float]:
            e = Estimate.from_draws(draws, level)
            return {"mean": e.mean, "lo": e.lo, "hi": e.hi}

        def side(alloc: pd.Series, m: dict[str, FloatArray]) -> dict[str, Any]:
            out = {
                "allocation": {str(k): float(v) for k, v in alloc.items()},
                "expected_kpi": est(m["total_kpi"]),
                "expected_media_kpi": est(m["media_kpi"]),
            }
            for k in ("roas", "cpa"):
                if k in m:
                    out[f"expected_{k}"] = est(m[k])
            return out

        delta = self.comparison.delta_draws()
        doc = side(self.allocation, opt)
        doc["current"] = side(self.current_allocation, cur)
        doc |= {
            "format_version": PLAN_JSON_VERSION,
            "objective": self.objective,
            "target": self.target,
            "risk": self.risk.describe(),
            "periods": self.periods,
            "start": _iso(self.plan.index[0]),
            "budget": self.budget,
            "interval_level": level,
            "kpi_change": est(delta["total_kpi"]),
            "binding_constraints": list(self.binding),
            "notes": list(self.notes),
        }
        return doc

    def save_plan_json(self, path: str | Path) -> Path:
        """Write :meth:`to_plan_json` to ``path`` (pretty-printed)."""
        out = Path(path)
        out.write_text(json.dumps(self.to_plan_json(), indent=2, default=_json), encoding="utf-8")
        return out


def _iso(value: Any) -> Any:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else value


def _json(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return str(value)
