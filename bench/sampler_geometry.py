"""Where sampling time goes: leapfrog steps per draw, tree depth, lowest-ESS parameters.

    .venv/bin/python bench/sampler_geometry.py [--data small|pymc] [--reps 2]
        [--tune 1000] [--draws 1000] [--adaptation diag,low_rank] [--target-accept 0.9]
        [--saturation level,plain] [--perturbed]
        [--nutpie "adaptation=low_rank,mass_matrix_eigval_cutoff=10;sampler=mclmc"]
        [--correlations]

Fits the dataset through mixwise (4 chains, nutpie) once per adaptation and repetition (new
seed each) and prints, per fit: sampling time, mean leapfrog steps per draw and tree depth,
max R-hat, min bulk ESS, divergences, the parameters with the lowest bulk ESS and highest
R-hat, and where the divergent transitions lie (the parameter whose mean over divergent draws
is furthest from its posterior mean, in posterior standard deviations). nutpie's mass-matrix
``adaptation`` and its other options are not mixwise settings (``low_rank`` and ``mclmc`` are
experimental), so this bench passes them to ``nutpie.sample`` directly: ``--nutpie`` takes
``;``-separated configurations of ``,``-separated ``key=value`` options and replaces
``--adaptation``. ``--perturbed`` refits the KPI perturbed by 2% noise per repetition, as the
warm refits of bench/fit_speed.py do. ``--correlations`` prints, after each fit, the condition
number of the posterior correlation matrix on the sampler's (unconstrained) scale and the
parameters of its three flattest directions: what a diagonal mass matrix cannot adapt to.
``--saturation plain`` samples the logistic curve in PyMC-Marketing's own ``(beta, lam)``
coordinates instead of mixwise's ``(log_level, lam)`` (``mixwise.engines.bayesian.saturation``:
the same model, other coordinates).
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

from fit_speed import load_dataset, perturbed  # noqa: E402


def nutpie_options(config: str) -> dict[str, Any]:
    """``"adaptation=low_rank,mass_matrix_eigval_cutoff=10"`` -> keyword arguments."""
    out: dict[str, Any] = {}
    for item in filter(None, config.split(",")):
        key, _, text = item.partition("=")
        value: Any = text
        for kind in (int, float):
            try:
                value = kind(text)
                break
            except ValueError:
                pass
        out[key.strip()] = value
    return out


def with_options(options: dict[str, Any]) -> None:
    """Make every ``nutpie.sample`` call use ``options``."""
    import nutpie

    original = getattr(nutpie.sample, "__wrapped__", nutpie.sample)

    def sample(*args: Any, **kwargs: Any) -> Any:
        return original(*args, **{**kwargs, **options})

    sample.__wrapped__ = original  # type: ignore[attr-defined]
    nutpie.sample = sample


def correlations(result: Any) -> str:
    """Condition number and flattest directions of the posterior correlation (unconstrained)."""
    import numpy as np

    idata, model = result.native.idata, result.native.model
    unconstrained, posterior = idata["unconstrained_posterior"], idata["posterior"]
    columns, names = [], []
    for rv in model.free_RVs:
        value = model.rvs_to_values[rv].name
        da = unconstrained[value] if value in unconstrained else posterior[rv.name]
        flat = da.values.reshape(da.shape[0] * da.shape[1], -1)
        for i in range(flat.shape[1]):
            columns.append(flat[:, i])
            names.append(f"{value}[{i}]" if flat.shape[1] > 1 else value)
    eigval, eigvec = np.linalg.eigh(np.corrcoef(np.array(columns)))
    lines = [f"{len(names)} parameters, condition number {eigval[-1] / eigval[0]:.0f}"]
    for k in range(3):
        top = np.argsort(-np.abs(eigvec[:, k]))[:4]
        loadings = ", ".join(f"{names[i]} {eigvec[i, k]:+.2f}" for i in top)
        lines.append(f"eigenvalue {eigval[k]:.3f}: {loadings}")
    return "<!-- " + "; ".join(lines) + " -->"


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
    rhat = az.rhat(posterior[free])
    highest = sorted(((float(rhat[v].max()), v) for v in free), reverse=True)[:2]
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
        "rhat_worst": ", ".join(f"{name} {value:.3f}" for value, name in highest),
        "divergent_at": divergent_at(posterior[free], stats["diverging"].values),
        "correlations": correlations(result) if args.correlations else None,
    }


def divergent_at(posterior: Any, diverging: Any) -> str:
    """The parameter whose divergent draws sit furthest from its mean, in posterior sds."""
    if not diverging.any():
        return "-"
    shifts = []
    for name, da in posterior.data_vars.items():
        values = da.values.reshape(*diverging.shape, -1)
        sd = values.std(axis=(0, 1))
        shift = (values[diverging].mean(axis=0) - values.mean(axis=(0, 1))) / sd
        for i, z in enumerate(shift):
            label = f"{name}[{i}]" if values.shape[-1] > 1 else name
            shifts.append((abs(float(z)), float(z), label))
    _, z, label = max(shifts)
    return f"{label} {z:+.1f} sd"


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
    p.add_argument("--nutpie", default=None, help="';'-separated nutpie option sets (docstring)")
    p.add_argument("--perturbed", action="store_true", help="new KPI noise per repetition")
    p.add_argument("--correlations", action="store_true", help="posterior correlation summary")
    args = p.parse_args()
    warnings.simplefilter("ignore")
    dataset = load_dataset(args.data)
    adaptations = [f"adaptation={a}" for a in args.adaptation.split(",")]
    configs = args.nutpie.split(";") if args.nutpie else adaptations
    print(
        "| saturation | nutpie options | rep | sampling | steps/draw | tree depth | max R-hat "
        "| min bulk ESS | divergences | lowest bulk ESS | highest R-hat | divergent draws at |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|"
    )
    for kind in args.saturation.split(","):
        with_saturation(kind)
        for config in configs:
            options = nutpie_options(config)
            with_options({**options, "store_unconstrained": True} if args.correlations else options)
            runs = []
            for seed in range(1, args.reps + 1):
                data = perturbed(dataset, 100 + seed) if args.perturbed else dataset
                r = fit_once(data, args, seed)
                runs.append(r)
                print(
                    f"| {kind} | {config} | {seed - 1} | {r['sample']:.1f} s | {r['steps']:.0f} "
                    f"| {r['depth']:.1f} | {r['rhat']:.3f} | {r['ess']:.0f} "
                    f"| {r['divergences']} | {r['worst']} | {r['rhat_worst']} "
                    f"| {r['divergent_at']} |",
                    flush=True,
                )
                if r["correlations"]:
                    print(r["correlations"], flush=True)
            median = statistics.median(r["sample"] for r in runs)
            missed = sum(r["rhat"] > 1.01 or r["ess"] < 400 for r in runs)
            print(
                f"<!-- {kind} {config}: median sampling {median:.1f} s, "
                f"{missed} of {len(runs)} below the bar -->",
                flush=True,
            )


if __name__ == "__main__":
    main()
