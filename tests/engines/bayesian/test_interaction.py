"""Channel synergy in the bayesian engine: the spec's pairs become a term of ``mu`` whose
per-draw values the numpy forward model reproduces (prior draws stand in for a posterior, as in
test_convert), and a pair naming an unknown channel is refused naming the field."""

from __future__ import annotations

import numpy as np
import pytest
from tests.engines.bayesian.test_convert import _prior_result

from mixwise.data.dataset import MMMDataset
from mixwise.engines.base import engine_capabilities
from mixwise.engines.bayesian import BayesianEngine
from mixwise.errors import SpecError
from mixwise.model.forward import forward_contributions, forward_interactions
from mixwise.model.interactions import GAMMA
from mixwise.model.spec import ModelSpec


@pytest.mark.slow  # compiles a PyMC model per case (about 20 s each)
@pytest.mark.parametrize(
    "extra",
    [
        {"saturation": {"kind": "logistic"}},
        {"saturation": {"kind": "tanh"}},
        {"parametrisation": "roas"},  # the coefficient is a deterministic of the ROAS
    ],
)
def test_forward_reproduces_the_engine_with_synergy(
    extra: dict[str, object], pymc_dataset: MMMDataset
) -> None:
    spec = ModelSpec.from_dict({"interactions": [["x1", "x2"]], **extra})
    params, spend, arrays = _prior_result(pymc_dataset, spec)
    assert params[GAMMA].dims == ("draw", "interaction")
    assert list(params["interaction"].values) == ["x1 + x2"]
    assert float(params[GAMMA].std()) > 0.1  # the prior's draws, not a constant
    ours = forward_interactions(params, spend)
    assert ours is not None
    theirs = arrays["interactions"]
    assert theirs.dims == ("draw", "time", "interaction")
    np.testing.assert_allclose(ours.values, theirs.values, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(
        forward_contributions(params, spend).values,
        arrays["contributions"].values,
        rtol=1e-6,
        atol=1e-9,
    )
    total = (
        arrays["contributions"].sum("channel")
        + arrays["baseline"].sum("component")
        + theirs.sum("interaction")
    )
    np.testing.assert_allclose(total.values, arrays["fitted"].values, rtol=1e-9, atol=1e-6)


@pytest.mark.slow
def test_forward_reproduces_the_engine_with_synergy_geo(geo_dataset: MMMDataset) -> None:
    spec = ModelSpec(interactions=[["Channel1", "Channel0"]])
    params, spend, arrays = _prior_result(geo_dataset, spec)
    ours = forward_interactions(params, spend)
    assert ours is not None and ours.dims == ("draw", "time", "geo", "interaction")
    np.testing.assert_allclose(ours.values, arrays["interactions"].values, rtol=1e-6, atol=1e-9)


def test_unknown_channel_in_a_pair_is_refused(pymc_dataset: MMMDataset) -> None:
    spec = ModelSpec(interactions=[["x1", "x2"], ["x1", "Radio"]])
    with pytest.raises(SpecError, match=r"interactions\.1: no channel 'Radio'"):
        BayesianEngine().fit(pymc_dataset, spec)


def test_no_pairs_no_synergy_term(pymc_dataset: MMMDataset) -> None:
    assert ModelSpec().interactions == []


@pytest.mark.parametrize("engine", ["ridge", "meridian"])
def test_engines_without_synergy_refuse_the_field(engine: str) -> None:
    spec = ModelSpec(interactions=[["x1", "x2"]])
    with pytest.raises(SpecError, match=f"interactions: the {engine} engine does not support it"):
        engine_capabilities(engine).check(engine, spec)


def test_capabilities_name_the_pair_with_an_unknown_channel(pymc_dataset: MMMDataset) -> None:
    spec = ModelSpec(interactions=[["Radio", "x2"]])
    with pytest.raises(SpecError, match=r"interactions\.0: no channel 'Radio'"):
        engine_capabilities("bayesian").check("bayesian", spec, pymc_dataset)
