"""Refits of one model structure reuse nutpie's compiled model, and still fit their own data.

Reuse is seen through ``provenance["compiled_model"]`` and the engine's counters
(:func:`mixwise.engines.bayesian.compiled.cache_stats`); correctness by comparing against a
fit that compiled from scratch, and against a KPI scaled by 2 (which the max-abs scaling makes
the same posterior, so every contribution must double exactly).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.engines.bayesian.support import SPEC, fit, kpi, with_kpi, with_spend_noise

from mixwise.data.dataset import MMMDataset
from mixwise.engines.bayesian import compiled
from mixwise.model.result import FitResult

pytestmark = pytest.mark.slow


def draws_equal(a: FitResult, b: FitResult, skip: tuple[str, ...] = ()) -> bool:
    names = [v for v in a.params.data_vars if v not in skip]
    return all(np.array_equal(a.params[v].values, b.params[v].values) for v in names)


def test_refit_reuses_compiled_model_and_fits_new_data(
    pymc_dataset: MMMDataset, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = kpi(pymc_dataset)
    new = old * np.exp(np.random.default_rng(1).normal(0, 0.05, old.size)) + 0.1 * old.mean()
    noisy = with_kpi(pymc_dataset, new)
    before = compiled.cache_stats()
    first = fit(pymc_dataset)
    assert first.provenance["compiled_model"] == "compiled"
    assert list(fresh_cache.glob("*.pkl")), "the plan was not stored on disk"

    warm = fit(noisy)
    after = compiled.cache_stats()
    assert warm.provenance["compiled_model"] == "memory"
    assert (after.compiled - before.compiled, after.memory - before.memory) == (1, 1)
    # the warm fit sampled the new data: another posterior, fitted level that of the new KPI
    assert not draws_equal(first, warm)
    assert not np.allclose(first.params["beta"].mean("draw"), warm.params["beta"].mean("draw"))
    np.testing.assert_array_equal(warm.observed.values, new)
    assert new.mean() / old.mean() > 1.05
    assert abs(float(warm.fitted.mean()) / new.mean() - 1) < 0.01

    # a KPI scaled by 2 has the same scaled posterior: same draws, contributions doubled
    doubled = fit(with_kpi(pymc_dataset, 2 * kpi(pymc_dataset)))
    assert doubled.provenance["compiled_model"] == "memory"
    assert draws_equal(first, doubled, skip=("kpi_scale", "noise_sd"))
    np.testing.assert_allclose(doubled.contributions, 2 * first.contributions, rtol=1e-12)
    # the noise sd is in KPI units: doubled with the KPI
    np.testing.assert_allclose(doubled.params["noise_sd"], 2 * first.params["noise_sd"], rtol=1e-12)

    # the same data and seed compiled from scratch (no memory, no disk) give the same fit
    compiled.clear_memory()
    monkeypatch.setenv(compiled.CACHE_ENV, "off")
    cold = fit(noisy)
    assert cold.provenance["compiled_model"] == "compiled"
    assert draws_equal(cold, warm)
    np.testing.assert_allclose(cold.contributions, warm.contributions, rtol=1e-12)
    assert cold.summary_dict()["channels"] == warm.summary_dict()["channels"]

    # ... and so do the callbacks loaded from numba's disk cache with the stored plan
    compiled.clear_memory()
    monkeypatch.setenv(compiled.CACHE_ENV, str(fresh_cache))
    from_disk = fit(noisy)
    assert from_disk.provenance["compiled_model"] == "disk"
    assert draws_equal(from_disk, warm)


def test_refit_on_new_spend_computes_its_own_contributions(
    pymc_dataset: MMMDataset, fresh_cache: Path
) -> None:
    """The deterministics function is reused too (:mod:`.functions`): a refit on other
    spend must get the contributions of *its* spend, and must not touch the earlier fit's model."""
    first = fit(pymc_dataset)
    model = first.native.model
    before = {v.name: np.array(v.get_value(), copy=True) for v in model.data_vars}

    other = with_spend_noise(pymc_dataset, 3)
    warm = fit(other)
    assert warm.provenance["compiled_model"] == "memory"
    column = pymc_dataset.mapping.spend_columns[0]
    np.testing.assert_array_equal(warm.spend.isel(channel=0).values, other.frame[column])
    # the forward model on the refit's own spend reproduces its contributions draw by draw
    np.testing.assert_allclose(
        warm.simulate_contributions(warm.spend), warm.contributions, rtol=1e-6, atol=1e-9
    )
    # and the first fit's model still holds its own data
    for v in model.data_vars:
        np.testing.assert_array_equal(v.get_value(), before[v.name])


def test_sliding_cv_folds_share_one_compiled_model(
    pymc_dataset: MMMDataset, fresh_cache: Path
) -> None:
    """``window="sliding"``: equal training windows, one compile, the other folds refit it."""
    from mixwise.service.fitting import cross_validate

    before = compiled.cache_stats()
    cv = cross_validate(pymc_dataset, SPEC, folds=3, horizon=13, window="sliding")
    after = compiled.cache_stats()
    assert (after.compiled - before.compiled, after.memory - before.memory) == (1, 2)
    folds = cv.folds
    assert folds["train_periods"].tolist() == [179 - 3 * 13] * 3
    dates = pymc_dataset.dates
    assert folds["train_start"].tolist() == [dates[0].date(), dates[13].date(), dates[26].date()]
    assert folds["test_end"].iloc[-1] == dates[-1].date()
    assert (folds["test_start"] > folds["train_end"]).all()
    # out-of-sample accuracy on this data set: 3-6% MAPE measured; 15% leaves room for seeds
    assert (folds["mape"] < 0.15).all() and (folds["nrmse"] > 0).all()
