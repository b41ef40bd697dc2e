"""A spec's priors (plain data) become PyMC ``Prior`` objects in the engine only."""

from __future__ import annotations

import inspect

import pymc as pm
import pytest

from mixwise.engines.bayesian.priors import to_prior
from mixwise.errors import SpecError
from mixwise.model.prior_spec import DISTRIBUTIONS, PriorSpec


def test_prior_spec_builds_pymc_prior() -> None:
    spec = PriorSpec.model_validate(
        {"dist": "HalfNormal", "kwargs": {"sigma": {"dist": "HalfNormal", "kwargs": {"sigma": 2}}}}
    )
    prior = to_prior(spec, dims=("channel",))
    assert prior.distribution == "HalfNormal"
    assert prior.dims == ("channel",)
    assert prior.parameters["sigma"].distribution == "HalfNormal"
    assert prior.parameters["sigma"].parameters["sigma"] == 2.0


@pytest.mark.parametrize("dist", sorted(DISTRIBUTIONS))
def test_the_specs_distribution_table_is_pymcs(dist: str) -> None:
    """Every distribution the spec accepts exists in PyMC with those parameter names."""
    accepted = set(inspect.signature(getattr(pm, dist).dist).parameters)
    assert DISTRIBUTIONS[dist] <= accepted, DISTRIBUTIONS[dist] - accepted


def test_pymc_refusals_name_the_field() -> None:
    """A prior that skipped the spec's checks (constructed directly) is refused by PyMC; the
    error names the spec field."""
    unchecked = PriorSpec.model_construct(dist="Gama", kwargs={})
    with pytest.raises(SpecError, match=r"priors\.saturation_lam: Gama"):
        to_prior(unchecked, name="priors.saturation_lam")
