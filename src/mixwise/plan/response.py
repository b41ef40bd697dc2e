"""``ResponseModel``: everything planning needs from a fitted model, engine-independent.

Planning never touches an engine. Whatever estimated the model (PyMC-Marketing, Robyn, the
synthetic truth), planning reads the same thing: per posterior draw ``d`` and channel ``c``::

    a[d, t, c] = sum_l w[d, c, l] * spend[t - l, c] / spend_scale[c]        (adstock)
    contribution[d, t, c] = coefficient[d, c] * saturation_c(a[d, t, c])     (KPI units)
    kpi[d, t] = baseline[d, t] + sum_c contribution[d, t, c]

With channel synergy pairs (``synergy_pairs``, :mod:`mixwise.model.interactions`) each pair ``p =
(a, b)`` adds ``synergy[d, t, p] = synergy_coefficient[d, p] * s_a * s_b`` (``s`` the saturation
above), credited half to each of the two channels (:meth:`ResponseModel.media`). Simulation
reads it; the optimizer and the steady-state curves, which treat channels as separable, refuse
such a model (:meth:`ResponseModel.require_additive`).

Adstock weights are stored directly (``(draw, channel, lag)``, "After" convolution: spend acts
on the same and later periods), so any adstock kind works; the kind and its parameters are kept
only to report half-lives. Saturation kinds may differ per channel (the synthetic demo mixes
hill and logistic); each kind is evaluated once on its group of channels.

Vocabulary used throughout :mod:`mixwise.plan`:

- *recent* spend: the average spend per period over the last 13 weeks (weekly data) or 90 days
  (daily data), or the whole history when it is shorter (:meth:`ResponseModel.recent_spend`);
- *baseline continuation* (:meth:`ResponseModel.future_baseline`): seasonal naive with drift,
  see that method.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from mixwise.model.catalogue import ADSTOCKS, CURVE_PARAMS
from mixwise.model.transforms import median_lag
from mixwise.plan import kernels
from mixwise.plan.errors import PlanError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

RECENT_PERIODS = {"weekly": 13, "daily": 90}
"""Length of the 'recent' window in periods (13 weeks / 90 days)."""

SEASON_PERIODS = {"weekly": 52, "daily": 364}
"""One seasonal cycle in periods (364 days keeps the weekday pattern aligned)."""

SATURATION_BLOCK = 40_000
"""Values per block of draws when evaluating saturation (about 320 kB per temporary array)."""

SATURATION_PARAMS: dict[str, tuple[str, ...]] = CURVE_PARAMS
"""Parameters of each saturation kind, as :mod:`mixwise.model.transforms` names them."""


@dataclass(frozen=True, eq=False)
class ResponseModel:
    """Per-draw media response of a fitted (or known) model, plus the history it was fitted on.

    Attributes:
        channels: channel names, in the order of every ``channel`` axis.
        adstock_weights: ``(draw, channel, lag)`` kernel weights (zero-padded to one ``l_max``).
        saturation: saturation kind per channel (:mod:`mixwise.model.catalogue` names).
        saturation_params: parameter name -> ``(draw, channel)`` values (NaN where a channel's
            kind has no such parameter).
        coefficient: ``(draw, channel)`` effect at full saturation, in KPI units
            (``kpi_scale * beta`` for scaled engines).
        spend_scale: ``(channel,)`` divisor applied to spend before adstock.
        spend: ``(time, channel)`` historical spend per period (currency).
        dates: the historical periods (length ``time``).
        frequency: ``"weekly"`` or ``"daily"``.
        baseline: ``(draw, time)`` everything that is not media (intercept, trend, seasonality,
            controls, events) in KPI units.
        kpi_type: ``"revenue"`` or ``"conversions"``.
        revenue_per_conversion: currency per conversion, for ROAS/profit on conversion KPIs.
        adstock: adstock kind per channel (for half-lives), ``adstock_params`` like
            ``saturation_params``.
        kpi_name: the KPI's name for messages ("revenue", "conversions", a column name).
        source: provenance, e.g. ``"truth"`` or ``"bayesian"``.
        synergy_pairs: channel index pairs ``(a, b)`` with an interaction term (module doc).
        synergy_coefficient: ``(draw, pair)`` their coefficients in KPI units.
    """

    channels: tuple[str, ...]
    adstock_weights: FloatArray
    saturation: tuple[str, ...]
    saturation_params: Mapping[str, FloatArray]
    coefficient: FloatArray
    spend_scale: FloatArray
    spend: FloatArray
    dates: pd.DatetimeIndex
    frequency: Literal["weekly", "daily"]
    baseline: FloatArray
    kpi_type: Literal["revenue", "conversions"] = "revenue"
    revenue_per_conversion: float | None = None
    adstock: tuple[str, ...] = ()
    adstock_params: Mapping[str, FloatArray] = field(default_factory=dict)
    kpi_name: str = "KPI"
    source: str = ""
    synergy_pairs: tuple[tuple[int, int], ...] = ()
    synergy_coefficient: FloatArray | None = None

    def __post_init__(self) -> None:
        d, c = self.coefficient.shape
        problems = []
        if len(self.channels) != c or len(set(self.channels)) != c:
            problems.append(f"channels {self.channels} do not match coefficient {(d, c)}")
        if self.adstock_weights.shape[:2] != (d, c):
            problems.append(f"adstock_weights {self.adstock_weights.shape} != ({d}, {c}, lag)")
        if len(self.saturation) != c or any(k not in CURVE_PARAMS for k in self.saturation):
            problems.append(f"saturation kinds {self.saturation} (one known kind per channel)")
        if self.spend.ndim != 2 or self.spend.shape[1] != c or self.spend.shape[0] < 1:
            problems.append(f"spend {self.spend.shape} != (time, {c})")
        if self.baseline.shape != (d, self.spend.shape[0]):
            problems.append(f"baseline {self.baseline.shape} != ({d}, {self.spend.shape[0]})")
        if len(self.dates) != self.spend.shape[0]:
            problems.append("dates and spend differ in length")
        if self.spend_scale.shape != (c,) or np.any(self.spend_scale <= 0):
            problems.append("spend_scale must be positive, one per channel")
        if not np.all(np.isfinite(self.spend)) or np.any(self.spend < 0):
            problems.append("historical spend must be finite and >= 0")
        if self.kpi_type not in ("revenue", "conversions"):
            problems.append(f"kpi_type {self.kpi_type!r}")
        if self.synergy_pairs and (
            self.synergy_coefficient is None
            or self.synergy_coefficient.shape != (d, len(self.synergy_pairs))
        ):
            problems.append(f"synergy_coefficient must be (draw, pair) = ({d}, pairs)")
        if problems:
            raise PlanError(
                "The fitted model cannot be used for planning: " + "; ".join(problems),
                "The fit result is incomplete or inconsistent; refit or report a bug.",
            )

    # -- shape ----------------------------------------------------------------------------------
    @property
    def n_draws(self) -> int:
        return int(self.coefficient.shape[0])

    @property
    def n_channels(self) -> int:
        return len(self.channels)

    @property
    def l_max(self) -> int:
        return int(self.adstock_weights.shape[2])

    @property
    def n_periods(self) -> int:
        return int(self.spend.shape[0])

    @property
    def step(self) -> pd.Timedelta:
        """Length of one period (7 days or 1 day)."""
        return pd.Timedelta(days=7 if self.frequency == "weekly" else 1)

    @property
    def value_per_kpi(self) -> float | None:
        """Currency per KPI unit: 1 for revenue, ``revenue_per_conversion`` or None."""
        return 1.0 if self.kpi_type == "revenue" else self.revenue_per_conversion

    def channel_index(self, names: str | list[str]) -> IntArray:
        """Positions of channel names; unknown names raise :class:`PlanError`."""
        wanted = [names] if isinstance(names, str) else list(names)
        unknown = [n for n in wanted if n not in self.channels]
        if unknown:
            raise PlanError(
                f"unknown channel(s): {', '.join(map(repr, unknown))}",
                f"The model's channels are: {', '.join(self.channels)}.",
            )
        return np.array([self.channels.index(n) for n in wanted], dtype=np.intp)

    # -- history --------------------------------------------------------------------------------
    @property
    def recent_periods(self) -> int:
        """Periods in the 'recent' window: 13 (weekly) or 90 (daily), at most the history."""
        return min(RECENT_PERIODS[self.frequency], self.n_periods)

    def recent_spend(self) -> FloatArray:
        """``(channel,)`` average spend per period over the recent window."""
        return np.asarray(self.spend[-self.recent_periods :].mean(axis=0), dtype=np.float64)

    def future_dates(self, periods: int) -> pd.DatetimeIndex:
        """The ``periods`` dates right after the history."""
        return pd.date_range(
            self.dates[-1] + self.step, periods=periods, freq=self.step, name="period"
        )

    def future_baseline(self, periods: int) -> FloatArray:
        """``(draw, periods)`` baseline after the history: seasonal naive with drift.

        With ``P`` periods per season (52 weeks / 364 days) and at least two seasons of history,
        the baseline ``h = 1, 2, ...`` periods ahead is the value one season earlier plus the
        drift: ``b[T - P + (h - 1) % P] + g * P * ((h - 1) // P + 1)``, where the growth per
        period ``g = median_t (b[t] - b[t - P]) / P`` over the last season (the median keeps a
        one-off event out of the drift). With one to two seasons the drift is 0; with less
        than one season the baseline is flat at its recent mean. Controls and events thus
        repeat last season's pattern.
        """
        b, n = self.baseline, self.n_periods
        p = SEASON_PERIODS[self.frequency]
        h = np.arange(periods)
        if n < p:
            recent = b[:, -self.recent_periods :].mean(axis=1, keepdims=True)
            return np.repeat(recent, periods, axis=1)
        season = b[:, n - p + h % p]
        return np.asarray(season + self._growth[:, None] * p * (h // p + 1)[None, :])

    @cached_property
    def _growth(self) -> FloatArray:
        """``(draw,)`` baseline growth per period (see :meth:`future_baseline`)."""
        b, n, p = self.baseline, self.n_periods, SEASON_PERIODS[self.frequency]
        if n < 2 * p:
            return np.zeros(self.n_draws)
        return np.asarray(np.median(b[:, n - p :] - b[:, n - 2 * p : n - p], axis=1) / p)

    def baseline_at(self, start: int, periods: int) -> FloatArray:
        """``(draw, periods)`` baseline for positions ``start .. start + periods - 1`` counted
        from the first historical period (history where known, continuation after it)."""
        end = start + periods
        past = self.baseline[:, start : min(end, self.n_periods)]
        if end <= self.n_periods:
            return np.asarray(past, dtype=np.float64)
        ahead = self.future_baseline(end - self.n_periods)[:, max(0, start - self.n_periods) :]
        return np.concatenate([past, ahead], axis=1)

    # -- response -------------------------------------------------------------------------------
    @cached_property
    def _saturation_groups(self) -> list[tuple[str, IntArray | None, dict[str, FloatArray]]]:
        """``(kind, channel positions or None for all, params as (channel, draw))`` per kind."""
        kinds = list(dict.fromkeys(self.saturation))
        groups: list[tuple[str, IntArray | None, dict[str, FloatArray]]] = []
        for kind in kinds:
            idx = np.array([i for i, k in enumerate(self.saturation) if k == kind], dtype=np.intp)
            missing = [p for p in SATURATION_PARAMS[kind] if p not in self.saturation_params]
            if missing:
                raise PlanError(f"{kind} saturation needs parameter(s) {missing}")
            params = {
                p: np.ascontiguousarray(self.saturation_params[p].T[idx])
                for p in SATURATION_PARAMS[kind]
            }
            groups.append((kind, None if len(kinds) == 1 else idx, params))
        return groups

    def _apply(self, a: FloatArray, draws: IntArray | slice | None, grad: bool) -> list[FloatArray]:
        """Each channel's saturation (and derivative) on ``a`` ``(draw, ..., channel)``.

        Works channel-first (``a``'s channel axis moved to the front, a view) and in blocks of
        draws of about ``SATURATION_BLOCK`` values, so temporaries stay in cache: about twice
        as fast as one pass over everything."""
        acm = np.moveaxis(a, -1, 0)
        tail = (1,) * (a.ndim - 2)
        n_draws = acm.shape[1]
        per_draw = max(1, acm[0, 0].size * acm.shape[0])
        step = max(1, SATURATION_BLOCK // per_draw)
        outs = [np.empty(acm.shape) for _ in range(2 if grad else 1)]
        for kind, idx, params in self._saturation_groups:
            full = {k: v if draws is None else v[:, draws] for k, v in params.items()}
            for lo in range(0, n_draws, step):
                hi = min(lo + step, n_draws)
                p = {k: v[:, lo:hi].reshape(v.shape[0], hi - lo, *tail) for k, v in full.items()}
                x = acm[:, lo:hi] if idx is None else acm[idx, lo:hi]
                f, g = kernels.KERNELS[kind](x, p, grad)
                target = slice(None) if idx is None else idx
                outs[0][target, lo:hi] = f
                if g is not None:
                    outs[1][target, lo:hi] = g
        return [np.moveaxis(o, 0, -1) for o in outs]

    def saturate(self, a: FloatArray, draws: IntArray | slice | None = None) -> FloatArray:
        """Saturation of adstocked scaled spend ``a`` ``(draw, ..., channel)`` (unit-free).

        ``draws`` (indices or a slice) selects the draws ``a``'s rows belong to."""
        return self._apply(a, draws, grad=False)[0]

    def saturate_grad(self, a: FloatArray, draws: IntArray | slice | None = None) -> FloatArray:
        """``d saturation / d a`` at ``a`` (same shapes as :meth:`saturate`)."""
        return self._apply(a, draws, grad=True)[1]

    def saturate_value_grad(
        self, a: FloatArray, draws: IntArray | slice | None = None
    ) -> tuple[FloatArray, FloatArray]:
        """``(saturation(a), d saturation / d a)`` sharing the work."""
        f, g = self._apply(a, draws, grad=True)
        return f, g

    def media(self, f: FloatArray, draws: IntArray | slice | None = None) -> FloatArray:
        """Contributions ``(draw, ..., channel)`` from saturations ``f`` of the same shape:
        ``coefficient * f``, plus half of each synergy term to each of its two channels."""
        coef = self._coefficient(draws)
        out = f * coef.reshape(coef.shape[0], *(1,) * (f.ndim - 2), coef.shape[1])
        for (a, b), g in self._synergies(draws, f.ndim):
            half = 0.5 * g * f[..., a] * f[..., b]
            out[..., a] += half
            out[..., b] += half
        return out

    def slope(self, f: FloatArray, draws: IntArray | slice | None = None) -> FloatArray:
        """``d media_total / d f_c`` ``(draw, ..., channel)``: ``coefficient_c`` plus, per pair
        holding ``c``, its coefficient times the other channel's ``f``."""
        coef = self._coefficient(draws)
        out = np.broadcast_to(
            coef.reshape(coef.shape[0], *(1,) * (f.ndim - 2), coef.shape[1]), f.shape
        ).copy()
        for (a, b), g in self._synergies(draws, f.ndim):
            out[..., a] += g * f[..., b]
            out[..., b] += g * f[..., a]
        return out

    def _coefficient(self, draws: IntArray | slice | None) -> FloatArray:
        return self.coefficient if draws is None else self.coefficient[draws]

    def _synergies(
        self, draws: IntArray | slice | None, ndim: int
    ) -> list[tuple[tuple[int, int], FloatArray]]:
        if not self.synergy_pairs or self.synergy_coefficient is None:
            return []
        g = self.synergy_coefficient if draws is None else self.synergy_coefficient[draws]
        g = g.reshape(g.shape[0], *(1,) * (ndim - 2), g.shape[1])
        return [(pair, g[..., i]) for i, pair in enumerate(self.synergy_pairs)]

    def require_additive(self, what: str) -> None:
        """Raise :class:`PlanError` for a model with synergy terms: ``what`` treats channels
        as separable."""
        if self.synergy_pairs:
            pairs = ", ".join(
                f"{self.channels[a]} + {self.channels[b]}" for a, b in self.synergy_pairs
            )
            raise PlanError(
                f"{what} does not model channel synergy yet, and this model has synergy terms "
                f"({pairs}); it would misstate the response",
                "Use scenarios (simulate) for this model, or refit without interactions.",
            )

    def halflife(self) -> FloatArray:
        """``(draw, channel)`` half-life in periods.

        A kind with a closed form (the catalogue's ``half_life``; geometric: ``ln 0.5 / ln alpha``,
        the lag at which the weight halves) uses it. Other kinds: the median lag, the interpolated
        lag by which half of the kernel's weight is delivered (as in the fit summary)."""
        out = median_lag(self.adstock_weights)  # as the fit summary's half-life
        for i, name in enumerate(self.adstock):
            kind = ADSTOCKS.get(name)
            if kind and kind.half_life and all(p in self.adstock_params for p in kind.params):
                out[:, i] = kind.half_life(**{p: self.adstock_params[p][:, i] for p in kind.params})
        return out

    # -- draws ----------------------------------------------------------------------------------
    def take(self, draws: npt.ArrayLike) -> ResponseModel:
        """A model with only the given draw indices (e.g. to plan on 500 of 4,000 draws)."""
        idx = np.asarray(draws, dtype=np.intp)
        sub = {k: v[idx] for k, v in self.saturation_params.items()}
        ads = {k: v[idx] for k, v in self.adstock_params.items()}
        return replace(
            self,
            adstock_weights=self.adstock_weights[idx],
            saturation_params=sub,
            coefficient=self.coefficient[idx],
            baseline=self.baseline[idx],
            synergy_coefficient=None
            if self.synergy_coefficient is None
            else self.synergy_coefficient[idx],
            adstock_params=ads,
        )

    def thin(self, n_draws: int, seed: int = 0) -> ResponseModel:
        """At most ``n_draws`` draws, chosen at random without replacement (seeded)."""
        if n_draws >= self.n_draws:
            return self
        rng = np.random.default_rng(seed)
        return self.take(np.sort(rng.choice(self.n_draws, n_draws, replace=False)))
