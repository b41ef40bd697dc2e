"""Meridian's draws (the worker's ``draws.npz``) -> FitResult's common parametrisation.

Meridian models, for paid channel ``m`` in geo ``g`` (its ``adstock_hill.py``, ``model.py``)::

    incremental KPI_gtm = pop_g * stdev * beta_gm * hill(adstock(spend_gtm / scale_gm))

(Hill with ``ec_m``, ``slope_m``) with ``scale_gm = pop_g * median_m`` (the median of the
non-zero population-scaled spend of channel ``m``), ``stdev`` the standard deviation of the
population-scaled KPI, geometric adstock
``w_l = alpha_m**l / sum_l alpha_m**l`` over ``l = 0 .. max_lag`` and
``hill(x) = x**slope / (x**slope + ec**slope)``. That is FitResult's
``kpi_scale * beta * saturation(adstock(spend / spend_scale))`` exactly, with catalogue kinds
``geometric`` (normalised, ``l_max = max_lag + 1``) and ``hill`` (``kappa = ec``):
``spend_scale = scale_gm``, ``kpi_scale = pop_g * stdev``, ``beta = beta_gm``.

Contributions are Meridian's own per-draw incremental outcome (``Analyzer``), the forward model
reproduces them (tests/engines/meridian). Baseline: ``controls`` (``gamma_gc`` times the scaled
controls), ``organic`` and ``non_media`` (Meridian's incremental outcome of the organic
channels and of the non-media treatments, against their baseline values) and
``intercept``: the rest of Meridian's expected outcome (its geo intercepts, time effect and the
KPI's mean).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.engines.draws import Thinned, thin
from mixwise.model.catalogue import ADSTOCKS, SATURATIONS
from mixwise.model.transforms import hill

FORMULA = "contribution = kpi_scale * beta * saturation(adstock(spend / spend_scale))"
SHARED = ("alpha_m", "ec_m", "slope_m")
"""Meridian's per-channel parameters (shared by the geos)."""
PARAMS = (*SHARED, "beta_gm")


def posterior(draws: dict[str, np.ndarray], channels: list[str], geos: list[str]) -> xr.Dataset:
    """The sampled media parameters as ``(chain, draw, [geo,] channel)`` (for diagnostics)."""
    out = xr.Dataset()
    for name in PARAMS:
        a = draws[name]
        dims = ("chain", "draw", "geo", "channel") if a.ndim == 4 else ("chain", "draw", "channel")
        out[name] = xr.DataArray(a, dims=dims, coords={"channel": channels})
    if "gamma_gc" in draws:
        out["gamma_gc"] = xr.DataArray(draws["gamma_gc"], dims=("chain", "draw", "geo", "control"))
    out["sigma"] = xr.DataArray(
        draws["sigma"].reshape(*draws["sigma"].shape[:2], -1), dims=("chain", "draw", "sigma_geo")
    )
    return out.assign_coords(geo=geos) if "geo" in out.dims else out


def _per_draw(draws: dict[str, np.ndarray], name: str, kept: Thinned) -> np.ndarray:
    return draws[name][kept.chain, kept.chain_draw]


def params_dataset(
    draws: dict[str, np.ndarray],
    kept: Thinned,
    channels: list[str],
    geos: list[str] | None,
    l_max: int,
) -> xr.Dataset:
    """FitResult's ``params`` (module docstring); ``geos`` None for national data."""
    n = len(kept.chain)
    pick = {k: _per_draw(draws, k, kept) for k in PARAMS}  # (draw, c) / (draw, g, c)
    scale = draws["media_scale_gm"]  # (g, c)
    kpi_scale = draws["population"] * float(draws["kpi_stdev"])  # (g,)
    coords: dict[str, object] = {"draw": np.arange(n), "channel": channels}
    if geos is None:
        dims: tuple[str, ...] = ("draw", "channel")
        beta = pick["beta_gm"][:, 0, :]
        spend_scale = xr.DataArray(scale[0], dims=("channel",))
        kpi = xr.DataArray(kpi_scale[0])
        shared = {k: pick[k] for k in SHARED}
    else:
        dims = ("draw", "geo", "channel")
        coords["geo"] = geos
        beta = pick["beta_gm"]
        spend_scale = xr.DataArray(scale, dims=("geo", "channel"))
        kpi = xr.DataArray(kpi_scale, dims=("geo",))
        shared = {k: np.repeat(pick[k][:, None, :], len(geos), axis=1) for k in SHARED}
    data = {
        "adstock_alpha": (dims, shared["alpha_m"]),
        "saturation_slope": (dims, shared["slope_m"]),
        "saturation_kappa": (dims, shared["ec_m"]),
        "beta": (dims, beta),
        "spend_scale": spend_scale,
        "kpi_scale": kpi,
    }
    ds = xr.Dataset(data, coords=coords).assign_coords(
        chain=("draw", kept.chain.astype(np.int64)),
        chain_draw=("draw", kept.chain_draw.astype(np.int64)),
    )
    ds.attrs = {
        "adstock": "geometric",
        "saturation": "hill",
        "l_max": int(l_max),
        "normalize": 1,
        "adstock_mode": "After",
        "adstock_params": "alpha",
        "saturation_params": ",".join(SATURATIONS["hill"].shape),
        "coefficient": "beta",
        "formula": FORMULA,
    }
    return ds


def series(
    draws: dict[str, np.ndarray],
    kept: Thinned,
    channels: list[str],
    geos: list[str] | None,
    dates: pd.DatetimeIndex,
    controls_scaled: np.ndarray | None,
    n_organic: int = 0,
) -> dict[str, xr.DataArray]:
    """contributions, baseline and fitted ``(draw, time[, geo], ...)`` in KPI units."""
    n_paid = len(channels)
    inc = _per_draw(draws, "incremental_outcome", kept)  # (draw, g, t, all channels)
    expected = _per_draw(draws, "expected_outcome", kept)  # (draw, g, t)
    if inc.ndim == 3:  # national: Meridian drops the geo axis
        inc = inc[:, None]
    if expected.ndim == 2:
        expected = expected[:, None]
    paid = inc[..., :n_paid]
    parts: dict[str, np.ndarray] = {}
    if controls_scaled is not None and "gamma_gc" in draws and controls_scaled.shape[-1]:
        gamma = _per_draw(draws, "gamma_gc", kept)  # (draw, g, k)
        scale = (draws["population"] * float(draws["kpi_stdev"]))[None, :, None]
        parts["controls"] = np.einsum("dgk,gtk->dgt", gamma, controls_scaled) * scale
    if n_organic:
        parts["organic"] = inc[..., n_paid : n_paid + n_organic].sum(axis=-1)
    if inc.shape[-1] > n_paid + n_organic:  # Meridian's order: paid, organic, non-media
        parts["non_media"] = inc[..., n_paid + n_organic :].sum(axis=-1)
    parts = {"intercept": expected - paid.sum(-1) - sum(parts.values(), np.zeros(1)), **parts}
    draw = np.arange(len(kept.chain))
    time = {"time": dates}
    space: tuple[str, ...] = ("draw", "geo", "time")
    geo_coords: dict[str, list[str]] = {"geo": geos} if geos is not None else {}
    if geos is None:
        space = ("draw", "time")
        paid, expected = paid[:, 0], expected[:, 0]
        parts = {k: v[:, 0] for k, v in parts.items()}
    contributions = xr.DataArray(
        paid,
        dims=(*space, "channel"),
        coords={"draw": draw, **time, **geo_coords, "channel": channels},
    )
    baseline = xr.DataArray(
        np.stack(list(parts.values()), axis=-1),
        dims=(*space, "component"),
        coords={"draw": draw, **time, **geo_coords, "component": list(parts)},
    )
    fitted = xr.DataArray(expected, dims=space, coords={"draw": draw, **time, **geo_coords})
    order = ("draw", "time", "geo") if geos is not None else ("draw", "time")
    return {
        "contributions": contributions.transpose(*order, "channel"),
        "baseline": baseline.transpose(*order, "component"),
        "fitted": fitted.transpose(*order),
    }


SHARED_RF = ("alpha_rf", "ec_rf", "slope_rf")
"""Meridian's per-channel parameters of reach & frequency channels (shared by the geos)."""
RF_FORMULA = (
    "contribution = kpi_scale * beta_rf * adstock(reach / reach_scale * hill(frequency; ec, slope))"
)


def rf_contributions(
    draws: dict[str, np.ndarray],
    kept: Thinned,
    reach: np.ndarray,
    frequency: np.ndarray,
    l_max: int,
) -> np.ndarray:
    """Reach & frequency channels' contributions ``(draw, geo, time, rf_channel)`` in KPI units,
    as Meridian computes them (``ModelEquations.adstock_hill_rf``)::

        kpi_scale_g * beta_grf * adstock(reach_gtr / reach_scale_gr * hill(frequency_gtr))

    Hill on frequency (``ec_rf``, ``slope_rf``) first, times the population-scaled reach, then
    the normalised geometric adstock (``alpha_rf``, ``l_max = max_lag + 1`` weights): linear in
    reach at a given frequency. ``reach``, ``frequency``: ``(geo, time, rf_channel)``.
    """
    pick = {k: _per_draw(draws, k, kept) for k in (*SHARED_RF, "beta_grf")}
    beta = pick["beta_grf"]  # (draw, g, r)
    if beta.ndim == 2:  # national: Meridian keeps a geo axis of 1 for coefficients
        beta = beta[:, None, :]
    n_geo = reach.shape[0]
    shared = {k: np.repeat(pick[k][:, None, :], n_geo, axis=1) for k in SHARED_RF}  # (d, g, r)
    freq = hill(frequency[None], shared["slope_rf"], shared["ec_rf"])  # (draw, g, t, r)
    x = reach[None] / draws["reach_scale_grf"][None, :, None, :] * freq  # (draw, g, t, r)
    weights = ADSTOCKS["geometric"].weights(alpha=shared["alpha_rf"], l_max=l_max, normalize=True)
    a = _convolve_per_draw(x, weights)
    kpi_scale = (draws["population"] * float(draws["kpi_stdev"]))[None, :, None, None]
    return np.asarray(kpi_scale * beta[:, :, None, :] * a)


def optimal_frequency(
    draws: dict[str, np.ndarray],
    kept: Thinned,
    reach: np.ndarray,
    frequency: np.ndarray,
    l_max: int,
    step: float = 0.1,
) -> np.ndarray:
    """Per reach & frequency channel, the frequency ``f`` that maximises the posterior mean
    return on the historical spend, as Meridian's ``Analyzer.optimal_freq``: impressions
    ``reach * frequency`` held in every geo and period, reach ``impressions / f``, ``f`` the
    same everywhere, on Meridian's grid ``1, 1 + step, ...`` below the largest observed
    frequency. The contribution is ``hill(f) / f`` times a sum linear in impressions, so the
    answer is where ``hill(f; ec, slope) / f`` peaks, averaged over draws."""
    impressions = reach * frequency
    grid = np.arange(1.0, float(np.nanmax(frequency)), step)
    totals = np.stack(
        [
            rf_contributions(draws, kept, impressions / f, np.full_like(frequency, f), l_max).sum(
                axis=(1, 2)
            )  # (draw, rf_channel)
            for f in grid
        ]
    )  # (grid, draw, rf_channel); the spend is the same at every f
    return np.asarray(grid[np.nanargmax(totals.mean(axis=1), axis=0)])


def _convolve_per_draw(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``sum_l w[..., l] x[t - l]`` along time: ``x`` ``(draw, g, t, r)``, ``weights``
    ``(draw, g, r, lag)`` (a carry-over into the past is cut at the first period)."""
    out = np.zeros_like(x)
    n_time = x.shape[2]
    for lag in range(weights.shape[-1]):
        if lag >= n_time:
            break
        out[:, :, lag:, :] += weights[:, :, None, :, lag] * x[:, :, : n_time - lag, :]
    return out


GEO_AXIS = {
    "beta_gm": 2,
    "gamma_gc": 2,
    "gamma_gn": 2,
    "beta_gom": 2,
    "tau_g": 2,
    "beta_grf": 2,
    "incremental_outcome": 2,
    "expected_outcome": 2,
    "media_scale_gm": 0,
    "reach_scale_grf": 0,
    "population": 0,
    "controls_scaled": 0,
}
"""The geo axis of each geo-level array the worker writes (national arrays have none)."""


def align_geos(
    draws: dict[str, np.ndarray], meridian_geos: list[str], geos: list[str]
) -> dict[str, np.ndarray]:
    """``draws`` with their geo axes in the order of ``geos`` (Meridian sorts geos naturally:
    Geo2 before Geo10, where the dataset sorts them as text)."""
    if meridian_geos == geos:
        return draws
    if sorted(meridian_geos) != sorted(geos):
        raise ValueError(f"Meridian's geos {meridian_geos} are not the dataset's {geos}")
    order = [meridian_geos.index(g) for g in geos]
    out = dict(draws)
    for name, axis in GEO_AXIS.items():
        if name in out and out[name].ndim > axis:
            out[name] = np.take(out[name], order, axis=axis)
    return out


def keep(draws: dict[str, np.ndarray], max_draws: int, seed: int) -> Thinned:
    """The kept (chain, draw) pairs: :func:`mixwise.engines.draws.thin` of Meridian's chains."""
    shape = draws["alpha_m"].shape[:2]
    index = xr.Dataset({"i": (("chain", "draw"), np.zeros(shape))})
    return thin(index, max_draws, seed)
