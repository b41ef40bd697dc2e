"""The data bundle the Meridian worker reads: ``frame.parquet`` + ``bundle.json`` in a run
folder (see ``worker.py``), from an :class:`MMMDataset` and a resolved :class:`ModelSpec`.

The frame has one row per geo and period: ``geo``, ``time`` (ISO date), ``kpi``,
``population`` (1 for national data, as Meridian uses), ``spend_<i>`` per paid channel (spend is
also each channel's media: FitResult's forward model is in spend), ``reach_<i>``,
``frequency_<i>`` and ``rf_spend_<i>`` per reach & frequency channel (``bundle["rf_channels"]``;
they are not among ``bundle["channels"]``), ``control_<i>`` (controls,
then event dummies when ``spec.events``), ``organic_<i>``, ``non_media_<i>`` (non-media
treatments).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.engines.meridian.options import knots, roi_priors
from mixwise.model.spec import ModelSpec


def _columns(ds: Any, var: str, dim: str, prefix: str, frame: dict[str, np.ndarray]) -> list[str]:
    if var not in ds:
        return []
    names = []
    for i in range(ds.sizes[dim]):
        name = f"{prefix}_{i}"
        frame[name] = ds[var].isel({dim: i}).transpose("geo", "time").values.ravel()
        names.append(name)
    return names


def _rf_columns(ds: Any, rf: list[str], frame: dict[str, np.ndarray]) -> dict[str, list[str]]:
    """``reach_<i>``, ``frequency_<i>`` and ``rf_spend_<i>`` of the reach & frequency channels
    (Meridian's ``with_reach``), in the order of ``rf``."""
    out: dict[str, list[str]] = {"reach": [], "frequency": [], "rf_spend": []}
    for i, name in enumerate(rf):
        for var, source in (("reach", "reach"), ("frequency", "frequency"), ("rf_spend", "spend")):
            dim = "channel" if source == "spend" else "rf_channel"
            col = f"{var}_{i}"
            frame[col] = ds[source].sel({dim: name}).transpose("geo", "time").values.ravel()
            out[var].append(col)
    return out


def build_bundle(dataset: MMMDataset, spec: ModelSpec) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The worker's frame and settings (module docstring; ``spec`` already resolved)."""
    ds = dataset.to_xarray()
    geos, times = [str(g) for g in ds["geo"].values], pd.DatetimeIndex(ds["time"].values)
    n_geo, n_time = len(geos), len(times)
    pop = ds["population"].values if "population" in ds else np.ones(n_geo)
    cols: dict[str, np.ndarray] = {
        "geo": np.repeat(geos, n_time),
        "time": np.tile(times.strftime("%Y-%m-%d"), n_geo),
        "kpi": ds["kpi"].transpose("geo", "time").values.ravel(),
        "population": np.repeat(np.asarray(pop, dtype=float), n_time),
    }
    rf = list(dataset.mapping.rf_channels)
    media = [c for c in dataset.channels if c not in rf]
    spend = _columns(ds.sel(channel=media), "spend", "channel", "spend", cols)
    rf_cols = _rf_columns(ds, rf, cols) if rf else {"reach": [], "frequency": [], "rf_spend": []}
    controls = _columns(ds, "controls", "control", "control", cols) if spec.controls else []
    if spec.events and "events" in ds:
        events = _columns(ds, "events", "event", "event", cols)
        controls += events
    organic = _columns(ds, "organic", "organic", "organic", cols)
    non_media = _columns(ds, "non_media", "non_media", "non_media", cols)
    sampler = spec.sampler
    bundle = {
        "kpi_type": dataset.kpi_type,
        "channels": media,
        "rf_channels": rf,
        "organic": list(dataset.mapping.organic),
        "columns": {
            "spend": spend,
            "controls": controls,
            "organic": organic,
            "non_media": non_media,
            **rf_cols,
        },
        "max_lag": int(spec.adstock.l_max or 1) - 1,
        "knots": knots(spec),
        "holdout": int(spec.holdout),
        "roi_priors": roi_priors(spec),
        "sampler": {
            "chains": sampler.chains,
            "n_adapt": sampler.tune,
            "n_burnin": sampler.tune if spec.meridian.n_burnin is None else spec.meridian.n_burnin,
            "n_keep": sampler.draws,
            "seed": sampler.seed,
        },
    }
    return pd.DataFrame(cols), bundle


def write_bundle(run: Path, frame: pd.DataFrame, bundle: dict[str, Any]) -> None:
    """Write ``frame.parquet`` and ``bundle.json`` into the worker's run folder."""
    frame.to_parquet(run / "frame.parquet", index=False)
    (run / "bundle.json").write_text(json.dumps(bundle, indent=2), encoding="utf-8")
