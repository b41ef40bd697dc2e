"""The forward model of a :class:`~mixwise.model.result.FitResult`, draw by draw, in numpy::

    contribution = kpi_scale * beta * saturation(adstock(spend / spend_scale))

from a result's ``params`` (see :mod:`mixwise.model.result`). Shared by the FitResult itself
(``simulate_contributions``), the fit summary (:mod:`mixwise.model.summary`) and the lift-test
comparison (:mod:`mixwise.model.lift`).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from mixwise.model.catalogue import ADSTOCK_PARAMS, ADSTOCKS, SATURATIONS, adstock


def param_dims(params: xr.Dataset) -> tuple[str, ...]:
    """The dims of per-draw parameters: ``(draw[, geo], channel)``."""
    return ("draw", "geo", "channel") if "geo" in params.dims else ("draw", "channel")


def _kind_params(params: xr.Dataset, prefix: str, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    dims = param_dims(params)
    return {n: params[f"{prefix}_{n}"].transpose(*dims).values for n in names}


def adstock_params(params: xr.Dataset) -> dict[str, np.ndarray]:
    """``{name: (draw[, geo], channel)}`` for the adstock of ``params``."""
    return _kind_params(params, "adstock", ADSTOCK_PARAMS[params.attrs["adstock"]])


def saturation_params(params: xr.Dataset) -> dict[str, np.ndarray]:
    """Shape parameters of the saturation, without the coefficient (``beta``)."""
    kind = SATURATIONS[params.attrs["saturation"]]
    names = tuple(p for p in kind.shape if p in params.attrs["saturation_params"].split(","))
    beta = params["beta"].transpose(*param_dims(params)).values
    return kind.unit(_kind_params(params, "saturation", names), beta)


def scaled_spend(params: xr.Dataset, spend: xr.DataArray) -> np.ndarray:
    """``spend / spend_scale`` as ``([geo, ]time, channel)``."""
    order = ("geo", "time", "channel") if "geo" in spend.dims else ("time", "channel")
    return (spend / params["spend_scale"]).transpose(*order).values


def kpi_scale(params: xr.Dataset) -> np.ndarray:
    """``kpi_scale`` shaped to multiply ``(draw[, geo], time, channel)`` arrays."""
    k = params["kpi_scale"]
    return k.values[None, :, None, None] if "geo" in k.dims else k.values


def forward_parts(params: xr.Dataset, spend: xr.DataArray) -> tuple[np.ndarray, np.ndarray]:
    """(adstocked scaled spend, contribution), both ``(draw[, geo], time, channel)``."""
    x = scaled_spend(params, spend)
    a = adstock(
        params.attrs["adstock"],
        x,
        l_max=int(params.attrs["l_max"]),
        normalize=bool(params.attrs["normalize"]),
        mode=params.attrs.get("adstock_mode", "After"),
        **adstock_params(params),
    )
    beta = params["beta"].transpose(*param_dims(params)).values[..., None, :]
    y = SATURATIONS[params.attrs["saturation"]].function(a, **saturation_params(params))
    return a, kpi_scale(params) * beta * y


def forward_contributions(params: xr.Dataset, spend: xr.DataArray) -> xr.DataArray:
    """``kpi_scale * beta * saturation(adstock(spend / spend_scale))`` for every draw.

    ``spend``: ``(time[, geo], channel)`` in currency; returns ``(draw, time[, geo], channel)``.
    """
    _, c = forward_parts(params, spend)
    geo = "geo" in spend.dims
    dims = ("draw", "geo", "time", "channel") if geo else ("draw", "time", "channel")
    coords = {"draw": params["draw"], "time": spend["time"], "channel": spend["channel"]}
    if geo:
        coords["geo"] = spend["geo"]
    out = xr.DataArray(c, dims=dims, coords=coords)
    return out.transpose("draw", "time", ..., "channel")


def kernel(params: xr.Dataset) -> np.ndarray:
    """Adstock weights ``(draw[, geo], channel, lag)`` as applied (normalised if so)."""
    return ADSTOCKS[params.attrs["adstock"]].weights(
        **adstock_params(params),
        l_max=int(params.attrs["l_max"]),
        normalize=bool(params.attrs["normalize"]),
    )
