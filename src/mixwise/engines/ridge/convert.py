"""Ridge models -> the per-draw arrays of a :class:`~mixwise.model.result.FitResult`.

Draws come from :func:`bootstrap_refits`: the chosen model's hyperparameters are kept, the
ridge is refitted (same glmnet lambda) on moving-block bootstrap resamples of the window's
periods (blocks of ``block`` consecutive periods keep the autocorrelation), so the draws carry
the sampling uncertainty of the coefficients. (Robyn's own intervals resample the ROAS of the
models in the chosen model's cluster; :func:`fit_arrays` also takes such draws, each with its
own hyperparameters.)

The FitResult parametrisation, for paid channel ``c``::

    contribution_c(t) = kpi_scale * beta_c * hill(adstock(spend_c / spend_scale_c); slope, kappa)

holds exactly with ``spend_scale_c`` = the channel's largest spend in the window, ``kpi_scale`` =
the largest |KPI| in the window, ``beta_c = coef_c / kpi_scale``, ``slope = alpha``,
``kappa = inflexion_c / spend_scale_c`` (Robyn's inflexion in spend units), geometric
``adstock_alpha = theta`` or Weibull ``adstock_lam`` = the scale in periods and ``adstock_k`` =
the shape, ``l_max`` = every period of the data, no normalisation. A Weibull "no adstock" draw
(shape or scale 0) is stored as ``lam = 0.01, k = 1``, whose kernel is ``(1, ~0, ...)``.

Contributions are Robyn's: adstock carries over from the periods before the window. The
FitResult's time axis is the window, so a forward simulation from the window's spend alone
starts without that carry-over (it differs in the window's first weeks only).
Organic channels are a baseline component (``organic``), as are the intercept, ``trend``,
``seasonality``, ``controls``, ``events`` and ``holidays``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import xarray as xr

from mixwise.engines.ridge import transforms as rt
from mixwise.engines.ridge.evaluate import RidgeProblem
from mixwise.engines.ridge.regression import FixedBlock, fit_ridge, penalty
from mixwise.model import transforms as mt
from mixwise.model.catalogue import ADSTOCK_PARAMS, SATURATIONS

FloatArray = npt.NDArray[np.float64]
FORMULA = "contribution = kpi_scale * beta * saturation(adstock(spend / spend_scale))"


@dataclass(frozen=True)
class Draws:
    """Models as draws: hyperparameters ``(draw, d)`` (natural units), ridge coefficients
    ``(draw, C + k)`` (media first) and intercepts ``(draw,)``."""

    hyper: FloatArray
    coef: FloatArray
    intercept: FloatArray


def block_bootstrap_rows(
    n: int, n_draws: int, block: int, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """``(n_draws, n)`` row indices: blocks of ``block`` consecutive rows drawn with replacement."""
    b = max(1, min(block, n))
    starts = rng.integers(0, n - b + 1, size=(n_draws, math.ceil(n / b)))
    return (starts[:, :, None] + np.arange(b)).reshape(n_draws, -1)[:, :n]


def bootstrap_refits(
    problem: RidgeProblem, hyper: npt.ArrayLike, n_draws: int = 200, seed: int = 0, block: int = 4
) -> Draws:
    """Refit the model with hyperparameters ``hyper (d,)`` on ``n_draws`` block resamples."""
    h = np.asarray(hyper, dtype=np.float64).reshape(1, -1)
    sat = problem.saturated(h)[0]
    lam = penalty(h[0, -1], problem.lam_max)
    n_fit = problem.splits["train"].stop  # with ts_validation: resample the training rows only
    rows = block_bootstrap_rows(n_fit, n_draws, block, np.random.default_rng(seed))
    coef = np.empty((n_draws, problem.nonneg.size))
    icpt = np.empty(n_draws)
    for d, idx in enumerate(rows):
        fit = fit_ridge(
            sat[idx][None], FixedBlock.of(problem.fixed.z[idx]), problem.y[idx], lam, problem.nonneg
        )
        coef[d], icpt[d] = fit.coef[0], fit.intercept[0]
    return Draws(hyper=np.repeat(h, n_draws, axis=0), coef=coef, intercept=icpt)


@dataclass(frozen=True)
class FitArrays:
    """What a FitResult holds besides spec, diagnostics and provenance (see the module docs)."""

    params: xr.Dataset
    contributions: xr.DataArray
    baseline: xr.DataArray
    fitted: xr.DataArray
    observed: xr.DataArray
    spend: xr.DataArray


def _adstock_params(problem: RidgeProblem, hyper: FloatArray, paid: slice) -> dict[str, FloatArray]:
    r = problem.ranges
    if r.adstock == "geometric":
        return {"alpha": r.column(hyper, "theta")[:, paid]}
    shape, scale = r.column(hyper, "shape")[:, paid], r.column(hyper, "scale")[:, paid]
    lam = rt.weibull_scale_periods(scale, problem.media.shape[0])
    none = (shape == 0) | (scale == 0)
    return {"lam": np.where(none, 0.01, lam), "k": np.where(none, 1.0, shape)}


def fit_arrays(problem: RidgeProblem, draws: Draws) -> FitArrays:
    """Per-draw parameters and series over the window (module docstring)."""
    r = problem.ranges
    n_media, n_paid = len(problem.channels), problem.n_paid
    paid = slice(0, n_paid)
    ad = problem.adstocked(draws.hyper)
    alpha, gamma = r.column(draws.hyper, "alpha"), r.column(draws.hyper, "gamma")
    kappa = rt.hill_inflexion(ad, gamma, problem.inflexion)
    sat = mt.hill(ad, alpha, kappa)  # rt.hill_saturation, its inflexion computed once
    media = sat * draws.coef[:, None, :n_media]
    fixed = problem.fixed.z[None] * draws.coef[:, None, n_media:]
    window = np.arange(problem.media.shape[0])[problem.window]
    dates = problem.dates[window] if problem.dates is not None else window
    channels = list(problem.channels[:n_paid])
    spend_w = problem.media[problem.window, :n_paid]
    spend_scale = np.where(spend_w.max(axis=0) > 0, spend_w.max(axis=0), 1.0)
    kpi_scale = float(np.abs(problem.y).max())

    draw = np.arange(draws.coef.shape[0])
    pdims = ("draw", "channel")
    params = xr.Dataset(
        {
            **{
                f"adstock_{k}": (pdims, v)
                for k, v in _adstock_params(problem, draws.hyper, paid).items()
            },
            "saturation_slope": (pdims, alpha[:, paid]),
            "saturation_kappa": (pdims, kappa[:, paid] / spend_scale),
            "beta": (pdims, draws.coef[:, paid] / kpi_scale),
            "spend_scale": (("channel",), spend_scale),
            "kpi_scale": ((), kpi_scale),
        },
        coords={"draw": draw, "channel": channels},
        attrs={
            "adstock": r.adstock,
            "saturation": "hill",
            "l_max": int(problem.media.shape[0]),
            "normalize": 0,
            "adstock_mode": "After",
            "adstock_params": ",".join(ADSTOCK_PARAMS[r.adstock]),
            "saturation_params": ",".join(SATURATIONS["hill"].shape),
            "coefficient": "beta",
            "formula": FORMULA,
        },
    )
    parts = {"intercept": np.repeat(draws.intercept[:, None], len(window), axis=1)}
    for name in dict.fromkeys(problem.fixed_components):
        cols = [j for j, c in enumerate(problem.fixed_components) if c == name]
        parts[name] = fixed[:, :, cols].sum(axis=-1)
    if n_media > n_paid:
        parts["organic"] = media[:, :, n_paid:].sum(axis=-1)
    time = {"time": pd.DatetimeIndex(dates) if problem.dates is not None else window}
    baseline = xr.DataArray(
        np.stack(list(parts.values()), axis=-1),
        dims=("draw", "time", "component"),
        coords={"draw": draw, **time, "component": list(parts)},
    )
    contributions = xr.DataArray(
        media[:, :, paid],
        dims=("draw", "time", "channel"),
        coords={"draw": draw, **time, "channel": channels},
    )
    fitted = contributions.sum("channel") + baseline.sum("component")
    return FitArrays(
        params=params,
        contributions=contributions,
        baseline=baseline,
        fitted=fitted,
        observed=xr.DataArray(problem.y, dims=("time",), coords=time),
        spend=xr.DataArray(spend_w, dims=("time", "channel"), coords={**time, "channel": channels}),
    )
