"""The Meridian worker: runs in the Meridian environment, never in mixwise's.

    <meridian-env>/bin/python worker.py RUN_DIR

reads ``RUN_DIR/bundle.json`` (the fit's settings) and ``RUN_DIR/frame.parquet`` (one row per
geo and period: ``geo``, ``time``, ``kpi``, ``population`` and the columns the bundle names),
fits Google Meridian, and writes ``RUN_DIR/draws.npz`` (posterior draws, Meridian's scales and,
per draw, Meridian's own incremental outcome from its ``Analyzer``) and ``RUN_DIR/done.json``
last, so a reader never sees half the output. Progress goes to stdout as one JSON object a line
(``{"stage", "fraction", "message"}``); errors go to stderr (the engine keeps that log).

This file imports only the standard library, numpy, pandas and meridian: it runs as a script
with the Meridian environment's Python, outside the mixwise package.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np


def report(stage: str, fraction: float, message: str = "") -> None:
    """One progress line on stdout for the engine to relay."""
    print(json.dumps({"stage": stage, "fraction": fraction, "message": message}), flush=True)


def input_data(frame: Any, bundle: dict[str, Any]) -> Any:
    """Meridian's ``InputData`` from the bundle's frame (spend is the media of paid channels)."""
    from meridian.data import data_frame_input_data_builder as b

    kpi_type = "revenue" if bundle["kpi_type"] == "revenue" else "non_revenue"
    builder = b.DataFrameInputDataBuilder(kpi_type=kpi_type)
    builder = builder.with_kpi(frame, kpi_col="kpi", time_col="time", geo_col="geo")
    builder = builder.with_population(frame, population_col="population", geo_col="geo")
    cols = bundle["columns"]
    if cols["controls"]:
        builder = builder.with_controls(frame, control_cols=cols["controls"])
    if bundle["channels"]:
        builder = builder.with_media(
            frame,
            media_cols=cols["spend"],
            media_spend_cols=cols["spend"],
            media_channels=bundle["channels"],
        )
    if cols.get("reach"):
        builder = builder.with_reach(
            frame,
            reach_cols=cols["reach"],
            frequency_cols=cols["frequency"],
            rf_spend_cols=cols["rf_spend"],
            rf_channels=bundle["rf_channels"],
            time_col="time",
        )
    if cols["organic"]:
        builder = builder.with_organic_media(
            frame,
            organic_media_cols=cols["organic"],
            organic_media_channels=bundle["organic"],
            media_time_col="time",
        )
    if cols["non_media"]:
        builder = builder.with_non_media_treatments(
            frame, non_media_treatment_cols=cols["non_media"]
        )
    return builder.build()


def model_spec(bundle: dict[str, Any], times: list[str]) -> Any:
    """Meridian's ``ModelSpec``: max_lag, knots, holdout (last periods) and ROI priors."""
    from meridian import backend
    from meridian.model import prior_distribution, spec

    kwargs: dict[str, Any] = {"max_lag": int(bundle["max_lag"])}
    if bundle.get("knots") is not None:
        kwargs["knots"] = bundle["knots"]
    n_holdout = int(bundle.get("holdout", 0))
    if n_holdout:
        kwargs["holdout"] = spec.HoldoutSpec(spec=[spec.DateRange(start_date=times[-n_holdout])])
    roi = bundle.get("roi_priors") or {}
    if roi:
        default = prior_distribution.PriorDistribution()
        mu = np.asarray(default.roi_m.parameters["loc"], dtype=np.float64) * np.ones(
            len(bundle["channels"]), dtype=np.float64
        )
        sigma = np.asarray(default.roi_m.parameters["scale"], dtype=np.float64) * np.ones(
            len(bundle["channels"]), dtype=np.float64
        )
        for i, name in enumerate(bundle["channels"]):
            if name in roi:
                mu[i], sigma[i] = roi[name]["mu"], roi[name]["sigma"]
        kwargs["prior"] = prior_distribution.PriorDistribution(
            roi_m=backend.tfd.LogNormal(mu, sigma, name="roi_m")
        )
    return spec.ModelSpec(**kwargs)


def fit(run: Path) -> None:
    """Fit the bundle in ``run`` and write ``draws.npz`` then ``done.json``."""
    t0 = time.perf_counter()
    bundle = json.loads((run / "bundle.json").read_text(encoding="utf-8"))
    report("loading", 0.02, "importing Meridian (TensorFlow)")
    import meridian
    import pandas as pd
    from meridian.analysis import analyzer
    from meridian.model import model

    t_import = time.perf_counter() - t0
    frame = pd.read_parquet(run / "frame.parquet")
    report("build", 0.1, "building Meridian's model")
    data = input_data(frame, bundle)
    times = [str(t) for t in data.kpi.coords["time"].values]
    mmm = model.Meridian(input_data=data, model_spec=model_spec(bundle, times))
    s = bundle["sampler"]
    report("sampling", 0.15, f"{s['chains']} chain(s), {s['n_adapt']} + {s['n_burnin']} warm-up")
    t1 = time.perf_counter()
    mmm.sample_posterior(
        n_chains=int(s["chains"]),
        n_adapt=int(s["n_adapt"]),
        n_burnin=int(s["n_burnin"]),
        n_keep=int(s["n_keep"]),
        seed=int(s["seed"]),
    )
    t_sample = time.perf_counter() - t1
    report("post-processing", 0.85, "Meridian's incremental outcome per draw")
    out = draws(mmm, analyzer.Analyzer(mmm))
    out["seconds"] = np.array([t_import, t_sample, time.perf_counter() - t0])
    np.savez(run / "draws.npz", **out)  # type: ignore[arg-type]
    geos = [str(g) for g in data.kpi.coords["geo"].values]  # Meridian sorts them naturally
    done = {"meridian_version": meridian.__version__, "times": times, "geos": geos}
    (run / "done.json").write_text(json.dumps(done), encoding="utf-8")
    report("post-processing", 0.95, "draws written")


def draws(mmm: Any, an: Any) -> dict[str, np.ndarray]:
    """Posterior draws ``(chain, draw, ...)`` and Meridian's scales and per-draw outcomes."""
    post = mmm.inference_data.posterior
    out = {
        name: np.asarray(post[name].values, dtype=np.float64)
        for name in ("alpha_m", "ec_m", "slope_m", "beta_gm", "tau_g", "mu_t", "sigma")
        if name in post
    }
    rf = ("alpha_rf", "ec_rf", "slope_rf", "beta_grf")
    for name in ("gamma_gc", "alpha_om", "ec_om", "slope_om", "beta_gom", "gamma_gn", *rf):
        if name in post:
            out[name] = np.asarray(post[name].values, dtype=np.float64)
    stats = mmm.inference_data.sample_stats
    if "diverging" in stats:
        out["diverging"] = np.asarray(stats["diverging"].values, dtype=bool)
    if mmm.media_tensors.media_transformer is not None:
        out["media_scale_gm"] = np.asarray(mmm.media_tensors.media_transformer.scale_factors_gm)
    if mmm.rf_tensors.reach_transformer is not None:  # reach & frequency channels
        out["reach_scale_grf"] = np.asarray(
            mmm.rf_tensors.reach_transformer.scale_factors_gm, dtype=np.float64
        )
    out["kpi_stdev"] = np.asarray(mmm.kpi_transformer.population_scaled_stdev, dtype=np.float64)
    out["kpi_mean"] = np.asarray(mmm.kpi_transformer.population_scaled_mean, dtype=np.float64)
    out["population"] = np.asarray(mmm.population, dtype=np.float64)
    if mmm.controls_scaled is not None:
        out["controls_scaled"] = np.asarray(mmm.controls_scaled, dtype=np.float64)
    out["knot_locations"] = np.asarray(mmm.knot_info.knot_locations, dtype=np.float64)
    # Meridian's own answers, per draw (chain, draw, geo, time, ...), in KPI units; channels
    # in Meridian's order: paid media, reach & frequency, organic, non-media treatments.
    kw = {"aggregate_geos": False, "aggregate_times": False, "use_kpi": True}
    out["incremental_outcome"] = np.asarray(
        an.incremental_outcome(include_non_paid_channels=True, **kw), dtype=np.float64
    )
    out["expected_outcome"] = np.asarray(an.expected_outcome(**kw), dtype=np.float64)
    if "beta_grf" in out:  # Meridian's optimal frequency (posterior mean ROI, grid 1 .. max)
        use_kpi = mmm.input_data.revenue_per_kpi is None
        if "prior" not in mmm.inference_data.groups():  # optimal_freq reports prior ROI too
            mmm.sample_prior(20, seed=0)
        freq = an.optimal_freq(use_kpi=use_kpi)
        out["optimal_frequency"] = np.asarray(freq["optimal_frequency"].values, dtype=np.float64)
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: worker.py RUN_DIR", file=sys.stderr)
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    fit(Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
