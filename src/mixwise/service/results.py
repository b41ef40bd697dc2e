"""Reading a fitted model's results: summary, contributions, decomposition, diagnostics,
response curves and adstock curves.

Loaded FitResults are cached by path (:mod:`mixwise.service.result_cache`); planning's view of
a result (its ResponseModel) is cached on the FitResult.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.model.intervals import stats
from mixwise.model.result import FitResult
from mixwise.plan.curves import adstock_profile
from mixwise.plan.curves import response_curves as curves
from mixwise.service.errors import BadWindow, Conflict
from mixwise.service.models import model_row
from mixwise.service.result_cache import cached_result
from mixwise.service.schemas.common import Interval, jsonable
from mixwise.service.schemas.results import (
    AdstockChannel,
    AdstockOut,
    Band,
    ChannelCurve,
    ContributionsOut,
    CurvePoint,
    DecompositionItem,
    DecompositionOut,
    DiagnosticsOut,
    ResponseCurvesOut,
    SummaryOut,
)
from mixwise.store.db import Store
from mixwise.store.models import Model


def _fitted_row(store: Store, workspace_id: str, model_id: str) -> Model:
    m = model_row(store, workspace_id, model_id)
    if m.result_artifact is None:
        raise Conflict(
            f"model {model_id!r} has no result (its fit is {m.status})",
            "Wait until the fit succeeded: GET /api/v1/models/{id} shows its progress."
            if m.status in ("queued", "running")
            else "Start a new fit for this dataset.",
        )
    return m


def model_artifact(store: Store, workspace_id: str, model_id: str) -> str:
    """Where the model's result is (artifact path; ``Conflict`` when it has none yet)."""
    m = _fitted_row(store, workspace_id, model_id)
    assert m.result_artifact is not None
    return m.result_artifact


def fit_result(store: Store, workspace_id: str, model_id: str) -> FitResult:
    """The model's FitResult (``Conflict`` when it has none yet)."""
    m = _fitted_row(store, workspace_id, model_id)
    assert m.result_artifact is not None
    return cached_result(store, m.result_artifact)


def result_dir(store: Store, workspace_id: str, model_id: str) -> Path:
    m = _fitted_row(store, workspace_id, model_id)
    assert m.result_artifact is not None
    return store.artifacts.path(m.result_artifact)


def summary(store: Store, workspace_id: str, model_id: str) -> SummaryOut:
    """The stored ``summary.json`` (no need to load the draws)."""
    return summary_of(result_dir(store, workspace_id, model_id), model_id)


def summary_of(directory: Path, model_id: str) -> SummaryOut:
    """A result folder's ``summary.json`` as the API's schema."""
    data = json.loads((directory / "summary.json").read_text(encoding="utf-8"))
    data.pop("format_version", None)
    return SummaryOut(model_id=model_id, **jsonable(data))


def provenance_of(directory: Path) -> dict[str, Any]:
    """A result folder's ``provenance.json`` (engine, versions, seed, timings ...)."""
    data: dict[str, Any] = json.loads((directory / "provenance.json").read_text(encoding="utf-8"))
    return data


def _band(draws: xr.DataArray, level: float) -> Band:
    q = (1 - level) / 2
    values = draws.values
    return Band(
        mean=jsonable(values.mean(axis=0).tolist()),
        lo=jsonable(np.quantile(values, q, axis=0).tolist()),
        hi=jsonable(np.quantile(values, 1 - q, axis=0).tolist()),
    )


def _national(da: xr.DataArray) -> xr.DataArray:
    return da.sum("geo") if "geo" in da.dims else da


def _dates(r: FitResult) -> list[str]:
    return [d.date().isoformat() for d in r.dates]


def contributions(store: Store, workspace_id: str, model_id: str) -> ContributionsOut:
    r = fit_result(store, workspace_id, model_id)
    level = r.spec.interval
    contrib = _national(r.contributions).transpose("draw", "time", "channel")
    spend = _national(r.spend).transpose("time", "channel")
    return ContributionsOut(
        model_id=model_id,
        interval=level,
        dates=_dates(r),
        holdout_start=r.holdout_dates[0].date().isoformat() if r.n_holdout else None,
        channels={c: _band(contrib.sel(channel=c), level) for c in r.channels},
        baseline=_band(_national(r.baseline).sum("component").transpose("draw", "time"), level),
        fitted=_band(_national(r.fitted).transpose("draw", "time"), level),
        observed=jsonable(_national(r.observed).values.tolist()),
        spend={c: jsonable(spend.sel(channel=c).values.tolist()) for c in r.channels},
        synergies=_synergy_bands(r, level),
    )


def _synergy_bands(r: FitResult, level: float) -> dict[str, Band]:
    """Each synergy pair's term per period (none without ``interactions``)."""
    if r.interactions is None:
        return {}
    pairs = _national(r.interactions).transpose("draw", "time", "interaction")
    return {str(p): _band(pairs.sel(interaction=p), level) for p in pairs["interaction"].values}


def _interval(draws: np.ndarray, level: float) -> Interval:
    """The draws' mean, median and equal-tailed ``level`` interval (model.intervals.stats)."""
    return Interval(**stats(draws, level))


def _window(dates: pd.DatetimeIndex, start: date | None, end: date | None) -> np.ndarray:
    """The positions of the periods from ``start`` to ``end`` (inclusive), refused by name when
    the window is empty, reversed or outside the fitted dates."""
    first, last = dates[0].date(), dates[-1].date()
    hint = f"Pick dates between {first} and {last} (the fitted periods)."
    if start is not None and end is not None and start > end:
        raise BadWindow(f"start {start} is after end {end}", hint)
    for name, d in (("start", start), ("end", end)):
        if d is not None and not first <= d <= last:
            raise BadWindow(f"{name} {d} is outside the fitted periods", hint)
    lo = pd.Timestamp(start) if start is not None else dates[0]
    hi = pd.Timestamp(end) if end is not None else dates[-1]
    keep = np.flatnonzero((dates >= lo) & (dates <= hi))
    if keep.size == 0:
        raise BadWindow(f"no fitted period lies from {start} to {end}", hint)
    return keep


def decomposition(
    store: Store,
    workspace_id: str,
    model_id: str,
    start: date | None = None,
    end: date | None = None,
) -> DecompositionOut:
    """Baseline components, channels and synergy pairs (models with ``interactions``) over the
    fitted periods, or over ``start``..``end``:
    per part the total and its share of the observed KPI of the window, with intervals; per
    channel also the window's spend and ROAS (and CPA for conversions), per draw
    ``ROAS = sum_window contribution / sum_window spend``. Contributions in a window include the
    carry-over of spend before it (the model's decomposition of those periods)."""
    r = fit_result(store, workspace_id, model_id)
    level = r.spec.interval
    keep = _window(pd.DatetimeIndex(r.dates), start, end)
    total_kpi = float(_national(r.observed).isel(time=keep).sum())
    base = _national(r.baseline).transpose("draw", "time", "component").isel(time=keep)
    contrib = _national(r.contributions).transpose("draw", "time", "channel").isel(time=keep)
    spend = _national(r.spend).transpose("time", "channel").isel(time=keep).sum("time")
    parts: list[tuple[Literal["baseline", "channel", "synergy"], str, xr.DataArray]] = [
        ("baseline", str(c), base.sel(component=c)) for c in base["component"].values
    ]
    parts += [("channel", c, contrib.sel(channel=c)) for c in r.channels]
    if r.interactions is not None:
        pairs = _national(r.interactions).transpose("draw", "time", "interaction").isel(time=keep)
        parts += [
            ("synergy", str(p), pairs.sel(interaction=p)) for p in pairs["interaction"].values
        ]
    items, series = [], {}
    for kind, name, da in parts:
        totals = da.sum("time").values
        share = totals / total_kpi if total_kpi else np.full_like(totals, np.nan)
        extra: dict[str, Any] = {}
        if kind == "channel":
            paid = float(spend.sel(channel=name))
            extra["spend"] = paid
            if paid > 0:
                extra["roas"] = _interval(totals / paid, level)
                if r.kpi_type == "conversions" and np.all(totals > 0):
                    extra["cpa"] = _interval(paid / totals, level)
        items.append(
            DecompositionItem(
                name=name,
                kind=kind,
                total=_interval(totals, level),
                share=_interval(share, level),
                **extra,
            )
        )
        series[name] = jsonable(da.mean("draw").values.tolist())
    dates = [_dates(r)[i] for i in keep]
    return DecompositionOut(
        model_id=model_id, interval=level, dates=dates, items=items, series=series
    )


def diagnostics(store: Store, workspace_id: str, model_id: str) -> DiagnosticsOut:
    folder = result_dir(store, workspace_id, model_id)
    summ = json.loads((folder / "summary.json").read_text())
    prov = provenance_of(folder)
    diag = dict(summ["diagnostics"])
    return DiagnosticsOut(
        model_id=model_id,
        approximate=bool(diag.pop("approximate")),
        converged=diag.pop("converged"),
        verdict=str(diag.pop("verdict")),
        convergence=jsonable(diag),
        fit=jsonable(summ["fit"]),
        provenance=jsonable(prov),  # the schema keeps what a reader needs
    )


def response_curves(
    store: Store,
    workspace_id: str,
    model_id: str,
    max_multiple: float = 3.0,
    n_points: int = 31,
    threshold: float | None = None,
    optimal: dict[str, float] | None = None,
) -> ResponseCurvesOut:
    r = fit_result(store, workspace_id, model_id)
    level = r.spec.interval
    rc = curves(r, max_multiple, n_points, optimal=optimal, threshold=threshold, level=level)
    frame, markers = rc.frame(), rc.markers()
    out = []
    for channel, part in frame.groupby("channel", sort=False):
        points = [
            CurvePoint(
                multiple=float(row.multiple),  # type: ignore[arg-type]
                spend=float(row.spend),  # type: ignore[arg-type]
                kpi=_from_row(row, "kpi"),
                mroas=_from_row(row, "mroas"),
            )
            for row in part.itertuples()
        ]
        out.append(
            ChannelCurve(
                channel=str(channel),
                points=points,
                markers=jsonable(markers.loc[channel].to_dict()),
            )
        )
    return ResponseCurvesOut(
        model_id=model_id, interval=level, threshold=rc.threshold, channels=out
    )


def _from_row(row: Any, prefix: str) -> Interval:
    return Interval(
        **jsonable(
            {k: float(getattr(row, f"{prefix}_{k}")) for k in ("mean", "median", "lo", "hi")}
        )
    )


def adstock(store: Store, workspace_id: str, model_id: str) -> AdstockOut:
    r = fit_result(store, workspace_id, model_id)
    level = r.spec.interval
    frame = adstock_profile(r, level)
    channels = []
    for channel, part in frame.groupby("channel", sort=False):
        first = part.iloc[0]
        channels.append(
            AdstockChannel(
                channel=str(channel),
                lags=[int(x) for x in part["lag"]],
                weight=Band(
                    mean=jsonable(part["weight_mean"].tolist()),
                    lo=jsonable(part["weight_lo"].tolist()),
                    hi=jsonable(part["weight_hi"].tolist()),
                ),
                half_life=Interval(
                    **jsonable(
                        {
                            "mean": float(first["halflife_mean"]),
                            "lo": float(first["halflife_lo"]),
                            "hi": float(first["halflife_hi"]),
                        }
                    )
                ),
            )
        )
    return AdstockOut(model_id=model_id, interval=level, channels=channels)
