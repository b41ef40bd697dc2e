"""A spec's :class:`~mixwise.model.prior_spec.PriorSpec` (plain data) as a PyMC ``Prior``."""

from __future__ import annotations

from pymc_extras.prior import Prior

from mixwise.errors import SpecError
from mixwise.model.prior_spec import PriorSpec


def to_prior(spec: PriorSpec, dims: tuple[str, ...] | None = None, name: str = "prior") -> Prior:
    """``Prior(dist, dims=dims, **kwargs)``, nested priors built the same way.

    Raises :class:`SpecError` naming ``name`` (the spec field) when PyMC refuses the values.
    """
    kwargs = {
        k: to_prior(v, name=f"{name}.kwargs.{k}") if isinstance(v, PriorSpec) else v
        for k, v in spec.kwargs.items()
    }
    try:
        return Prior(spec.dist, **kwargs) if dims is None else Prior(spec.dist, dims=dims, **kwargs)
    except Exception as exc:  # PyMC raises ValueError / UnsupportedDistributionError
        raise SpecError(
            f"{name}: {spec.dist}: {exc}", "Check the distribution's parameters."
        ) from None
