"""The logistic saturation sampled as (log_level, lam) is exactly PyMC-Marketing's model.

``LevelLogisticSaturation`` changes the sampler's coordinates, not the model: at corresponding
points the log-density (Jacobian included) must equal that of the model built with
PyMC-Marketing's own ``LogisticSaturation``, and the prior of ``saturation_beta`` must still be
the stated one. National and geo (non-centred log-normal across geos) cases.
"""

from __future__ import annotations

import numpy as np
import pymc as pm
import pymc.dims as pmd
import pytest
from scipy import stats

from mixwise.data.dataset import MMMDataset
from mixwise.engines.bayesian import build
from mixwise.engines.bayesian import saturation as level
from mixwise.engines.bayesian.design import build_design
from mixwise.model.spec import ModelSpec

pytestmark = pytest.mark.slow  # builds PyMC models (a few seconds each)


def _models(dataset: MMMDataset, spec: ModelSpec, monkeypatch: pytest.MonkeyPatch):
    spec = spec.resolved(dataset.frequency, dataset.n_periods)
    design = build_design(dataset, spec)
    ours = build.build_mmm(design, spec, dataset.kpi_type).model
    with monkeypatch.context() as m:
        m.setattr(level, "supports", lambda prior: False)
        theirs = build.build_mmm(design, spec, dataset.kpi_type).model
    return ours, theirs, build.reference_spend(design)


def _log_m(point: dict[str, np.ndarray], reference: np.ndarray) -> np.ndarray:
    lam = np.exp(point["saturation_lam_log__"])
    return np.log(np.tanh(lam * reference / 2))


def _random_points(model: pm.Model, n: int, seed: int) -> list[dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    start = model.initial_point()
    return [
        {k: v + rng.normal(0, 0.7, size=np.shape(v)) for k, v in start.items()} for _ in range(n)
    ]


def test_national_density_equals_pymc_marketing(
    pymc_dataset: MMMDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, theirs, reference = _models(pymc_dataset, ModelSpec(), monkeypatch)
    assert "saturation_log_level" in ours.named_vars and "saturation_beta" in theirs.named_vars
    assert {v.name for v in ours.free_RVs} - {v.name for v in theirs.free_RVs} == {
        "saturation_log_level"
    }
    logp_ours, logp_theirs = ours.compile_logp(), theirs.compile_logp()
    for point in _random_points(ours, 5, seed=1):
        mapped = {k: v for k, v in point.items() if k != "saturation_log_level"}
        mapped["saturation_beta_log__"] = point["saturation_log_level"] - _log_m(point, reference)
        assert logp_ours(point) == pytest.approx(logp_theirs(mapped), rel=1e-9, abs=1e-8)


def test_geo_density_equals_pymc_marketing(
    geo_dataset: MMMDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, theirs, reference = _models(geo_dataset, ModelSpec(), monkeypatch)
    names = {v.name for v in theirs.free_RVs}
    assert {"saturation_beta_raw_mu", "saturation_beta_raw_offset"} <= names
    logp_ours, logp_theirs = ours.compile_logp(), theirs.compile_logp()
    for point in _random_points(ours, 5, seed=2):
        mapped = {
            k: v
            for k, v in point.items()
            if k not in {"saturation_log_level_mu", "saturation_beta_sigma_log__"}
            and k != "saturation_beta_offset"
        }
        mapped["saturation_beta_raw_mu"] = point["saturation_log_level_mu"] - _log_m(
            point, reference
        )
        mapped["saturation_beta_raw_sigma_log__"] = point["saturation_beta_sigma_log__"]
        mapped["saturation_beta_raw_offset"] = point["saturation_beta_offset"]
        assert set(mapped) == set(theirs.initial_point())
        assert logp_ours(point) == pytest.approx(logp_theirs(mapped), rel=1e-9, abs=1e-8)


def test_prior_of_beta_is_unchanged(pymc_dataset: MMMDataset) -> None:
    """Drawn through log_level, beta's prior is still PyMC-Marketing's HalfNormal(2)."""
    spec = ModelSpec().resolved(pymc_dataset.frequency, pymc_dataset.n_periods)
    mmm = build.build_mmm(build_design(pymc_dataset, spec), spec, pymc_dataset.kpi_type)
    with mmm.model:
        prior = pm.sample_prior_predictive(draws=2000, var_names=["saturation_beta"], random_seed=3)
    beta = prior["prior"]["saturation_beta"].values.reshape(-1, 2)
    for c in range(2):
        assert stats.kstest(beta[:, c], stats.halfnorm(scale=2).cdf).pvalue > 1e-3


def test_per_channel_beta_priors_keep_the_level_sampler_and_each_channels_prior(
    pymc_dataset: MMMDataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``channels.x1.priors.saturation_beta`` with logistic saturation (this failed to build:
    the support check cleared the dims of a prior whose values carry a channel dim): the
    model is still PyMC-Marketing's (same density) and each channel's beta has its own prior."""
    narrow = {"dist": "HalfNormal", "kwargs": {"sigma": 0.5}}
    spec = ModelSpec.from_dict({"channels": {"x1": {"priors": {"saturation_beta": narrow}}}})
    ours, theirs, reference = _models(pymc_dataset, spec, monkeypatch)
    assert "saturation_log_level" in ours.named_vars
    logp_ours, logp_theirs = ours.compile_logp(), theirs.compile_logp()
    for point in _random_points(ours, 5, seed=4):
        mapped = {k: v for k, v in point.items() if k != "saturation_log_level"}
        mapped["saturation_beta_log__"] = point["saturation_log_level"] - _log_m(point, reference)
        assert logp_ours(point) == pytest.approx(logp_theirs(mapped), rel=1e-9, abs=1e-8)
    with ours:
        prior = pm.sample_prior_predictive(draws=2000, var_names=["saturation_beta"], random_seed=5)
    beta = prior["prior"]["saturation_beta"].values.reshape(-1, 2)
    for c, sigma in enumerate((0.5, 2.0)):  # x1 its own, x2 PyMC-Marketing's HalfNormal(2)
        assert stats.kstest(beta[:, c], stats.halfnorm(scale=sigma).cdf).pvalue > 1e-3


def test_other_priors_keep_pymc_marketings_saturation(pymc_dataset: MMMDataset) -> None:
    """A beta prior not sampled on log scale (a truncated Normal) keeps the plain class."""
    truncated = {"dist": "TruncatedNormal", "kwargs": {"mu": 1, "sigma": 1, "lower": 0}}
    spec = ModelSpec.from_dict({"priors": {"saturation_beta": truncated}})
    spec = spec.resolved(pymc_dataset.frequency, pymc_dataset.n_periods)
    design = build_design(pymc_dataset, spec)
    model = build.build_mmm(design, spec, pymc_dataset.kpi_type).model
    assert "saturation_log_level" not in model.named_vars
    assert "saturation_beta" in {v.name for v in model.free_RVs}


@pytest.mark.parametrize("dataset_name", ["pymc_dataset", "geo_dataset"])
def test_pymc_marketing_posterior_tools_read_the_reparametrised_model(
    dataset_name: str, request: pytest.FixtureRequest
) -> None:
    """PyMC-Marketing's budget optimizer conditions the model on draws of its free variables
    (as xtensors); the contributions it rebuilds must equal the model's own at those draws."""
    import pytensor
    import xarray as xr
    from pymc_marketing.pytensor_utils import extract_response_distribution

    dataset: MMMDataset = request.getfixturevalue(dataset_name)
    spec = ModelSpec().resolved(dataset.frequency, dataset.n_periods)
    model = build.build_mmm(build_design(dataset, spec), spec, dataset.kpi_type).model
    with model:
        prior = pm.sample_prior_predictive(draws=20, random_seed=4)
    draws = prior["prior"].to_dataset()
    response = extract_response_distribution(
        model, xr.DataTree.from_dict({"posterior": draws}), "channel_contribution"
    )
    rebuilt = pytensor.function([], pmd.tensor_from_xtensor(response))()
    expected = draws["channel_contribution"].stack(sample=("chain", "draw"))
    expected = expected.transpose("sample", ...)
    np.testing.assert_allclose(rebuilt, expected.values, rtol=1e-9)
