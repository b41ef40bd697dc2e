"""Robyn's objectives on hand-computed values."""

from __future__ import annotations

import numpy as np

from mixwise.engines.ridge.objectives import LiftTest, decomp_rssd, mape_lift, nrmse


def test_nrmse_by_hand() -> None:
    y = np.array([1.0, 3.0, 5.0])
    yhat = np.array([[2.0, 3.0, 4.0], [1.0, 3.0, 5.0]])
    # residuals (-1, 0, 1): rmse sqrt(2/3), range 4
    np.testing.assert_allclose(nrmse(y, yhat), [np.sqrt(2 / 3) / 4, 0.0])


def test_decomp_rssd_by_hand() -> None:
    spend = np.array([50.0, 30.0, 20.0])  # shares .5 .3 .2
    effect = np.array([[30.0, 30.0, 40.0], [50.0, 30.0, 20.0], [60.0, 40.0, 0.0]])
    got = decomp_rssd(effect, spend, zero_penalty=False)
    # (.3-.5, 0, .4-.2) -> sqrt(.08); equal shares -> 0; (.6-.5, .4-.3, 0-.2) -> sqrt(.06)
    np.testing.assert_allclose(got, [np.sqrt(0.08), 0.0, np.sqrt(0.06)])
    penalised = decomp_rssd(effect, spend, zero_penalty=True)
    np.testing.assert_allclose(penalised, [np.sqrt(0.08), 0.0, np.sqrt(0.06) * (1 + 1 / 3)])


def test_decomp_rssd_is_inf_when_no_paid_channel_has_an_effect() -> None:
    assert np.isinf(decomp_rssd(np.zeros((1, 3)), np.ones(3))[0])


def test_mape_lift_by_hand() -> None:
    contrib = np.zeros((2, 6, 2))
    contrib[0, 2:4, 0] = 10.0  # channel 0 adds 20 over rows 2-3
    contrib[1, 2:4, 0] = 5.0
    contrib[1, 2:4, 1] = 5.0
    tests = [LiftTest(channels=(0,), rows=(2, 3), lift=25.0)]
    np.testing.assert_allclose(mape_lift(contrib, tests), [5 / 25, 15 / 25])
    two = [*tests, LiftTest(channels=(0, 1), rows=(2, 3), lift=10.0, days_ratio=0.5)]
    # second test: pred (20 or 20) * 0.5 = 10 -> error 0
    np.testing.assert_allclose(mape_lift(contrib, two), [(0.2 + 0) / 2, (0.6 + 0) / 2])
    np.testing.assert_allclose(mape_lift(contrib, []), [0.0, 0.0])
