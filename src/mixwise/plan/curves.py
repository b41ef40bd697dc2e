"""Response curves, marginal-ROAS curves, saturation points and adstock profiles per channel.

Curves are *steady state*: spending ``s`` every period, once carry-over has built up, the
channel adds per period

    r(s) = coef * f(W s / scale)        (KPI units; W = sum of adstock weights, 1 if normalised)

and its marginal ROAS is ``mROAS(s) = value * dr/ds = value * coef * f'(W s / scale) * W /
scale``. The x axis runs from 0 to ``max_multiple`` times the recent spend per period (13
weeks / 90 days). This matches the fit summary's definition of the saturation point.

The *saturation point* is the spend per period above which mROAS stays below ``threshold``
(1.0 for revenue KPIs: the next currency unit returns less than it costs; user-set for
conversion KPIs, e.g. as ``1 / max marginal CPA``). It is solved per draw (bisection on the
decreasing part of the mROAS curve), so it has an interval; 0 means the channel never pays at
the margin. *Headroom* = saturation point - current spend per period (negative: past it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mixwise.model.catalogue import CURVE_PARAMS, SATURATIONS
from mixwise.plan.adapter import as_response_model
from mixwise.plan.errors import PlanError
from mixwise.plan.optimum import OptimizationResult
from mixwise.plan.protocols import Plannable
from mixwise.plan.response import FloatArray, ResponseModel
from mixwise.plan.summaries import DEFAULT_LEVEL, Estimate, summarize

type OptimalSpend = OptimizationResult | Mapping[str, float] | None
"""An optimum to mark on the curves: an optimization result or ``{channel: spend per period}``."""


def _steady(m: ResponseModel, spend: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Response and mROAS per period at steady spend ``spend`` ``(n, channel)`` or ``(draw, n,
    channel)``: both ``(draw, n, channel)``."""
    m.require_additive("the steady-state response curves")
    w_sum = m.adstock_weights.sum(axis=-1)  # (D, C)
    gain = w_sum / m.spend_scale
    x = spend * gain[:, None, :]
    f, g = m.saturate_value_grad(x)
    coef = m.coefficient[:, None, :]
    with np.errstate(invalid="ignore"):  # a zero coefficient times Hill's infinite slope at 0
        marginal = np.where(coef != 0, coef * g, 0.0)
    return coef * f, (m.value_per_kpi or 1.0) * marginal * gain[:, None, :]


def resolve_threshold(
    m: ResponseModel, threshold: float | None, max_marginal_cpa: float | None
) -> float | None:
    """The mROAS threshold: given, ``1 / max_marginal_cpa``, 1.0 when the KPI has a currency
    value, else None (conversion KPIs need one to define a saturation point)."""
    if threshold is not None and max_marginal_cpa is not None:
        raise PlanError("give either threshold or max_marginal_cpa, not both")
    if max_marginal_cpa is not None:
        if max_marginal_cpa <= 0:
            raise PlanError("max_marginal_cpa must be > 0")
        if m.value_per_kpi is not None and m.kpi_type == "conversions":
            return m.value_per_kpi / max_marginal_cpa
        return 1.0 / max_marginal_cpa
    if threshold is not None:
        if threshold <= 0:
            raise PlanError("the mROAS threshold must be > 0")
        return threshold
    return 1.0 if m.value_per_kpi is not None else None


def saturation_spend(m: ResponseModel, threshold: float) -> FloatArray:
    """``(draw, channel)`` steady spend per period where mROAS falls to ``threshold``."""
    w_sum = m.adstock_weights.sum(axis=-1)
    gain = w_sum / m.spend_scale
    peak = np.zeros_like(gain)
    for kind in set(m.saturation):
        peak_of = SATURATIONS[kind].marginal_peak
        if peak_of is not None:
            idx = [i for i, k in enumerate(m.saturation) if k == kind]
            x_peak = peak_of(**{p: m.saturation_params[p][:, idx] for p in CURVE_PARAMS[kind]})
            peak[:, idx] = x_peak / gain[:, idx]

    def marginal(spend: FloatArray) -> FloatArray:
        return _steady(m, spend[:, None, :])[1][:, 0, :]

    at_peak = marginal(peak)
    hi = np.maximum(peak * 2, m.spend_scale * 1e-3 / np.maximum(w_sum, 1e-12))
    for _ in range(80):
        grow = marginal(hi) >= threshold
        if not grow.any():
            break
        hi = np.where(grow, hi * 2, hi)
    lo = peak.copy()
    for _ in range(70):
        mid = 0.5 * (lo + hi)
        above = marginal(mid) >= threshold
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    return np.where(at_peak >= threshold, 0.5 * (lo + hi), 0.0)


@dataclass(frozen=True, eq=False)
class ResponseCurves:
    """Per-channel steady-state curves over draws, with markers (see the module docstring).

    ``spend``: ``(point, channel)`` spend per period; ``response`` and ``mroas``: ``(draw,
    point, channel)``; ``current``/``optimal``: ``(channel,)`` spend per period;
    ``saturation``: ``(draw, channel)`` saturation points (None without a threshold).
    """

    model: ResponseModel
    multiples: FloatArray
    spend: FloatArray
    response: FloatArray
    mroas: FloatArray
    current: FloatArray
    optimal: FloatArray | None
    threshold: float | None
    saturation: FloatArray | None
    level: float = DEFAULT_LEVEL

    def frame(self) -> pd.DataFrame:
        """Tidy curve points: channel, multiple, spend, kpi_{mean,median,lo,hi},
        mroas_{mean,median,lo,hi} (per period, steady state)."""
        parts = []
        for i, name in enumerate(self.model.channels):
            labels = [str(k) for k in range(self.multiples.size)]
            r = summarize(self.response[:, :, i], labels, self.level).add_prefix("kpi_")
            g = summarize(self.mroas[:, :, i], labels, self.level).add_prefix("mroas_")
            part = pd.concat([r, g], axis=1).reset_index(drop=True)
            part.insert(0, "spend", self.spend[:, i])
            part.insert(0, "multiple", self.multiples)
            part.insert(0, "channel", name)
            parts.append(part)
        return pd.concat(parts, ignore_index=True)

    def at(self, spend: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Response and mROAS ``(draw, 1, channel)`` at spend per period ``(channel,)``."""
        return _steady(self.model, spend[None, :])

    def markers(self) -> pd.DataFrame:
        """Per channel: current (and optimal) spend per period with response and mROAS
        (mean, lo, hi), the saturation point and the headroom before it (mean, lo, hi)."""
        rows: dict[str, dict[str, Any]] = {n: {} for n in self.model.channels}
        points = {"current": self.current}
        if self.optimal is not None:
            points["optimal"] = self.optimal
        for label, spend in points.items():
            resp, marg = self.at(spend)
            for i, name in enumerate(self.model.channels):
                rows[name][f"{label}_spend"] = float(spend[i])
                for key, d in (("kpi", resp), ("mroas", marg)):
                    e = Estimate.from_draws(d[:, 0, i], self.level)
                    rows[name] |= {
                        f"{label}_{key}_{k}": getattr(e, k) for k in ("mean", "lo", "hi")
                    }
        if self.saturation is not None:
            for i, name in enumerate(self.model.channels):
                sat = Estimate.from_draws(self.saturation[:, i], self.level)
                room = Estimate.from_draws(self.saturation[:, i] - self.current[i], self.level)
                rows[name] |= {f"saturation_{k}": getattr(sat, k) for k in ("mean", "lo", "hi")}
                rows[name] |= {f"headroom_{k}": getattr(room, k) for k in ("mean", "lo", "hi")}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("channel")


def _optimal_per_period(m: ResponseModel, optimal: OptimalSpend) -> FloatArray | None:
    if optimal is None:
        return None
    if hasattr(optimal, "allocation") and hasattr(optimal, "periods"):
        alloc = optimal.allocation.reindex(list(m.channels)).to_numpy(dtype=np.float64)
        return np.asarray(alloc / optimal.periods)
    if isinstance(optimal, Mapping):
        out = np.zeros(m.n_channels)
        out[m.channel_index(list(optimal))] = list(optimal.values())
        return out
    raise PlanError("optimal must be an OptimizationResult or {channel: spend per period}")


def response_curves(
    model: Plannable,
    max_multiple: float = 3.0,
    n_points: int = 61,
    *,
    optimal: OptimalSpend = None,
    threshold: float | None = None,
    max_marginal_cpa: float | None = None,
    level: float = DEFAULT_LEVEL,
) -> ResponseCurves:
    """Steady-state response and mROAS curves for every channel, 0 .. ``max_multiple`` x the
    recent spend per period, with intervals, current/optimal markers and saturation points.

    ``optimal``: an :class:`~mixwise.plan.OptimizationResult` or ``{channel: spend per
    period}``. ``threshold`` (mROAS) or ``max_marginal_cpa`` set the saturation threshold.
    """
    m = as_response_model(model)
    if max_multiple <= 0 or n_points < 2:
        raise PlanError("response curves need max_multiple > 0 and n_points >= 2")
    current = m.recent_spend()
    level_ref = np.where(current > 0, current, m.spend.mean(axis=0))
    level_ref = np.where(level_ref > 0, level_ref, max(float(m.spend.mean()), 1.0))
    multiples = np.linspace(0.0, max_multiple, n_points)
    spend = multiples[:, None] * level_ref[None, :]
    response, mroas = _steady(m, spend)
    thr = resolve_threshold(m, threshold, max_marginal_cpa)
    return ResponseCurves(
        model=m,
        multiples=multiples,
        spend=spend,
        response=response,
        mroas=mroas,
        current=current,
        optimal=_optimal_per_period(m, optimal),
        threshold=thr,
        saturation=None if thr is None else saturation_spend(m, thr),
        level=level,
    )


def adstock_profile(model: Plannable, level: float = DEFAULT_LEVEL) -> pd.DataFrame:
    """Per channel and lag: the share of the effect delivered at that lag (weights / sum;
    mean, lo, hi over draws), plus each channel's half-life (periods, mean, lo, hi)."""
    m = as_response_model(model)
    w = m.adstock_weights / m.adstock_weights.sum(axis=-1, keepdims=True)
    half = m.halflife()
    rows = []
    for i, name in enumerate(m.channels):
        s = summarize(w[:, i, :], [str(k) for k in range(m.l_max)], level)
        h = Estimate.from_draws(half[:, i], level)
        for lag in range(m.l_max):
            rows.append(
                {
                    "channel": name,
                    "lag": lag,
                    "weight_mean": s["mean"].iloc[lag],
                    "weight_lo": s["lo"].iloc[lag],
                    "weight_hi": s["hi"].iloc[lag],
                    "halflife_mean": h.mean,
                    "halflife_lo": h.lo,
                    "halflife_hi": h.hi,
                }
            )
    return pd.DataFrame(rows)
