"""Forward simulation of a spend plan over posterior draws.

A plan is spend per channel per period: a DataFrame indexed by period with one column per
channel. Periods are either future periods (dates right after the history, or a plain
0..H-1 index meaning "the next H periods") or a run of historical dates (a counterfactual
replay of the past). What a simulation reports, per draw:

- ``kpi[period] = baseline[period] + sum_c contribution[period, c]`` over the plan periods,
  where contributions include the carry-over of spend before the plan (actual history);
- the plan's *media KPI*: its incremental KPI, ``sum over the plan periods and the l_max - 1
  periods after them of contribution(plan) - contribution(no plan spend)``. It counts the
  carry-over of late spend and excludes what earlier spend carries into the plan;
- ``total_kpi = baseline + carry-in + media KPI`` (so ``total_kpi`` also covers the tail);
- ROAS = value x media KPI / spend, ROI = ROAS - 1, CPA = spend / media KPI (conversion KPIs),
  profit = value x media KPI - spend, mROAS = d(value x media KPI) / d spend when the whole
  plan is scaled up proportionally (per channel: that channel's plan scaled up).

``value`` is 1 for revenue KPIs and ``revenue_per_conversion`` for conversions (ROAS, ROI,
profit and mROAS are in conversions per currency unit when it is unknown, and named so).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import xarray as xr

from mixwise.plan.adapter import as_response_model
from mixwise.plan.errors import PlanError
from mixwise.plan.forward import (
    FloatArray,
    adstock_windows,
    forward_totals,
    history_windows,
    timeline,
    unique_windows,
    windows,
)
from mixwise.plan.protocols import Plannable
from mixwise.plan.response import ResponseModel
from mixwise.plan.summaries import DEFAULT_LEVEL, safe_ratio, summarize


def baseline_plan(model: Plannable, periods: int) -> pd.DataFrame:
    """The plan that repeats the recent average spend per period for ``periods`` periods.

    'Recent' is the last 13 weeks (weekly data) or 90 days (daily data)."""
    m = as_response_model(model)
    _check_periods(periods)
    return even_plan(m, dict(zip(m.channels, m.recent_spend() * periods, strict=True)), periods)


def even_plan(model: Plannable, allocation: dict[str, float], periods: int) -> pd.DataFrame:
    """Spread each channel's total ``allocation`` evenly over the next ``periods`` periods."""
    m = as_response_model(model)
    _check_periods(periods)
    idx = m.channel_index(list(allocation))
    values = np.zeros(m.n_channels)
    values[idx] = np.asarray(list(allocation.values()), dtype=np.float64) / periods
    return pd.DataFrame(
        np.tile(values, (periods, 1)), index=m.future_dates(periods), columns=list(m.channels)
    )


PlanFill = Literal["zero", "recent"]
"""How to fill channels a plan leaves out, when the user asks for it (never by default)."""


def complete_plan(model: Plannable, plan: pd.DataFrame, fill: PlanFill | None) -> pd.DataFrame:
    """``plan`` with the model's missing channels added as the user chose: ``"zero"`` (no
    spend) or ``"recent"`` (the recent average spend per period); with ``fill=None`` the plan
    is returned unchanged, and :func:`simulate` refuses it, naming the missing channels."""
    m = as_response_model(model)
    missing = [c for c in m.channels if c not in {str(k) for k in plan.columns}]
    if fill is None or not missing:
        return plan
    if fill not in ("zero", "recent"):
        raise PlanError(f"unknown fill {fill!r}", "Use 'zero' or 'recent'.")
    recent = dict(zip(m.channels, m.recent_spend(), strict=True))
    out = plan.copy()
    for c in missing:
        out[c] = 0.0 if fill == "zero" else float(recent[c])
    return out


def _check_periods(periods: int) -> None:
    if not isinstance(periods, int | np.integer) or periods < 1:
        raise PlanError(f"periods must be a whole number >= 1, got {periods!r}")


def resolve_plan(m: ResponseModel, plan: pd.DataFrame) -> tuple[FloatArray, int, pd.Index]:
    """Validate a plan; return ``(spend (H, channel), start position, period index)``."""
    if not isinstance(plan, pd.DataFrame) or plan.shape[0] == 0:
        raise PlanError(
            "a plan is a non-empty DataFrame: one row per period, one column per channel"
        )
    cols = [str(c) for c in plan.columns]
    unknown = [c for c in cols if c not in m.channels]
    missing = [c for c in m.channels if c not in cols]
    if unknown:
        raise PlanError(
            f"the plan names channel(s) the model does not have: {', '.join(unknown)}",
            f"Use the model's channels: {', '.join(m.channels)}.",
        )
    if missing:
        raise PlanError(
            f"the plan has no spend for channel(s) {', '.join(missing)}",
            "Add a column per missing channel (0 for no spend), or choose how to fill them: "
            "fill 'zero' (no spend) or 'recent' (the recent average spend per period).",
        )
    order = [cols.index(c) for c in m.channels]
    spend = plan.to_numpy(dtype=np.float64)[:, order]
    bad = ~np.isfinite(spend) | (spend < 0)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        label = plan.index[r]
        when = f" ({label:%Y-%m-%d})" if isinstance(label, pd.Timestamp) else ""
        raise PlanError(
            f"plan spend must be finite and >= 0; period {r + 1}{when}, channel "
            f"{m.channels[c]!r} has {float(spend[r, c])!r}"
        )
    return spend, _start(m, plan.index), plan.index


def _start(m: ResponseModel, index: pd.Index) -> int:
    if not isinstance(index, pd.DatetimeIndex):
        return m.n_periods
    expected = pd.date_range(index[0], periods=len(index), freq=m.step)
    if not np.array_equal(index.asi8, expected.asi8):
        raise PlanError(
            f"plan periods must be consecutive {m.frequency} periods",
            f"Index the plan by dates one {m.step.days} day(s) apart, or by 0..H-1.",
        )
    if index[0] > m.dates[-1]:
        if index[0] != m.dates[-1] + m.step:
            raise PlanError(
                f"a future plan must start right after the data: {m.dates[-1] + m.step:%Y-%m-%d}"
                f" (got {index[0]:%Y-%m-%d})",
                "Spend between the data and the plan is unknown; include those periods.",
            )
        return m.n_periods
    pos = m.dates.get_indexer(pd.DatetimeIndex([index[0]]))[0]
    if pos < 0:
        raise PlanError(f"plan start {index[0]:%Y-%m-%d} is not one of the data's periods")
    return int(pos)


@dataclass(frozen=True, eq=False)
class Simulation:
    """Draws of what a plan produces (see the module docstring for definitions).

    Arrays: ``kpi`` and ``baseline`` ``(draw, period)``; ``contributions`` ``(draw, period,
    channel)`` over the plan periods; ``media``, ``carryover_in`` and ``carryover_out``
    ``(draw, channel)``; ``spend`` ``(period, channel)``. Channel contributions are stored per
    distinct spend window (see :func:`~mixwise.plan.forward.unique_windows`) and expanded to
    periods on first access.
    """

    model: ResponseModel
    periods: pd.Index
    spend: FloatArray
    kpi: FloatArray
    baseline: FloatArray
    media: FloatArray
    carryover_in: FloatArray
    carryover_out: FloatArray
    start: int
    level: float
    _windows: FloatArray
    _n_unique: int
    _inverse: npt.NDArray[np.intp]

    @cached_property
    def _adstock(self) -> FloatArray:
        """``(draw, window, channel)`` adstock of the distinct plan windows, then history."""
        return adstock_windows(self._windows, self.model.adstock_weights)

    @cached_property
    def contributions(self) -> FloatArray:
        """``(draw, period, channel)`` channel contributions over the plan periods."""
        a_u = self._adstock[:, : self._n_unique]
        contrib_u = self.model.media(self.model.saturate(a_u))
        return np.asarray(contrib_u[:, self._inverse[: len(self.periods)]])

    @property
    def channels(self) -> tuple[str, ...]:
        return self.model.channels

    @property
    def spend_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.spend, index=self.periods, columns=list(self.channels))

    @property
    def value(self) -> float:
        """Currency per KPI unit used for ROAS (1 when unknown: ratios in KPI per currency)."""
        return self.model.value_per_kpi or 1.0

    @cached_property
    def _marginal(self) -> FloatArray:
        """``(draw, channel)`` d media KPI / d eps when the channel's plan is scaled by 1 + eps.

        Adstock is linear, so scaling the plan adds ``eps * a_plan`` to the adstock, with
        ``a_plan = a - a_hist``: ``d media / d eps = sum_t coef f'(a_t) a_plan_t``."""
        n_u, inv = self._n_unique, self._inverse
        a_u, a_hist = self._adstock[:, :n_u], self._adstock[:, n_u:]
        counts = np.bincount(inv, minlength=n_u).astype(np.float64)
        f_u, g_u = self.model.saturate_value_grad(a_u)
        grad_u = self.model.slope(f_u) * g_u
        total = (grad_u * a_u * counts[None, :, None]).sum(axis=1)
        total -= (grad_u[:, inv[: a_hist.shape[1]]] * a_hist).sum(axis=1)
        return np.asarray(total)

    @property
    def channel_mroas(self) -> FloatArray:
        """``(draw, channel)`` mROAS: value x d media KPI / d spend of the channel's plan."""
        return self.value * safe_ratio(self._marginal, self.spend.sum(axis=0))

    def metric_draws(self) -> dict[str, FloatArray]:
        """``(draw,)`` arrays of the plan's metrics: total_kpi, baseline_kpi, carryover_in,
        media_kpi, spend, and roas, roi, mroas, profit (value known) or cpa (conversions)."""
        spend_c = self.spend.sum(axis=0)
        total_spend = float(spend_c.sum())
        media = self.media.sum(axis=1)
        out = {
            "total_kpi": self.baseline.sum(axis=1) + self.carryover_in.sum(axis=1) + media,
            "baseline_kpi": self.baseline.sum(axis=1),
            "carryover_in": self.carryover_in.sum(axis=1),
            "media_kpi": media,
            "spend": np.full(media.shape, total_spend),
        }
        mroas = self.value * self._marginal.sum(axis=1) / total_spend if total_spend else None
        out |= _ratios(self.model, media, total_spend, mroas)
        return out

    def channel_draws(self) -> dict[str, FloatArray]:
        """``(draw, channel)`` arrays: spend, media_kpi, roas, roi, mroas, profit / cpa."""
        spend_c = self.spend.sum(axis=0)
        out = {"spend": np.broadcast_to(spend_c, self.media.shape), "media_kpi": self.media}
        return out | _ratios(self.model, self.media, spend_c, self.channel_mroas)

    def summary(self, level: float | None = None) -> pd.DataFrame:
        """Plan metrics (rows) x ``mean, median, lo, hi`` (columns)."""
        draws = self.metric_draws()
        return summarize(np.column_stack(list(draws.values())), list(draws), level or self.level)

    def channel_summary(self, level: float | None = None) -> pd.DataFrame:
        """Tidy per-channel metrics: columns channel, metric, mean, median, lo, hi."""
        parts = []
        for name, d in self.channel_draws().items():
            s = summarize(d, self.channels, level or self.level)
            parts.append(s.rename_axis("channel").reset_index().assign(metric=name))
        cols = ["channel", "metric", "mean", "median", "lo", "hi"]
        return pd.concat(parts, ignore_index=True)[cols]

    def kpi_by_period(self, level: float | None = None) -> pd.DataFrame:
        """KPI per plan period: ``mean, median, lo, hi`` indexed by period."""
        out = summarize(self.kpi, [str(p) for p in self.periods], level or self.level)
        return out.set_axis(self.periods)

    def to_xarray(self) -> xr.Dataset:
        """Draws with named dims ``draw``, ``period``, ``channel``."""
        dims3, dims2 = ("draw", "period", "channel"), ("draw", "channel")
        return xr.Dataset(
            {
                "kpi": (("draw", "period"), self.kpi),
                "baseline": (("draw", "period"), self.baseline),
                "contributions": (dims3, self.contributions),
                "media": (dims2, self.media),
                "carryover_in": (dims2, self.carryover_in),
                "carryover_out": (dims2, self.carryover_out),
                "spend": (("period", "channel"), self.spend),
            },
            coords={"period": self.periods, "channel": list(self.channels)},
        )


def _ratios(
    m: ResponseModel, media: FloatArray, spend: Any, mroas: FloatArray | None
) -> dict[str, FloatArray]:
    value = m.value_per_kpi
    nan = np.full(media.shape, np.nan)
    if value is None:  # conversions without a value: efficiency in conversions per currency
        return {
            "cpa": safe_ratio(np.broadcast_to(spend, media.shape) + 0.0, media),
            "conversions_per_spend": safe_ratio(media, spend),
            "marginal_conversions_per_spend": nan if mroas is None else mroas,
        }
    roas = safe_ratio(value * media, spend)
    out = {
        "roas": roas,
        "roi": roas - 1,
        "mroas": nan if mroas is None else mroas,
        "profit": value * media - spend,
    }
    if m.kpi_type == "conversions":
        out["cpa"] = safe_ratio(np.broadcast_to(spend, media.shape) + 0.0, media)
    return out


def simulate(
    model: Plannable,
    plan: pd.DataFrame,
    level: float = DEFAULT_LEVEL,
    baseline: npt.ArrayLike | None = None,
) -> Simulation:
    """Simulate ``plan`` over every draw of ``model`` (a FitResult or :class:`ResponseModel`).

    Carry-over from the ``l_max - 1`` periods of actual spend before the plan is included, the
    baseline is continued (:meth:`ResponseModel.future_baseline`) unless ``baseline`` gives it
    per period (``(period,)`` or ``(draw, period)``, KPI units: e.g. with controls at chosen
    values), and the plan's spend keeps acting ``l_max - 1`` periods after it ends
    (``carryover_out``, counted in the media KPI). Vectorised over draws; periods with the
    same spend window are computed once.
    """
    m = as_response_model(model)
    spend, start, index = resolve_plan(m, plan)
    horizon = spend.shape[0]
    x = timeline(m, spend, start)
    uniq, inverse, _ = unique_windows(windows(x, m.l_max))
    # the plan's distinct windows and the history-only windows (carry-in), in one pass
    both = np.concatenate([uniq, history_windows(x, m.l_max)])
    per_period, media, carried, tail = forward_totals(m, both, uniq.shape[0], inverse, horizon)
    base = m.baseline_at(start, horizon) if baseline is None else _baseline(m, baseline, horizon)
    return Simulation(
        model=m,
        periods=index,
        spend=spend,
        kpi=base + per_period,
        baseline=base,
        media=media,
        carryover_in=carried,
        carryover_out=tail,
        start=start,
        level=level,
        _windows=both,
        _n_unique=uniq.shape[0],
        _inverse=inverse,
    )


def _baseline(m: ResponseModel, values: npt.ArrayLike, horizon: int) -> FloatArray:
    b = np.asarray(values, dtype=np.float64)
    if b.shape not in ((horizon,), (m.n_draws, horizon)) or not np.all(np.isfinite(b)):
        raise PlanError(
            f"baseline must be finite with shape ({horizon},) or ({m.n_draws}, {horizon}), "
            f"got {b.shape}"
        )
    return np.asarray(np.broadcast_to(b, (m.n_draws, horizon)))
