"""Robyn's demo side by side: ROAS per channel of mixwise's chosen ridge model vs Robyn's own.

    .venv/bin/python bench/robyn_demo.py [--seeds 0 10 20] [--trials 5] [--iterations 2000]
                                         [--train-size 0.65] [--spend-scale 3] [--out DIR]
                                         [--json]

Fits ``robyn_dt_simulated_weekly.csv`` through ``mixwise fit --engine ridge`` (the product's
own path: spec, search, Pareto fronts, clusters, chosen model, bootstrap) with the settings of
Robyn's ``demo/demo.R``: window 2016-01-04 .. 2018-12-31 (demo.R says ``window_start =
"2016-01-01"``; the first Monday in the data on or after it is 2016-01-04), German holidays
(``holidays: {country: DE}``), geometric adstock, demo.R's hyperparameter ranges, 5 trials x
2000 iterations, ``ts_validation = FALSE``, the seed fixed. One fit per ``--seeds`` value;
trial ``t`` of seed ``s`` runs Nevergrad with seed ``s + t``, so seeds closer than ``--trials``
share trials (0 and 1 share four of five): space them by at least ``--trials``.
``--train-size`` turns on time-series validation with that training share (the published
one-pager below used it); ``--spend-scale`` multiplies every paid-media column (spend and
exposure) first, e.g. 3 for the data as it was before Robyn rescaled it; ``--exposure`` models
facebook and search on their exposure as demo.R does (``facebook_I``, ``search_clicks_P``):
the spend column is replaced by the exposure rescaled to the same total over the window, so
spend shares, DECOMP.RSSD and ROAS (effect / that total = effect / spend) keep their meaning.

Prints, per channel: the chosen model's ROAS (effect / spend over the window), the mean and
interval of its block-bootstrap refits (90%), the interval Robyn computes for the chosen
model's cluster (bootstrapped ROAS of the cluster's models, 95%), and the figures Robyn
publishes for its demo (quoted below with their source), also multiplied by 3: they were made
on the data before Robyn divided its paid-media columns by 3 (below).

What mixwise does differently, on purpose: the baseline is a linear trend + yearly Fourier
terms (order 2) + holiday dummies inside the ridge (no Prophet decomposition first), and media
enter as spend (as Robyn did when its one-pager below was made; since v3.12.0 demo.R fits
facebook and search on ``facebook_I`` and ``search_clicks_P``: see ``--exposure``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "datasets"
DATA = SHARED / "robyn_dt_simulated_weekly.csv"
MAPPING = REPO / "examples" / "mappings" / "robyn_dt_simulated_weekly.yaml"
PAID = ("tv", "ooh", "print", "search", "facebook")

# Robyn's demo hyperparameter ranges, quoted from demo/demo.R (facebookexperimental/Robyn,
# main at 5915aa9, lines 163-183, "Example hyperparameters ranges for Geometric adstock");
# Robyn's names -> the mapping's: tv_S -> tv, ooh_S -> ooh, print_S -> print,
# facebook_I -> facebook, search_clicks_P -> search, newsletter -> newsletter (organic).
# demo.R's train_size = c(0.5, 0.8) only matters with ts_validation = TRUE; demo.R runs
# ts_validation = FALSE.
DEMO_RANGES = {
    "tv": {"theta": [0.3, 0.8], "alpha": [0.5, 1], "gamma": [0.3, 1]},
    "ooh": {"theta": [0.1, 0.4], "alpha": [0.5, 1], "gamma": [0.3, 1]},
    "print": {"theta": [0.1, 0.4], "alpha": [0.5, 1], "gamma": [0.3, 1]},
    "search": {"theta": [0, 0.3], "alpha": [0.5, 3], "gamma": [0.3, 1]},
    "facebook": {"theta": [0, 0.3], "alpha": [0.5, 3], "gamma": [0.3, 1]},
    "newsletter": {"theta": [0.1, 0.4], "alpha": [0.5, 3], "gamma": [0.3, 1]},
}

# What Robyn publishes for its demo. demo/demo.R prints no numbers (it picks model "5_257_2"
# of the author's own run and never shows its ROAS). The only per-channel ROAS for this data
# and this window in Robyn's material is the example one-pager on the website's Features page
# ("Model onepager", https://facebookexperimental.github.io/Robyn/docs/features/#model-onepager),
# image website/static/img/modelresults2.png (Robyn repo, added 2023-09-15 in 71b67f3
# "doc: update onepagers"): "One-pager for Model ID: 1_143_2", Robyn v3.10.4.9004,
# modelled 2016 .. 2019-01, with time-series validation (Adj.R2 train 0.8976, val 0.7218,
# test 0.8753; NRMSE train 0.0732, val 0.6456, test 0.4844; DECOMP.RSSD 0.3989).
# Read off the image: "Total Spend% VS Effect% with total ROI" (roi) and "In-cluster
# bootstrapped ROI with 95% CI & mean" (mean [lo, hi]), both as printed (2-3 digits).
PUBLISHED_SOURCE = (
    "Robyn website, Features > Model onepager, image website/static/img/modelresults2.png "
    "(model 1_143_2, Robyn v3.10.4.9004)"
)
PUBLISHED = {
    "tv": {"roi": 0.99, "mean": 0.88, "lo": 0.72, "hi": 1.0},
    "ooh": {"roi": 0.69, "mean": 0.63, "lo": 0.54, "hi": 0.71},
    "print": {"roi": 3.34, "mean": 3.2, "lo": 2.9, "hi": 3.5},
    "search": {"roi": 5.89, "mean": 5.1, "lo": 3.9, "hi": 6.2},
    "facebook": {"roi": 4.29, "mean": 4.8, "lo": 4.1, "hi": 5.4},
}
# The one-pager predates a change of the data: Robyn commit d3cdc26 (2024-01-18, "adapt sample
# data for better interpretability") divided every paid-media column of dt_simulated_weekly
# (tv_S, ooh_S, print_S, facebook_S, search_S, facebook_I, search_clicks_P) by exactly 3 and left
# revenue, competitor_sales_B, newsletter and events as they were (checked by reading
# R/data/dt_simulated_weekly.RData at d152ad3 and at e4cfa2e, the version our CSV copies).
# Over 2016-01-04 .. 2018-12-31 the old data spends 37.7M, the current 12.6M; the one-pager's
# ROI and effects imply 37.6M. Geometric adstock is linear and Robyn's Hill inflexion is a share
# of each channel's own range, so the same model decomposes revenue identically on the rescaled
# data and its ROAS on the current data is the published ROI x 3.
SPEND_SCALE = 3.0
# The same one-pager's spend share and effect share per channel (%), to compare the split.
PUBLISHED_SHARES = {
    "tv": (20.6, 15.6),
    "ooh": (65.5, 34.5),
    "print": (4.8, 12.2),
    "search": (6.4, 29.0),
    "facebook": (2.7, 8.7),
}


PAID_COLUMNS = ("tv_S", "ooh_S", "print_S", "facebook_S", "search_S", "facebook_I")
PAID_COLUMNS += ("search_clicks_P",)
EXPOSURES = (("facebook_S", "facebook_I"), ("search_S", "search_clicks_P"))


def spec(seed: int, trials: int, iterations: int, train_size: float | None = None) -> dict:
    ridge_extra = {"ts_validation": False}
    if train_size is not None:
        ridge_extra = {"ts_validation": True, "train_size": train_size}
    return {
        "adstock": {"kind": "geometric"},
        "holidays": {"country": "DE"},
        "ridge": {
            "trials": trials,
            "iterations": iterations,
            "seed": seed,
            "start": "2016-01-04",
            "end": "2018-12-31",
            **ridge_extra,
            "ranges": DEMO_RANGES,
        },
    }


def fit_once(
    seed: int, trials: int, iterations: int, out: Path, data: Path, train_size: float | None
) -> tuple[dict, float]:
    """One ``mixwise fit --engine ridge``; returns its summary.json and the wall time."""
    from mixwise.cli.app import main

    out.mkdir(parents=True, exist_ok=True)
    spec_path = out / f"spec_seed{seed}.yaml"
    body = spec(seed, trials, iterations, train_size)
    spec_path.write_text(yaml.safe_dump(body, sort_keys=False))
    run = out / f"run_seed{seed}"
    args = ["fit", str(data), "--mapping", str(MAPPING), "--spec", str(spec_path)]
    args += ["--engine", "ridge", "--out", str(run)]
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        main(args)
    wall = time.perf_counter() - t0
    return json.loads((run / "summary.json").read_text()), wall


def rows(summary: dict) -> dict:
    """Per paid channel: chosen model's ROAS, bootstrap mean [lo, hi], its cluster's interval."""
    chosen = summary["chosen_model"]
    pareto = summary["pareto"]
    model = next(m for m in pareto["models"] if m["id"] == chosen)
    cluster = next(c for c in pareto["clusters"] if c["cluster"] == model["cluster"])
    spend = {c: summary["channels"][c]["spend"] for c in PAID}
    effect = {c: model["roas"][c] * spend[c] for c in PAID}
    out = {}
    for c in PAID:
        boot = summary["channels"][c]["roas"]
        out[c] = {
            "roas": model["roas"][c],
            "boot_mean": boot["mean"],
            "boot_lo": boot["lo"],
            "boot_hi": boot["hi"],
            "cluster_lo": cluster["roas_interval"][c]["lo"],
            "cluster_hi": cluster["roas_interval"][c]["hi"],
            "spend_share": 100 * spend[c] / sum(spend.values()),
            "effect_share": 100 * effect[c] / sum(effect.values()),
        }
    meta = {
        "chosen_model": chosen,
        "front": model["front"],
        "cluster": model["cluster"],
        "cluster_n": cluster["n"],
        "clusters": len(pareto["clusters"]),
        "pareto_models": len(pareto["models"]),
        "nrmse": model["nrmse"],
        "decomp_rssd": model["decomp_rssd"],
        "r2": summary["fit"]["in_sample"]["r2"],
        "interval": summary["interval"],
    }
    return {"meta": meta, "channels": out}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--train-size", type=float, default=None, help="ts_validation on")
    ap.add_argument("--spend-scale", type=float, default=1.0, help="paid media x this")
    ap.add_argument("--exposure", action="store_true", help="facebook, search on exposure")
    ap.add_argument("--out", type=Path, default=None, help="keep the runs here (default: temp)")
    ap.add_argument("--json", action="store_true", help="also print one RESULT json line")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        data = DATA
        if args.spend_scale != 1.0 or args.exposure:
            import pandas as pd

            frame = pd.read_csv(DATA)
            frame[list(PAID_COLUMNS)] *= args.spend_scale
            if args.exposure:
                dates = pd.to_datetime(frame["DATE"])
                inside = (dates >= "2016-01-04") & (dates <= "2018-12-31")
                for spend_col, exposure in EXPOSURES:
                    k = frame.loc[inside, spend_col].sum() / frame.loc[inside, exposure].sum()
                    frame[spend_col] = frame[exposure] * k
            out.mkdir(parents=True, exist_ok=True)
            data = out / "robyn_dt_simulated_weekly_variant.csv"
            frame.to_csv(data, index=False)
        results = {}
        for seed in args.seeds:
            summary, wall = fit_once(seed, args.trials, args.iterations, out, data, args.train_size)
            results[seed] = rows(summary)
            results[seed]["meta"]["wall_s"] = round(wall, 1)

    print(
        f"Robyn's demo: {DATA.name}, 2016-01-04 .. 2018-12-31, DE holidays, geometric, "
        f"demo.R ranges, {args.trials} trials x {args.iterations}"
        + (f", ts_validation train_size {args.train_size}" if args.train_size else "")
        + (f", paid media x {args.spend_scale:g}" if args.spend_scale != 1.0 else "")
        + (", facebook and search on exposure" if args.exposure else "")
    )
    for seed, res in results.items():
        m = res["meta"]
        print(
            f"\nseed {seed}: chosen model {m['chosen_model']} (front {m['front']}, cluster "
            f"{m['cluster']} of {m['clusters']}, {m['cluster_n']} models; "
            f"{m['pareto_models']} Pareto models), NRMSE {m['nrmse']:.4f}, "
            f"DECOMP.RSSD {m['decomp_rssd']:.4f}, R2 {m['r2']:.3f}, {m['wall_s']} s"
        )
        pct = round(100 * m["interval"])
        print(
            f"{'channel':>9} {'ROAS':>6} {f'bootstrap mean [{pct}%]':>24} "
            f"{'cluster [95%]':>15} {'spend%':>7} {'effect%':>8} | "
            f"{'Robyn ROI':>9} {'x3':>6} {'Robyn cluster mean [95%]':>25} {'x3':>19} "
            f"{'spend%':>7} {'effect%':>8}"
        )
        for c, r in res["channels"].items():
            p = PUBLISHED[c]
            ps, pe = PUBLISHED_SHARES[c]
            boot = f"{r['boot_mean']:.2f} [{r['boot_lo']:.2f}, {r['boot_hi']:.2f}]"
            clus = f"[{r['cluster_lo']:.2f}, {r['cluster_hi']:.2f}]"
            pub = f"{p['mean']:.2f} [{p['lo']:.2f}, {p['hi']:.2f}]"
            k = SPEND_SCALE
            pub3 = f"{k * p['mean']:.2f} [{k * p['lo']:.2f}, {k * p['hi']:.2f}]"
            print(
                f"{c:>9} {r['roas']:6.2f} {boot:>24} {clus:>15} {r['spend_share']:7.1f} "
                f"{r['effect_share']:8.1f} | {p['roi']:9.2f} {k * p['roi']:6.2f} {pub:>25} "
                f"{pub3:>19} {ps:7.1f} {pe:8.1f}"
            )
    print(f"\nRobyn's figures: {PUBLISHED_SOURCE}")
    print(
        "x3: the same figures on the current data (Robyn divided every paid-media column by 3 "
        "on 2024-01-18, commit d3cdc26, after the one-pager was made)"
    )
    if len(results) > 1:
        print("\nchosen model's ROAS across seeds:")
        for c in PAID:
            vals = [res["channels"][c]["roas"] for res in results.values()]
            print(f"{c:>9}: " + "  ".join(f"{v:6.2f}" for v in vals))
    if args.json:
        print("RESULT " + json.dumps({str(k): v for k, v in results.items()}))


if __name__ == "__main__":
    main()
