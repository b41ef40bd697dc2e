"""The vectorised forward model: sliding windows, adstock by matrix products against plain
loops, the plan's timeline and the fused per-draw totals on a case computed by hand."""

from __future__ import annotations

import numpy as np
import pytest
from tests.plan.support import tiny_model

from mixwise.plan import ResponseModel, forward
from mixwise.plan.forward import (
    adstock_draws,
    adstock_windows,
    forward_totals,
    history_windows,
    timeline,
    unique_windows,
    windows,
)

RNG = np.random.default_rng(3)


def test_windows_hold_the_next_l_periods() -> None:
    x = np.arange(12.0).reshape(6, 2)  # (P, channel)
    win = windows(x, 3)
    assert win.shape == (4, 2, 3)  # (P - L + 1, channel, L)
    for t in range(4):
        for c in range(2):
            np.testing.assert_array_equal(win[t, c], x[t : t + 3, c])


def test_unique_windows_rebuild_every_period() -> None:
    x = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [2.0, 0.0], [1.0, 0.0]])
    win = windows(x, 2)  # 5 windows: (1,1) x3, (1,2), (2,1)
    uniq, inverse, counts = unique_windows(win)
    assert uniq.shape == (3, 2, 2)
    np.testing.assert_array_equal(uniq[inverse], win)
    assert sorted(counts.tolist()) == [1.0, 1.0, 3.0]
    np.testing.assert_array_equal(counts, np.bincount(inverse))


def _adstock_loops(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``a[d, t, c] = sum_l w[d, c, l] x[t + L - 1 - l, c]`` with plain loops."""
    n_draw, n_ch, n_lag = w.shape
    out = np.zeros((n_draw, x.shape[0] - n_lag + 1, n_ch))
    for d in range(n_draw):
        for c in range(n_ch):
            for t in range(out.shape[1]):
                out[d, t, c] = sum(w[d, c, k] * x[t + n_lag - 1 - k, c] for k in range(n_lag))
    return out


def test_adstock_draws_equal_plain_loops() -> None:
    x = RNG.uniform(0, 5, (15, 2))
    w = RNG.uniform(0, 1, (4, 2, 4))
    np.testing.assert_allclose(adstock_draws(x, w), _adstock_loops(x, w), rtol=1e-12)


def test_adstock_in_blocks_of_draws_equals_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    x = RNG.uniform(0, 5, (30, 3))
    w = RNG.uniform(0, 1, (25, 3, 5))
    whole = adstock_draws(x, w)
    monkeypatch.setattr(forward, "GEMM_BLOCK", 26 * 5 * 2)  # 2 draws per product
    np.testing.assert_allclose(adstock_draws(x, w), whole, rtol=1e-12)
    np.testing.assert_allclose(whole, _adstock_loops(x, w), rtol=1e-12)


def test_timeline_places_history_plan_and_tail() -> None:
    spend = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0]])
    m = tiny_model([1, 1], [1, 1], weights=np.ones((2, 3)), spend=spend, spend_scale=[1, 10])
    plan = np.array([[5.0, 50.0], [6.0, 60.0]])
    expected = np.array([[3, 3], [4, 4], [5, 5], [6, 6], [0, 0], [0, 0]], dtype=float)
    np.testing.assert_array_equal(timeline(m, plan, start=4), expected)
    # placed at period 1: one period of history exists before it, the other row is zero
    at_one = timeline(m, plan, start=1)
    np.testing.assert_array_equal(at_one[:2], [[0, 0], [1, 1]])
    np.testing.assert_array_equal(timeline(m, plan, start=4, history=False)[:2], 0.0)
    hist = history_windows(expected, 3)
    assert hist.shape == (2, 2, 3)
    np.testing.assert_array_equal(hist[:, 0], [[3, 4, 0], [4, 0, 0]])


def _totals(m: ResponseModel, plan: np.ndarray, start: int) -> tuple[np.ndarray, ...]:
    """``forward_totals`` fed as :func:`~mixwise.plan.simulate` feeds it."""
    x = timeline(m, plan, start)
    uniq, inverse, _ = unique_windows(windows(x, m.l_max))
    both = np.concatenate([uniq, history_windows(x, m.l_max)])
    return forward_totals(m, both, uniq.shape[0], inverse, plan.shape[0])


def test_forward_totals_by_hand() -> None:
    """One channel, weights (1, 0.5), f(a) = 10 a / (1 + a), last spend 4, plan (2, 2).

    Adstock: 2 + 0.5 * 4 = 4 and 2 + 0.5 * 2 = 3 in the plan, 0.5 * 2 = 1 in the tail; the
    history alone gives 0.5 * 4 = 2 in the first plan period. Contributions 8, 7.5 and 5;
    carry-in 10 * 2 / 3; media = 8 + 7.5 + 5 - 20 / 3."""
    m = tiny_model([10.0], [1.0], weights=[[1.0, 0.5]], spend=[[1.0], [4.0]])
    per_period, media, carried, tail = _totals(m, np.array([[2.0], [2.0]]), start=2)
    np.testing.assert_allclose(per_period, [[8.0, 7.5]], rtol=1e-12)
    np.testing.assert_allclose(carried, [[20.0 / 3.0]], rtol=1e-12)
    np.testing.assert_allclose(tail, [[5.0]], rtol=1e-12)
    np.testing.assert_allclose(media, [[8.0 + 7.5 + 5.0 - 20.0 / 3.0]], rtol=1e-12)


def test_forward_totals_in_blocks_of_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    coef = RNG.uniform(1, 5, (17, 3))
    spend = RNG.uniform(0, 20, (30, 3))
    m = tiny_model(coef, RNG.uniform(0.5, 2, (17, 3)), weights=[[1, 0.6, 0.3]] * 3, spend=spend)
    plan = RNG.uniform(0, 20, (8, 3))
    whole = _totals(m, plan, start=30)
    monkeypatch.setattr(forward, "SATURATION_BLOCK", 3 * 12 * 2)  # 2 draws per block
    for a, b in zip(_totals(m, plan, start=30), whole, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    # and the per-period KPI is the saturated loop adstock of the plan
    x = timeline(m, plan, 30)
    a = adstock_windows(windows(x, m.l_max), m.adstock_weights)[:, :8]
    expected = (coef[:, None, :] * a / (m.saturation_params["lam"][:, None, :] + a)).sum(-1)
    np.testing.assert_allclose(whole[0], expected, rtol=1e-12)
