"""``PriorSpec``: a prior as plain data, ``{dist: Gamma, kwargs: {alpha: 3, beta: 1}}``.

The spec validates a prior without PyMC: the distribution must be one of
:data:`DISTRIBUTIONS` and its parameters among that distribution's (any of PyMC's
parametrisations, e.g. Gamma by ``alpha, beta`` or ``mu, sigma``). The Bayesian engine turns it
into a ``pymc_extras.prior.Prior`` (:func:`mixwise.engines.bayesian.priors.to_prior`).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationError, field_validator

from mixwise.model.spec_base import SpecBlock, is_number

DISTRIBUTIONS: dict[str, frozenset[str]] = {
    "Normal": frozenset({"mu", "sigma", "tau"}),
    "HalfNormal": frozenset({"sigma", "tau"}),
    "TruncatedNormal": frozenset({"mu", "sigma", "tau", "lower", "upper"}),
    "LogNormal": frozenset({"mu", "sigma", "tau"}),
    "Gamma": frozenset({"alpha", "beta", "mu", "sigma"}),
    "InverseGamma": frozenset({"alpha", "beta", "mu", "sigma"}),
    "Beta": frozenset({"alpha", "beta", "mu", "sigma", "nu"}),
    "Exponential": frozenset({"lam", "scale"}),
    "Laplace": frozenset({"mu", "b"}),
    "StudentT": frozenset({"nu", "mu", "sigma", "lam"}),
    "HalfStudentT": frozenset({"nu", "sigma", "lam"}),
    "HalfCauchy": frozenset({"beta"}),
    "Cauchy": frozenset({"alpha", "beta"}),
    "Uniform": frozenset({"lower", "upper"}),
    "Weibull": frozenset({"alpha", "beta"}),
}
"""Distributions a spec may name -> their parameter names (PyMC's)."""


class PriorSpec(SpecBlock):
    """A prior as a dict: ``{dist: Gamma, kwargs: {alpha: 3, beta: 1}}``.

    ``kwargs`` values are numbers, lists of numbers, or nested priors (hierarchical priors).
    """

    dist: str = Field(min_length=1)
    kwargs: dict[str, Any] = Field(default_factory=dict)

    @field_validator("kwargs")
    @classmethod
    def _kwargs_values(cls, v: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in v.items():
            if isinstance(value, PriorSpec):
                out[key] = value
            elif isinstance(value, dict):
                try:
                    out[key] = PriorSpec.model_validate(value)
                except ValidationError as exc:
                    err = exc.errors()[0]
                    where = ".".join(str(x) for x in err["loc"])
                    msg = str(err["msg"]).removeprefix("Value error, ")
                    raise ValueError(f"{key}{'.' + where if where else ''}: {msg}") from None
            elif is_number(value) or (isinstance(value, list) and all(map(is_number, value))):
                out[key] = (
                    float(value) if not isinstance(value, list) else [float(x) for x in value]
                )
            else:
                raise ValueError(
                    f"{key} must be a number, a list of numbers or a prior (got {value!r})"
                )
        return out

    def _check(self) -> None:
        known = DISTRIBUTIONS.get(self.dist)
        if known is None:
            raise ValueError(
                f"unknown distribution {self.dist!r}; known: {', '.join(sorted(DISTRIBUTIONS))}"
            )
        unknown = set(self.kwargs) - known
        if unknown:
            raise ValueError(
                f"{self.dist}: parameters {unknown} are not among {', '.join(sorted(known))}"
            )

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
