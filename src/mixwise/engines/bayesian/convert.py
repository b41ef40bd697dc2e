"""From PyMC-Marketing's posterior to FitResult's common form.

1. ``thin`` (:mod:`mixwise.engines.draws`): a seeded random subset of at most ``max_draws``
   of the chains x draws.
2. Deterministics (contributions, ``mu``, baseline parts) are computed for the kept draws on the
   *evaluation* model: the training model itself, or, with a holdout, the same model built on
   every period with the training scales fixed (so held-out periods are true predictions).
3. Everything is multiplied by the target scale into KPI units and renamed to ``time``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pymc as pm
import xarray as xr

from mixwise.engines.bayesian.design import COMPONENT_PREFIXES, DATE, GEO, Design
from mixwise.engines.bayesian.functions import compute_deterministics
from mixwise.engines.bayesian.interaction import CONTRIBUTION as INTERACTION
from mixwise.engines.bayesian.trend import CONTRIBUTION as TREND
from mixwise.engines.draws import Thinned
from mixwise.model.catalogue import ADSTOCK_PARAMS, SATURATIONS
from mixwise.model.interactions import DIM as PAIR
from mixwise.model.interactions import GAMMA
from mixwise.model.spec import ModelSpec

DETERMINISTICS = (
    "channel_contribution",
    "mu",
    "intercept_contribution",
    TREND,
    "yearly_seasonality_contribution",
    "control_contribution",
    INTERACTION,
)
NOISE = "y_sigma"
"""PyMC-Marketing's likelihood standard deviation (target-scaled units)."""


def diagnosed(posterior: xr.Dataset, free: list[str], model: pm.Model) -> xr.Dataset:
    """What convergence diagnostics cover: the sampled variables, plus ``saturation_beta`` where
    it is computed from them (:mod:`.saturation`), since FitResult reports it."""
    out = posterior[free]
    if "saturation_beta" in model.named_vars and "saturation_beta" not in free:
        beta = compute_deterministics(out, model, ["saturation_beta"])
        out = out.assign(saturation_beta=beta["saturation_beta"])
    return out


def deterministics(thinned: Thinned, model: pm.Model) -> xr.Dataset:
    """The kept draws plus the deterministics of :data:`DETERMINISTICS` the model has."""
    have = {v.name for v in model.deterministics}
    wanted = [v for v in DETERMINISTICS if v in have]
    wanted += [v.name for v in model.deterministics if v.name.startswith("saturation_")]
    det = compute_deterministics(thinned.posterior, model, wanted, sample_dims=("draw",))
    return xr.merge([thinned.posterior, det], compat="override", join="outer")


def _to_time(da: xr.DataArray, dates: pd.DatetimeIndex) -> xr.DataArray:
    da = da.rename({DATE: "time"}) if DATE in da.dims else da
    return da.assign_coords(time=dates) if "time" in da.dims else da


def series(det: xr.Dataset, design: Design, kpi_scale: xr.DataArray) -> dict[str, xr.DataArray]:
    """contributions, baseline, fitted and (with synergy pairs) interactions, in KPI units, on
    ``time``."""
    dates = design.dates
    contrib = _to_time(det["channel_contribution"] * kpi_scale, dates)
    fitted = _to_time(det["mu"] * kpi_scale, dates)
    space = ("draw", "time", *design.dims)
    template = xr.zeros_like(fitted).transpose(*space)
    parts: dict[str, xr.DataArray] = {"intercept": det["intercept_contribution"] * kpi_scale}
    if TREND in det:
        parts["trend"] = det[TREND] * kpi_scale
    if "yearly_seasonality_contribution" in det:
        parts["seasonality"] = det["yearly_seasonality_contribution"] * kpi_scale
    if "control_contribution" in det:
        ctrl = det["control_contribution"] * kpi_scale
        labels = [str(c) for c in ctrl["control"].values]
        for prefix, component in COMPONENT_PREFIXES.items():
            cols = [c for c in labels if c.startswith(prefix)]
            if cols:
                parts[component] = ctrl.sel(control=cols).sum("control")
    components = [
        (template + _to_time(v, dates)).transpose(*space).assign_coords(component=k)
        for k, v in parts.items()
    ]
    baseline = xr.concat(components, dim="component", coords="minimal", compat="override")
    out = {
        "contributions": contrib.transpose(*space, "channel"),
        "baseline": baseline.transpose(*space, "component"),
        "fitted": fitted.transpose(*space),
    }
    if INTERACTION in det:
        out["interactions"] = _to_time(det[INTERACTION] * kpi_scale, dates).transpose(*space, PAIR)
    return out


def params_dataset(
    det: xr.Dataset,
    spec: ModelSpec,
    channel_scale: xr.DataArray,
    kpi_scale: xr.DataArray,
    thinned: Thinned | None,
    geos: list[str] | None,
) -> xr.Dataset:
    """Media parameters ``(draw, channel[, geo])`` plus scales and the kinds in attrs, and
    ``noise_sd`` ``(draw[, geo])``, the likelihood's standard deviation in KPI units, where
    ``det`` has it (``y_sigma``), and ``interaction_gamma (draw, interaction)`` with synergy
    pairs. ``thinned`` None: prior draws (no chains to record)."""
    adstock, saturation = spec.adstock.kind, spec.saturation.kind
    coef, shape_names = SATURATIONS[saturation].coefficient, SATURATIONS[saturation].shape
    names = {f"adstock_{p}": f"adstock_{p}" for p in ADSTOCK_PARAMS[adstock]}
    names.update({f"saturation_{p}": f"saturation_{p}" for p in shape_names})
    names["beta"] = f"saturation_{coef}"
    channel = channel_scale["channel"]
    dims: tuple[str, ...] = ("draw", "channel")
    template = xr.zeros_like(det["draw"], dtype=float) * xr.zeros_like(channel, dtype=float)
    if geos is not None:
        template = template * xr.DataArray(np.zeros(len(geos)), dims=(GEO,), coords={GEO: geos})
        dims = (*dims, GEO)
    data = {k: (template + det[v]).transpose(*dims) for k, v in names.items()}
    data["spend_scale"] = (template.isel(draw=0, drop=True) + channel_scale).transpose(*dims[1:])
    data["kpi_scale"] = kpi_scale + (template.isel(draw=0, channel=0, drop=True))
    if NOISE in det:
        noise = det[NOISE] * kpi_scale
        data["noise_sd"] = noise.transpose("draw", *[d for d in noise.dims if d != "draw"])
    ds = xr.Dataset(data)
    if GAMMA in det:
        pairs = list(spec.interactions)
        gamma = det[GAMMA].transpose("draw", PAIR)
        ds[GAMMA] = gamma.assign_coords(
            interaction_a=(PAIR, [a for a, _ in pairs]), interaction_b=(PAIR, [b for _, b in pairs])
        )
    if thinned is not None:
        ds = ds.assign_coords(
            chain=("draw", thinned.chain.astype(np.int64)),
            chain_draw=("draw", thinned.chain_draw.astype(np.int64)),
        )
    ds.attrs = {
        "adstock": adstock,
        "saturation": saturation,
        "l_max": int(spec.adstock.l_max or 0),
        "normalize": int(spec.adstock.normalize),
        "adstock_mode": "After",
        "adstock_first": 1,
        "adstock_params": ",".join(ADSTOCK_PARAMS[adstock]),
        "saturation_params": ",".join(shape_names),
        "coefficient": f"saturation_{coef}",
        "formula": ("contribution = kpi_scale * beta * saturation(adstock(spend / spend_scale))"),
    }
    return ds


def observed_and_spend(design: Design) -> tuple[xr.DataArray, xr.DataArray]:
    """The KPI ``(time[, geo])`` and spend ``(time[, geo], channel)`` of every period."""
    index = [DATE, *design.dims]
    frame = design.frame.set_index(index)
    y = pd.Series(design.y.to_numpy(), index=frame.index, name="observed")
    observed = xr.DataArray.from_series(y).rename({DATE: "time"})
    spend = xr.Dataset.from_dataframe(frame[design.channels]).to_dataarray("channel")
    spend = spend.rename({DATE: "time"}).transpose("time", *design.dims, "channel")
    return observed.transpose("time", *design.dims), spend.astype(float)
