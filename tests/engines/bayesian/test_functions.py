"""The deterministics and initial-point functions are compiled once per model structure and
reused: reused for a model with other spend, they give what PyMC gives for that model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pymc as pm
import pytest
from pymc.initial_point import make_initial_point_fn
from tests.engines.bayesian.support import SPEC, fit, with_spend_noise

from mixwise.data.dataset import MMMDataset
from mixwise.engines.bayesian import functions
from mixwise.engines.bayesian.build import build_mmm
from mixwise.engines.bayesian.design import build_design

pytestmark = pytest.mark.slow


def test_deterministics_reused_equal_fresh(
    pymc_dataset: MMMDataset, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reused for a model with other spend, the function gives what
    ``pm.compute_deterministics`` gives for that model."""
    compiles: list[object] = []
    original = functions._private_copies
    monkeypatch.setattr(functions, "_private_copies", lambda *a: compiles.append(a) or original(*a))
    names = ["channel_contribution", "mu"]
    results = [fit(pymc_dataset), fit(with_spend_noise(pymc_dataset, 4))]
    models = [r.native.model for r in results]
    posterior = results[1].native.idata["posterior"].to_dataset()
    free = [v.name for v in models[1].free_RVs]
    first = functions.compute_deterministics(posterior[free], models[0], names)
    n_compiled = len(compiles)
    reused = functions.compute_deterministics(posterior[free], models[1], names)
    assert len(compiles) == n_compiled  # the second model's call compiled nothing
    fresh = pm.compute_deterministics(
        posterior[free], var_names=names, model=models[1], progressbar=False
    )
    for name in names:
        np.testing.assert_allclose(reused[name].values, fresh[name].values, rtol=1e-12)
    # other spend, other contributions: the reused function did read the second model's data
    assert not np.allclose(first["channel_contribution"], reused["channel_contribution"])


def test_initial_point_reused_equals_pymc(pymc_dataset: MMMDataset, fresh_cache: Path) -> None:
    """The chains' initial points, reused for a model with other spend, are PyMC's own."""

    def model_of(dataset: MMMDataset) -> Any:
        spec = SPEC.resolved(dataset.frequency, dataset.n_periods)
        return build_mmm(build_design(dataset, spec), spec, dataset.kpi_type).model

    models = [model_of(pymc_dataset), model_of(with_spend_noise(pymc_dataset, 5))]
    for model in models:  # the second one reuses the first one's function
        ours = functions.initial_point_fn(model)
        theirs = make_initial_point_fn(
            model=model,
            jitter_rvs=set(model.free_RVs),
            default_strategy="support_point",
            return_transformed=True,
        )
        for seed in (1, 2, 12345):
            a, b = ours(seed), theirs(seed)
            assert a.keys() == b.keys()
            for name in a:
                np.testing.assert_array_equal(a[name], b[name])
    level = "saturation_log_level"
    assert not np.array_equal(
        functions.initial_point_fn(models[0])(1)[level],
        functions.initial_point_fn(models[1])(1)[level],
    ), "the log-level's support point depends on the spend: the two models must differ"
