"""Compare two plans draw by draw.

Both plans are simulated on the same draws, so the difference of any metric is computed per
draw (``b_d - a_d``) and then summarised. Its interval is the interval of the differences --
never the difference of the two intervals' ends, which would overstate (or understate) the
uncertainty because the two plans share their parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from mixwise.plan.errors import PlanError
from mixwise.plan.protocols import Plannable
from mixwise.plan.simulate import Simulation, simulate
from mixwise.plan.summaries import DEFAULT_LEVEL, Estimate, FloatArray, summarize


@dataclass(frozen=True, eq=False)
class Comparison:
    """Per-draw differences ``b - a`` of every plan metric and every channel metric."""

    a: Simulation
    b: Simulation
    level: float = DEFAULT_LEVEL

    def delta_draws(self) -> dict[str, FloatArray]:
        """``metric -> (draw,)`` differences ``b - a``."""
        ma, mb = self.a.metric_draws(), self.b.metric_draws()
        return {k: mb[k] - ma[k] for k in ma if k in mb}

    def channel_delta_draws(self) -> dict[str, FloatArray]:
        """``metric -> (draw, channel)`` differences ``b - a``."""
        ca, cb = self.a.channel_draws(), self.b.channel_draws()
        return {k: cb[k] - ca[k] for k in ca if k in cb}

    def delta(self, metric: str = "total_kpi") -> Estimate:
        """One metric's difference with its interval."""
        draws = self.delta_draws()
        if metric not in draws:
            raise PlanError(f"unknown metric {metric!r}", f"Known: {', '.join(draws)}.")
        return Estimate.from_draws(draws[metric], self.level)

    def probability_better(self, metric: str = "total_kpi") -> float:
        """Share of draws where plan ``b`` beats plan ``a`` on ``metric`` (higher is better)."""
        return float(np.mean(self.delta_draws()[metric] > 0))

    def summary(self) -> pd.DataFrame:
        """Rows: metrics. Columns: ``a_mean, b_mean, delta_mean, delta_median, delta_lo,
        delta_hi, p_better`` (p_better: share of draws with ``b > a``)."""
        draws = self.delta_draws()
        names = list(draws)
        sa, sb = self.a.summary(self.level), self.b.summary(self.level)
        d = summarize(np.column_stack([draws[k] for k in names]), names, self.level)
        out = pd.DataFrame(
            {"a_mean": sa.loc[names, "mean"], "b_mean": sb.loc[names, "mean"]}, index=names
        )
        out = out.join(d.add_prefix("delta_"))
        out["p_better"] = [float(np.mean(draws[k] > 0)) for k in names]
        return out

    def channel_summary(self) -> pd.DataFrame:
        """Tidy per-channel deltas: channel, metric, mean, median, lo, hi."""
        parts = []
        for name, d in self.channel_delta_draws().items():
            s = summarize(d, self.a.channels, self.level)
            parts.append(s.rename_axis("channel").reset_index().assign(metric=name))
        return pd.concat(parts, ignore_index=True)[
            ["channel", "metric", "mean", "median", "lo", "hi"]
        ]


def compare(
    a: Simulation | pd.DataFrame,
    b: Simulation | pd.DataFrame,
    *,
    model: Plannable | None = None,
    level: float = DEFAULT_LEVEL,
) -> Comparison:
    """Compare plan ``b`` against plan ``a`` (simulations, or plans plus ``model``)."""
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        if model is None:
            raise PlanError("comparing plans (DataFrames) needs the model: compare(a, b, model=m)")
        a = simulate(model, a, level) if isinstance(a, pd.DataFrame) else a
        b = simulate(model, b, level) if isinstance(b, pd.DataFrame) else b
    if a.model is not b.model and not _same_draws(a, b):
        raise PlanError(
            "the two simulations come from different models or draws",
            "Simulate both plans with the same fitted model to compare them draw by draw.",
        )
    return Comparison(a, b, level)


def _same_draws(a: Simulation, b: Simulation) -> bool:
    ma, mb = a.model, b.model
    return (
        ma.channels == mb.channels
        and ma.coefficient.shape == mb.coefficient.shape
        and bool(np.array_equal(ma.coefficient, mb.coefficient))
        and bool(np.array_equal(ma.adstock_weights, mb.adstock_weights))
    )
