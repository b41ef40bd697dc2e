"""Robyn's convergence rule over the search's iterations (engines/ridge/convergence.py)."""

from __future__ import annotations

import numpy as np
import pytest

from mixwise.engines.ridge.convergence import objective_convergence, search_convergence


def _iterations(n_iter: int = 400, trials: int = 3) -> np.ndarray:
    return np.tile(np.arange(n_iter), trials)


def test_an_objective_that_settles_low_converges() -> None:
    it = _iterations()
    rng = np.random.default_rng(0)
    # spread shrinks from 0.2 to 0.01 and the level falls from 1.0 to 0.2
    level = 1.0 - 0.8 * it / it.max()
    spread = 0.2 - 0.19 * it / it.max()
    values = level + spread * rng.standard_normal(it.size)
    c = objective_convergence("NRMSE", it, values)
    assert c.converged and "NRMSE converged" in c.message
    # the numbers behind it, by hand: 20 equal parts of the iterations
    part = np.minimum((it * 20) // (it.max() + 1), 19)
    first = [values[part == k] for k in range(3)]
    sd_ref = np.mean([x.std(ddof=1) for x in first])
    assert c.sd_ref == pytest.approx(sd_ref, rel=1e-9)
    assert c.median_bound == pytest.approx(abs(np.median(first[0]) - 2 * sd_ref), rel=1e-9)
    assert c.sd_last == pytest.approx(values[part == 19].std(ddof=1), rel=1e-9)


def test_a_flat_noisy_objective_does_not_converge() -> None:
    it = _iterations()
    values = 0.5 + 0.1 * np.random.default_rng(1).standard_normal(it.size)
    c = objective_convergence("DECOMP.RSSD", it, values)
    assert not c.converged and "run more iterations" in c.message


def test_unused_objectives_are_left_out_and_short_searches_not_judged() -> None:
    it = _iterations()
    values = 1.0 - 0.9 * it / it.max() + 0.01 * np.random.default_rng(2).standard_normal(it.size)
    found = search_convergence(it, {"NRMSE": values, "MAPE.LIFT": np.zeros(it.size)})
    assert [c.objective for c in found] == ["NRMSE"]
    assert search_convergence(np.arange(6), {"NRMSE": np.arange(6.0)}) == []
