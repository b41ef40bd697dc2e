"""The ROAS each channel's priors alone imply, for the reviewer's prior-to-posterior check.

Media parameters are drawn from the built model's priors (``pm.draw``: the generative graph,
without the likelihood, lift tests or ROAS calibration terms, compiled in PyTensor's
``FAST_COMPILE`` mode: a fraction of a second), converted like the posterior
(:func:`.convert.params_dataset`) and run through the numpy forward model on the data's spend:
``prior ROAS_c = sum_t contribution_c(t) / sum_t spend_c(t)`` per draw, over the same periods
as the summary's ROAS. Stored in ``provenance["prior_roas"]`` as ``{mean, median, lo, hi}``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pymc as pm
import xarray as xr

from mixwise.engines.bayesian import convert
from mixwise.model.catalogue import ADSTOCK_PARAMS, SATURATIONS
from mixwise.model.forward import forward_contributions
from mixwise.model.intervals import stats
from mixwise.model.spec import ModelSpec

PRIOR_DRAWS = 1000


def media_names(spec: ModelSpec) -> list[str]:
    """The model variables FitResult's media parameters are read from (as
    :func:`.convert.params_dataset` reads them)."""
    sat = SATURATIONS[spec.saturation.kind]
    return [
        *(f"adstock_{p}" for p in ADSTOCK_PARAMS[spec.adstock.kind]),
        *(f"saturation_{p}" for p in sat.shape),
        f"saturation_{sat.coefficient}",
    ]


def prior_media_draws(model: pm.Model, names: list[str], n: int, seed: int) -> xr.Dataset:
    """``n`` joint prior draws of ``names``, dims ``(draw, *the variable's dims)``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = pm.draw([model[v] for v in names], draws=n, random_seed=seed, mode="FAST_COMPILE")
    coords = {k: list(v) for k, v in model.coords.items() if v is not None}
    out = {}
    for name, value in zip(names, values, strict=True):
        dims = ("draw", *(model.named_vars_to_dims.get(name) or ()))
        out[name] = xr.DataArray(
            np.asarray(value), dims=dims, coords={d: coords[d] for d in dims[1:] if d in coords}
        )
    return xr.Dataset(out).assign_coords(draw=np.arange(n))


def prior_roas(
    mmm: Any,
    spec: ModelSpec,
    spend: xr.DataArray,
    channel_scale: xr.DataArray,
    kpi_scale: xr.DataArray,
    geos: list[str] | None,
) -> dict[str, dict[str, float | None]]:
    """Per channel, the prior ROAS's ``{mean, median, lo, hi}`` at ``spec.interval``."""
    model = mmm.model
    draws = prior_media_draws(model, media_names(spec), PRIOR_DRAWS, spec.sampler.seed)
    params = convert.params_dataset(draws, spec, channel_scale, kpi_scale, None, geos)
    contrib = forward_contributions(params, spend)
    other = [d for d in contrib.dims if d not in ("draw", "channel")]
    total = contrib.sum(other).transpose("draw", "channel").values
    total_spend = spend.sum([d for d in spend.dims if d != "channel"]).transpose("channel").values
    with np.errstate(divide="ignore", invalid="ignore"):
        roas = total / total_spend
    channels = [str(c) for c in spend["channel"].values]
    return {c: stats(roas[:, j], spec.interval) for j, c in enumerate(channels)}
