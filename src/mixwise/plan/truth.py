"""A :class:`ResponseModel` from a synthetic dataset's known truth (for tests and benchmarks).

With ``n_draws = 1`` and ``jitter = 0`` the model is the truth itself, so simulating the
historical spend reproduces the truth's channel contributions exactly. With ``jitter > 0`` every
draw perturbs every parameter independently -- positive parameters multiplicatively
(``p * exp(jitter * z)``), adstock ``alpha`` on the logit scale -- which gives a stand-in
posterior with known centre for testing intervals and risk-adjusted optimisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from mixwise.model.catalogue import ADSTOCK_PARAMS, ADSTOCKS
from mixwise.model.catalogue import CURVE_PARAMS as SATURATION_PARAMS
from mixwise.plan.errors import PlanError
from mixwise.plan.response import FloatArray, ResponseModel

if TYPE_CHECKING:
    from mixwise.data.synthetic import SyntheticData


def _jittered(
    values: list[float], n_draws: int, jitter: float, rng: np.random.Generator, bounded: bool
) -> FloatArray:
    """``(draw, channel)`` copies of ``values`` (NaN kept), perturbed when ``jitter > 0``."""
    base = np.tile(np.asarray(values, dtype=np.float64), (n_draws, 1))
    if jitter <= 0:
        return base
    z = rng.standard_normal(base.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        if bounded:
            return np.asarray(expit(logit(np.clip(base, 1e-9, 1 - 1e-9)) + jitter * z))
        return base * np.exp(jitter * z)


def _param_table(
    kinds: Sequence[str],
    params: Sequence[dict[str, float]],
    table: dict[str, tuple[str, ...]],
    n_draws: int,
    jitter: float,
    rng: np.random.Generator,
    bounded: frozenset[str] = frozenset(),
) -> dict[str, FloatArray]:
    names = sorted({p for k in kinds for p in table[k]})
    out = {}
    for name in names:
        values = [p.get(name, np.nan) for p in params]
        out[name] = _jittered(values, n_draws, jitter, rng, name in bounded)
    return out


def response_model_from_truth(
    data: SyntheticData,
    n_draws: int = 1,
    jitter: float = 0.0,
    seed: int = 0,
    revenue_per_conversion: float | None = None,
) -> ResponseModel:
    """Build the model that generated ``data`` (a national ``SyntheticData``).

    Baseline: the sum of the truth's baseline components (intercept, trend, seasonality,
    events, controls), identical for every draw. Geo panels are not supported yet.
    """
    truth = data.truth
    if truth.geos is not None:
        raise PlanError(
            "planning on geo-level models is not supported yet",
            "Generate national data (no geos) or sum the geos before fitting.",
        )
    if n_draws < 1:
        raise ValueError("n_draws must be >= 1")
    rng = np.random.default_rng(seed)
    chans = list(truth.channels.values())
    ad_kinds = [c.adstock.kind for c in chans]
    ad_params = _param_table(
        ad_kinds,
        [c.adstock.params for c in chans],
        ADSTOCK_PARAMS,
        n_draws,
        jitter,
        rng,
        frozenset({"alpha"}),
    )
    l_max = max(c.adstock.l_max for c in chans)
    weights = np.zeros((n_draws, len(chans), l_max))
    for i, ch in enumerate(chans):
        p = {k: ad_params[k][:, i] for k in ADSTOCK_PARAMS[ch.adstock.kind]}
        w = ADSTOCKS[ch.adstock.kind].weights(
            **p, l_max=ch.adstock.l_max, normalize=ch.adstock.normalize
        )
        weights[:, i, : ch.adstock.l_max] = w
    sat_kinds = [c.saturation.kind for c in chans]
    sat_params = _param_table(
        sat_kinds, [c.saturation.params for c in chans], SATURATION_PARAMS, n_draws, jitter, rng
    )
    coef = _jittered([c.coefficient for c in chans], n_draws, jitter, rng, bounded=False)
    frame = data.frame
    spend = frame[[c.spend_column for c in chans]].to_numpy(dtype=np.float64)
    baseline = truth.baseline.sum(axis=1).to_numpy(dtype=np.float64)
    kpi = data.mapping.kpi
    return ResponseModel(
        channels=tuple(c.name for c in chans),
        adstock_weights=weights,
        saturation=tuple(sat_kinds),
        saturation_params=sat_params,
        coefficient=coef,
        spend_scale=np.array([float(c.spend_scale[0]) for c in chans]),
        spend=spend,
        dates=pd.DatetimeIndex(frame["date"], name="date"),
        frequency=data.config.frequency,
        baseline=np.broadcast_to(baseline, (n_draws, baseline.size)),
        kpi_type=kpi.type,
        revenue_per_conversion=revenue_per_conversion,
        adstock=tuple(ad_kinds),
        adstock_params=ad_params,
        kpi_name=kpi.column,
        source="truth" if jitter <= 0 else f"truth (jitter {jitter:g}, seed {seed})",
    )
