"""Geo model speed: the hierarchical model on Meridian's 40-geo sample panel, on this machine.

    .venv/bin/python bench/geo_speed.py [--geos 40] [--scaling 5,10,20] [--tune 300]
        [--draws 1000] [--target-accept 0.9] [--worst] [--write docs/benchmarks.md]

Fits ``meridian_geo_all_channels.csv`` (40 geos x 156 weeks x 5 channels; mapping
``examples/mappings/meridian_geo_all_channels.yaml``) with the default model and the given
sampler settings (4 chains): per-geo intercepts, trend, seasonality and control effects, channel
coefficients log-normal across geos around a shared mean, adstock and saturation shapes shared.
``--scaling`` first fits subsets of the first N geos (alphabetical) with the same settings, to
show how time grows with the panel. Reported: wall time of the fit call and its stages, the
number of sampled parameters, leapfrog steps per draw, max R-hat, min bulk and tail ESS,
divergences. The target is under 10 minutes on 2 cores (Meridian: 10-14 minutes on a T4 GPU).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "datasets"
sys.path.insert(0, str(REPO / "bench"))

from fit_speed import invocation, log, publish  # noqa: E402

TARGET_S = 600.0


def load_panel(n_geos: int | None) -> Any:
    """The Meridian sample panel, or its first ``n_geos`` geos."""
    import mixwise

    mapping = REPO / "examples" / "mappings" / "meridian_geo_all_channels.yaml"
    dataset = mixwise.load_dataset(SHARED / "meridian_geo_all_channels.csv", mapping)
    geo = dataset.mapping.geo
    geos = sorted(dataset.frame[geo].unique())
    if n_geos is None or n_geos >= len(geos):
        return dataset
    frame = dataset.frame[dataset.frame[geo].isin(geos[:n_geos])].reset_index(drop=True)
    return type(dataset)(frame=frame, mapping=dataset.mapping, frequency=dataset.frequency)


def fit_panel(n_geos: int | None, args: argparse.Namespace) -> dict[str, Any]:
    import mixwise
    from mixwise.model.spec import ModelSpec, SamplerSpec

    dataset = load_panel(n_geos)
    sampler = SamplerSpec(
        tune=args.tune,
        draws=args.draws,
        chains=4,
        seed=args.seed,
        target_accept=args.target_accept,
    )
    t0 = time.perf_counter()
    result = mixwise.fit(dataset, ModelSpec(sampler=sampler))
    wall = time.perf_counter() - t0
    d = result.diagnostics
    idata = result.native.idata
    if args.worst:
        print_worst(idata, [v.name for v in result.native.model.free_RVs])
    stats = idata["sample_stats"].to_dataset()
    first = idata["posterior"].to_dataset().isel(chain=0, draw=0)
    n_params = sum(int(first[v.name].size) for v in result.native.model.free_RVs)
    return {
        "geos": len(result.geos or []),
        "params": n_params,
        "wall": wall,
        "timings": result.provenance["timings"],
        "compiled_model": result.provenance.get("compiled_model"),
        "steps": float(stats["n_steps"].mean()),
        "rhat": d.rhat_max,
        "ess_bulk": d.ess_bulk_min,
        "ess_tail": d.ess_tail_min,
        "divergences": d.divergences,
        "r2": result.summary_dict()["fit"]["in_sample"]["r2"],
    }


def print_worst(idata: Any, free: list[str]) -> None:
    """Per free variable: its highest R-hat and lowest bulk ESS (to stderr)."""
    import arviz as az
    import numpy as np

    posterior = idata["posterior"].to_dataset()[free]
    rhat, ess = az.rhat(posterior), az.ess(posterior)
    for name in sorted(free, key=lambda v: -float(np.nanmax(rhat[v].values))):
        print(
            f"  {name} {tuple(posterior[name].shape[2:])}: R-hat max "
            f"{float(np.nanmax(rhat[name].values)):.3f}, bulk ESS min "
            f"{float(np.nanmin(ess[name].values)):.0f}",
            file=sys.stderr,
        )


def render(runs: list[dict[str, Any]], args: argparse.Namespace, command: str) -> str:
    full = runs[-1]
    converged = full["rhat"] <= 1.01 and full["ess_bulk"] >= 400 and not full["divergences"]
    if full["wall"] > TARGET_S:
        verdict = "missed: too slow"
    elif not converged:
        verdict = (
            "missed: in time, but not converged (R-hat <= 1.01, bulk ESS >= 400, no divergences)"
        )
    else:
        verdict = "met"
    lines = [
        "## Geo model",
        "",
        command,
        "",
        "Meridian's sample panel (`meridian_geo_all_channels.csv`: 40 geos x 156 weeks x 5 "
        "channels, conversions KPI, 2 controls) with the default model: per-geo intercept, "
        "trend, seasonality and control effects, channel coefficients log-normal across geos "
        "around a shared mean, adstock and saturation shapes shared by the geos. Spend is the "
        "media input; the organic impressions and the promo flag of the file are not used by "
        f"this engine. 4 chains x ({args.tune} tune + {args.draws} draws), "
        f"target_accept {args.target_accept}, "
        f"on 2 cores (load average {os.getloadavg()[0]:.1f} at the end).",
        "",
        "| geos | parameters | wall | compile | sampling | post-processing | steps/draw "
        "| max R-hat | min bulk / tail ESS | divergences | in-sample R² |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        t = r["timings"]
        lines.append(
            f"| {r['geos']} | {r['params']} | {r['wall']:.0f} s "
            f"| {t.get('compile', 0):.0f} s ({r['compiled_model']}) | {t['sample']:.0f} s "
            f"| {t['post-processing']:.0f} s | {r['steps']:.0f} | {r['rhat']:.3f} "
            f"| {r['ess_bulk']:.0f} / {r['ess_tail']:.0f} | {r['divergences']} | {r['r2']:.3f} |"
        )
    lines += [
        "",
        f"Full panel: {full['wall'] / 60:.1f} minutes against the 10-minute target for a "
        f"converged fit ({verdict}).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--geos", type=int, default=40)
    p.add_argument("--scaling", default="", help="comma-separated subset sizes to fit first")
    p.add_argument("--tune", type=int, default=300)
    p.add_argument("--draws", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--target-accept", type=float, default=0.9)
    p.add_argument("--worst", action="store_true", help="print R-hat and ESS per parameter")
    p.add_argument("--write", type=Path, help="replace the '## Geo model' section of this file")
    args = p.parse_args()
    warnings.simplefilter("ignore")
    sizes = [int(s) for s in args.scaling.split(",") if s] + [args.geos]
    runs = []
    for n in sizes:
        run = fit_panel(n, args)
        runs.append(run)
        log(
            f"{n} geos: {run['wall']:.0f} s {run['timings']}, R-hat {run['rhat']:.3f}, "
            f"ESS {run['ess_bulk']:.0f}"
        )
    publish(render(runs, args, invocation("geo_speed.py")), "## Geo model", args.write)


if __name__ == "__main__":
    main()
