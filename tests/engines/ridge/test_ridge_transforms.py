"""Batched Robyn transforms against loop references written from Robyn's R code."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import weibull_min

from mixwise.engines.ridge import transforms as rt
from mixwise.model import transforms as mt

RNG = np.random.default_rng(7)
X = RNG.gamma(1.0, 10.0, size=(40, 3)) * (RNG.random((40, 3)) > 0.3)


def robyn_geometric(x: np.ndarray, theta: float) -> np.ndarray:
    out = x.astype(float).copy()
    for t in range(1, len(x)):
        out[t] = x[t] + theta * out[t - 1]
    return out


def robyn_weibull(x: np.ndarray, shape: float, scale: float, kind: str) -> np.ndarray:
    """Robyn's adstock_weibull, written as its loop over spend positions."""
    n = len(x)
    if shape == 0 or scale == 0:
        return x.astype(float)
    lam = np.round(np.quantile(np.arange(1, n + 1), scale))
    if kind == "pdf":
        d = weibull_min.pdf(np.arange(1, n + 1), shape, scale=lam)
        theta_cum = (d - d.min()) / (d.max() - d.min()) if np.ptp(d) > 0 else np.eye(n)[0]
    else:
        theta = np.r_[1.0, 1.0 - weibull_min.cdf(np.arange(1, n), shape, scale=lam)]
        theta_cum = np.cumprod(theta)
    out = np.zeros(n)
    for pos, val in enumerate(x):
        out[pos:] += val * theta_cum[: n - pos]
    return out


def robyn_hill(x: np.ndarray, alpha: float, gamma: float) -> np.ndarray:
    inflexion = np.array([x.min(), x.max()]) @ np.array([1 - gamma, gamma])
    return x**alpha / (x**alpha + inflexion**alpha)


def test_geometric_matches_robyn_loop_and_mixwise_convolution() -> None:
    theta = np.array([[0.0, 0.5, 0.9], [0.3, 0.8, 0.1]])
    got = rt.geometric_adstock(X, theta)
    assert got.shape == (2, 40, 3)
    for b in range(2):
        for c in range(3):
            np.testing.assert_allclose(got[b, :, c], robyn_geometric(X[:, c], theta[b, c]))
    same = mt.geometric(X, theta, l_max=len(X), normalize=False)
    np.testing.assert_allclose(got, same, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("kind", ["cdf", "pdf"])
def test_weibull_matches_robyn_loop(kind: str) -> None:
    shape = np.array([[0.5, 1.0, 2.5], [3.0, 0.0001, 7.0], [0.0, 1.5, 1.0]])
    scale = np.array([[0.05, 0.1, 0.02], [0.08, 0.01, 0.1], [0.05, 0.0, 0.5]])
    got = rt.weibull_adstock(X, shape, scale, f"weibull_{kind}")
    for b in range(shape.shape[0]):
        for c in range(3):
            want = robyn_weibull(X[:, c], shape[b, c], scale[b, c], kind)
            np.testing.assert_allclose(got[b, :, c], want, rtol=1e-10, atol=1e-9)


def test_weibull_scale_is_a_rounded_share_of_the_window() -> None:
    # quantile(1:208, 0.1) = 21.7 -> 22; quantile(1:11, 0.25) = 3.5 -> 4 (half to even)
    assert rt.weibull_scale_periods(0.1, 208) == 22
    assert rt.weibull_scale_periods(0.25, 11) == 4
    assert rt.weibull_scale_periods(0.0, 50) == 1


def test_hill_matches_robyn_with_range_weighted_inflexion() -> None:
    x = rt.geometric_adstock(X, np.full((2, 3), 0.4))[:, 5:, :]
    alpha = np.array([[0.5, 1.0, 3.0], [2.0, 1.5, 0.7]])
    gamma = np.array([[0.3, 0.5, 1.0], [0.9, 0.4, 0.6]])
    got = rt.hill_saturation(x, alpha, gamma)
    for b in range(2):
        for c in range(3):
            want = robyn_hill(x[b, :, c], alpha[b, c], gamma[b, c])
            np.testing.assert_allclose(got[b, :, c], want, rtol=1e-12, atol=1e-15)
    # at the inflexion the response is exactly one half; gamma = 1 puts it at the maximum
    infl = rt.hill_inflexion(x, gamma)
    np.testing.assert_allclose(mt.hill(infl[:, None, :], alpha, infl)[:, 0, :], 0.5)
    np.testing.assert_allclose(infl[0, 2], x[0, :, 2].max())


def test_lag_matrix_is_contiguous_for_batched_blas() -> None:
    # a non-contiguous operand made the Weibull search 20x slower (np.matmul leaves BLAS)
    lags = rt.lag_matrix(X)
    assert lags.flags["C_CONTIGUOUS"] and lags.shape == (3, 40, 40)
    assert lags[1, 5, 2] == X[3, 1] and lags[1, 2, 5] == 0.0


def test_hill_with_robyn_r_current_inflexion_gamma_times_max() -> None:
    x = rt.geometric_adstock(X, np.full((1, 3), 0.5))[:, 10:, :] + 5.0  # minimum well above 0
    alpha, gamma = np.array([[1.0, 2.0, 0.8]]), np.array([[0.4, 0.7, 1.0]])
    got = rt.hill_saturation(x, alpha, gamma, inflexion="max")
    for c in range(3):
        xc, infl = x[0, :, c], gamma[0, c] * x[0, :, c].max()
        np.testing.assert_allclose(
            got[0, :, c], xc ** alpha[0, c] / (xc ** alpha[0, c] + infl ** alpha[0, c])
        )
    assert not np.allclose(got, rt.hill_saturation(x, alpha, gamma))  # differs when min > 0
