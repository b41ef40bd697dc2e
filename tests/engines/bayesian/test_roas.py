"""The ROAS parametrisation (:mod:`mixwise.engines.bayesian.roas`), without sampling: draws from
the prior stand in for a posterior. The sampled ``roas`` must be the channel's historical ROAS
over the training window exactly, the holdout evaluation model must give the same coefficient,
per-channel priors must reach the model, and what it cannot fit is refused naming the field."""

from __future__ import annotations

import numpy as np
import pymc as pm
import pytest

from mixwise.data.dataset import MMMDataset
from mixwise.engines.bayesian.build import build_mmm
from mixwise.engines.bayesian.design import build_design
from mixwise.engines.bayesian.functions import compute_deterministics
from mixwise.engines.bayesian.roas import ROAS, check_roas, roas_prior
from mixwise.engines.draws import thin
from mixwise.errors import SpecError
from mixwise.model.spec import ModelSpec


def test_refusals_name_the_field() -> None:
    with pytest.raises(SpecError, match="parametrisation: roas is not supported for geo"):
        check_roas(ModelSpec(parametrisation="roas"), geo=True)
    tanh = ModelSpec(parametrisation="roas", saturation={"kind": "tanh"})
    with pytest.raises(SpecError, match="parametrisation: roas needs a saturation linear"):
        check_roas(tanh, geo=False)
    check_roas(ModelSpec(saturation={"kind": "tanh"}), geo=True)  # coefficient: no check


def test_per_channel_prior() -> None:
    spec = ModelSpec(
        parametrisation="roas",
        roas_prior={"median": 2.0, "sd": 0.7},
        channels={"x2": {"roas_prior": {"median": 0.5, "sd": 0.3}}},
    )
    prior = roas_prior(spec, ["x1", "x2"])
    assert prior.distribution == "LogNormal"
    np.testing.assert_allclose(prior.parameters["mu"], np.log([2.0, 0.5]))
    np.testing.assert_allclose(prior.parameters["sigma"], [0.7, 0.3])


@pytest.mark.slow  # compiles the prior predictive and the deterministics (about 30 s)
@pytest.mark.parametrize("saturation", ["logistic", "hill"])
def test_sampled_roas_is_the_historical_roas(saturation: str, pymc_dataset: MMMDataset) -> None:
    spec = ModelSpec(parametrisation="roas", saturation={"kind": saturation}, holdout=20)
    spec = spec.resolved(pymc_dataset.frequency, pymc_dataset.n_periods)
    design = build_design(pymc_dataset, spec)
    mmm = build_mmm(design, spec, pymc_dataset.kpi_type)
    assert ROAS in {v.name for v in mmm.model.free_RVs}
    with mmm.model:
        free = [v.name for v in mmm.model.free_RVs]
        prior = pm.sample_prior_predictive(
            draws=50, var_names=[*free, "channel_contribution"], random_seed=2
        )
    draws = prior["prior"].to_dataset()
    kpi_scale = float(mmm.scalers["_target"])
    X, _ = design.train()
    spend = X[design.channels].to_numpy(dtype=float).sum(axis=0)
    contrib = draws["channel_contribution"].sum("date").transpose("chain", "draw", "channel")
    historical = contrib.values * kpi_scale / spend
    np.testing.assert_allclose(historical, draws[ROAS].values, rtol=1e-9)

    # the evaluation model (every period, training scales) gives the same coefficient
    scales = (mmm.scalers["_channel"].astype(float), mmm.scalers["_target"].astype(float))
    full = build_mmm(design, spec, pymc_dataset.kpi_type, full_window=True, scales=scales)
    thinned = thin(draws[free], 1000, 0)
    coef = "saturation_beta"  # both kinds' coefficient
    train_beta = compute_deterministics(thinned.posterior, mmm.model, [coef], ("draw",))
    full_beta = compute_deterministics(thinned.posterior, full.model, [coef], ("draw",))
    np.testing.assert_allclose(train_beta[coef].values, full_beta[coef].values, rtol=1e-9)
