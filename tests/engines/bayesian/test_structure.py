"""The structure key that decides when a compiled model can be reused: it follows the model's
structure (periods, seasonality, priors), never the data."""

from __future__ import annotations

import pytest
from tests.engines.bayesian.support import SPEC, kpi, with_kpi

from mixwise.data.dataset import MMMDataset
from mixwise.engines.bayesian.build import build_mmm
from mixwise.engines.bayesian.design import build_design
from mixwise.engines.bayesian.structure import structure_key
from mixwise.model.spec import ModelSpec

pytestmark = pytest.mark.slow  # builds PyMC models


def test_structure_key_follows_structure_not_data(pymc_dataset: MMMDataset) -> None:
    def key(dataset: MMMDataset, spec: ModelSpec) -> str:
        spec = spec.resolved(dataset.frequency, dataset.n_periods)
        model = build_mmm(build_design(dataset, spec), spec, dataset.kpi_type).model
        return structure_key(model, [v.name for v in model.free_RVs])

    base = key(pymc_dataset, SPEC)
    assert key(with_kpi(pymc_dataset, 3 * kpi(pymc_dataset) + 1), SPEC) == base
    assert key(pymc_dataset, SPEC.model_copy(update={"holdout": 10})) != base  # fewer periods
    assert key(pymc_dataset, ModelSpec(seasonality={"yearly_order": 3})) != base
    prior = {"priors": {"saturation_lam": {"dist": "Gamma", "kwargs": {"alpha": 2, "beta": 1}}}}
    assert key(pymc_dataset, ModelSpec(**prior)) != base
