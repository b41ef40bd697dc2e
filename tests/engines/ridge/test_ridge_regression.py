"""The batched glmnet-style ridge against scikit-learn and a bounded least-squares reference."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import lsq_linear
from sklearn.linear_model import Ridge

from mixwise.engines.ridge.regression import (
    FixedBlock,
    fit_ridge,
    lambda_max,
    penalty,
    solve_bounded,
)

N, M, K, B = 60, 4, 3, 6


def problem(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    media = rng.gamma(2.0, 1.0, size=(B, N, M))
    z = np.column_stack([np.arange(N) / N, np.sin(np.arange(N) / 5), rng.normal(size=N)])
    truth = np.array([3.0, -2.0, 0.5, -1.0])  # two media effects negative: the constraint binds
    y = 10 + media[0] @ truth + z @ np.array([4.0, 2.0, -1.0]) + rng.normal(0, 0.5, N)
    lam = np.geomspace(1e-3, 1.0, B)
    return media, z, y, lam


def standardised(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    sd = x.std(axis=0)
    return (x - x.mean(axis=0)) / sd, sd


def test_unconstrained_equals_sklearn_ridge_with_alpha_n_lambda_over_sd_y() -> None:
    media, z, y, lam = problem()
    fit = fit_ridge(media, FixedBlock.of(z), y, lam, nonneg=np.zeros(M + K, bool))
    for b in range(B):
        x = np.column_stack([media[b], z])
        xs, sd = standardised(x)
        ref = Ridge(alpha=N * lam[b] / y.std(), fit_intercept=True, solver="cholesky").fit(xs, y)
        np.testing.assert_allclose(fit.coef[b], ref.coef_ / sd, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(
            fit.intercept[b], ref.intercept_ - (x.mean(0) / sd) @ ref.coef_, rtol=1e-8
        )


@pytest.mark.parametrize(
    "fixed_sign",
    [np.zeros(K, bool), np.array([False, True, True])],
    ids=["fixed block eliminated", "fixed block constrained too"],
)
def test_constraints_match_bounded_least_squares(fixed_sign: np.ndarray) -> None:
    media, z, y, lam = problem(1)
    nonneg = np.r_[np.ones(M, bool), fixed_sign]
    fit = fit_ridge(media, FixedBlock.of(z), y, lam, nonneg=nonneg, intercept_nonneg=False)
    assert (fit.coef[:, nonneg] >= 0).all()
    assert (fit.coef[0, :M] == 0).sum() >= 1  # the negative truth is pushed to the bound
    for b in range(B):
        x = np.column_stack([media[b], z])
        xs, sd = standardised(x)
        pen = N * lam[b] / y.std()
        aug = np.vstack([xs, np.sqrt(pen) * np.eye(M + K)])
        rhs = np.r_[y - y.mean(), np.zeros(M + K)]
        lo = np.where(nonneg, 0.0, -np.inf)
        ref = lsq_linear(aug, rhs, bounds=(lo, np.inf), tol=1e-14, lsmr_tol="auto", method="bvls")
        np.testing.assert_allclose(fit.coef[b], ref.x / sd, rtol=1e-7, atol=1e-9)


def test_solve_bounded_kkt_on_random_problems() -> None:
    rng = np.random.default_rng(3)
    p = 8
    g = rng.normal(size=(200, 30, p))
    a = np.einsum("bnp,bnq->bpq", g, g) / 30 + 0.01 * np.eye(p)
    c = rng.normal(size=(200, p))
    nonneg = np.arange(p) < 5
    x = solve_bounded(a, c, nonneg)
    grad = c - np.einsum("bij,bj->bi", a, x)
    assert (x[:, nonneg] >= 0).all()
    free = ~nonneg[None, :] | (x > 0)
    assert np.abs(grad[free]).max() < 1e-8  # stationary where free
    assert grad[~free].max() < 1e-8  # no bound variable would lower the objective


def test_negative_intercept_refits_without_intercept() -> None:
    media, z, y, lam = problem(2)
    fit = fit_ridge(media, FixedBlock.of(z), y - 200.0, lam, nonneg=np.zeros(M + K, bool))
    assert (fit.intercept == 0).all()
    free = fit_ridge(media, FixedBlock.of(z), y - 200.0, lam, np.zeros(M + K, bool), False)
    assert (free.intercept < 0).all()


def test_constant_column_gets_zero_coefficient() -> None:
    media, z, y, lam = problem()
    media[:, :, 2] = 5.0
    fit = fit_ridge(media, FixedBlock.of(z), y, lam, nonneg=np.ones(M + K, bool))
    assert (fit.coef[:, 2] == 0).all()
    assert np.isfinite(fit.coef).all()


def test_lambda_range_follows_robyn() -> None:
    x = np.array([[1.0, 2.0], [2.0, 2.0], [3.0, 2.0]])
    y = np.array([1.0, 2.0, 6.0])
    # column 1 standardised: (-1, 0, 1) * sqrt(3/2); x_s'y = 5 sqrt(1.5); constant column -> 0
    want = 0.1 * 5 * np.sqrt(1.5) / (0.001 * 3)
    assert lambda_max(x, y) == pytest.approx(want)
    np.testing.assert_allclose(penalty([0.0, 1.0], 10.0), [1e-3, 10.0])
