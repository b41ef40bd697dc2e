"""Channel synergy as a PyMC-Marketing ``MuEffect`` (formula: :mod:`mixwise.model.interactions`).

Why a ``MuEffect``: it is PyMC-Marketing's supported extension point for additive terms of the
mean (``MMM.add_mu_effect``, the same route as :mod:`.trend`). ``build_model`` calls
``create_effect`` after it has registered the ``channel_contribution`` deterministic, so the
effect reads each channel's saturated, adstocked input from the model's own graph::

    s_c(t) = channel_contribution[t, c] / coefficient[c]        (beta, alpha or b by kind)

which is exactly FitResult's unit curve for every saturation kind (the catalogue's ``unit``),
without re-implementing or duplicating any transform. Subclassing ``MMM`` or rebuilding its
graph would tie mixwise to the library's private build steps; the effect instead goes through
the public protocol, keeps ``mu`` (and therefore the likelihood, the holdout evaluation model
and the compiled-model cache) consistent, and registers its own deterministic
``interaction_effect_contribution (date[, geo], interaction)`` in target-scaled units.
"""

from __future__ import annotations

from typing import Any

import pymc as pm
import pymc.dims as pmd
from pymc_extras.prior import Prior
from pymc_marketing.mmm.additive_effect import MuEffect
from pytensor.xtensor import as_xtensor

from mixwise.model.interactions import DIM, GAMMA, INTERACTION_SIGMA, label

PREFIX = "interaction"
CONTRIBUTION = f"{PREFIX}_effect_contribution"


class ChannelInteraction(MuEffect):
    """``sum_p gamma_p * s_a(p) * s_b(p)`` over the spec's pairs (module docstring)."""

    pairs: list[tuple[str, str]]
    channels: list[str]
    coefficient: str
    sigma: float = INTERACTION_SIGMA
    dims: tuple[str, ...] = ()
    prefix: str = PREFIX

    def create_data(self, mmm: Any) -> None:
        mmm.model.add_coord(DIM, [label(a, b) for a, b in self.pairs])

    def create_effect(self, mmm: Any) -> Any:
        model: pm.Model = mmm.model
        order = ("date", *self.dims, "channel")
        unit = (model["channel_contribution"] / model[self.coefficient]).transpose(*order).values
        first = [self.channels.index(a) for a, _ in self.pairs]
        second = [self.channels.index(b) for _, b in self.pairs]
        product = as_xtensor(unit[..., first] * unit[..., second], dims=(*order[:-1], DIM))
        gamma = Prior("Normal", mu=0.0, sigma=self.sigma, dims=(DIM,)).create_variable(
            GAMMA, xdist=True
        )
        term = pmd.Deterministic(CONTRIBUTION, (product * gamma).transpose(*order[:-1], DIM))
        return term.sum(dim=DIM)

    def set_data(self, mmm: Any, model: pm.Model, X: Any) -> None:
        """Nothing to update: the term reads the model's channel contributions."""
