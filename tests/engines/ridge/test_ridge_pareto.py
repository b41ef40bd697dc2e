"""Pareto fronts, error scores and ROAS clusters on small hand-made point sets."""

from __future__ import annotations

import numpy as np

from mixwise.engines.ridge.pareto import (
    auto_k,
    cluster_models,
    error_score,
    pareto_fronts,
    select_models,
)


def test_fronts_by_hand() -> None:
    #          a    b    c    d    e    f    g    h (= b)
    x = np.array([1.0, 2.0, 3.0, 2.5, 3.5, 5.0, 4.0, 2.0])
    y = np.array([5.0, 3.0, 1.0, 4.0, 2.0, 0.5, 4.5, 3.0])
    # front 1: a(1,5) b(2,3) c(3,1) f(5,.5) and h = b; front 2: d(2.5,4) e(3.5,2); front 3: g
    np.testing.assert_array_equal(pareto_fronts(x, y), [1, 1, 1, 2, 2, 1, 3, 1])
    np.testing.assert_array_equal(pareto_fronts(x, y, max_fronts=1), [1, 1, 1, 0, 0, 1, 0, 1])


def test_weakly_dominated_point_is_not_on_the_front() -> None:
    # (2, 3) ties (1, 3) on y and is worse on x; NaN never gets a front
    x = np.array([1.0, 2.0, np.nan])
    y = np.array([3.0, 3.0, 1.0])
    np.testing.assert_array_equal(pareto_fronts(x, y), [1, 2, 0])


def test_no_point_on_a_front_is_dominated_by_another_on_random_sets() -> None:
    rng = np.random.default_rng(0)
    x, y = rng.random(300), rng.random(300)
    f = pareto_fronts(x, y, max_fronts=3)
    for i in np.flatnonzero(f == 1):
        dominated = (x <= x[i]) & (y <= y[i]) & ((x < x[i]) | (y < y[i]))
        assert not dominated.any()
    for i in np.flatnonzero(f == 2):  # dominated only by front-1 points
        dominated = (x <= x[i]) & (y <= y[i]) & ((x < x[i]) | (y < y[i]))
        assert dominated.any() and (f[dominated] == 1).all()


def test_error_score_by_hand() -> None:
    obj = np.array([[0.1, 0.2], [0.3, 0.6], [0.2, np.inf]])
    # min-max: nrmse (0, 1, .5); rssd inf -> .6: (0, 1, 1); weights .5 .5
    want = np.sqrt((0.5 * np.array([0.0, 1.0, 0.5])) ** 2 + (0.5 * np.array([0.0, 1.0, 1.0])) ** 2)
    np.testing.assert_allclose(error_score(obj), want)


def test_clusters_find_three_roas_groups_and_their_best_models() -> None:
    rng = np.random.default_rng(1)
    centres = np.array([[1.0, 5.0], [5.0, 1.0], [3.0, 3.0]])
    roas = np.repeat(centres, 20, axis=0) + rng.normal(0, 0.1, (60, 2))
    scores = rng.random(60)
    cl = cluster_models(roas, scores, k="auto", seed=3)
    assert cl.k == 3
    for c in range(3):  # each cluster is one group, its best is its lowest score
        members = np.flatnonzero(cl.labels == c)
        assert len({m // 20 for m in members}) == 1
        assert scores[cl.best[c]] == scores[members].min()
    again = cluster_models(roas, scores, k="auto", seed=3)
    np.testing.assert_array_equal(cl.labels, again.labels)


def test_auto_k_follows_robyns_wss_rule() -> None:
    # normalised drops: .5, .3, .1, .04 -> the last drop above .06 is at k = 4
    wss = np.array([1.0, 0.5, 0.2, 0.1, 0.06])
    assert auto_k(wss) == 4
    assert auto_k(np.array([1.0, 0.99, 0.98])) == 3  # never below 3
    assert auto_k(1.0 - 0.07 * np.arange(14)) == 10  # never above 10


def test_select_models_keeps_front_models_and_ranks_cluster_winners() -> None:
    rng = np.random.default_rng(2)
    nrmse, rssd = rng.random(200), rng.random(200)
    roas = rng.random((200, 3))
    sel = select_models(nrmse, rssd, roas, fronts=3, k=3, seed=0)
    assert set(np.unique(sel.front[sel.models])) == {1, 2, 3}
    assert len(sel.best) == 3 and set(sel.best) <= set(sel.models)
    assert np.all(np.diff(sel.score[sel.best]) >= 0)
    auto = select_models(nrmse, rssd, roas, fronts="auto", min_candidates=30, k=3, seed=0)
    assert len(auto.models) >= 30
    assert len(auto.models) - (auto.front == auto.front.max()).sum() < 30


def test_cluster_intervals_follow_robyns_bootstrap() -> None:
    from scipy.stats import t as student_t

    from mixwise.engines.ridge.pareto import cluster_intervals

    rng = np.random.default_rng(4)
    roas = np.r_[rng.normal(2.0, 0.2, (40, 2)), rng.normal(5.0, 1.0, (60, 2)), [[1.0, 1.0]] * 2]
    labels = np.r_[np.zeros(40, int), np.ones(60, int), [2, 2]]
    ci = cluster_intervals(roas, labels, boot_n=4000, seed=0)
    # the bootstrap se of a mean is sd / sqrt(n): the interval is about mean +- t * sd
    sd = roas[:40].std(axis=0, ddof=1)
    np.testing.assert_allclose(ci.boot_se[0], sd / np.sqrt(40), rtol=0.05)
    half = student_t.ppf(0.975, 39) * sd
    np.testing.assert_allclose(ci.ci_up[0] - roas[:40].mean(axis=0), half, rtol=0.05)
    assert (ci.ci_low[1] >= 0).all() and (ci.n[:, 0] == [40, 60, 2]).all()
    assert np.isnan(ci.ci_low[2]).all()  # fewer than 3 models: no interval
    again = cluster_intervals(roas, labels, boot_n=4000, seed=0)
    np.testing.assert_array_equal(ci.boot_mean, again.boot_mean)
