"""The fast saturation kernels: the same functions as the catalogue's (``transforms``) and as
their textbook formulas, value and derivative, broadcast over draws; they must not write into
their input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mixwise.model.catalogue import SATURATIONS
from mixwise.plan.kernels import saturation, saturation_value_grad

X = np.array([[0.0, 1e-9, 0.01, 0.3, 1.0, 2.5, 10.0]]).T  # (time, 1)


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("logistic", {"lam": np.array([[2.3]])}),
        ("hill", {"slope": np.array([[1.7]]), "kappa": np.array([[0.6]])}),
        ("hill", {"slope": np.array([[1.0]]), "kappa": np.array([[0.6]])}),
        ("hill", {"slope": np.array([[0.7]]), "kappa": np.array([[0.6]])}),
        ("michaelis_menten", {"alpha": np.array([[1.5]]), "lam": np.array([[0.8]])}),
        ("tanh", {"b": np.array([[1.5]]), "c": np.array([[0.8]])}),
    ],
)
def test_kernels_equal_transforms(kind: str, params: dict[str, np.ndarray]) -> None:
    flat = {k: v[0] for k, v in params.items()}  # transforms take (channel,) params
    expected = SATURATIONS[kind].function(X, **flat)
    expected_grad = SATURATIONS[kind].gradient(X, **flat)
    f, g = saturation_value_grad(kind, X, params)
    np.testing.assert_allclose(f, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(saturation(kind, X, params), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(g, expected_grad, rtol=1e-9, atol=1e-14)


def _textbook(kind: str, x: float, p: dict[str, float]) -> float:
    """The saturation formulas as written in docs/concepts.md, one scalar at a time."""
    if kind == "logistic":
        return (1 - math.exp(-p["lam"] * x)) / (1 + math.exp(-p["lam"] * x))
    if kind == "hill":
        return x ** p["slope"] / (x ** p["slope"] + p["kappa"] ** p["slope"])
    if kind == "tanh":
        return p["b"] * math.tanh(x / (p["b"] * p["c"]))
    return p["alpha"] * x / (p["lam"] + x)


DRAW_PARAMS = {
    "logistic": {"lam": [[0.5, 3.0]]},
    "hill": {"slope": [[0.8, 2.5]], "kappa": [[0.3, 1.4]]},
    "michaelis_menten": {"alpha": [[1.0, 4.0]], "lam": [[0.2, 2.0]]},
    "tanh": {"b": [[0.7, 3.0]], "c": [[0.4, 1.5]]},
}


@pytest.mark.parametrize("kind", sorted(DRAW_PARAMS))
def test_kernels_equal_textbook_formulas_per_draw_and_channel(kind: str) -> None:
    """``(draw, time, channel)`` input with ``(draw, 1, channel)`` parameters: every element is
    the scalar formula with that draw's and channel's parameters; the derivative is the central
    finite difference of that formula."""
    rng = np.random.default_rng(11)
    n_draw, n_time, n_ch = 3, 6, 2
    x = rng.uniform(0.05, 3.0, (n_draw, n_time, n_ch))
    names = list(DRAW_PARAMS[kind])
    params = {
        k: np.asarray(DRAW_PARAMS[kind][k]) * (1 + 0.3 * np.arange(n_draw))[:, None, None]
        for k in names
    }  # (draw, 1, channel): each draw its own values
    before = x.copy()
    f, g = saturation_value_grad(kind, x, params)
    np.testing.assert_array_equal(x, before)  # the kernels work in place on copies only
    assert f.shape == g.shape == x.shape
    h = 1e-6
    for d in range(n_draw):
        for c in range(n_ch):
            p = {k: float(v[d, 0, c]) for k, v in params.items()}
            for t in range(n_time):
                xt = float(x[d, t, c])
                assert f[d, t, c] == pytest.approx(_textbook(kind, xt, p), rel=1e-12)
                fd = (_textbook(kind, xt + h, p) - _textbook(kind, xt - h, p)) / (2 * h)
                assert g[d, t, c] == pytest.approx(fd, rel=1e-6, abs=1e-8)  # FD rounding
    np.testing.assert_array_equal(saturation(kind, x, params), f)


@pytest.mark.parametrize(("slope", "expected"), [(2.0, 0.0), (1.0, 1 / 0.4), (0.5, np.inf)])
def test_hill_derivative_at_zero_is_its_limit(slope: float, expected: float) -> None:
    """``f'(0)`` of the hill curve: 0 for slope > 1, 1 / kappa for slope 1, +inf below."""
    params = {"slope": np.array([[slope]]), "kappa": np.array([[0.4]])}
    f, g = saturation_value_grad("hill", np.array([[0.0], [1e-3]]), params)
    assert f[0, 0] == 0.0
    assert g[0, 0] == expected
    assert np.isfinite(g[1, 0])
