"""Building PyMC-Marketing's MMM: the media priors (defaults, per-channel overrides, geo pooling),
the reference spend level, the Gaussian-process intercept's size, and lift tests that do not fit
the data. Nothing here builds or samples a PyMC model."""

from __future__ import annotations

import numpy as np
import pytest

from mixwise.data.dataset import MMMDataset
from mixwise.engines.bayesian.build import (
    _check_channel_geo,
    default_media_priors,
    media_priors,
    other_priors,
    reference_spend,
    transformations,
)
from mixwise.engines.bayesian.design import build_design
from mixwise.errors import SpecError
from mixwise.model.spec import ModelSpec

CHANNELS = ["x1", "x2"]


def _lam_override(dist: str = "Gamma", **kwargs: float) -> ModelSpec:
    prior = {"dist": dist, "kwargs": kwargs or {"alpha": 5.0, "beta": 2.0}}
    return ModelSpec.from_dict({"channels": {"x1": {"priors": {"saturation_lam": prior}}}})


def test_national_priors_are_pymc_marketings_defaults_per_channel() -> None:
    defaults = default_media_priors(ModelSpec())
    assert set(defaults) == {"adstock_alpha", "saturation_lam", "saturation_beta"}
    priors = media_priors(ModelSpec(), CHANNELS, geo=False)
    for name, default in defaults.items():
        assert priors[name].distribution == default.distribution
        assert priors[name].parameters == default.parameters
        assert priors[name].dims == ("channel",)


def test_a_per_channel_override_keeps_the_others_at_the_default() -> None:
    """x1's lam ~ Gamma(5, 2), x2 keeps the default Gamma(3, 1): one prior, values per channel."""
    lam = media_priors(_lam_override(), CHANNELS, geo=False)["saturation_lam"]
    assert (lam.distribution, lam.dims) == ("Gamma", ("channel",))
    np.testing.assert_array_equal(lam.parameters["alpha"], [5.0, 3.0])
    np.testing.assert_array_equal(lam.parameters["beta"], [2.0, 1.0])


def test_overrides_that_cannot_share_one_prior_name_the_field() -> None:
    with pytest.raises(
        SpecError, match=r"channels\.x1\.priors\.saturation_lam: per-channel priors"
    ):
        media_priors(_lam_override("HalfNormal", sigma=2.0), CHANNELS, geo=False)
    beta = ModelSpec.from_dict(
        {
            "channels": {
                "x2": {
                    "priors": {"saturation_beta": {"dist": "HalfNormal", "kwargs": {"sigma": 1}}}
                }
            }
        }
    )
    with pytest.raises(SpecError, match=r"channels\.x2\.priors\.saturation_beta: per-channel coe"):
        media_priors(beta, CHANNELS, geo=True)


def test_geo_models_pool_shapes_and_give_the_coefficient_a_hierarchy() -> None:
    priors = media_priors(ModelSpec(), CHANNELS, geo=True)
    assert priors["adstock_alpha"].dims == ("channel",)
    assert priors["saturation_lam"].dims == ("channel",)
    beta = priors["saturation_beta"]
    assert (beta.distribution, beta.dims, beta.centered, beta.transform) == (
        "Normal",
        ("geo", "channel"),
        False,
        "exp",
    )
    mu, sigma = beta.parameters["mu"], beta.parameters["sigma"]
    assert (mu.distribution, mu.parameters, mu.dims) == (
        "Normal",
        {"mu": -1.0, "sigma": 1.5},
        ("channel",),
    )
    assert (sigma.distribution, sigma.parameters) == ("HalfNormal", {"sigma": 0.5})


def test_reference_spend_is_mean_over_max_on_the_training_window(pymc_dataset: MMMDataset) -> None:
    spec = ModelSpec(holdout=20).resolved("weekly", pymc_dataset.n_periods)
    design = build_design(pymc_dataset, spec)
    spend = pymc_dataset.frame[CHANNELS].to_numpy(float)[:-20]
    np.testing.assert_allclose(reference_spend(design), spend.mean(0) / spend.max(0), rtol=1e-12)


def test_tanh_builds_pymc_marketings_tanh_saturation(pymc_dataset: MMMDataset) -> None:
    """The catalogue's tanh kind is PyMC-Marketing's ``TanhSaturation`` with its default
    priors on ``b`` (the coefficient) and ``c``, one value per channel."""
    from pymc_marketing.mmm import TanhSaturation

    spec = ModelSpec.from_dict({"saturation": {"kind": "tanh"}})
    spec = spec.resolved("weekly", pymc_dataset.n_periods)
    _, saturation = transformations(spec, build_design(pymc_dataset, spec))
    assert isinstance(saturation, TanhSaturation)
    assert set(saturation.function_priors) == {"b", "c"}
    for name, prior in saturation.function_priors.items():
        assert (prior.distribution, prior.dims) == ("HalfNormal", ("channel",)), name


@pytest.mark.parametrize(("n_train", "m"), [(20, 10), (179, 44), (1000, 200)])
def test_time_varying_intercept_size_follows_the_training_length(n_train: int, m: int) -> None:
    config = other_priors(ModelSpec(time_varying_intercept=True), (), n_train)
    assert config["intercept_tvp_config"]["m"] == m
    assert "intercept_tvp_config" not in other_priors(ModelSpec(), (), n_train)


def test_lift_tests_that_do_not_fit_the_data_name_the_field(
    pymc_dataset: MMMDataset, geo_dataset: MMMDataset
) -> None:
    spec = ModelSpec().resolved("weekly", pymc_dataset.n_periods)
    national = build_design(pymc_dataset, spec)
    with pytest.raises(SpecError, match=r"lift_tests\.1\.channel: no channel 'tv' in the dataset"):
        _check_channel_geo(national, "tv", None, "lift_tests.1")
    with pytest.raises(SpecError, match=r"lift_tests\.0\.geo: the dataset has no geos \(got 'N'\)"):
        _check_channel_geo(national, "x1", "N", "lift_tests.0")
    geo = build_design(geo_dataset, ModelSpec().resolved("weekly", geo_dataset.n_periods, True))
    with pytest.raises(SpecError, match=r"lift_tests\.0\.geo: a geo model needs the geo of each"):
        _check_channel_geo(geo, "Channel0", None, "lift_tests.0")
    _check_channel_geo(geo, "Channel0", "Geo1", "lift_tests.0")  # fits: no error
