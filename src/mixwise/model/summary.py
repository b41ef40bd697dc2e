"""What a fit says, per channel and for the baseline, with equal-tailed intervals.

All channel metrics are computed draw by draw over every period of the result (training and
holdout) and summed over geos, then summarised as ``{"mean", "median", "lo", "hi"}`` where
``lo``/``hi`` are the ``(1 - interval) / 2`` and ``(1 + interval) / 2`` quantiles:

Values are rounded to 10 significant digits.

- ``contribution``: sum_t contribution_t (KPI units); ``share`` = contribution / total observed KPI.
- ``roas`` = contribution / spend (KPI per currency unit); ``cpa`` = spend / contribution
  (conversion KPIs only).
- ``mroas``: marginal ROAS at historical spend, d contribution / d spend when all of the
  channel's historical spend is scaled by (1 + eps): central difference with eps = 1e-4, from the
  numpy forward model.
- ``carryover_share``: each period's contribution is split between the current period's spend
  and earlier spend in proportion to their parts of the adstocked input
  (w_0 x_t versus sum_{l>=1} w_l x_{t-l}); the share from earlier spend, over all periods.
- ``half_life`` (periods): the catalogue's closed form where a kind has one (geometric:
  ln(0.5) / ln(alpha)); other kinds the median lag of the (normalised) kernel, interpolated.
- ``saturation_point`` (revenue KPIs): the steady spend per period s* above which the marginal
  ROAS of steady spending falls below 1, i.e. d/ds [kpi_scale beta f(W s / spend_scale)] = 1 with
  W the kernel's weight sum (1 when normalised); geo models spread s over geos in their
  historical spend shares. Searched up to 10x the largest historical spend per period; ``null``
  (inf) when still above 1 there, 0 when below 1 from the start.

``interval_kind`` says what the draws are: ``posterior`` draws (the bayesian engine) or
``bootstrap`` refits (the ridge engine), from ``provenance["interval_kind"]``. An engine may add
top-level entries through ``provenance["summary"]`` (the ridge engine: ``pareto``, every Pareto
model with its objectives, front and cluster, and ``chosen_model``).

``prior_roas`` (engines with priors): per channel the ROAS the priors alone imply (same
window, same interval); ``prior_shrinkage``: per channel ``contraction`` = 1 - posterior
interval width / prior interval width and ``shift`` = (posterior median - prior median) / prior
interval width (:func:`mixwise.model.review.roas_checks.shrinkage`).

``interactions`` (spec ``interactions``, :mod:`mixwise.model.interactions`), keyed ``"A + B"``:
the synergy's ``share`` of the total observed KPI as ``mean``, ``median``, ``lo``, ``hi`` (the
entry itself), ``contribution`` = sum_t synergy_t (KPI units), ``lift`` = synergy / (contribution_A
+ contribution_B), the KPI the pair adds versus the two channels alone, and ``channels`` [A, B].
Empty without pairs.

``review``: the model reviewer's verdict and checks (:mod:`mixwise.model.review`).

``lift_tests`` lists, per calibration experiment of the spec, the measured KPI change and the
model's fitted one (interval-valued) with ``z`` and ``agrees`` (:mod:`mixwise.model.lift`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.model.catalogue import ADSTOCKS, SATURATIONS
from mixwise.model.forward import (
    adstock_params,
    forward_parts,
    kernel,
    kpi_scale,
    pairs,
    param_dims,
    saturation_params,
    scaled_spend,
)
from mixwise.model.interactions import label
from mixwise.model.intervals import rounded, stats
from mixwise.model.lift import lift_table
from mixwise.model.review import review
from mixwise.model.review.base import clean
from mixwise.model.review.roas_checks import shrinkage
from mixwise.model.transforms import median_lag

if TYPE_CHECKING:
    from mixwise.model.result import FitResult

SUMMARY_FORMAT_VERSION = 1
EPS = 1e-4
SEARCH_MULTIPLE = 10.0


# -- per-draw channel metrics ----------------------------------------------------------------------
def _total(c: np.ndarray) -> np.ndarray:
    """Sum over time (and geo): ``(draw[, geo], time, channel) -> (draw, channel)``."""
    return c.reshape(c.shape[0], -1, c.shape[-1]).sum(axis=1)


def mroas(params: xr.Dataset, spend: xr.DataArray) -> np.ndarray:
    """``(draw, channel)`` marginal ROAS (module docstring)."""
    up = _total(forward_parts(params, spend * (1 + EPS))[1])
    down = _total(forward_parts(params, spend * (1 - EPS))[1])
    total_spend = spend.sum([d for d in spend.dims if d != "channel"]).values
    with np.errstate(divide="ignore", invalid="ignore"):
        return (up - down) / (2 * EPS * total_spend)


def carryover_share(params: xr.Dataset, spend: xr.DataArray) -> np.ndarray:
    """``(draw, channel)`` share of contribution from earlier periods' spend."""
    a, c = forward_parts(params, spend)
    x = scaled_spend(params, spend)
    w0 = kernel(params)[..., 0][..., None, :]  # (draw[, geo], 1, channel)
    with np.errstate(divide="ignore", invalid="ignore"):
        immediate = np.where(a > 0, c * (w0 * x) / a, 0.0)
        return 1 - _total(immediate) / _total(c)


def half_life(params: xr.Dataset) -> np.ndarray:
    """``(draw, channel)`` periods until half the effect is delivered (module docstring)."""
    closed = ADSTOCKS[params.attrs["adstock"]].half_life
    h = closed(**adstock_params(params)) if closed is not None else median_lag(kernel(params))
    return h.mean(axis=1) if h.ndim == 3 else h


def saturation_point(params: xr.Dataset, spend: xr.DataArray, n_grid: int = 200) -> np.ndarray:
    """``(draw, channel)`` steady spend per period where marginal ROAS crosses 1 (docstring)."""
    geo = "geo" in spend.dims
    per_period = spend.sum("geo") if geo else spend
    top = SEARCH_MULTIPLE * per_period.max("time").transpose("channel").values
    if geo:
        share = (spend.sum("time") / spend.sum(("time", "geo"))).fillna(0.0)
        share_np = share.transpose("geo", "channel").values
        scale = params["spend_scale"].transpose("geo", "channel").values
    else:
        share_np, scale = (
            np.ones((1, top.size)),
            params["spend_scale"].transpose("channel").values[None],
        )
    weight_sum = kernel(params).sum(axis=-1)  # (draw[, geo], channel)
    sat = saturation_params(params)
    beta = params["beta"].transpose(*param_dims(params)).values
    kpi = kpi_scale(params)
    kpi = kpi[..., 0] if geo else kpi
    grad = SATURATIONS[params.attrs["saturation"]].gradient

    def marginal(s: np.ndarray) -> np.ndarray:  # s: (draw, channel) -> (draw, channel)
        s_g = s[:, None, :] * share_np[None] if geo else s
        x = weight_sum * s_g / (scale if geo else scale[0])
        g = grad(x[..., None, :], **sat)[..., 0, :]  # transforms want a time axis
        d = kpi * beta * g * weight_sum * (share_np / scale if geo else 1 / scale[0])
        return d.sum(axis=1) if geo else d

    n_draws = beta.shape[0]
    grid = np.linspace(0, 1, n_grid + 1)[:, None, None] * top[None, None, :]
    values = np.stack([marginal(np.broadcast_to(g, (n_draws, top.size))) for g in grid])
    return _last_crossing(values, grid[:, 0, :], marginal)


def _last_crossing(values: np.ndarray, grid: np.ndarray, marginal: Any) -> np.ndarray:
    """Bisect, per draw and channel, the last grid interval where ``values`` goes from >=1 to <1.

    ``values``: ``(grid, draw, channel)``; ``grid``: ``(grid, channel)``.
    """
    above = values >= 1.0
    n = values.shape[0]
    out = np.full(values.shape[1:], np.inf)
    never = ~above.any(axis=0)
    out[never] = 0.0
    last_above = n - 1 - np.argmax(above[::-1], axis=0)
    inside = ~never & (last_above < n - 1)
    idx = np.minimum(last_above, n - 2)
    ch = np.arange(values.shape[2])[None, :]
    a, b = grid[idx, ch], grid[idx + 1, ch]
    for _ in range(40):
        mid = (a + b) / 2
        right = marginal(mid) >= 1.0
        a, b = np.where(right, mid, a), np.where(right, b, mid)
    out[inside] = ((a + b) / 2)[inside]
    beyond = ~never & ~inside
    if beyond.any():
        out[beyond] = _crossing_beyond(grid[-1], marginal, beyond)
    return out


def _crossing_beyond(top: np.ndarray, marginal: Any, beyond: np.ndarray) -> np.ndarray:
    """Where mROAS is still >= 1 at the top of the grid: double the bound until it falls below
    1, then bisect (as the planner's ``saturation_spend`` does, so ``/summary`` and the
    recommendations report the same point). ``inf`` where it never falls (80 doublings)."""
    lo = np.broadcast_to(top, beyond.shape).astype(float).copy()
    hi = lo * 2
    for _ in range(80):
        grow = beyond & (marginal(hi) >= 1.0) & (hi > 0)
        if not grow.any():
            break
        lo, hi = np.where(grow, hi, lo), np.where(grow, hi * 2, hi)
    for _ in range(60):
        mid = (lo + hi) / 2
        right = marginal(mid) >= 1.0
        lo, hi = np.where(right, mid, lo), np.where(right, hi, mid)
    found = (lo + hi) / 2
    still = (marginal(hi) >= 1.0) | (hi <= 0)
    return np.where(still, np.inf, found)[beyond]


# -- summaries ------------------------------------------------------------------------------------
def _channel_metrics(result: FitResult, interval: float) -> dict[str, Any]:
    params, spend = result.params, result.spend
    other = [d for d in spend.dims if d != "channel"]
    total_spend = spend.sum(other).transpose("channel").values
    contrib = result.contributions.sum(
        [d for d in result.contributions.dims if d not in ("draw", "channel")]
    )
    contrib_np = contrib.transpose("draw", "channel").values
    total_kpi = float(result.observed.sum())
    metrics: dict[str, np.ndarray] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        metrics["contribution"] = contrib_np
        metrics["share"] = contrib_np / total_kpi
        metrics["roas"] = contrib_np / total_spend
        metrics["mroas"] = mroas(params, spend)
        if result.kpi_type == "conversions":
            metrics["cpa"] = total_spend / contrib_np
        metrics["carryover_share"] = carryover_share(params, spend)
        metrics["half_life"] = half_life(params)
        if result.kpi_type == "revenue":
            metrics["saturation_point"] = saturation_point(params, spend)
    out: dict[str, Any] = {}
    for j, ch in enumerate(result.channels):
        entry: dict[str, Any] = {"spend": rounded(float(total_spend[j]))}
        entry.update({m: stats(v[:, j], interval) for m, v in metrics.items()})
        out[ch] = entry
    return out


def _baseline(result: FitResult, interval: float) -> dict[str, Any]:
    total_kpi = float(result.observed.sum())
    other = [d for d in result.baseline.dims if d not in ("draw", "component")]
    by_comp = result.baseline.sum(other).transpose("draw", "component")
    out: dict[str, Any] = {"share": stats(by_comp.sum("component").values / total_kpi, interval)}
    out["components"] = {
        str(c): {"share": stats(by_comp.sel(component=c).values / total_kpi, interval)}
        for c in by_comp["component"].values
    }
    return out


def _interactions(result: FitResult, interval: float) -> dict[str, Any]:
    """``interactions`` (module docstring)."""
    if result.interactions is None:
        return {}
    total_kpi = float(result.observed.sum())
    inter = result.interactions
    synergy = inter.sum([d for d in inter.dims if d not in ("draw", "interaction")])
    contrib = result.contributions.sum(
        [d for d in result.contributions.dims if d not in ("draw", "channel")]
    )
    out: dict[str, Any] = {}
    for a, b in pairs(result.params):
        name = label(a, b)
        s = synergy.sel(interaction=name).values
        alone = (contrib.sel(channel=a) + contrib.sel(channel=b)).values
        with np.errstate(divide="ignore", invalid="ignore"):
            out[name] = {
                **stats(s / total_kpi, interval),
                "channels": [str(a), str(b)],
                "contribution": stats(s, interval),
                "lift": stats(s / alone, interval),
            }
    return out


def fit_metrics(observed: np.ndarray, predicted: np.ndarray) -> dict[str, float | None]:
    """r2 = 1 - SSE/SST; mape over non-zero KPI; nrmse = RMSE / (max - min) of the KPI."""
    y, yhat = observed.ravel(), predicted.ravel()
    if y.size == 0:
        return {"r2": None, "mape": None, "nrmse": None}
    resid = y - yhat
    sst = float(np.sum((y - y.mean()) ** 2))
    nz = y != 0
    span = float(y.max() - y.min())
    vals = {
        "r2": 1 - float(np.sum(resid**2)) / sst if sst > 0 else math.nan,
        "mape": float(np.mean(np.abs(resid[nz]) / np.abs(y[nz]))) if nz.any() else math.nan,
        "nrmse": float(np.sqrt(np.mean(resid**2))) / span if span > 0 else math.nan,
    }
    return {k: rounded(v) for k, v in vals.items()}


def _fit(result: FitResult) -> dict[str, Any]:
    mean = result.fitted.mean("draw")
    hold = result.is_holdout
    obs, pred = result.observed, mean.transpose(*result.observed.dims)
    out: dict[str, Any] = {
        "in_sample": fit_metrics(
            obs.where(~hold, drop=True).values, pred.where(~hold, drop=True).values
        )
    }
    out["holdout"] = (
        fit_metrics(obs.where(hold, drop=True).values, pred.where(hold, drop=True).values)
        if result.n_holdout
        else None
    )
    splits = result.provenance.get("ts_validation")
    if splits:  # the ridge engine's time-series validation: metrics on each part's rows
        for name, part in splits.items():
            rows = slice(*part["rows"])
            out[name] = {
                "start": part.get("start"),
                "end": part.get("end"),
                "n": rows.stop - rows.start,
                **fit_metrics(
                    obs.isel(time=rows).values, pred.transpose(*obs.dims).isel(time=rows).values
                ),
            }
    return out


def build_summary(result: FitResult, interval: float) -> dict[str, Any]:
    """The ``summary.json`` document, with the model reviewer's ``review`` (checks on this
    document and the result, :mod:`mixwise.model.review`) and, where the engine recorded the
    ROAS its priors imply, ``prior_shrinkage`` per channel."""
    summary: dict[str, Any] = {
        "format_version": SUMMARY_FORMAT_VERSION,
        "kpi_type": result.kpi_type,
        "interval": interval,
        "interval_kind": result.provenance.get("interval_kind", "posterior"),
        "approximate": result.approximate,
        "n_draws": result.n_draws,
        "periods": {
            "start": str(result.dates[0].date()),
            "end": str(result.dates[-1].date()),
            "n": len(result.dates),
            "holdout": result.n_holdout,
        },
        "channels": _channel_metrics(result, interval),
        "baseline": _baseline(result, interval),
        "interactions": _interactions(result, interval),
        "fit": _fit(result),
        "lift_tests": lift_table(result, interval),
        "diagnostics": result.diagnostics.to_dict(),
        **result.provenance.get("summary", {}),
    }
    if result.provenance.get("prior_roas"):
        summary["prior_roas"] = result.provenance["prior_roas"]
        summary["prior_shrinkage"] = clean(shrinkage(result, summary))
    summary["review"] = review(result, summary)
    return summary


def summary_frame(summary: dict[str, Any]) -> pd.DataFrame:
    """Tidy table: index (name, metric), columns mean, median, lo, hi."""
    rows = []
    for ch, entry in summary["channels"].items():
        for metric, value in entry.items():
            if isinstance(value, dict):
                rows.append({"name": ch, "metric": metric, **value})
            else:
                rows.append(
                    {
                        "name": ch,
                        "metric": metric,
                        "mean": value,
                        "median": value,
                        "lo": value,
                        "hi": value,
                    }
                )
    rows.append({"name": "baseline", "metric": "share", **summary["baseline"]["share"]})
    for comp, entry in summary["baseline"]["components"].items():
        rows.append({"name": f"baseline:{comp}", "metric": "share", **entry["share"]})
    frame = pd.DataFrame(rows, columns=["name", "metric", "mean", "median", "lo", "hi"])
    return frame.set_index(["name", "metric"])
