"""Experiment, not product: the logistic saturation parametrised by its slope at zero.

    .venv/bin/python bench/saturation_slope_prototype.py [--variant slope|default] [--low-rank]

PyMC-Marketing's ``beta * logistic(x, lam)`` has ``beta`` and ``lam`` trading off along a ridge
(in the near-linear regime only ``beta * lam`` is identified), which is what makes NUTS take
~160 leapfrog steps per draw on the ``small`` synthetic preset (``bench/sampler_geometry.py``).
This prototype swaps in ``2 * slope / lam * logistic(x, lam)`` (``slope`` = the curve's slope at
zero, ``HalfNormal(3)``; ``lam`` keeps ``Gamma(3, 1)``: a different prior, so only the geometry
is comparable) and samples the model as mixwise builds it, printing per seed: sampling time,
leapfrog steps per draw, divergences, max R-hat and the lowest-ESS parameters. It swaps the
class in mixwise's engine table for this process only; results are not converted to a FitResult.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path
from typing import Any, ClassVar

from pymc_extras.prior import Prior
from pymc_marketing.mmm.components.saturation import SaturationTransformation
from pymc_marketing.mmm.transformers import logistic_saturation

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sampler_geometry import with_adaptation


class SlopeLogisticSaturation(SaturationTransformation):  # type: ignore[misc]
    """``f(x) = 2 * slope / lam * (1 - exp(-lam x)) / (1 + exp(-lam x))``; ``f'(0) = slope``."""

    lookup_name = "slope_logistic_prototype"
    default_priors: ClassVar[dict[str, Prior]] = {
        "lam": Prior("Gamma", alpha=3, beta=1),
        "slope": Prior("HalfNormal", sigma=3),
    }

    def function(self, x: Any, lam: Any, slope: Any, *, dim: str | None = None) -> Any:
        return 2 * slope / lam * logistic_saturation(x, lam)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--variant", choices=["slope", "default"], default="slope")
    p.add_argument("--low-rank", action="store_true", help="nutpie adaptation='low_rank'")
    p.add_argument("--seeds", type=int, default=2)
    args = p.parse_args()
    warnings.simplefilter("ignore")

    import arviz as az

    import mixwise.engines.bayesian.build as build
    from mixwise.engines.bayesian.design import build_design
    from mixwise.engines.bayesian.sample import run_nutpie
    from mixwise.model.spec import ModelSpec, SamplerSpec
    from mixwise.synthetic import generate, preset

    if args.variant == "slope":
        build.SATURATIONS["logistic"] = SlopeLogisticSaturation
    if args.low_rank:
        with_adaptation("low_rank")
    dataset = generate(preset("small")).to_dataset()
    for seed in range(1, args.seeds + 1):
        spec = ModelSpec(sampler=SamplerSpec(tune=1000, draws=1000, chains=4, seed=seed))
        mmm = build.build_mmm(build_design(dataset, spec), spec, dataset.kpi_type)
        out = run_nutpie(mmm.model, spec.sampler, lambda *a, **k: None)
        stats = out.idata["sample_stats"].to_dataset()
        posterior = out.idata["posterior"].to_dataset()
        free = [v.name for v in mmm.model.free_RVs]
        rhat, ess = az.rhat(posterior[free]), az.ess(posterior[free])
        worst = sorted((float(ess[v].min()), v) for v in free)[:3]
        print(
            f"{args.variant}{' low-rank' if args.low_rank else ''} seed {seed}: "
            f"sampling {out.timings['sample']:.1f} s, {float(stats['n_steps'].mean()):.0f} "
            f"steps/draw, {int(stats['diverging'].sum())} divergences, max R-hat "
            f"{max(float(rhat[v].max()) for v in free):.3f}, lowest bulk ESS "
            + ", ".join(f"{name} {value:.0f}" for value, name in worst),
            flush=True,
        )


if __name__ == "__main__":
    main()
