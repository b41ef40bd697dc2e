"""Each organic variable and non-media treatment on its own (summary.json ``treatments``).

They enter as prefixed regressors ``organic:<name>`` / ``non_media:<name>`` scaled by
``s = max |x|`` over the training window (:mod:`.design`), with coefficient ``gamma`` on the
scaled KPI, so per draw::

    contribution_t = kpi_scale * gamma * x_t / s      per_unit = kpi_scale * gamma / s

``per_unit`` is the KPI change per unit of the variable (per period; the mean over geos in geo
models) and ``share`` the variable's contribution over every period as a share of the total
KPI. Both are reported with the spec's interval; neither is a ROAS (no spend).

For planning (national models), :func:`planning_params` gives ``treatment_effect`` ``(draw,
treatment)`` (= per_unit) and ``treatment_level`` ``(treatment)``, the mean level over the last
:data:`RECENT` fitted periods: a scenario that sets a treatment to ``v`` moves the KPI of every
planned period by ``treatment_effect * (v - treatment_level)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import xarray as xr

from mixwise.engines.bayesian.design import Design
from mixwise.model.intervals import stats

ROLES = ("organic", "non_media")
RECENT = 13
"""Fitted periods whose mean level of a treatment is its current level in a scenario."""


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


def planning_params(det: xr.Dataset, design: Design, kpi_scale: xr.DataArray) -> xr.Dataset:
    """``treatment_effect (draw, treatment)`` and ``treatment_level (treatment)`` of the
    non-media treatments (module docstring); empty for geo models or without treatments."""
    labels = [c for c in design.regressors if c.startswith("non_media:")]
    if design.geos is not None or not labels or "gamma_control" not in det:
        return xr.Dataset()
    names = [c.partition(":")[2] for c in labels]
    scales = xr.DataArray([design.control_scale[c] for c in labels], dims="control")
    gamma = (
        det["gamma_control"].sel(control=labels) * kpi_scale / scales.assign_coords(control=labels)
    )
    effect = gamma.rename(control="treatment").assign_coords(treatment=names)
    train, _ = design.train()
    recent = train[labels].tail(RECENT).mean().to_numpy(float) * scales.values
    level = xr.DataArray(recent, dims="treatment", coords={"treatment": names})
    return xr.Dataset(
        {"treatment_effect": effect.transpose("draw", "treatment"), "treatment_level": level}
    )
