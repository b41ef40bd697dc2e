"""The trend is centred on the training window and keeps that centring on other windows."""

from __future__ import annotations

import numpy as np
import pymc as pm
import pytest

from mixwise.data.dataset import MMMDataset
from mixwise.engines.bayesian import build
from mixwise.engines.bayesian.design import build_design
from mixwise.model.spec import ModelSpec

pytestmark = pytest.mark.slow  # builds PyMC models


@pytest.mark.parametrize("dataset_name", ["pymc_dataset", "geo_dataset"])
def test_trend_averages_zero_over_the_training_window(
    dataset_name: str, request: pytest.FixtureRequest
) -> None:
    dataset: MMMDataset = request.getfixturevalue(dataset_name)
    spec = ModelSpec(holdout=10).resolved(dataset.frequency, dataset.n_periods)
    design = build_design(dataset, spec)
    model = build.build_mmm(design, spec, dataset.kpi_type).model
    trend = pm.draw(model["trend_effect_contribution"], draws=5, random_seed=1)
    assert np.abs(trend).max() > 1e-3  # the prior draws do move
    np.testing.assert_allclose(trend.mean(axis=1), 0.0, atol=1e-12)  # mean over dates

    # on the full window (training + holdout) the centring is still the training window's
    full = build.build_mmm(design, spec, dataset.kpi_type, full_window=True).model
    assert len(full.coords["date"]) == len(design.train_dates) + 10
    np.testing.assert_array_equal(
        full["trend_centre"].get_value(), model["trend_centre"].get_value()
    )
