"""The ROAS the priors alone imply (the reviewer's prior-to-posterior check) and the noise
standard deviation in FitResult's params, without sampling: mixwise's path (``pm.draw`` of the
media parameters + the numpy forward model) against PyMC's own prior predictive of the model's
``channel_contribution``."""

from __future__ import annotations

import numpy as np
import pymc as pm
import pytest

from mixwise.data.dataset import MMMDataset
from mixwise.engines.bayesian import convert
from mixwise.engines.bayesian.build import build_mmm
from mixwise.engines.bayesian.design import build_design
from mixwise.engines.bayesian.prior_roas import prior_roas
from mixwise.engines.draws import thin
from mixwise.model.spec import ModelSpec

pytestmark = pytest.mark.slow  # compiles PyMC's prior predictive (about 20 s)


def test_prior_roas_matches_pymc_prior_predictive(pymc_dataset: MMMDataset) -> None:
    spec = ModelSpec(sampler={"seed": 3}).resolved(pymc_dataset.frequency, pymc_dataset.n_periods)
    design = build_design(pymc_dataset, spec)
    mmm = build_mmm(design, spec, pymc_dataset.kpi_type)
    channel_scale = mmm.scalers["_channel"].astype(float)
    kpi_scale = mmm.scalers["_target"].astype(float)
    _, spend = convert.observed_and_spend(design)
    ours = prior_roas(mmm, spec, spend, channel_scale, kpi_scale, design.geos)

    with mmm.model:
        free = [v.name for v in mmm.model.free_RVs]
        prior = pm.sample_prior_predictive(
            draws=2000, var_names=[*free, "channel_contribution"], random_seed=11
        )
    contrib = prior["prior"]["channel_contribution"].sum("date") * kpi_scale
    theirs = (contrib / spend.sum("time")).stack(s=("chain", "draw"))
    for ch, mine in ours.items():
        draws = theirs.sel(channel=ch).values
        q = (1 - spec.interval) / 2
        assert mine["median"] == pytest.approx(np.median(draws), rel=0.1), ch
        assert mine["lo"] == pytest.approx(np.quantile(draws, q), rel=0.2), ch
        assert mine["hi"] == pytest.approx(np.quantile(draws, 1 - q), rel=0.2), ch

    # the likelihood's sigma travels into params as noise_sd, in KPI units
    posterior = prior["prior"].to_dataset()[free]
    thinned = thin(posterior, 50, 0)
    det = convert.deterministics(thinned, mmm.model)
    params = convert.params_dataset(det, spec, channel_scale, kpi_scale, thinned, design.geos)
    expected = thinned.posterior["y_sigma"].values * float(kpi_scale)
    np.testing.assert_allclose(params["noise_sd"].values, expected, rtol=1e-12)
