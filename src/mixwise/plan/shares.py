"""The dashboard's channel sliders: a budget split by shares, against the original split.

``evaluate_shares(model, budget, shares)`` simulates two plans over the same draws -- the
original allocation (the recent spend shares applied to ``budget``) and the given shares --
each spread evenly over ``periods``, and reports KPI, media KPI, ROAS, ROI, profit (revenue
KPIs) or CPA (conversion KPIs) for both, with the per-draw change and its interval.

Shares are fractions (0.25 = 25%). When they add up to more than 100% the plan as given spends
more than the budget: a :class:`SharesWarning` says so, and the result also holds the
normalised alternative (every share divided by their sum), which spends exactly the budget.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mixwise.plan.adapter import as_response_model
from mixwise.plan.compare import Comparison, compare
from mixwise.plan.errors import PlanError
from mixwise.plan.protocols import Plannable
from mixwise.plan.response import FloatArray, ResponseModel
from mixwise.plan.simulate import Simulation, even_plan, simulate
from mixwise.plan.summaries import DEFAULT_LEVEL, Estimate

METRICS = ("total_kpi", "media_kpi", "spend", "roas", "roi", "profit", "cpa", "mroas")
CHANNEL_METRICS = ("media_kpi", "roas", "cpa", "mroas")
"""Per-channel results of a split (Meridian's scenario planner): incremental KPI, ROAS (or CPA)
and marginal ROAS of each channel, original and proposed, with intervals."""


class SharesWarning(UserWarning):
    """Shares that do not add up to 100%."""


@dataclass(frozen=True, eq=False)
class ShareEvaluation:
    """Original vs proposed split of one budget (and the normalised proposal if needed)."""

    budget: float
    periods: int
    original_shares: pd.Series
    shares: pd.Series
    original: Simulation
    proposed: Simulation
    normalized_shares: pd.Series | None
    normalized: Simulation | None
    warnings: tuple[str, ...]
    level: float = DEFAULT_LEVEL

    @property
    def change(self) -> Comparison:
        """Proposed minus original, per draw."""
        return compare(self.original, self.proposed, level=self.level)

    def metrics(self) -> pd.DataFrame:
        """Rows: metrics. Columns: original/proposed ``mean, lo, hi`` and the per-draw
        ``delta`` (proposed - original) ``mean, lo, hi``; ``normalized_*`` when present."""
        sims = {"original": self.original, "proposed": self.proposed}
        if self.normalized is not None:
            sims["normalized"] = self.normalized
        draws = {k: s.metric_draws() for k, s in sims.items()}
        names = [m for m in METRICS if m in draws["original"]]
        rows = []
        for name in names:
            row: dict[str, Any] = {"metric": name}
            for label, d in draws.items():
                row |= _cols(label, Estimate.from_draws(d[name], self.level))
            for label in [k for k in draws if k != "original"]:
                delta = draws[label][name] - draws["original"][name]
                prefix = "delta" if label == "proposed" else "normalized_delta"
                row |= _cols(prefix, Estimate.from_draws(delta, self.level))
            rows.append(row)
        return pd.DataFrame(rows).set_index("metric")

    def channel_results(self) -> list[dict[str, Any]]:
        """Per channel: original and proposed spend, and for each of :data:`CHANNEL_METRICS`
        the model has, original / proposed ``mean, lo, hi`` and the per-draw change
        ``delta = proposed - original`` with its interval (the same draws for both); None for
        a metric the KPI has not (``cpa`` of revenue, ``roas`` of conversions)."""
        orig, prop = self.original.channel_draws(), self.proposed.channel_draws()
        spend_o, spend_p = self.original.spend.sum(axis=0), self.proposed.spend.sum(axis=0)
        out = []
        for c, name in enumerate(self.original.channels):
            row: dict[str, Any] = {
                "channel": name,
                "original_spend": float(spend_o[c]),
                "proposed_spend": float(spend_p[c]),
            }
            for metric in CHANNEL_METRICS:
                if metric not in orig:
                    row[metric] = None
                    continue
                o, p = orig[metric][:, c], prop[metric][:, c]
                row[metric] = (
                    _cols("original", Estimate.from_draws(o, self.level))
                    | _cols("proposed", Estimate.from_draws(p, self.level))
                    | _cols("delta", Estimate.from_draws(p - o, self.level))
                )
            out.append(row)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: budget, periods, shares, metrics (nested), per-channel results,
        warnings."""
        table = self.metrics()
        metrics = {
            str(name): {col: (None if pd.isna(v) else float(v)) for col, v in row.items()}
            for name, row in table.iterrows()
        }
        return {
            "budget": self.budget,
            "periods": self.periods,
            "original_shares": _series_dict(self.original_shares),
            "shares": _series_dict(self.shares),
            "normalized_shares": None
            if self.normalized_shares is None
            else _series_dict(self.normalized_shares),
            "metrics": metrics,
            "channels": self.channel_results(),
            "warnings": list(self.warnings),
            "interval_level": self.level,
        }


def _cols(prefix: str, e: Estimate) -> dict[str, float]:
    return {f"{prefix}_mean": e.mean, f"{prefix}_lo": e.lo, f"{prefix}_hi": e.hi}


def _series_dict(s: pd.Series) -> dict[str, float]:
    return {str(k): float(v) for k, v in s.items()}


def _parse_shares(m: ResponseModel, shares: Mapping[str, float]) -> FloatArray:
    values = np.zeros(m.n_channels)
    idx = m.channel_index(list(shares))
    missing = [c for c in m.channels if c not in shares]
    if missing:
        raise PlanError(
            f"shares are missing for {', '.join(missing)}",
            "Give a share for every channel (0 for none).",
        )
    values[idx] = np.asarray(list(shares.values()), dtype=np.float64)
    if np.any(~np.isfinite(values)) or np.any(values < 0):
        raise PlanError("shares must be finite and >= 0 (0.25 means 25%)")
    return values


def evaluate_shares(
    model: Plannable,
    budget: float | None,
    shares: Mapping[str, float],
    periods: int | None = None,
    level: float = DEFAULT_LEVEL,
) -> ShareEvaluation:
    """Evaluate a split of ``budget`` by ``shares`` against the original split (module doc).

    ``budget`` defaults to the recent spend over ``periods``; ``periods`` to the recent window
    (13 weeks / 90 days)."""
    m = as_response_model(model)
    periods = m.recent_periods if periods is None else periods
    recent = m.recent_spend() * periods
    total = float(recent.sum()) if budget is None else float(budget)
    if not np.isfinite(total) or total <= 0:
        raise PlanError(f"budget must be a positive amount, got {budget!r}")
    values = _parse_shares(m, shares)
    base = recent / recent.sum() if recent.sum() > 0 else np.full(m.n_channels, 1 / m.n_channels)
    names = list(m.channels)

    def run(share: FloatArray) -> Simulation:
        return simulate(
            m, even_plan(m, dict(zip(names, share * total, strict=True)), periods), level
        )

    notes: list[str] = []
    norm_shares, norm_sim = None, None
    s = float(values.sum())
    if s > 1 + 1e-9:
        norm = values / s
        msg = (
            f"The shares add up to {s:.1%}, more than 100%: as given, the plan spends "
            f"{s * total:,.0f} instead of the budget {total:,.0f}. Normalised (each share "
            f"divided by {s:.4g}) they spend exactly the budget: "
            + ", ".join(f"{n} {v:.1%}" for n, v in zip(names, norm, strict=True))
            + "."
        )
        if s >= 10:
            msg += " If these are percentages, divide them by 100."
        warnings.warn(msg, SharesWarning, stacklevel=2)
        notes.append(msg)
        norm_shares, norm_sim = pd.Series(norm, index=names), run(norm)
    elif s < 1 - 1e-9:
        notes.append(
            f"The shares add up to {s:.1%}: {(1 - s) * total:,.0f} of the budget stays unspent."
        )
    return ShareEvaluation(
        budget=total,
        periods=periods,
        original_shares=pd.Series(base, index=names),
        shares=pd.Series(values, index=names),
        original=run(base),
        proposed=run(values),
        normalized_shares=norm_shares,
        normalized=norm_sim,
        warnings=tuple(notes),
        level=level,
    )
