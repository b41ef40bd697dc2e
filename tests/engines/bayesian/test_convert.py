"""FitResult's formula holds for every adstock x saturation kind, without sampling.

Draws from the prior stand in for a posterior: the engine's conversion turns them into
``params``, and the numpy forward model must reproduce PyMC-Marketing's own
``channel_contribution`` for each draw (national and geo, normalised or not).
"""

from __future__ import annotations

import numpy as np
import pymc as pm
import pytest

from mixwise.data.dataset import MMMDataset
from mixwise.engines.bayesian import convert
from mixwise.engines.bayesian.build import build_mmm
from mixwise.engines.bayesian.design import build_design
from mixwise.engines.draws import thin
from mixwise.model.forward import forward_contributions
from mixwise.model.spec import ModelSpec

pytestmark = pytest.mark.slow  # compiles a PyMC model per case (about 20 s each)

KINDS = [
    ("geometric", "logistic", True),
    ("delayed", "hill", True),
    ("weibull_cdf", "michaelis_menten", False),
    ("weibull_pdf", "logistic", True),
]


def _prior_result(dataset: MMMDataset, spec: ModelSpec, draws: int = 40):
    spec = spec.resolved(dataset.frequency, dataset.n_periods)
    design = build_design(dataset, spec)
    mmm = build_mmm(design, spec, dataset.kpi_type)
    with mmm.model:
        free = [v.name for v in mmm.model.free_RVs]
        prior = pm.sample_prior_predictive(draws=draws, var_names=free, random_seed=4)
    posterior = prior["prior"].to_dataset()
    thinned = thin(posterior[free], 1000, 0)
    det = convert.deterministics(thinned, mmm.model)
    kpi_scale = mmm.scalers["_target"].astype(float)
    params = convert.params_dataset(
        det, spec, mmm.scalers["_channel"].astype(float), kpi_scale, thinned, design.geos
    )
    arrays = convert.series(det, design, kpi_scale)
    _, spend = convert.observed_and_spend(design)
    return params, spend, arrays


@pytest.mark.parametrize(("adstock", "saturation", "normalize"), KINDS)
def test_forward_formula_for_every_kind(
    adstock: str, saturation: str, normalize: bool, pymc_dataset: MMMDataset
) -> None:
    spec = ModelSpec(
        adstock={"kind": adstock, "l_max": 6, "normalize": normalize},
        saturation={"kind": saturation},
    )
    params, spend, arrays = _prior_result(pymc_dataset, spec)
    assert params.attrs["adstock"] == adstock and params.attrs["saturation"] == saturation
    ours = forward_contributions(params, spend).values
    theirs = arrays["contributions"].values
    ok = np.isfinite(theirs)
    assert ok.mean() > 0.9  # extreme prior draws of Weibull kernels may underflow to NaN
    np.testing.assert_allclose(ours[ok], theirs[ok], rtol=1e-6, atol=1e-9)


def test_forward_formula_geo(geo_dataset: MMMDataset) -> None:
    spec = ModelSpec(adstock={"kind": "delayed"}, saturation={"kind": "michaelis_menten"})
    params, spend, arrays = _prior_result(geo_dataset, spec)
    assert params["beta"].dims == ("draw", "channel", "geo")
    ours = forward_contributions(params, spend).values
    np.testing.assert_allclose(ours, arrays["contributions"].values, rtol=1e-6, atol=1e-9)


def test_time_varying_intercept_baseline(pymc_dataset: MMMDataset) -> None:
    *_, arrays = _prior_result(pymc_dataset, ModelSpec(time_varying_intercept=True))
    intercept = arrays["baseline"].sel(component="intercept")
    assert intercept.dims == ("draw", "time")
    assert float(intercept.std("time").mean()) > 0  # varies over time
    total = arrays["contributions"].sum("channel") + arrays["baseline"].sum("component")
    np.testing.assert_allclose(total.values, arrays["fitted"].values, rtol=1e-9, atol=1e-6)
