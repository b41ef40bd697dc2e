"""The forward model of a :class:`~mixwise.model.result.FitResult`, draw by draw, in numpy::

    contribution = kpi_scale * beta * saturation(adstock(spend / spend_scale))

from a result's ``params`` (see :mod:`mixwise.model.result`), and the synergy of each channel pair
(:mod:`mixwise.model.interactions`)::

    synergy_ab = kpi_scale * gamma_ab * s_a * s_b,   s_c = saturation(adstock(spend_c / scale_c))
 Shared by the FitResult itself
(``simulate_contributions``), the fit summary (:mod:`mixwise.model.summary`) and the lift-test
comparison (:mod:`mixwise.model.lift`).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from mixwise.model.catalogue import ADSTOCK_PARAMS, ADSTOCKS, SATURATIONS, adstock
from mixwise.model.interactions import DIM as PAIR
from mixwise.model.interactions import GAMMA


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


def unit_curves(params: xr.Dataset, spend: xr.DataArray) -> tuple[np.ndarray, np.ndarray]:
    """(adstocked scaled spend ``a``, unit curve ``s = saturation(a)`` without the coefficient),
    both ``(draw[, geo], time, channel)``."""
    x = scaled_spend(params, spend)
    a = adstock(
        params.attrs["adstock"],
        x,
        l_max=int(params.attrs["l_max"]),
        normalize=bool(params.attrs["normalize"]),
        mode=params.attrs.get("adstock_mode", "After"),
        **adstock_params(params),
    )
    return a, SATURATIONS[params.attrs["saturation"]].function(a, **saturation_params(params))


def forward_parts(params: xr.Dataset, spend: xr.DataArray) -> tuple[np.ndarray, np.ndarray]:
    """(adstocked scaled spend, contribution), both ``(draw[, geo], time, channel)``."""
    a, y = unit_curves(params, spend)
    beta = params["beta"].transpose(*param_dims(params)).values[..., None, :]
    return a, kpi_scale(params) * beta * y


def pairs(params: xr.Dataset) -> list[tuple[str, str]]:
    """The synergy pairs of ``params`` (empty without ``interaction_gamma``)."""
    if GAMMA not in params:
        return []
    g = params[GAMMA]
    first, second = g["interaction_a"].values, g["interaction_b"].values
    return [(str(a), str(b)) for a, b in zip(first, second, strict=True)]


def forward_interactions(params: xr.Dataset, spend: xr.DataArray) -> xr.DataArray | None:
    """``kpi_scale * gamma_ab * s_a * s_b`` per draw and pair, ``(draw, time[, geo],
    interaction)`` (module docstring); ``None`` when ``params`` has no pairs."""
    found = pairs(params)
    if not found:
        return None
    _, s = unit_curves(params, spend)
    channels = [str(c) for c in spend["channel"].values]
    first = [channels.index(a) for a, _ in found]
    second = [channels.index(b) for _, b in found]
    gamma = params[GAMMA].transpose("draw", PAIR).values
    gamma = gamma[:, None, None, :] if s.ndim == 4 else gamma[:, None, :]
    k = kpi_scale(params)
    out = k * gamma * s[..., first] * s[..., second]
    geo = "geo" in spend.dims
    dims = ("draw", "geo", "time", PAIR) if geo else ("draw", "time", PAIR)
    coords = {"draw": params["draw"], "time": spend["time"], PAIR: params[GAMMA][PAIR]}
    if geo:
        coords["geo"] = spend["geo"]
    da = xr.DataArray(out, dims=dims, coords=coords)
    return da.transpose("draw", "time", ..., PAIR)


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
