"""Draws of each channel's coefficient prior, in FitResult's ``beta`` units.

The comparison of engines (``mixwise compare``) asks how far the data moved a channel's
coefficient away from its prior: the posterior contraction ``1 - var(posterior) / var(prior)``
(:func:`mixwise.model.agreement.contraction`) needs draws of the prior the fit used: the
channel's prior in the spec, else the spec's prior for every channel, else PyMC-Marketing's
default of the saturation kind (as :func:`mixwise.engines.bayesian.build.media_priors` chooses).
FitResult's ``beta`` is PyMC-Marketing's ``saturation_<coefficient>``, so the draws are directly
comparable with it.
"""

from __future__ import annotations

import logging

import numpy as np

from mixwise.engines.bayesian.build import default_media_priors
from mixwise.engines.bayesian.priors import to_prior
from mixwise.model.catalogue import SATURATIONS
from mixwise.model.spec import ModelSpec


def coefficient_prior_draws(
    spec: ModelSpec, channels: list[str], n: int, seed: int, geo: bool = False
) -> dict[str, np.ndarray] | None:
    """``channel -> (n,)`` draws of the coefficient's prior; ``None`` for geo models, whose
    coefficients are hierarchical (no single prior per channel)."""
    if geo:
        return None
    name = f"saturation_{SATURATIONS[spec.saturation.kind].coefficient}"
    default = default_media_priors(spec)[name]
    out = {}
    for j, ch in enumerate(channels):
        own = spec.channels[ch].priors.get(name) if ch in spec.channels else None
        given = own or spec.priors.get(name)
        prior = to_prior(given, name=f"priors.{name}") if given is not None else default.deepcopy()
        prior.dims = ()
        pymc_log = logging.getLogger("pymc")
        level = pymc_log.level
        pymc_log.setLevel(logging.WARNING)  # not "Sampling: [coefficient]" on the console
        try:
            sampled = prior.sample_prior(name="coefficient", draws=n, random_seed=seed + j)
        finally:
            pymc_log.setLevel(level)
        out[ch] = np.asarray(sampled["coefficient"].values, dtype=float).ravel()
    return out
