"""The ``meridian`` engine: Google Meridian, fitted by a worker in its own environment, as a
:class:`FitResult` (``--engine meridian``).

Stages: ``build`` (the spec resolved and checked, the bundle written to a temporary run folder),
the worker's ``loading`` / ``build`` / ``sampling`` / ``post-processing`` (relayed), then
conversion (:mod:`.convert`) and diagnostics (R-hat, ESS, divergences of Meridian's chains).
The run folder is removed after a fit; a failed worker's folder is kept for its log
(:mod:`.process`). mixwise never imports TensorFlow or meridian.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from mixwise.data.dataset import MMMDataset
from mixwise.engines.base import CancellableEngine, package_versions
from mixwise.engines.diagnostics import nuts_diagnostics
from mixwise.engines.meridian import convert, environment
from mixwise.engines.meridian.bundle import build_bundle, write_bundle
from mixwise.engines.meridian.options import ENGINE, roi_priors
from mixwise.engines.meridian.process import DONE, run_worker
from mixwise.errors import EngineFailed
from mixwise.model.result import Diagnostics, FitResult
from mixwise.model.spec import ModelSpec
from mixwise.progress import Progress

WORKER_SPAN = (0.05, 0.9)
"""Overall progress fractions covered by the worker."""


def meridian_spec(spec: ModelSpec, dataset: MMMDataset) -> ModelSpec:
    """``spec`` resolved for ``dataset`` as Meridian fits it: geometric adstock (normalised),
    Hill saturation, no Fourier seasonality or changepoint trend (its knots instead)."""
    spec = spec.resolved(dataset.frequency, dataset.n_periods, geo=dataset.has_geo)
    return spec.model_copy(
        update={
            "adstock": spec.adstock.model_copy(update={"kind": "geometric", "normalize": True}),
            "saturation": spec.saturation.model_copy(update={"kind": "hill"}),
            "seasonality": spec.seasonality.model_copy(update={"yearly_order": 0}),
        }
    )


def _diagnose(draws: dict[str, np.ndarray], channels: list[str], geos: list[str]) -> Diagnostics:
    post = convert.posterior(draws, channels, geos)
    stats = xr.Dataset()
    if "diverging" in draws:
        stats["diverging"] = xr.DataArray(draws["diverging"], dims=("chain", "draw"))
    idata = xr.DataTree.from_dict({"/sample_stats": stats})
    return nuts_diagnostics(post, idata, "fewer knots in meridian.knots, stronger ROI priors")


class MeridianEngine(CancellableEngine):
    """Google Meridian in its own environment (see the module docstring)."""

    name = ENGINE

    def _fit(self, dataset: MMMDataset, spec: ModelSpec, progress: Progress) -> FitResult:
        t0 = time.perf_counter()
        python = environment.require()
        progress("build", 0.0, "writing the data bundle for the Meridian worker")
        spec = meridian_spec(spec, dataset)
        frame, bundle = build_bundle(dataset, spec)
        run = Path(tempfile.mkdtemp(prefix="mixwise-meridian-"))
        write_bundle(run, frame, bundle)
        lo, hi = WORKER_SPAN

        def relay(stage: str, fraction: float, message: str = "") -> None:
            progress(stage, lo + (hi - lo) * fraction, message)

        try:
            run_worker(python, run, relay)
        except EngineFailed:
            for name in ("frame.parquet", "draws.npz"):  # keep the log and the settings
                (run / name).unlink(missing_ok=True)
            raise
        except BaseException:  # cancelled: nothing is kept
            shutil.rmtree(run, ignore_errors=True)
            raise
        try:
            progress("post-processing", hi, "converting Meridian's draws")
            with np.load(run / "draws.npz") as f:
                draws = {k: f[k] for k in f.files}
            done = json.loads((run / DONE).read_text(encoding="utf-8"))
            result = self._convert(dataset, spec, draws, done)
        finally:
            shutil.rmtree(run, ignore_errors=True)
        seconds = draws["seconds"]
        result.provenance["timings"] = {
            "import": round(float(seconds[0]), 3),
            "sampling": round(float(seconds[1]), 3),
            "worker": round(float(seconds[2]), 3),
            "total": round(time.perf_counter() - t0, 3),
        }
        progress("post-processing", 1.0, "done")
        return result

    def _convert(
        self,
        dataset: MMMDataset,
        spec: ModelSpec,
        draws: dict[str, np.ndarray],
        done: dict[str, Any],
    ) -> FitResult:
        channels = list(dataset.channels)
        geos = dataset.geos if dataset.has_geo else None
        if geos is not None:
            draws = convert.align_geos(draws, list(done["geos"]), geos)
        dates = pd.DatetimeIndex(done["times"])
        kept = convert.keep(draws, spec.max_draws, spec.sampler.seed)
        l_max = min(int(spec.adstock.l_max or 1), len(dates))
        params = convert.params_dataset(draws, kept, channels, geos, l_max)
        arrays = convert.series(
            draws,
            kept,
            channels,
            geos,
            dates,
            draws.get("controls_scaled"),
            n_organic=len(dataset.mapping.organic),
        )
        ds = dataset.to_xarray()
        observed = ds["kpi"] if geos is not None else ds["kpi"].sum("geo")
        spend = ds["spend"] if geos is not None else ds["spend"].sum("geo")
        diagnostics = _diagnose(draws, channels, dataset.geos)
        provenance = {
            "engine": ENGINE,
            "versions": {
                **package_versions("mixwise", "numpy"),
                "google-meridian": str(done["meridian_version"]),
            },
            "interval_kind": "posterior",
            "seed": spec.sampler.seed,
            "spec": spec.to_dict(full=True),
            "data_fingerprint": dataset.fingerprint(),
            "findings": [f.to_dict() for f in dataset.findings],
            "periods": {
                "start": str(dates[0].date()),
                "end": str(dates[-1].date()),
                "train_end": str(dates[len(dates) - spec.holdout - 1].date()),
                "holdout": spec.holdout,
            },
            "meridian": {
                "max_lag": l_max - 1,
                "knots": [int(k) for k in np.asarray(draws["knot_locations"]).ravel()],
                "roi_priors": roi_priors(spec),
            },
            "priors": {
                f"roi_m[{c}]": f"LogNormal(mu={p['mu']:.4g}, sigma={p['sigma']:.4g})"
                for c, p in roi_priors(spec).items()
            },
            "created_at": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        }
        return FitResult(
            params=params,
            contributions=arrays["contributions"],
            baseline=arrays["baseline"],
            fitted=arrays["fitted"],
            observed=observed.transpose("time", ...),
            spend=spend.transpose("time", ..., "channel"),
            spec=spec,
            diagnostics=diagnostics,
            provenance=provenance,
            kpi_type=dataset.kpi_type,
            frequency=dataset.frequency,
            n_holdout=spec.holdout,
        )


__all__ = ["MeridianEngine"]
