"""Where sampling time goes: leapfrog steps per draw, tree depth, lowest-ESS parameters.

    .venv/bin/python bench/sampler_geometry.py [--data small|pymc] [--reps 2]
        [--tune 1000] [--draws 1000] [--adaptation diag,low_rank] [--target-accept 0.9]
        [--saturation level,plain]

Fits the dataset through mixwise (4 chains, nutpie) once per adaptation and repetition (new
seed each) and prints, per fit: sampling time, mean leapfrog steps per draw and tree depth,
max R-hat, min bulk ESS, divergences and the parameters with the lowest bulk ESS. nutpie's
mass-matrix ``adaptation`` is not a mixwise setting (its ``low_rank`` is experimental), so this
bench passes it to ``nutpie.sample`` directly. ``--saturation plain`` samples the logistic
curve in PyMC-Marketing's own ``(beta, lam)`` coordinates instead of mixwise's ``(log_level,
lam)`` (``mixwise.engines.bayesian.saturation``: the same model, other coordinates).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from fit_speed import load_dataset  # noqa: E402


def with_adaptation(adaptation: str) -> None:
    """Make every ``nutpie.sample`` call use ``adaptation``."""
    import nutpie

    original = getattr(nutpie.sample, "__wrapped__", nutpie.sample)

    def sample(*args: Any, **kwargs: Any) -> Any:
        return original(*args, adaptation=adaptation, **kwargs)

    sample.__wrapped__ = original  # type: ignore[attr-defined]
    nutpie.sample = sample


def fit_once(dataset: Any, args: argparse.Namespace, seed: int) -> dict[str, Any]:
    import arviz as az

    import mixwise
    from mixwise.model.spec import ModelSpec, SamplerSpec

    sampler = SamplerSpec(
        tune=args.tune, draws=args.draws, chains=4, seed=seed, target_accept=args.target_accept
    )
    t0 = time.perf_counter()
    result = mixwise.fit(dataset, ModelSpec(sampler=sampler))
    wall = time.perf_counter() - t0
    stats = result.native.idata["sample_stats"].to_dataset()
    posterior = result.native.idata["posterior"].to_dataset()
    free = [v.name for v in result.native.model.free_RVs]
    ess = az.ess(posterior[free])
    worst = sorted((float(ess[v].min()), v) for v in free)[:3]
    d = result.diagnostics
    return {
        "wall": wall,
        "sample": result.provenance["timings"]["sample"],
        "steps": float(stats["n_steps"].mean()),
        "depth": float(stats["depth"].mean()) if "depth" in stats else float("nan"),
        "rhat": d.rhat_max,
        "ess": d.ess_bulk_min,
        "divergences": d.divergences,
        "worst": ", ".join(f"{name} {value:.0f}" for value, name in worst),
    }


def with_saturation(kind: str) -> None:
    """``level``: mixwise's sampling coordinates; ``plain``: PyMC-Marketing's (beta, lam)."""
    from mixwise.engines.bayesian import saturation

    original = getattr(saturation.supports, "__wrapped__", saturation.supports)

    def supports(prior: Any) -> bool:
        return kind == "level" and bool(original(prior))

    supports.__wrapped__ = original  # type: ignore[attr-defined]
    saturation.supports = supports


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default="small", choices=["small", "pymc"])
    p.add_argument("--reps", type=int, default=2)
    p.add_argument("--tune", type=int, default=1000)
    p.add_argument("--draws", type=int, default=1000)
    p.add_argument("--adaptation", default="diag,low_rank")
    p.add_argument("--target-accept", type=float, default=0.9)
    p.add_argument("--saturation", default="level", help="level and/or plain, comma-separated")
    args = p.parse_args()
    warnings.simplefilter("ignore")
    dataset = load_dataset(args.data)
    print(
        "| saturation | adaptation | rep | sampling | steps/draw | tree depth | max R-hat "
        "| min bulk ESS | divergences | lowest bulk ESS |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    for kind in args.saturation.split(","):
        with_saturation(kind)
        for adaptation in args.adaptation.split(","):
            with_adaptation(adaptation)
            runs = [fit_once(dataset, args, seed) for seed in range(1, args.reps + 1)]
            for rep, r in enumerate(runs):
                print(
                    f"| {kind} | {adaptation} | {rep} | {r['sample']:.1f} s | {r['steps']:.0f} "
                    f"| {r['depth']:.1f} | {r['rhat']:.3f} | {r['ess']:.0f} "
                    f"| {r['divergences']} | {r['worst']} |",
                    flush=True,
                )
            median = statistics.median(r["sample"] for r in runs)
            print(f"<!-- {kind} {adaptation}: median sampling {median:.1f} s -->", flush=True)


if __name__ == "__main__":
    main()
