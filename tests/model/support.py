"""A FitResult without sampling, shared by the model tests (``from tests.model.support import
...``): random parameters around a geometric + logistic model, random spend, and contributions
from the forward formula."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.model.forward import forward_contributions
from mixwise.model.result import Diagnostics, FitResult
from mixwise.model.spec import ModelSpec

RNG = np.random.default_rng(7)
N_DRAW, N_TIME, L_MAX = 40, 60, 8
CHANNELS = ["tv", "search"]
DATES = pd.date_range("2022-01-03", periods=N_TIME, freq="W-MON")


def make_params(geos: list[str] | None = None, alpha: float | None = None) -> xr.Dataset:
    dims = ("draw", "channel", *(["geo"] if geos else []))
    shape = (N_DRAW, len(CHANNELS), *([len(geos)] if geos else []))
    coords = {"draw": np.arange(N_DRAW), "channel": CHANNELS, **({"geo": geos} if geos else {})}
    a = np.full(shape, alpha) if alpha is not None else RNG.uniform(0.2, 0.6, shape)
    ds = xr.Dataset(
        {
            "adstock_alpha": (dims, a),
            "saturation_lam": (dims, RNG.uniform(1.0, 3.0, shape)),
            "beta": (dims, RNG.uniform(0.2, 0.5, shape)),
            "spend_scale": (dims[1:], np.full(shape[1:], 100.0)),
            "kpi_scale": ((("geo",), np.full(len(geos), 1000.0)) if geos else ((), 1000.0)),
        },
        coords=coords,
    )
    ds.attrs = {
        "adstock": "geometric",
        "saturation": "logistic",
        "l_max": L_MAX,
        "normalize": 1,
        "adstock_mode": "After",
        "adstock_params": "alpha",
        "saturation_params": "lam",
    }
    return ds


def make_spend(geos: list[str] | None = None) -> xr.DataArray:
    dims = ("time", *(["geo"] if geos else []), "channel")
    shape = (N_TIME, *([len(geos)] if geos else []), len(CHANNELS))
    coords = {"time": DATES, "channel": CHANNELS, **({"geo": geos} if geos else {})}
    values = RNG.uniform(0, 80, shape) * (RNG.uniform(size=shape) > 0.3)
    return xr.DataArray(values, dims=dims, coords=coords)


def make_result(geos: list[str] | None = None, n_holdout: int = 0) -> FitResult:
    params, spend = make_params(geos), make_spend(geos)
    contributions = forward_contributions(params, spend)
    space = ("draw", "time", *(["geo"] if geos else []))
    base = xr.zeros_like(contributions.isel(channel=0, drop=True)).transpose(*space) + 500.0
    baseline = xr.concat(
        [base.assign_coords(component="intercept"), (base * 0.1).assign_coords(component="trend")],
        dim="component",
    ).transpose(*space, "component")
    fitted = (contributions.sum("channel") + baseline.sum("component")).transpose(*space)
    observed = fitted.mean("draw") * RNG.normal(1, 0.05, fitted.mean("draw").shape)
    diagnostics = Diagnostics(False, True, "converged", 1.003, 800.0, 700.0, 0, 0.9)
    return FitResult(
        params=params,
        contributions=contributions,
        baseline=baseline,
        fitted=fitted,
        observed=observed,
        spend=spend,
        spec=ModelSpec().resolved("weekly", N_TIME),
        diagnostics=diagnostics,
        provenance={"engine": "test", "seed": 0, "timings": {"total": 1.0}},
        n_holdout=n_holdout,
    )
