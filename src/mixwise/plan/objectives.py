"""The optimizer's forward model: media KPI of a budget allocation, with exact gradients.

Decision variables are channel budgets ``b_c`` (totals over the plan periods), spent in each
period with a fixed flighting pattern ``p[t, c]`` (``sum_t p[t, c] = 1``; even by default).
Adstock is linear, so the adstocked scaled spend of every draw is

    a[d, t, c] = h[d, t, c] + b_c * u[d, t, c]

with ``h`` the carry-over of actual spend before the plan and ``u`` the adstock of one currency
unit of budget spent with the pattern (both divided by ``spend_scale``). Both are computed once;
each evaluation is then elementwise. The plan's media KPI per draw (its incremental KPI over the
plan periods and the ``l_max - 1`` periods after them) and its gradient are

    M_d(b) = sum_{t,c} beta[d, c] f_c(a[d, t, c]) - sum_{t,c} beta[d, c] f_c(h[d, t, c])
    dM_d / db_c = sum_t beta[d, c] f_c'(a[d, t, c]) u[d, t, c]

(``beta`` in KPI units). Periods with identical ``(h, u)`` rows are computed once, weighted by
their count. A risk measure turns the draws into one number to maximise (:class:`Risk`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from mixwise.plan.errors import PlanError
from mixwise.plan.forward import adstock_windows, timeline, windows
from mixwise.plan.response import ResponseModel

FloatArray = npt.NDArray[np.float64]
RiskKind = Literal["mean", "mean_sd", "quantile", "cvar"]


@dataclass(frozen=True)
class Risk:
    """How draws of an outcome ``v_d`` become the number the optimizer maximises.

    - ``mean``: the posterior mean ``E[v]``;
    - ``mean_sd``: ``E[v] - lam * sd(v)`` (penalises uncertain plans);
    - ``quantile``: the ``q``-quantile of ``v`` (e.g. q = 0.1: "90% sure of at least");
    - ``cvar``: the conditional value at risk, the mean of the worst ``k = ceil(q n)`` draws
      (the expected outcome in the worst ``q`` of cases; smooth where the quantile jumps).
    """

    kind: RiskKind = "mean"
    lam: float = 1.0
    q: float = 0.1

    def __post_init__(self) -> None:
        if self.kind not in ("mean", "mean_sd", "quantile", "cvar"):
            raise PlanError(
                f"unknown risk {self.kind!r}", "Use 'mean', 'mean_sd', 'quantile' or 'cvar'."
            )
        if self.lam < 0 or not 0 < self.q < 1:
            raise PlanError("risk needs lam >= 0 and 0 < q < 1")

    def describe(self) -> str:
        if self.kind == "mean":
            return "posterior mean"
        if self.kind == "mean_sd":
            return f"mean - {self.lam:g} x sd"
        if self.kind == "cvar":
            return f"CVaR {self.q:.0%} (mean of the worst {self.q:.0%} of draws)"
        return f"{self.q:.0%} quantile"

    def _worst(self, v: FloatArray) -> npt.NDArray[np.intp]:
        """Indices of the ``ceil(q n)`` lowest draws (CVaR's tail)."""
        k = max(1, int(np.ceil(self.q * v.shape[0] - 1e-9)))
        return np.argpartition(v, k - 1)[:k]

    def value(self, v: FloatArray) -> float:
        """The risk-adjusted value of draws ``v`` ``(draw,)``."""
        if self.kind == "mean":
            return float(v.mean())
        if self.kind == "mean_sd":
            return float(v.mean() - self.lam * v.std())
        if self.kind == "cvar":
            return float(v[self._worst(v)].mean())
        return float(np.quantile(v, self.q))

    def value_grad(self, v: FloatArray, g: FloatArray) -> tuple[float, FloatArray]:
        """Value and gradient given per-draw values ``v`` and gradients ``g`` ``(draw, k)``.

        ``d sd = sum_d (v_d - mean) g_d / (n sd)``; the quantile's gradient is that of the
        (linearly interpolated) order statistics it is made of."""
        n = v.shape[0]
        if self.kind == "mean":
            return float(v.mean()), g.mean(axis=0)
        if self.kind == "mean_sd":
            mean, sd = v.mean(), v.std()
            dsd = (v - mean) @ g / (n * sd) if sd > 0 else np.zeros(g.shape[1])
            return float(mean - self.lam * sd), g.mean(axis=0) - self.lam * dsd
        if self.kind == "cvar":
            tail = self._worst(v)
            return float(v[tail].mean()), g[tail].mean(axis=0)
        pos = (n - 1) * self.q
        lo = int(np.floor(pos))
        hi = min(lo + 1, n - 1)
        order = np.argpartition(v, (lo, hi))
        frac = pos - lo
        val = (1 - frac) * v[order[lo]] + frac * v[order[hi]]
        return float(val), (1 - frac) * g[order[lo]] + frac * g[order[hi]]


def parse_risk(risk: str | Risk, lam: float = 1.0, q: float = 0.1) -> Risk:
    """``"mean"``, ``"mean_sd"`` (alias ``"mean-sd"``), ``"quantile"`` or a :class:`Risk`."""
    if isinstance(risk, Risk):
        return risk
    kind = str(risk).replace("-", "_").lower()
    return Risk(kind=kind, lam=lam, q=q)  # type: ignore[arg-type]


class AllocationProblem:
    """Media KPI of channel budgets for one model, plan window and flighting pattern.

    Args:
        model: the response model.
        periods: number of plan periods (the plan starts right after the data).
        pattern: ``(periods, channel)`` share of each channel's budget spent in each period
            (columns sum to 1); ``None`` spends evenly.
    """

    def __init__(
        self, model: ResponseModel, periods: int, pattern: FloatArray | None = None
    ) -> None:
        model.require_additive("budget optimization")
        self.model = model
        self.periods = periods
        c, start = model.n_channels, model.n_periods
        if pattern is None:
            pattern = np.full((periods, c), 1.0 / periods)
        if pattern.shape != (periods, c):
            raise PlanError(f"flighting pattern must be ({periods}, {c}), got {pattern.shape}")
        self.pattern = pattern
        hist = windows(timeline(model, np.zeros((periods, c)), start), model.l_max)
        unit = windows(timeline(model, pattern, start, history=False), model.l_max)
        both = np.concatenate([hist, unit], axis=1).reshape(hist.shape[0], -1)
        uniq, counts = np.unique(both, axis=0, return_counts=True)
        uniq = uniq.reshape(-1, 2 * c, model.l_max)
        # channel-first (channel, draw, row) storage: contiguous for the kernels and the sums
        self.carry = _channel_first(adstock_windows(uniq[:, :c], model.adstock_weights))
        self.unit = _channel_first(adstock_windows(uniq[:, c:], model.adstock_weights))
        self.weight = np.ascontiguousarray(
            model.coefficient.T[:, :, None] * counts[None, None, :].astype(np.float64)
        )
        f0 = _channel_first(model.saturate(self.carry.transpose(1, 2, 0)))
        self.const = (self.weight * f0).sum(axis=2).T  # (D, C)

    def _adstock(self, budget: FloatArray) -> FloatArray:
        """``(draw, row, channel)`` view of channel-first ``carry + b * unit``."""
        a = self.unit * np.asarray(budget, dtype=np.float64)[:, None, None]
        a += self.carry
        return a.transpose(1, 2, 0)

    def media(self, budget: FloatArray) -> FloatArray:
        """``(draw, channel)`` media KPI of each channel at budgets ``budget`` ``(channel,)``."""
        f = _channel_first(self.model.saturate(self._adstock(budget)))
        f *= self.weight
        return np.asarray(f.sum(axis=2).T - self.const)

    def media_grad(self, budget: FloatArray) -> tuple[FloatArray, FloatArray]:
        """``(media (draw, channel), d media / d budget (draw, channel))``.

        Channels are separable, so the Jacobian of the total is this ``(draw, channel)``
        array: entry ``[d, c] = dM_d / db_c``."""
        f, g = (_channel_first(v) for v in self.model.saturate_value_grad(self._adstock(budget)))
        f *= self.weight
        media = f.sum(axis=2).T - self.const
        g *= self.unit
        with np.errstate(invalid="ignore"):  # 0 weight x Hill's infinite slope at 0: nan -> 0
            g *= self.weight
        return np.asarray(media), np.nan_to_num(g.sum(axis=2).T, posinf=1e300)


def _channel_first(a: FloatArray) -> FloatArray:
    """``(draw, row, channel)`` -> contiguous ``(channel, draw, row)`` (a view when possible)."""
    return np.ascontiguousarray(a.transpose(2, 0, 1))
