"""``FitResult`` -> :class:`ResponseModel`: the only place planning reads a fit result, and
:func:`as_response_model`, which every planning function calls on its ``model`` argument.

Reads the :class:`~mixwise.plan.protocols.FittedModel` protocol (see :mod:`mixwise.model.result`):
``params`` ``(draw, channel)`` with ``adstock_<p>``, ``saturation_<p>`` (shape parameters only),
``beta``, ``spend_scale (channel)``, ``kpi_scale`` and attrs ``adstock``, ``saturation``,
``l_max``, ``normalize``, ``adstock_mode``; ``spend (time, channel)``; ``baseline (draw, time,
component)``; ``kpi_type``; ``frequency``; ``has_geo``; ``provenance["engine"]``; and, with
channel synergy, ``interaction_gamma (draw, interaction)`` (coords ``interaction_a``, ``_b``).

The coefficient in KPI units is ``kpi_scale * beta``. Michaelis-Menten's ``alpha`` is the
coefficient itself, so its shape ``alpha`` is 1. The baseline is the sum of all baseline
components (holdout periods included: their spend and baseline are known).
"""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.model.catalogue import ADSTOCK_PARAMS, ADSTOCKS, SATURATIONS
from mixwise.model.interactions import GAMMA
from mixwise.plan.errors import PlanError
from mixwise.plan.protocols import FittedModel, Plannable
from mixwise.plan.response import FloatArray, ResponseModel

CACHE_ATTRIBUTE = "_mixwise_response_model"
"""Where :func:`as_response_model` keeps a fitted model's ResponseModel (built once)."""


def _var(params: xr.Dataset, name: str, channels: list[str]) -> FloatArray:
    if name not in params:
        raise PlanError(f"the fit result has no parameter {name!r}; it cannot be planned with")
    da = params[name].transpose("draw", "channel").sel(channel=channels)
    return np.asarray(da.values, dtype=np.float64)


def result_geos(result: FittedModel) -> list[str]:
    """The geos of a geo-level fit (``[]`` for a national one)."""
    for da in (result.spend, result.params):
        if "geo" in da.dims:
            return [str(g) for g in da["geo"].values]
    return []


def _at_geo[T: (xr.Dataset, xr.DataArray)](obj: T, geo: str) -> T:
    """``obj`` at one geo (unchanged where it does not vary by geo)."""
    return obj.sel(geo=geo) if "geo" in obj.dims else obj


def response_model_from_result(
    result: FittedModel, revenue_per_conversion: float | None = None, geo: str | None = None
) -> ResponseModel:
    """Build the planning view of a fitted model; for a geo-level fit, of one ``geo`` (a cell:
    its own parameters where they vary by geo, its spend, baseline and ``kpi_scale``)."""
    geos = result_geos(result)
    params = result.params
    spend_da, base_da = result.spend, result.baseline
    if geos:
        if geo is None:
            raise PlanError(
                "a geo-level model is planned per geo, not as one national model",
                "Plan per cell: `mixwise optimize RUN --by geo` or mixwise.plan.cells_from_result.",
            )
        if geo not in geos:
            raise PlanError(f"unknown geo {geo!r}", f"The model's geos are: {', '.join(geos)}.")
        params = _at_geo(params, geo)
        spend_da, base_da = _at_geo(spend_da, geo), _at_geo(base_da, geo)
    elif geo is not None:
        raise PlanError(f"geo {geo!r} given, but the model is national (no geo column)")
    attrs = params.attrs
    mode = attrs.get("adstock_mode", "After")
    if mode != "After":
        raise PlanError(f"planning supports adstock mode 'After' only, the fit used {mode!r}")
    channels = [str(c) for c in result.spend["channel"].values]
    adstock, saturation = str(attrs["adstock"]), str(attrs["saturation"])
    ad_params = {p: _var(params, f"adstock_{p}", channels) for p in ADSTOCK_PARAMS[adstock]}
    weights = ADSTOCKS[adstock].weights(
        **ad_params, l_max=int(attrs["l_max"]), normalize=bool(int(attrs["normalize"]))
    )
    beta = _var(params, "beta", channels)
    kind = SATURATIONS[saturation]
    sat_params = kind.unit({p: _var(params, f"saturation_{p}", channels) for p in kind.shape}, beta)
    kpi_scale = float(np.asarray(params["kpi_scale"].values).reshape(-1)[0])
    spend_scale = params["spend_scale"].sel(channel=channels).values.astype(np.float64)
    spend = spend_da.transpose("time", "channel").sel(channel=channels)
    baseline = base_da.sum("component").transpose("draw", "time")
    pairs, synergy = _synergies(params, channels, kpi_scale)
    kpi_type = str(result.kpi_type)
    if kpi_type not in ("revenue", "conversions"):
        raise PlanError(f"unknown KPI type {kpi_type!r} in the fit result")
    return ResponseModel(
        channels=tuple(channels),
        adstock_weights=np.asarray(weights, dtype=np.float64),
        saturation=(saturation,) * len(channels),
        saturation_params=sat_params,
        coefficient=kpi_scale * beta,
        spend_scale=spend_scale,
        spend=np.asarray(spend.values, dtype=np.float64),
        dates=pd.DatetimeIndex(spend["time"].values, name="date"),
        frequency="daily" if result.frequency == "daily" else "weekly",
        baseline=np.asarray(baseline.values, dtype=np.float64),
        kpi_type=kpi_type,  # type: ignore[arg-type]
        revenue_per_conversion=revenue_per_conversion,
        adstock=(adstock,) * len(channels),
        adstock_params=ad_params,
        kpi_name=kpi_type,
        source=str(result.provenance.get("engine", "fit")) + (f" (geo {geo})" if geo else ""),
        synergy_pairs=pairs,
        synergy_coefficient=synergy,
    )


def _synergies(
    params: xr.Dataset, channels: list[str], kpi_scale: float
) -> tuple[tuple[tuple[int, int], ...], FloatArray | None]:
    """``synergy_pairs`` (channel indices) and ``synergy_coefficient`` ``(draw, pair)`` =
    ``kpi_scale * gamma`` from ``interaction_gamma`` (none without it)."""
    if GAMMA not in params:
        return (), None
    gamma = params[GAMMA].transpose("draw", "interaction")
    firsts, seconds = gamma["interaction_a"].values, gamma["interaction_b"].values
    pairs = tuple(
        (channels.index(str(a)), channels.index(str(b)))
        for a, b in zip(firsts, seconds, strict=True)
    )
    return pairs, kpi_scale * np.asarray(gamma.values, dtype=np.float64)


def as_response_model(obj: Plannable) -> ResponseModel:
    """Accept a :class:`ResponseModel` or a fitted model (converted once, then cached on it)."""
    if isinstance(obj, ResponseModel):
        return obj
    cached = getattr(obj, CACHE_ATTRIBUTE, None)
    if isinstance(cached, ResponseModel):
        return cached
    if hasattr(obj, "params") and hasattr(obj, "spend"):
        model = response_model_from_result(obj)
        with contextlib.suppress(AttributeError, TypeError):
            object.__setattr__(obj, CACHE_ATTRIBUTE, model)
        return model
    raise PlanError(
        f"cannot plan with a {type(obj).__name__}",
        "Pass a FitResult (mixwise.fit / FitResult.load) or a mixwise.plan.ResponseModel.",
    )
