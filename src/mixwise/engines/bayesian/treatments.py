"""Each organic variable and non-media treatment on its own (summary.json ``treatments``).

They enter as prefixed regressors ``organic:<name>`` / ``non_media:<name>`` scaled by
``s = max |x|`` over the training window (:mod:`.design`), with coefficient ``gamma`` on the
scaled KPI, so per draw::

    contribution_t = kpi_scale * gamma * x_t / s      per_unit = kpi_scale * gamma / s

``per_unit`` is the KPI change per unit of the variable (per period; the mean over geos in geo
models) and ``share`` the variable's contribution over every period as a share of the total
KPI. Both are reported with the spec's interval; neither is a ROAS (no spend).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from mixwise.engines.bayesian.design import Design
from mixwise.model.intervals import stats

ROLES = ("organic", "non_media")


def treatments(
    det: xr.Dataset, design: Design, kpi_scale: xr.DataArray, total_kpi: float, interval: float
) -> dict[str, Any]:
    """``{name: {role, per_unit, share}}`` of every organic / non-media regressor (module
    docstring); empty when there are none."""
    if "control_contribution" not in det:
        return {}
    out: dict[str, Any] = {}
    contrib = det["control_contribution"] * kpi_scale
    for label in map(str, contrib["control"].values):
        role, _, name = label.partition(":")
        if role not in ROLES:
            continue
        c = contrib.sel(control=label)
        total = c.sum([d for d in c.dims if d != "draw"]).values
        gamma = det["gamma_control"].sel(control=label) * kpi_scale / design.control_scale[label]
        per_unit = gamma.mean([d for d in gamma.dims if d != "draw"]).values
        out[name] = {
            "role": role,
            "per_unit": stats(np.asarray(per_unit), interval),
            "share": stats(np.asarray(total) / total_kpi, interval),
        }
    return out
