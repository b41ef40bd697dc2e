"""numpy transforms vs PyMC-Marketing's own pytensor implementation, plus analytic truth."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mixwise.model import transforms as tf
from mixwise.model.catalogue import adstock

pt = pytest.importorskip("pytensor.tensor")
ptx = pytest.importorskip("pytensor.xtensor")
pmt = pytest.importorskip("pymc_marketing.mmm.transformers")

RNG = np.random.default_rng(20240611)
DRAWS, TIME, CHANNELS = 3, 30, 2
MODES: list[tf.ConvMode] = ["After", "Before", "Overlap"]


def _xt(a: np.ndarray, dims: tuple[str, ...]):
    return ptx.as_xtensor(pt.as_tensor_variable(np.asarray(a, dtype=float)), dims=dims)


def _eval(var, dims: tuple[str, ...]) -> np.ndarray:
    return np.asarray(var.transpose(*dims).eval(mode="FAST_COMPILE"))


def _close(actual: np.ndarray, expected: np.ndarray) -> None:
    """1e-10 relative; absolute floor far below the output's scale (for exact zeros)."""
    scale = float(np.max(np.abs(expected))) or 1.0
    np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-13 * scale)


X = RNG.gamma(0.8, 1.0, size=(DRAWS, TIME, CHANNELS)) * (
    RNG.uniform(size=(DRAWS, TIME, CHANNELS)) > 0.3
)
X_DIMS = ("draw", "time", "channel")
P_DIMS = ("draw", "channel")


def _param(low: float, high: float) -> np.ndarray:
    return RNG.uniform(low, high, size=(DRAWS, CHANNELS))


ALPHA, THETA = _param(0.05, 0.95), _param(0.0, 4.0)
LAM_W, K_W = _param(0.5, 6.0), _param(0.4, 4.0)


def _pm_adstock(kind: str, l_max: int, normalize: bool, mode: str) -> np.ndarray:
    x, m = _xt(X, X_DIMS), pmt.ConvMode(mode)
    common = {"l_max": l_max, "normalize": normalize, "dim": "time", "mode": m}
    if kind == "geometric":
        var = pmt.geometric_adstock(x, _xt(ALPHA, P_DIMS), **common)
    elif kind == "delayed":
        var = pmt.delayed_adstock(x, _xt(ALPHA, P_DIMS), _xt(THETA, P_DIMS), **common)
    else:
        wtype = "CDF" if kind == "weibull_cdf" else "PDF"
        var = pmt.weibull_adstock(x, _xt(LAM_W, P_DIMS), _xt(K_W, P_DIMS), type=wtype, **common)
    return _eval(var, X_DIMS)


def _np_adstock(kind: str, l_max: int, normalize: bool, mode: tf.ConvMode) -> np.ndarray:
    if kind == "geometric":
        return tf.geometric(X, ALPHA, l_max, normalize, mode)
    if kind == "delayed":
        return tf.delayed(X, ALPHA, THETA, l_max, normalize, mode)
    if kind == "weibull_cdf":
        return tf.weibull_cdf(X, LAM_W, K_W, l_max, normalize, mode)
    return tf.weibull_pdf(X, LAM_W, K_W, l_max, normalize, mode)


# A one-weight Weibull PDF kernel is 0/0 (min-max scaling of a single value) in PyMC-Marketing
# too, so that combination is not a case to compare.
ADSTOCK_CASES = [
    (kind, l_max, normalize)
    for kind in ("geometric", "delayed", "weibull_cdf", "weibull_pdf")
    for l_max, normalize in ((8, True), (5, False), (1, True))
    if not (kind == "weibull_pdf" and l_max == 1)
]


@pytest.mark.parametrize(("kind", "l_max", "normalize"), ADSTOCK_CASES)
@pytest.mark.parametrize("mode", MODES)
def test_adstock_matches_pymc_marketing(
    kind: str, mode: tf.ConvMode, l_max: int, normalize: bool
) -> None:
    _close(_np_adstock(kind, l_max, normalize, mode), _pm_adstock(kind, l_max, normalize, mode))


def test_adstock_broadcasts_shared_x_over_draws() -> None:
    y = tf.geometric(X[0], ALPHA, 6, True)
    assert y.shape == (DRAWS, TIME, CHANNELS)
    for d in range(DRAWS):
        _close(y[d], tf.geometric(X[0], ALPHA[d], 6, True))


def test_adstock_by_name_and_scalar_params() -> None:
    y = adstock("weibull_cdf", X, l_max=6, normalize=True, lam=LAM_W, k=K_W)
    _close(y, tf.weibull_cdf(X, LAM_W, K_W, 6, True))
    assert tf.geometric(X, 0.5, 4).shape == X.shape
    assert tf.geometric_weights(0.5, 4).shape == (4,)
    assert tf.geometric_weights(ALPHA, 4).shape == (DRAWS, CHANNELS, 4)
    with pytest.raises(ValueError, match="unknown adstock"):
        adstock("binomial", X, alpha=0.3)


@pytest.mark.parametrize("kind", ["logistic", "hill", "michaelis_menten", "tanh"])
def test_saturation_matches_pymc_marketing(kind: str) -> None:
    x = np.concatenate([np.zeros((DRAWS, 1, CHANNELS)), X * 2], axis=1)
    xv = _xt(x, X_DIMS)
    a, b = _param(0.3, 5.0), _param(0.2, 3.0)
    if kind == "logistic":
        expected, actual = pmt.logistic_saturation(xv, _xt(a, P_DIMS)), tf.logistic(x, a)
    elif kind == "hill":
        expected = pmt.hill_function(xv, _xt(a, P_DIMS), _xt(b, P_DIMS))
        actual = tf.hill(x, a, b)
    elif kind == "tanh":
        expected = pmt.tanh_saturation(xv, _xt(a, P_DIMS), _xt(b, P_DIMS))
        actual = tf.tanh(x, a, b)
    else:
        expected = pmt.michaelis_menten(xv, _xt(a, P_DIMS), _xt(b, P_DIMS))
        actual = tf.michaelis_menten(x, a, b)
    _close(actual, _eval(expected, X_DIMS))


# -- analytic checks ----------------------------------------------------------------------------
def test_normalized_weights_sum_to_one() -> None:
    for w in (
        tf.geometric_weights(ALPHA, 9, True),
        tf.delayed_weights(ALPHA, THETA, 9, True),
        tf.weibull_cdf_weights(LAM_W, K_W, 9, True),
        tf.weibull_pdf_weights(LAM_W, K_W, 9, True),
    ):
        np.testing.assert_allclose(w.sum(axis=-1), 1.0, rtol=1e-14)


def test_median_lag_is_the_interpolated_lag_of_half_the_weight() -> None:
    """Cumulative weight (flat: .25, .5; 1:3: .25, 1; 0,1,1: 0, .5) reaches 0.5 at lag 1 by linear
    interpolation from lag 0 (1, 1/3, 1); a kernel all at lag 0 has 0."""
    w = np.array([[1.0, 1.0, 1.0, 1.0], [1.0, 3.0, 0.0, 0.0], [0.0, 1.0, 1.0, 0.0], [1, 0, 0, 0]])
    np.testing.assert_allclose(tf.median_lag(w), [1.0, 1 / 3, 1.0, 0.0])
    assert tf.median_lag(np.ones((2, 3, 5))).shape == (2, 3)


def test_geometric_weights_and_halflife() -> None:
    np.testing.assert_allclose(tf.geometric_weights(0.6, 4), [1, 0.6, 0.36, 0.216])
    alpha = np.array([0.2, 0.5, 0.8, 0.95])
    h = tf.geometric_halflife(alpha)
    np.testing.assert_allclose(h, np.log(0.5) / np.log(alpha))
    np.testing.assert_allclose(alpha**h, 0.5)
    np.testing.assert_allclose(tf.geometric_halflife(0.5), 1.0)
    np.testing.assert_allclose(tf.geometric_alpha_from_halflife(h), alpha)


def test_delayed_halflife_is_half_width_around_peak() -> None:
    alpha, theta = np.array([0.3, 0.7]), np.array([2.0, 3.0])
    h = tf.delayed_halflife(alpha)
    np.testing.assert_allclose(alpha ** (h**2), 0.5)
    np.testing.assert_allclose(tf.delayed_alpha_from_halflife(h), alpha)
    w = tf.delayed_weights(alpha, theta, 8)
    np.testing.assert_allclose(w[np.arange(2), theta.astype(int)], 1.0)


def test_mean_lag() -> None:
    np.testing.assert_allclose(tf.mean_lag([1.0, 0.0, 0.0]), 0.0)
    np.testing.assert_allclose(tf.mean_lag([0.0, 1.0, 1.0]), 1.5)


def test_unit_impulse_gives_the_weights() -> None:
    x = np.zeros((10, 1))
    x[2, 0] = 1.0
    w = tf.weibull_cdf_weights(np.array([3.0]), np.array([1.5]), 5)
    y = tf.convolve(x, w)
    np.testing.assert_allclose(y[2:7, 0], w[0])
    assert np.all(y[:2] == 0) and np.all(y[7:] == 0)


@pytest.mark.parametrize("mode", MODES)
def test_convolve_transpose_is_the_adjoint(mode: tf.ConvMode) -> None:
    w = tf.delayed_weights(ALPHA, THETA, 6, True)
    g = RNG.normal(size=X.shape)
    lhs = np.sum(tf.convolve(X, w, mode) * g)
    rhs = np.sum(X * tf.convolve_transpose(g, w, mode))
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)


@pytest.mark.parametrize(
    ("f", "grad", "params"),
    [
        (tf.logistic, tf.logistic_grad, (np.array([0.5, 3.0]),)),
        (tf.hill, tf.hill_grad, (np.array([0.7, 2.5]), np.array([0.4, 1.3]))),
        (
            tf.michaelis_menten,
            tf.michaelis_menten_grad,
            (np.array([2.0, 5.0]), np.array([0.3, 2.0])),
        ),
    ],
)
def test_saturation_gradients_match_finite_differences(f, grad, params) -> None:
    x = RNG.uniform(0.05, 3.0, size=(40, 2))
    eps = 1e-6 * x
    fd = (f(x + eps, *params) - f(x - eps, *params)) / (2 * eps)
    np.testing.assert_allclose(grad(x, *params), fd, rtol=1e-6)


def test_hill_gradient_landmarks() -> None:
    s, kappa = np.array([0.5, 1.0, 3.0]), np.array([2.0, 2.0, 2.0])
    at_kappa = kappa[None, :]  # (time=1, channel=3)
    np.testing.assert_allclose(tf.hill_grad(at_kappa, s, kappa), (s / (4 * kappa))[None, :])
    np.testing.assert_array_equal(tf.hill_grad(np.zeros((1, 3)), s, kappa), [[np.inf, 0.5, 0.0]])
    np.testing.assert_allclose(tf.hill(at_kappa, s, kappa), 0.5)
    np.testing.assert_allclose(tf.logistic(np.log(3) / 2.0, 2.0), 0.5)
    assert tf.hill(X, ALPHA, THETA + 0.1).shape == X.shape
    assert tf.logistic(X[0], ALPHA).shape == (DRAWS, TIME, CHANNELS)


def test_invalid_inputs_raise() -> None:
    with pytest.raises(ValueError, match="alpha"):
        tf.geometric_weights(1.2, 4)
    with pytest.raises(ValueError, match="mode"):
        tf.geometric(X, 0.5, 4, mode="Sideways")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="l_max"):
        tf.geometric_weights(0.5, 0)


def test_reproduces_pymc_marketing_example_ground_truth(shared_datasets: Path) -> None:
    """The published contributions of the PyMC-Marketing example (datasets/README.md)."""
    df = pd.read_csv(shared_datasets / "pymc_marketing_mmm_example.csv")
    x = df[["x1", "x2"]].to_numpy()
    sat = tf.logistic(tf.geometric(x, np.array([0.4, 0.2]), 8, True), np.array([4.0, 3.0]))
    contribution = 1000 * np.array([3.0, 2.0]) * sat
    np.testing.assert_allclose(contribution.sum(axis=0), [274_848.3, 65_906.0], atol=0.06)
