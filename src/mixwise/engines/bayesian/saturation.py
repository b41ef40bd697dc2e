"""Logistic saturation sampled along the direction the data identify: same model, same priors.

PyMC-Marketing's logistic saturation is ``beta * L(x, lam)`` with ``L(x, lam) = tanh(lam x / 2)``
(written ``(1 - exp(-lam x)) / (1 + exp(-lam x))`` there). Weekly spend rarely pins ``beta`` and
``lam`` down separately: at spend levels the data has, only the response level ``beta * L(x, lam)``
is identified, so ``(log beta, log lam)`` lie on a long curved ridge (``log beta + log lam`` fixed
where the curve is still linear, ``log beta`` fixed where it is saturated). NUTS with a diagonal
mass matrix crawls along it: about 160 leapfrog steps per draw on the 104 x 5 synthetic set.

This class samples ``log_level = log beta + log L(x_ref, lam)`` (the log of the response at a
reference spend ``x_ref``, a channel's mean scaled training spend) and ``lam`` instead, and
keeps ``saturation_beta`` as a deterministic::

    log_level = log beta + log L(x_ref, lam),   beta = exp(log_level) / L(x_ref, lam)

``log_level`` is drawn as exactly that (``beta`` from its own prior, given ``lam``), so the
model, its priors and its posterior are *exactly* the original ones: the map
``(log_level, log lam) -> (log beta, log lam)`` is a shift given ``lam``, with Jacobian
determinant 1. Any ``x_ref`` gives the same posterior; a typical spend level only makes the
ridge straight. Everything downstream (contributions, FitResult's
``beta``, lift tests, ROAS priors) reads ``saturation_beta`` as before.

PyMC has no transform that couples two variables, which is why this is written here (as a
``CustomDist`` whose density PyMC derives); it applies
where ``beta``'s prior is a positive distribution that PyMC samples on the log scale (the default
``HalfNormal``, ``Gamma``, ``LogNormal``, ...) and has no nested priors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pymc as pm
import pymc.dims as pmd
import pytensor.tensor as pt
from pymc.logprob.transforms import LogTransform
from pymc_extras.prior import Prior
from pymc_marketing.mmm import LogisticSaturation
from pytensor.xtensor.basic import xtensor_from_tensor

LOG_LEVEL = "saturation_log_level"
REFERENCE = "saturation_reference"


def supports(prior: Prior) -> bool:
    """Whether :class:`LevelLogisticSaturation` can sample ``beta`` with this prior.

    Either a positive distribution PyMC samples on the log scale, without nested priors, or the
    geo models' non-centred log-normal (``Normal`` with a ``Normal`` mean prior, ``exp``).
    """
    if _is_hierarchical_log_normal(prior):
        return True
    if any(isinstance(v, Prior) for v in prior.parameters.values()):
        return False
    # the check needs the distribution, not per-channel values (a per-channel prior's values
    # carry a channel dim: a fresh scalar prior, not the prior with its dims cleared)
    first = {
        k: float(np.asarray(getattr(v, "values", v)).ravel()[0])
        for k, v in prior.parameters.items()
    }
    scalar = Prior(prior.distribution, transform=prior.transform, **first)
    with pm.Model(model=None) as scratch:  # not a child of a model being built
        rv = scalar.create_variable("beta")
    return isinstance(scratch.rvs_to_transforms.get(rv), LogTransform)


def _is_hierarchical_log_normal(prior: Prior) -> bool:
    mu = prior.parameters.get("mu")
    return (
        prior.distribution == "Normal"
        and prior.transform == "exp"
        and not prior.centered
        and isinstance(mu, Prior)
        and mu.distribution == "Normal"
        and not any(isinstance(v, Prior) for v in mu.parameters.values())
        and isinstance(prior.parameters.get("sigma"), Prior)
    )


def _parameters(prior: Prior) -> dict[str, Any]:
    """The prior's parameters as numbers or arrays along its (single) channel dim."""
    params = prior.parameters
    return {k: np.asarray(getattr(v, "values", v), dtype=float) for k, v in params.items()}


class LevelLogisticSaturation(LogisticSaturation):
    """``beta * tanh(lam x / 2)``, sampled as ``(log_level, lam)`` (module docstring)."""

    lookup_name = "mixwise_level_logistic"

    def __init__(self, reference: np.ndarray, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reference = np.asarray(reference, dtype=float)

    def _create_distributions(self, idx: Any = None) -> dict[str, Any]:
        if idx is not None:  # PyMC-Marketing only indexes priors for per-segment models
            return super()._create_distributions(idx)
        prior = self.function_priors["beta"]
        dims = tuple(prior.dims)
        # ``lam`` and ``beta`` are xtensors as PyMC-Marketing expects (lift tests index them);
        # what is built here uses plain PyTensor variables.
        lam_x = self.function_priors["lam"].create_variable("saturation_lam", xdist=True)
        lam = pmd.tensor_from_xtensor(lam_x)
        reference = pm.Data(REFERENCE, self.reference, dims=("channel",))
        log_m = pt.log(pt.tanh(lam * reference / 2))
        if _is_hierarchical_log_normal(prior):
            log_beta = _hierarchical_log_beta(prior, log_m)
        else:
            log_beta = _log_beta(prior, lam, reference, log_m)
        beta = pmd.Deterministic("saturation_beta", pmd.as_xtensor(pt.exp(log_beta), dims=dims))
        return {"lam": lam_x, "beta": beta}


def _register(name: str, rv: Any, dims: tuple[str, ...]) -> Any:
    """Register the tensor random variable ``rv`` as the model's free xtensor variable ``name``.

    PyMC-Marketing's posterior tools (``budget_optimizer``, sampling the posterior predictive
    on new spend) substitute every free variable with an xtensor of its draws, so a free
    variable must be an xtensor, as ``pymc.dims`` distributions are; PyMC derives the density
    through ``xtensor_from_tensor`` as it does for those.
    """
    model = pm.modelcontext(None)
    x = model.register_rv(xtensor_from_tensor(rv, dims=dims), name=name, dims=dims)
    return pmd.tensor_from_xtensor(x)


def _shape(dims: tuple[str, ...]) -> tuple[Any, ...]:
    model = pm.modelcontext(None)
    return tuple(model.dim_lengths[d] for d in dims)


def _log_beta(prior: Prior, lam: Any, reference: Any, log_m: Any) -> Any:
    """``log beta`` for a plain positive prior, through ``log_level`` (module docstring)."""
    distribution, parameters = prior.pymc_distribution, _parameters(prior)

    def log_level_dist(lam: Any, reference: Any, size: Any) -> Any:
        """``log beta + log L(x_ref, lam)`` with ``beta`` from its prior: PyMC derives the
        density of this shifted log (the prior's density of ``log beta``) itself."""
        beta = distribution.dist(**parameters, size=size)
        return pt.log(beta) + pt.log(pt.tanh(lam * reference / 2))

    dims = tuple(prior.dims)
    log_level_rv = pm.CustomDist.dist(lam, reference, dist=log_level_dist, shape=_shape(dims))
    return _register(LOG_LEVEL, log_level_rv, dims) - log_m


def _hierarchical_log_beta(prior: Prior, log_m: Any) -> Any:
    """Geo models: ``log beta[g, c] = mu[c] + sigma[c] z[g, c]``, with the shared mean sampled
    as ``level_mu[c] = mu[c] + log L(x_ref[c], lam[c])`` (``~ Normal(m + log L, s)`` when
    ``mu ~ Normal(m, s)``: the same shift, so the same model)."""
    mu_prior, sigma_prior = prior.parameters["mu"], prior.parameters["sigma"]
    mu, mu_dims = _parameters(mu_prior), tuple(mu_prior.dims)
    level_mu_rv = pm.Normal.dist(mu=mu["mu"] + log_m, sigma=mu["sigma"], shape=_shape(mu_dims))
    level_mu = _register(f"{LOG_LEVEL}_mu", level_mu_rv, mu_dims)
    sigma = pmd.tensor_from_xtensor(
        sigma_prior.create_variable("saturation_beta_sigma", xdist=True)
    )
    offset = pmd.tensor_from_xtensor(
        pmd.Normal("saturation_beta_offset", mu=0.0, sigma=1.0, dims=prior.dims)
    )
    return (level_mu - log_m) + sigma * offset
