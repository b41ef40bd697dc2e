"""The known truth behind a synthetic dataset, and the forward model of one channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from mixwise.data.synthetic.config import AdstockTruth, SaturationTruth
from mixwise.model import transforms as tf
from mixwise.model.catalogue import ADSTOCKS, SATURATIONS

FloatArray = npt.NDArray[np.float64]


def unit_response(
    spend: npt.ArrayLike, scale: npt.ArrayLike, adstock: AdstockTruth, saturation: SaturationTruth
) -> tuple[FloatArray, FloatArray]:
    """``(a, f(a))``, ``a = adstock(spend / scale)``; spend ``(time, geo)``, scale ``(geo,)``."""
    x = np.asarray(spend, dtype=np.float64) / np.asarray(scale, dtype=np.float64)
    weights = ADSTOCKS[adstock.kind].weights(
        **adstock.params, l_max=adstock.l_max, normalize=adstock.normalize
    )
    a = tf.convolve(x, weights)
    return a, SATURATIONS[saturation.kind].function(a, **saturation.params)


@dataclass(frozen=True)
class ChannelTruth:
    """How one channel really works, and what it really did in the data.

    Forward model (per geo g; national data has one geo)::

        contribution[t, g] = beta[g] * saturation(adstock(spend[t, g] / spend_scale[g]))

    ``spend_scale[g]`` is the channel's maximum spend over time in geo g (PyMC-Marketing's
    MaxAbsScaler), held fixed for counterfactuals. ``coefficient`` is the shared beta;
    ``coefficient_by_geo = coefficient * population_share * exp(N(0, coefficient_sd))`` for geo
    data, ``[coefficient]`` otherwise. Totals are over the data window (carry-over past the last
    period is not counted, as in PyMC-Marketing).
    """

    name: str
    spend_column: str
    exposure_column: str | None
    adstock: AdstockTruth
    saturation: SaturationTruth
    coefficient: float
    coefficient_by_geo: FloatArray
    spend_scale: FloatArray
    contribution: pd.Series
    total_spend: float
    total_contribution: float
    roas: float
    mroas: float

    @property
    def cpa(self) -> float:
        """Spend per unit of incremental KPI: ``total_spend / total_contribution``."""
        return self.total_spend / self.total_contribution

    def response(self, spend: npt.ArrayLike) -> FloatArray:
        """Contribution of a spend plan ``(time, geo)`` (or ``(time,)`` for national data)."""
        s = np.asarray(spend, dtype=np.float64)
        flat = s.ndim == 1
        _, f = unit_response(
            s[:, None] if flat else s, self.spend_scale, self.adstock, self.saturation
        )
        out = f * self.coefficient_by_geo
        return out[:, 0] if flat else out

    def marginal_roas(self, spend: npt.ArrayLike) -> float:
        """mROAS of scaling the whole plan by ``(1 + eps)``, exactly (eps -> 0):

        ``d total / d eps / total_spend = sum_{t,g} beta_g f'(a) a / sum spend``, since adstock is
        linear so ``adstock((1 + eps) x) = (1 + eps) a``.
        """
        s = np.asarray(spend, dtype=np.float64)
        s2 = s[:, None] if s.ndim == 1 else s
        a, _ = unit_response(s2, self.spend_scale, self.adstock, self.saturation)
        grad = SATURATIONS[self.saturation.kind].gradient(a, **self.saturation.params)
        return float(np.sum(self.coefficient_by_geo * grad * a) / s2.sum())

    def params(self) -> dict[str, float]:
        """Flat parameters: ``adstock_<p>``, ``saturation_<p>``, ``coefficient``."""
        out = {f"adstock_{k}": v for k, v in self.adstock.params.items()}
        out |= {f"saturation_{k}": v for k, v in self.saturation.params.items()}
        out["coefficient"] = self.coefficient
        return out

    def summary(self) -> dict[str, Any]:
        """JSON-ready scalars (truth.json, truth_frame)."""
        w = ADSTOCKS[self.adstock.kind].weights(
            **self.adstock.params, l_max=self.adstock.l_max, normalize=self.adstock.normalize
        )
        closed = ADSTOCKS[self.adstock.kind].half_life
        halflife = float(closed(**self.adstock.params)) if closed else None
        return {
            "channel": self.name,
            "spend_column": self.spend_column,
            "exposure_column": self.exposure_column,
            "adstock": self.adstock.kind,
            "l_max": self.adstock.l_max,
            "normalize": self.adstock.normalize,
            "saturation": self.saturation.kind,
            **self.params(),
            "halflife": halflife,
            "mean_lag": float(tf.mean_lag(w)),
            "total_spend": self.total_spend,
            "total_contribution": self.total_contribution,
            "roas": self.roas,
            "mroas": self.mroas,
            "cpa": self.cpa,
            "coefficient_by_geo": self.coefficient_by_geo.tolist(),
            "spend_scale": self.spend_scale.tolist(),
        }


@dataclass(frozen=True)
class SyntheticTruth:
    """Everything that made the KPI, aligned with the frame's rows (same index and order).

    ``kpi = baseline.sum(axis=1) + contributions.sum(axis=1) + noise`` holds row by row, where
    ``baseline`` has columns intercept, trend, seasonality, events, controls and
    ``contributions`` one column per channel (KPI units). ``baseline_scale[g]`` multiplies the
    national baseline in geo g (``[1.0]`` for national data). ``event_lifts`` are KPI units and
    ``control_coefficients`` KPI units per control unit, both national (times baseline_scale).
    """

    channels: dict[str, ChannelTruth]
    baseline: pd.DataFrame
    contributions: pd.DataFrame
    noise: pd.Series
    noise_sd: FloatArray
    baseline_scale: FloatArray
    geos: list[str] | None
    population: dict[str, int] | None
    event_lifts: dict[str, float]
    control_coefficients: dict[str, float]
    control_centers: dict[str, float]
    synergies: pd.DataFrame | None = None
    """One column per planted synergy pair ("A + B"), KPI units (``kpi`` adds them)."""

    def national(self, frame_dates: pd.Series) -> pd.DataFrame:
        """Baseline components, channel contributions and noise per date, summed over geos."""
        parts = pd.concat([self.baseline, self.contributions, self.noise.rename("noise")], axis=1)
        out = parts.groupby(frame_dates.to_numpy(), sort=True).sum()
        out.index = pd.DatetimeIndex(out.index, name="date")
        return out
