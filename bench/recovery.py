"""Recovery: does mixwise find the true ROAS of synthetic data, with honest intervals?

    .venv/bin/python bench/recovery.py [--seeds 8] [--tune 500] [--draws 1000]
        [--settings noise4,noise8,weeks156] [--write docs/benchmarks.md]

For each setting, the generator makes ``--seeds`` datasets (seeds 1..N) whose true ROAS per
channel is known, mixwise fits each with the default model (geometric adstock, logistic
saturation, trend, yearly seasonality, controls, events), and we report per setting: the mean
and the largest absolute relative ROAS error of the posterior mean, ``|mean / truth - 1|``
(pooled over channels and seeds), the coverage of the 90% intervals (the share of channel-fits
whose interval contains the truth; about 90% is honest), R-hat and ESS, and the fit time (fits
of one setting share a model structure, so after the first the compiled model is reused).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from fit_speed import invocation, log, publish  # noqa: E402


def _small(update: dict[str, Any]) -> Callable[[], Any]:
    def make() -> Any:
        from mixwise.data.synthetic import preset

        return preset("small").model_copy(update=update)

    return make


SETTINGS: dict[str, tuple[str, Callable[[], Any]]] = {
    "noise4": ("104 weeks x 5 channels, noise 4% (the `small` preset)", _small({})),
    "noise8": ("104 weeks x 5 channels, noise 8%", _small({"noise": 0.08})),
    "weeks156": ("156 weeks x 5 channels, noise 4%", _small({"n_periods": 156})),
}


def fit_one(config: Any, seed: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """One synthetic dataset and fit; one row per channel."""
    import mixwise
    from mixwise.data.synthetic import generate
    from mixwise.model.spec import ModelSpec, SamplerSpec

    data = generate(config, seed=seed)
    sampler = SamplerSpec(tune=args.tune, draws=args.draws, chains=4, seed=seed, reruns=args.reruns)
    spec = ModelSpec(sampler=sampler)
    t0 = time.perf_counter()
    result = mixwise.fit(data.to_dataset(), spec)
    wall = time.perf_counter() - t0
    channels = result.summary_dict()["channels"]
    d = result.diagnostics
    rows = []
    for name, truth in data.truth.channels.items():
        roas = channels[name]["roas"]
        rows.append(
            {
                "seed": seed,
                "channel": name,
                "truth": truth.roas,
                "mean": roas["mean"],
                "error": abs(roas["mean"] / truth.roas - 1),
                "covered": roas["lo"] <= truth.roas <= roas["hi"],
                "rhat": d.rhat_max,
                "ess": d.ess_bulk_min,
                "divergences": d.divergences,
                "wall": wall,
                "compiled_model": result.provenance.get("compiled_model"),
                "reruns": result.provenance.get("reruns", 0),
            }
        )
    return rows


def render(results: dict[str, list[dict]], args: argparse.Namespace, command: str) -> str:
    lines = [
        "## Recovery",
        "",
        command,
        "",
        f"Seeds 1..{args.seeds} per setting; 4 chains x ({args.tune} tune + {args.draws} draws), "
        f"up to {args.reruns} rerun(s) with twice the tune and draws while R-hat > 1.01 or "
        "ESS < 400 (diagnostics of the kept run). "
        "ROAS error = |posterior mean / truth - 1|, pooled over channels and seeds; coverage = "
        "share of channel-fits whose 90% interval contains the true ROAS.",
        "",
        "| setting | fits | mean ROAS error | median | max | 90% coverage | max R-hat "
        "| min bulk ESS | divergences | reruns | fit time (median) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, rows in results.items():
        errors = [r["error"] for r in rows]
        fits = {r["seed"]: r for r in rows}.values()
        lines.append(
            f"| {SETTINGS[key][0]} | {len(fits)} | {statistics.mean(errors):.1%} "
            f"| {statistics.median(errors):.1%} | {max(errors):.1%} "
            f"| {sum(r['covered'] for r in rows) / len(rows):.0%} "
            f"| {max(f['rhat'] for f in fits):.3f} | {min(f['ess'] for f in fits):.0f} "
            f"| {sum(f['divergences'] for f in fits)} | {sum(f['reruns'] for f in fits)} "
            f"| {statistics.median(f['wall'] for f in fits):.1f} s |"
        )
    lines += ["", "Per channel (mean over seeds of the relative error; coverage over seeds):", ""]
    channels = list(dict.fromkeys(r["channel"] for rows in results.values() for r in rows))
    lines += [
        "| setting | " + " | ".join(channels) + " |",
        "|---|" + "---:|" * len(channels),
    ]
    for key, rows in results.items():
        cells = []
        for ch in channels:
            mine = [r for r in rows if r["channel"] == ch]
            covered = sum(r["covered"] for r in mine)
            cells.append(
                f"{statistics.mean(r['error'] for r in mine):.0%} ({covered}/{len(mine)}; "
                f"true {mine[0]['truth']:.1f})"
            )
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join([*lines, ""])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", type=int, default=8)
    p.add_argument("--tune", type=int, default=500)
    p.add_argument("--draws", type=int, default=1000)
    p.add_argument("--reruns", type=int, default=0, help="mixwise sampler.reruns")
    p.add_argument("--settings", default=",".join(SETTINGS))
    p.add_argument("--write", type=Path, help="replace the '## Recovery' section of this file")
    args = p.parse_args()
    warnings.simplefilter("ignore")
    results: dict[str, list[dict]] = {}
    for key in args.settings.split(","):
        config = SETTINGS[key][1]()
        results[key] = []
        for seed in range(1, args.seeds + 1):
            rows = fit_one(config, seed, args)
            results[key] += rows
            worst = max(r["error"] for r in rows)
            log(
                f"{key} seed {seed}: R-hat {rows[0]['rhat']:.3f}, worst ROAS error {worst:.0%}, "
                f"covered {sum(r['covered'] for r in rows)}/{len(rows)}, {rows[0]['wall']:.0f} s"
            )
    publish(render(results, args, invocation("recovery.py")), "## Recovery", args.write)


if __name__ == "__main__":
    main()
