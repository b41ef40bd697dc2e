"""Convergence diagnostics of a NUTS posterior (any engine that samples with NUTS: bayesian,
meridian), with a verdict a person can act on."""

from __future__ import annotations

import math
import warnings

import arviz as az
import numpy as np
import xarray as xr

from mixwise.model.result import Diagnostics

RHAT_MAX = 1.01
ESS_PER_CHAIN = 100
BFMI_MIN = 0.3


def approximate_diagnostics() -> Diagnostics:
    return Diagnostics(
        approximate=True,
        converged=None,
        verdict="approximate posterior (quick mode): no convergence diagnostics",
    )


def _extreme(ds: xr.Dataset, how: str) -> float:
    values = [np.asarray(v.values, dtype=float).ravel() for v in ds.data_vars.values()]
    flat = np.concatenate(values) if values else np.array([np.nan])
    flat = flat[np.isfinite(flat)]
    if flat.size == 0:
        return math.nan
    return float(flat.max() if how == "max" else flat.min())


SIMPLIFY = "lower seasonality order, fewer changepoints, stronger priors"
"""How to simplify a Bayesian-engine model whose chains did not mix (the verdict's advice)."""


def nuts_diagnostics(
    posterior: xr.Dataset, idata: xr.DataTree, simplify: str = SIMPLIFY
) -> Diagnostics:
    """R-hat, bulk/tail ESS over ``posterior``'s variables; divergences, BFMI from ``idata``;
    ``simplify`` says how to simplify the engine's model in the verdict."""
    n_chains = int(posterior.sizes["chain"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rhat = _extreme(az.rhat(posterior), "max")
        ess_bulk = _extreme(az.ess(posterior, method="bulk"), "min")
        ess_tail = _extreme(az.ess(posterior, method="tail"), "min")
        stats = idata["sample_stats"].to_dataset()
        divergences = int(stats["diverging"].sum()) if "diverging" in stats else 0
    bfmi = energy_bfmi(stats["energy"]) if "energy" in stats else math.nan
    return _verdict(rhat, ess_bulk, ess_tail, divergences, bfmi, n_chains, simplify)


def mixing_problems(rhat: float | None, ess: float | None, n_chains: int) -> list[str]:
    """What says the chains have not mixed: R-hat above :data:`RHAT_MAX` (with more than one
    chain), or ESS (the smaller of bulk and tail) under :data:`ESS_PER_CHAIN` per chain. NaN
    counts as a problem; None (not measured) does not."""
    ess_min = ESS_PER_CHAIN * n_chains
    problems = []
    if n_chains > 1 and rhat is not None and not rhat <= RHAT_MAX:
        problems.append(f"chains disagree (R-hat {rhat:.3f} > {RHAT_MAX})")
    if ess is not None and not ess >= ess_min:
        problems.append(f"too few effective draws (ESS {ess:.0f} < {ess_min})")
    return problems


def mixing_shortfall(d: Diagnostics, n_chains: int) -> str | None:
    """Why the chains have not mixed well enough to report (:func:`mixing_problems`), or None.
    This is what more or longer chains can fix; divergences and BFMI need other settings (see
    the verdict)."""
    tails = [x for x in (d.ess_bulk_min, d.ess_tail_min) if x is not None]
    return " and ".join(mixing_problems(d.rhat_max, min(tails, default=None), n_chains)) or None


def energy_bfmi(energy: xr.DataArray) -> float:
    """Smallest per-chain E-BFMI: mean((E_t - E_{t-1})^2) / var(E)."""
    e = np.asarray(energy.transpose("chain", "draw").values, dtype=float)
    if e.shape[1] < 2:
        return math.nan
    return float(np.min(np.mean(np.diff(e, axis=1) ** 2, axis=1) / np.var(e, axis=1)))


def _verdict(
    rhat: float,
    ess_bulk: float,
    ess_tail: float,
    divergences: int,
    bfmi: float,
    n_chains: int,
    simplify: str = SIMPLIFY,
) -> Diagnostics:
    problems = mixing_problems(rhat, min(ess_bulk, ess_tail), n_chains)
    if divergences:
        problems.append(f"{divergences} divergent transitions")
    if math.isfinite(bfmi) and bfmi < BFMI_MIN:
        problems.append(f"low energy BFMI ({bfmi:.2f} < {BFMI_MIN})")
    if problems:
        advice = "raise tune and draws"
        if divergences:
            advice = "raise target_accept (e.g. 0.95) and tune"
        verdict = (
            f"did not converge: {'; '.join(problems)}. Do not trust these numbers yet: "
            f"{advice}, or simplify the model ({simplify})."
        )
    else:
        verdict = "converged: chains agree and every diagnostic is within its threshold"

    def clean(x: float) -> float | None:
        return float(x) if math.isfinite(x) else None

    return Diagnostics(
        approximate=False,
        converged=not problems,
        verdict=verdict,
        rhat_max=clean(rhat),
        ess_bulk_min=clean(ess_bulk),
        ess_tail_min=clean(ess_tail),
        divergences=divergences,
        bfmi_min=clean(bfmi),
    )
