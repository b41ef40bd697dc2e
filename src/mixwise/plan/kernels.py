"""Fast saturation kernels: the same functions as :mod:`mixwise.model.transforms`, fewer passes.

Planning evaluates saturation on ``draw x period x channel`` arrays many times per second (each
slider move, each optimizer step), so these kernels work in place and share work between the
value and its derivative. They are the same functions (tests check them against
the catalogue's ``function`` / ``gradient`` to rounding error), written differently:

- logistic: ``f = (1 - e) / (1 + e) = 2 / (1 + e) - 1`` with ``e = exp(-lam x)``;
  ``f' = 2 lam e / (1 + e)**2``;
- hill: ``f = expit(s ln x - s ln kappa)`` (``f(0) = 0``); ``f' = s f (1 - f) / x``, with the
  limit at ``x = 0``: 0 (s > 1), 1 / kappa (s = 1), +inf (s < 1);
- Michaelis-Menten: ``f = alpha x / (lam + x)``; ``f' = alpha lam / (lam + x)**2``;
- tanh: ``f = b t`` with ``t = tanh(x / (b c))``; ``f' = (1 - t**2) / c``.

Parameters must already broadcast against ``x`` (e.g. ``(draw, 1, channel)``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt
from scipy.special import expit

FloatArray = npt.NDArray[np.float64]
Params = Mapping[str, FloatArray]


def _logistic(x: FloatArray, p: Params, grad: bool) -> tuple[FloatArray, FloatArray | None]:
    lam = p["lam"]
    e = np.multiply(x, -lam)
    np.exp(e, out=e)
    den = e + 1.0
    f = np.divide(2.0, den)
    f -= 1.0
    if not grad:
        return f, None
    e *= 2.0 * lam
    e /= den
    e /= den
    return f, e


def _hill(x: FloatArray, p: Params, grad: bool) -> tuple[FloatArray, FloatArray | None]:
    slope, kappa = p["slope"], p["kappa"]
    with np.errstate(divide="ignore"):
        z = np.log(x)
    z *= slope
    z -= slope * np.log(kappa)
    f = expit(z, out=z)
    if not grad:
        return f, None
    g = np.subtract(1.0, f)
    g *= f
    g *= slope
    with np.errstate(divide="ignore", invalid="ignore"):
        g /= x
    if x.size and x.min() <= 0:
        at_zero = np.where(slope > 1, 0.0, np.where(slope == 1, 1.0 / kappa, np.inf))
        g = np.where(x == 0, np.broadcast_to(at_zero, g.shape), g)
    return f, g


def _michaelis_menten(x: FloatArray, p: Params, grad: bool) -> tuple[FloatArray, FloatArray | None]:
    alpha, lam = p["alpha"], p["lam"]
    den = x + lam
    f = alpha * x / den
    if not grad:
        return f, None
    np.multiply(den, den, out=den)
    return f, np.divide(alpha * lam, den)


def _tanh(x: FloatArray, p: Params, grad: bool) -> tuple[FloatArray, FloatArray | None]:
    b, c = p["b"], p["c"]
    t = np.divide(x, b * c)
    np.tanh(t, out=t)
    f = b * t
    if not grad:
        return f, None
    np.multiply(t, t, out=t)
    np.subtract(1.0, t, out=t)
    t /= c
    return f, t


KERNELS: dict[str, Callable[[FloatArray, Params, bool], tuple[FloatArray, FloatArray | None]]] = {
    "logistic": _logistic,
    "hill": _hill,
    "michaelis_menten": _michaelis_menten,
    "tanh": _tanh,
}


def saturation(kind: str, x: npt.ArrayLike, params: Params) -> FloatArray:
    """Saturation ``f(x)`` of kind ``kind`` (``x >= 0``)."""
    return KERNELS[kind](np.asarray(x, dtype=np.float64), params, False)[0]


def saturation_value_grad(
    kind: str, x: npt.ArrayLike, params: Params
) -> tuple[FloatArray, FloatArray]:
    """``(f(x), f'(x))`` in one pass over ``x``."""
    f, g = KERNELS[kind](np.asarray(x, dtype=np.float64), params, True)
    assert g is not None
    return f, g
