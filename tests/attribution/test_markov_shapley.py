"""Markov removal effects of a tiny chain and Shapley values, against hand computation."""

from __future__ import annotations

import numpy as np
import pytest
from tests.attribution.conftest import path_table

from mixwise.attribution.load import read_journeys
from mixwise.attribution.markov import build_chain, markov_credit, removal_effects
from mixwise.attribution.paths import Paths
from mixwise.attribution.shapley import (
    coalitions,
    exact_values,
    sampled_values,
    shapley_credit,
)

TINY = path_table([("A > B", 1, 1), ("A", 1, 0), ("B", 0, 1)])


def test_order_1_removal_effects_by_hand() -> None:
    # start->A 3/4, start->B 1/4; A->B 2/3, A->conv 1/3; B->conv 1/3, B->null 2/3
    # P(B)=1/3, P(A)=1/3+2/3*1/3=5/9, P=3/4*5/9+1/4*1/3=1/2 (= 2 conversions / 4 journeys)
    # without A: 1/4*1/3=1/12 -> RE_A=5/6; without B: 3/4*1/3=1/4 -> RE_B=1/2
    p = read_journeys(TINY).paths
    re = removal_effects(build_chain(p, 1), p.converters, p.nulls)
    assert re == pytest.approx([5 / 6, 1 / 2], abs=1e-12)
    credit = markov_credit(p, p.conversions, 1)
    assert credit == pytest.approx([2 * (5 / 6) / (4 / 3), 2 * (1 / 2) / (4 / 3)])


def test_order_2_states_remember_the_previous_channel() -> None:
    # states (start,A), (A,B), (start,B): removing A leaves only (start,B), which never converts
    p = read_journeys(TINY).paths
    chain = build_chain(p, 2)
    assert chain.n_states == 4  # start + 3
    assert removal_effects(chain, p.converters, p.nulls) == pytest.approx([1.0, 0.5])
    for order in (3, 4):  # paths of length <= 2: same chain as order 2
        assert removal_effects(build_chain(p, order), p.converters, p.nulls) == pytest.approx(
            [1.0, 0.5]
        )


def test_shapley_by_hand_and_efficiency() -> None:
    # v(A)=1/4, v(B)=0, v(AB)=3/4; in {A,B}: phi_A=1/2(1/4)+1/2(3/4-0)=1/2, phi_B=1/4
    # set AB's 3 conversions split 2:1; set A's 1 conversion to A
    p = read_journeys(path_table([("A > B", 3, 1), ("A", 1, 3), ("B", 0, 4)])).paths
    res = shapley_credit(p, p.conversions)
    assert res.exact and res.credit == pytest.approx([3.0, 1.0])
    assert res.credit.sum() == pytest.approx(p.conversions.sum())


def _random_paths(n_channels: int, seed: int) -> Paths:
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(300):
        k = rng.integers(1, 5)
        chs = rng.choice(n_channels, k, replace=False)
        rows.append((" > ".join(f"c{c:02d}" for c in chs), rng.integers(0, 5), rng.integers(0, 20)))
    return read_journeys(path_table(rows)).paths


def test_shapley_symmetry_and_efficiency_on_random_sets() -> None:
    p = _random_paths(6, seed=3)
    res = shapley_credit(p, p.conversions)
    assert res.credit.sum() == pytest.approx(p.conversions.sum(), rel=1e-9)
    co = coalitions(p, p.conversions)
    phi = exact_values(co, 6)
    assert phi.sum(axis=1) == pytest.approx(co.rate, abs=1e-12)  # efficiency within each set
    # symmetry: two channels that only ever appear together get the same value
    q = read_journeys(path_table([("A > B", 4, 4), ("B > A", 2, 6), ("C", 1, 9)])).paths
    credit = shapley_credit(q, q.conversions).credit
    assert credit[0] == pytest.approx(credit[1])


def test_sampled_shapley_matches_exact_within_its_stated_error() -> None:
    p = _random_paths(13, seed=5)  # 13 channels: sampled
    res = shapley_credit(p, p.conversions, permutations=400, seed=1)
    assert not res.exact
    co = coalitions(p, p.conversions)
    share = np.divide(co.target, co.rate, out=np.zeros_like(co.rate), where=co.rate > 0)
    exact = share @ exact_values(co, 13)
    assert np.all(np.abs(res.credit - exact) <= 4 * res.std_error + 1e-9)
    again = shapley_credit(p, p.conversions, permutations=400, seed=1)
    assert np.array_equal(res.credit, again.credit)  # same seed, same result
    assert sampled_values(co, 13, 5, seed=2).shape == (5, len(co.masks), 13)


def test_iterative_solve_matches_sparse_lu(synthetic_journeys) -> None:  # type: ignore[no-untyped-def]
    import scipy.sparse as sp

    from mixwise.attribution.markov import solve_all, solve_direct

    p = synthetic_journeys.paths
    chain = build_chain(p, 3)
    counts = chain.edges @ (p.converters + p.nulls)
    n = chain.n_states
    conv = np.bincount(chain.last, weights=p.converters, minlength=n)
    out = np.bincount(chain.src, weights=counts, minlength=n) + conv
    out += np.bincount(chain.last, weights=p.nulls, minlength=n)
    q = sp.csr_matrix((counts / out[chain.src], (chain.src, chain.dst)), shape=(n, n))
    keep = np.column_stack([np.ones(n, dtype=bool), ~chain.members])
    fast = solve_all(q, conv / out, keep)
    exact = [solve_direct(q, conv / out, keep[:, k]) for k in range(keep.shape[1])]
    assert fast == pytest.approx(exact, rel=1e-9)
    assert fast[0] == pytest.approx(p.converters.sum() / p.journeys(), rel=1e-9)
