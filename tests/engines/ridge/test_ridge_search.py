"""Candidate evaluation and the seeded Nevergrad search on Robyn's demo data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import lsq_linear
from sklearn.linear_model import Ridge

from mixwise.data.dataset import MMMDataset
from mixwise.engines.ridge import transforms as rt
from mixwise.engines.ridge.evaluate import RidgeProblem, evaluate
from mixwise.engines.ridge.objectives import decomp_rssd
from mixwise.engines.ridge.regression import penalty
from mixwise.engines.ridge.search import SearchSettings, make_optimizer, run_search
from mixwise.errors import SpecError


def test_evaluation_reproduces_one_candidate_by_hand(robyn_problem: RidgeProblem) -> None:
    p = robyn_problem
    r = p.ranges
    h = r.from_unit(np.random.default_rng(0).random((3, len(r.names))))
    ev = evaluate(p, h)
    b = 1
    theta, alpha, gamma = (r.column(h, k)[b] for k in ("theta", "alpha", "gamma"))
    ad = rt.geometric_adstock(p.media, theta[None])[0][p.window]
    sat = rt.hill_saturation(ad[None], alpha[None], gamma[None])[0]
    x = np.column_stack([sat, p.fixed.z])
    sd = x.std(axis=0)
    pen = len(p.y) * penalty(h[b, -1], p.lam_max) / p.y.std()  # sklearn's alpha
    xs = (x - x.mean(0)) / sd
    unconstrained = Ridge(alpha=pen, solver="cholesky").fit(xs, p.y).coef_
    n_media = len(p.channels)
    lower = np.r_[np.zeros(n_media), np.full(x.shape[1] - n_media, -np.inf)]
    aug = np.vstack([xs, np.sqrt(pen) * np.eye(x.shape[1])])
    rhs = np.r_[p.y - p.y.mean(), np.zeros(x.shape[1])]
    bounded = lsq_linear(aug, rhs, bounds=(lower, np.inf), method="bvls", tol=1e-14).x
    np.testing.assert_allclose(
        ev.coef[b] * sd, bounded, rtol=1e-6, atol=1e-8 * np.abs(bounded).max()
    )
    if (unconstrained[:n_media] >= 0).all():
        np.testing.assert_allclose(bounded, unconstrained, rtol=1e-6)
    yhat = ev.intercept[b] + x @ ev.coef[b]
    nrmse = np.sqrt(np.mean((p.y - yhat) ** 2)) / np.ptp(p.y)
    assert ev.nrmse[b] == pytest.approx(nrmse, rel=1e-10)
    effect = (sat * ev.coef[b, : len(p.channels)]).sum(axis=0)
    np.testing.assert_allclose(ev.effect[b], effect, rtol=1e-10)
    assert ev.decomp_rssd[b] == pytest.approx(decomp_rssd(effect[:5], p.spend), rel=1e-12)
    assert (ev.coef[:, : len(p.channels)] >= 0).all()


def test_search_is_seeded_and_records_every_candidate(robyn_problem: RidgeProblem) -> None:
    settings = SearchSettings(iterations=96, trials=2, batch_size=32, seed=11)
    a = run_search(robyn_problem, settings)
    b = run_search(robyn_problem, settings)
    assert a.hyper.shape == (192, len(robyn_problem.ranges.names))
    np.testing.assert_array_equal(a.hyper, b.hyper)
    np.testing.assert_array_equal(a.nrmse, b.nrmse)
    np.testing.assert_array_equal(a.decomp_rssd, b.decomp_rssd)
    np.testing.assert_array_equal(a.trial, np.repeat([0, 1], 96))
    lo, hi = robyn_problem.ranges.bounds
    assert ((a.hyper >= lo) & (a.hyper <= hi)).all()
    c = run_search(robyn_problem, SearchSettings(iterations=96, trials=2, batch_size=32, seed=12))
    assert not np.array_equal(a.hyper, c.hyper)


def test_search_improves_on_its_first_batch(robyn_problem: RidgeProblem) -> None:
    c = run_search(robyn_problem, SearchSettings(iterations=600, trials=1, batch_size=50))
    # the first batch is uniform in the cube; the last 100 are better on both objectives
    assert np.median(c.nrmse[-100:]) < 0.85 * np.median(c.nrmse[:50])
    assert np.median(c.decomp_rssd[-100:]) < 0.95 * np.median(c.decomp_rssd[:50])
    assert c.nrmse[-100:].min() < 0.5 * c.nrmse[:50].min()


def test_unknown_optimizer_names_the_option_and_lists_choices() -> None:
    with pytest.raises(SpecError) as err:
        make_optimizer("TwoPointDE", 3, 10, 1, 0)
    assert "'TwoPointDE'" in err.value.message
    assert "TwoPointsDE" in err.value.hint and "nevergrad.optimizers.registry" in err.value.hint


def test_other_registry_optimizers_run(robyn_problem: RidgeProblem) -> None:
    c = run_search(robyn_problem, SearchSettings(iterations=40, trials=1, optimizer="OnePlusOne"))
    assert np.isfinite(c.nrmse).all()


def test_search_with_a_lift_test_has_three_objectives(
    robyn_dataset: MMMDataset, robyn_holidays: pd.DataFrame
) -> None:
    from mixwise.engines.ridge.design import build_problem
    from mixwise.engines.ridge.pareto import select_models

    lifts = [(["facebook"], "2018-05-07", "2018-06-03", 400_000.0)]
    problem = build_problem(
        robyn_dataset, robyn_holidays, ("2016-01-04", "2018-12-31"), lift_tests=lifts
    )
    c = run_search(problem, SearchSettings(iterations=200, trials=1, batch_size=20, seed=1))
    assert (c.mape > 0).all() and np.ptp(c.mape) > 0
    # facebook's contribution over those four weeks, against the measured lift
    i = 7
    rows = list(problem.lift_tests[0].rows)
    fb = problem.channels.index("facebook")
    sat = problem.saturated(c.hyper[i : i + 1])[0]
    pred = (sat[rows, fb] * c.coef[i, fb]).sum() * problem.lift_tests[0].days_ratio
    assert c.mape[i] == pytest.approx(abs(pred - 400_000.0) / 400_000.0)
    sel = select_models(c.nrmse, c.decomp_rssd, c.roas(problem.spend), mape=c.mape, k=2)
    kept = sel.models
    assert (c.mape[kept] <= np.quantile(c.mape, 0.1)).all()
