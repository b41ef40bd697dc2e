"""Time-varying media effectiveness (``time_varying_media``): PyMC-Marketing multiplies every
channel's contribution by one latent multiplier per period (``m_t``, an HSGP through a
softplus, dims ``(date[, geo])``)::

    contribution[t, c] = kpi_scale * beta[c] * m_t * saturation(adstock(spend / spend_scale))

The fit's contributions carry ``m_t``. The stored parameters (what planning and the forward
model use) carry the multiplier of the last fitted period, ``beta'[c] = beta[c] * m_T``: plans
use the latest effectiveness. The multiplier's path, summarised per period, is the run's
``effectiveness`` document (``effectiveness.json``): ``periods`` (dates), ``mean``, ``lo``,
``hi`` at the spec's interval (for geo models, per draw the mean over geos), and ``latest``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.engines.bayesian.design import DATE
from mixwise.errors import SpecError
from mixwise.model.intervals import stats
from mixwise.model.spec import ModelSpec

MULTIPLIER = "media_temporal_latent_multiplier"
"""PyMC-Marketing's name of the latent media multiplier."""

NOT_A_MULTIPLIER = ("tanh",)
"""Saturation kinds whose coefficient also sits inside the curve (``b tanh(x / (b c))``), so
the latest multiplier cannot be folded into it."""


def check(spec: ModelSpec) -> None:
    """Refuse ``time_varying_media`` with a saturation kind it cannot be folded into."""
    if spec.time_varying_media and spec.saturation.kind in NOT_A_MULTIPLIER:
        raise SpecError(
            f"time_varying_media: not available with saturation.kind {spec.saturation.kind!r} "
            "(its coefficient is also inside the curve)",
            "Use saturation.kind logistic, hill or michaelis_menten, or set "
            "time_varying_media: false.",
        )


def apply(
    det: xr.Dataset, params: xr.Dataset, dates: pd.DatetimeIndex, interval: float
) -> tuple[xr.Dataset, dict[str, Any] | None]:
    """``params`` with ``beta`` times the last period's multiplier, and the effectiveness
    document (module docstring); unchanged and ``None`` without the multiplier."""
    if MULTIPLIER not in det:
        return params, None
    m = det[MULTIPLIER]
    m = m.rename({DATE: "time"}) if DATE in m.dims else m
    m = m.assign_coords(time=dates[: m.sizes["time"]])
    latest = m.isel(time=-1, drop=True)
    out = params.assign(beta=(params["beta"] * latest).transpose(*params["beta"].dims))
    path = m.mean([d for d in m.dims if d not in ("draw", "time")]).transpose("draw", "time")
    rows = [stats(path.values[:, i], interval) for i in range(path.sizes["time"])]
    doc: dict[str, Any] = {
        "interval": interval,
        "periods": [str(pd.Timestamp(t).date()) for t in path["time"].values],
        "mean": [r["mean"] for r in rows],
        "lo": [r["lo"] for r in rows],
        "hi": [r["hi"] for r in rows],
        "latest": stats(np.asarray(path.values[:, -1]), interval),
        "note": "planning uses the latest effectiveness (the multiplier of the last fitted "
        "period, folded into each channel's coefficient)",
    }
    return out, doc
