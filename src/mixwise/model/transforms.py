"""Adstock and saturation in plain numpy, matching PyMC-Marketing 1.3.0 to rounding error.

These are the forward functions every layer after estimation uses (plan, optimizer, reports,
the synthetic generator), so that a FitResult from any engine can be simulated without PyMC.
The kinds by name (which function, which parameters) are :mod:`mixwise.model.catalogue`'s.

Shape convention (one rule everywhere):

- media ``x`` has shape ``(..., time, channel)``;
- every parameter has shape ``(..., channel)`` (a scalar is shared by all channels; a per-draw
  scalar must be passed as ``(draws, 1)``);
- adstock weights have shape ``parameter shape + (l_max,)``, i.e. ``(..., channel, lag)``;
- outputs have the broadcast shape ``(..., time, channel)``.

Saturation functions follow the same rule: a ``(..., channel)`` parameter is broadcast over the
time axis of ``x`` (internally ``param[..., None, :]``), so ``x`` always carries a time axis;
evaluate a single period (or a response-curve grid) as ``x`` of shape ``(..., n_points, channel)``.

Leading batch dimensions (e.g. ``draw``) broadcast numpy-style between ``x`` and the parameters,
so ``x`` of shape ``(time, channel)`` with ``alpha`` of shape ``(draw, channel)`` gives
``(draw, time, channel)``.

Adstock conventions follow PyMC-Marketing: the kernel holds ``l_max`` weights (the current
period plus ``l_max - 1`` lags); ``normalize=True`` divides the weights by their sum; ``mode``
``"After"`` (default) is the classic carry-over ``y[t] = sum_l w[l] * x[t - l]``, ``"Before"``
a leading effect ``y[t] = sum_l w[l] * x[t + l_max - 1 - l]``, ``"Overlap"`` both; periods before
the data start count as zero spend.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy.special import expit

FloatArray = npt.NDArray[np.float64]
ConvMode = Literal["After", "Before", "Overlap"]

__all__ = [
    "ConvMode",
    "convolve",
    "convolve_transpose",
    "delayed",
    "delayed_alpha_from_halflife",
    "delayed_halflife",
    "delayed_weights",
    "geometric",
    "geometric_alpha_from_halflife",
    "geometric_halflife",
    "geometric_weights",
    "hill",
    "hill_grad",
    "logistic",
    "logistic_grad",
    "mean_lag",
    "median_lag",
    "michaelis_menten",
    "michaelis_menten_grad",
    "tanh",
    "tanh_grad",
    "weibull_cdf",
    "weibull_cdf_weights",
    "weibull_pdf",
    "weibull_pdf_weights",
]


def _f(a: npt.ArrayLike) -> FloatArray:
    return np.asarray(a, dtype=np.float64)


# -- convolution --------------------------------------------------------------------------------
def _lead(l_max: int, mode: ConvMode) -> int:
    """Index shift s of the kernel: ``y[t] = sum_j w[j] x[t + s - j]``."""
    if mode == "After":
        return 0
    if mode == "Before":
        return l_max - 1
    if mode == "Overlap":
        return l_max - 1 - l_max // 2
    raise ValueError(f"mode must be 'After', 'Before' or 'Overlap', got {mode!r}")


def _shifted_sum(x: FloatArray, w: FloatArray, offsets: list[int]) -> FloatArray:
    """``y[..., t, c] = sum_j w[..., c, j] * x[..., t + offsets[j], c]`` (zero outside)."""
    n_time = x.shape[-2]
    out_shape = np.broadcast_shapes(x.shape, (*w.shape[:-2], 1, *w.shape[-2:-1]))
    y = np.zeros(out_shape)
    for j, d in enumerate(offsets):
        lo, hi = max(0, -d), min(n_time, n_time - d)
        if hi <= lo:
            continue
        wj = w[..., j]
        wj = wj[..., None, :] if wj.ndim else wj
        y[..., lo:hi, :] += wj * x[..., lo + d : hi + d, :]
    return y


def convolve(x: npt.ArrayLike, w: npt.ArrayLike, mode: ConvMode = "After") -> FloatArray:
    """Apply adstock weights along time: ``y[t] = sum_j w[j] x[t + s - j]``.

    ``s = 0`` for ``"After"``, ``l_max - 1`` for ``"Before"``, ``l_max - 1 - l_max // 2`` for
    ``"Overlap"`` (PyMC-Marketing's ``batched_convolution``). ``x``: ``(..., time, channel)``;
    ``w``: ``(..., channel, lag)`` or ``(lag,)``.
    """
    xa, wa = _f(x), _f(w)
    s = _lead(wa.shape[-1], mode)
    return _shifted_sum(xa, wa, [s - j for j in range(wa.shape[-1])])


def convolve_transpose(g: npt.ArrayLike, w: npt.ArrayLike, mode: ConvMode = "After") -> FloatArray:
    """Adjoint of :func:`convolve`: ``x_bar[u] = sum_j w[j] g[u - s + j]``.

    If ``y = convolve(x, w)`` and ``g = dL/dy`` then ``dL/dx = convolve_transpose(g, w)``; this
    is what an optimizer needs for exact gradients through adstock.
    """
    ga, wa = _f(g), _f(w)
    s = _lead(wa.shape[-1], mode)
    return _shifted_sum(ga, wa, [j - s for j in range(wa.shape[-1])])


def _lags(l_max: int) -> FloatArray:
    if l_max < 1:
        raise ValueError(f"l_max must be >= 1, got {l_max}")
    return np.arange(l_max, dtype=np.float64)


def _normalized(w: FloatArray, normalize: bool) -> FloatArray:
    return w / w.sum(axis=-1, keepdims=True) if normalize else w


def mean_lag(weights: npt.ArrayLike) -> FloatArray:
    """Average delay of the effect in periods: ``sum_l l w[l] / sum_l w[l]``."""
    w = _f(weights)
    return (w * _lags(w.shape[-1])).sum(axis=-1) / w.sum(axis=-1)


def median_lag(weights: npt.ArrayLike) -> FloatArray:
    """Half-life of any kernel in periods: the (interpolated) lag by which half of its weight is
    delivered (the fit summary's and planning's half-life of kinds without a closed form)."""
    w = _f(weights)
    cum = np.cumsum(w, axis=-1) / w.sum(axis=-1, keepdims=True)
    lag = np.argmax(cum >= 0.5, axis=-1)
    prev = np.take_along_axis(cum, np.maximum(lag - 1, 0)[..., None], -1)[..., 0]
    here = np.take_along_axis(cum, lag[..., None], -1)[..., 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(lag > 0, (0.5 - prev) / (here - prev), 0.0)
    return np.asarray(np.where(lag > 0, lag - 1 + frac, 0.0), dtype=np.float64)


# -- geometric ----------------------------------------------------------------------------------
def geometric_weights(alpha: npt.ArrayLike, l_max: int = 12, normalize: bool = False) -> FloatArray:
    """Geometric decay ``w[l] = alpha ** l`` for ``l = 0 .. l_max - 1`` (``0 <= alpha <= 1``)."""
    a = _f(alpha)
    if np.any((a < 0) | (a > 1)):
        raise ValueError("geometric adstock needs 0 <= alpha <= 1")
    return _normalized(np.power(a[..., None], _lags(l_max)), normalize)


def geometric(
    x: npt.ArrayLike,
    alpha: npt.ArrayLike,
    l_max: int = 12,
    normalize: bool = False,
    mode: ConvMode = "After",
) -> FloatArray:
    """Geometric adstock ``y[t] = sum_l alpha**l x[t - l]`` (weights / their sum if normalized)."""
    return convolve(x, geometric_weights(alpha, l_max, normalize), mode)


def geometric_halflife(alpha: npt.ArrayLike) -> FloatArray:
    """Periods until the effect halves: ``h = ln(0.5) / ln(alpha)``."""
    with np.errstate(divide="ignore"):
        return np.log(0.5) / np.log(_f(alpha))


def geometric_alpha_from_halflife(halflife: npt.ArrayLike) -> FloatArray:
    """Inverse of :func:`geometric_halflife`: ``alpha = 0.5 ** (1 / h)``."""
    return np.power(0.5, 1.0 / _f(halflife))


# -- delayed ------------------------------------------------------------------------------------
def delayed_weights(
    alpha: npt.ArrayLike, theta: npt.ArrayLike, l_max: int = 12, normalize: bool = False
) -> FloatArray:
    """Delayed peak ``w[l] = alpha ** ((l - theta) ** 2)``; the peak is at lag ``theta``."""
    a, th = _f(alpha), _f(theta)
    if np.any((a < 0) | (a > 1)):
        raise ValueError("delayed adstock needs 0 <= alpha <= 1")
    return _normalized(np.power(a[..., None], (_lags(l_max) - th[..., None]) ** 2), normalize)


def delayed(
    x: npt.ArrayLike,
    alpha: npt.ArrayLike,
    theta: npt.ArrayLike,
    l_max: int = 12,
    normalize: bool = False,
    mode: ConvMode = "After",
) -> FloatArray:
    """Delayed adstock ``y[t] = sum_l alpha**((l - theta)**2) x[t - l]``."""
    return convolve(x, delayed_weights(alpha, theta, l_max, normalize), mode)


def delayed_halflife(alpha: npt.ArrayLike) -> FloatArray:
    """Half-width either side of the peak: ``h = sqrt(ln(0.5) / ln(alpha))``."""
    with np.errstate(divide="ignore"):
        return np.sqrt(np.log(0.5) / np.log(_f(alpha)))


def delayed_alpha_from_halflife(halflife: npt.ArrayLike) -> FloatArray:
    """Inverse of :func:`delayed_halflife`: ``alpha = 2 ** (-1 / h**2)``."""
    return np.power(2.0, -1.0 / _f(halflife) ** 2)


# -- Weibull ------------------------------------------------------------------------------------
def weibull_cdf_weights(
    lam: npt.ArrayLike, k: npt.ArrayLike, l_max: int = 12, normalize: bool = False
) -> FloatArray:
    """Weibull-CDF decay: ``w[0] = 1``, ``w[l] = prod_{i=1..l} exp(-(i / lam) ** k)``.

    Each step multiplies by the Weibull survival ``1 - F(i; scale=lam, shape=k)``.
    """
    scale, shape = _f(lam)[..., None], _f(k)[..., None]
    t = np.arange(1, l_max, dtype=np.float64)
    survival = np.exp(-np.power(t / scale, shape))
    ones = np.ones((*survival.shape[:-1], 1))
    return _normalized(np.cumprod(np.concatenate([ones, survival], axis=-1), axis=-1), normalize)


def weibull_cdf(
    x: npt.ArrayLike,
    lam: npt.ArrayLike,
    k: npt.ArrayLike,
    l_max: int = 12,
    normalize: bool = False,
    mode: ConvMode = "After",
) -> FloatArray:
    """Weibull-CDF adstock: :func:`convolve` with :func:`weibull_cdf_weights`."""
    return convolve(x, weibull_cdf_weights(lam, k, l_max, normalize), mode)


def weibull_pdf_weights(
    lam: npt.ArrayLike, k: npt.ArrayLike, l_max: int = 12, normalize: bool = False
) -> FloatArray:
    """Weibull-PDF lag shape, min-max scaled to [0, 1] over the kernel.

    ``p(t) = (k / lam) (t / lam) ** (k - 1) exp(-(t / lam) ** k)`` at ``t = 1 .. l_max``, then
    ``w = (p - min p) / (max p - min p)`` (so one weight is always 0 and one is 1).
    """
    scale, shape = _f(lam)[..., None], _f(k)[..., None]
    t = np.arange(1, l_max + 1, dtype=np.float64)
    z = t / scale
    p = np.exp(np.log(shape) - np.log(scale) + (shape - 1) * np.log(z) - np.power(z, shape))
    lo, hi = p.min(axis=-1, keepdims=True), p.max(axis=-1, keepdims=True)
    return _normalized((p - lo) / (hi - lo), normalize)


def weibull_pdf(
    x: npt.ArrayLike,
    lam: npt.ArrayLike,
    k: npt.ArrayLike,
    l_max: int = 12,
    normalize: bool = False,
    mode: ConvMode = "After",
) -> FloatArray:
    """Weibull-PDF adstock: :func:`convolve` with :func:`weibull_pdf_weights`."""
    return convolve(x, weibull_pdf_weights(lam, k, l_max, normalize), mode)


# -- saturation ---------------------------------------------------------------------------------
def _p(param: npt.ArrayLike) -> FloatArray:
    """A ``(..., channel)`` parameter as ``(..., 1, channel)`` so it broadcasts over time."""
    a = _f(param)
    return a[..., None, :] if a.ndim else a


def logistic(x: npt.ArrayLike, lam: npt.ArrayLike) -> FloatArray:
    """Logistic saturation ``f(x) = (1 - exp(-lam x)) / (1 + exp(-lam x))``; f(ln 3 / lam) = 0.5."""
    e = np.exp(-_p(lam) * _f(x))
    return (1 - e) / (1 + e)


def logistic_grad(x: npt.ArrayLike, lam: npt.ArrayLike) -> FloatArray:
    """``df/dx = 2 lam exp(-lam x) / (1 + exp(-lam x)) ** 2``."""
    la = _p(lam)
    e = np.exp(-la * _f(x))
    return 2 * la * e / (1 + e) ** 2


def hill(x: npt.ArrayLike, slope: npt.ArrayLike, kappa: npt.ArrayLike) -> FloatArray:
    """Hill saturation ``f(x) = x**s / (kappa**s + x**s) = sigmoid(s (ln x - ln kappa))``.

    ``kappa`` is the half-saturation point (``f(kappa) = 0.5``), ``s`` the slope; ``f(0) = 0``.
    Evaluated in log space like PyMC-Marketing's ``hill_function``.
    """
    xa = _f(x)
    safe = np.maximum(xa, np.finfo(np.float64).tiny)
    z = _p(slope) * (np.log(safe) - np.log(_p(kappa)))
    return np.where(xa > 0, expit(z), 0.0)


def hill_grad(x: npt.ArrayLike, slope: npt.ArrayLike, kappa: npt.ArrayLike) -> FloatArray:
    """``df/dx = (s / x) f (1 - f)``; at ``x = 0`` the limit: 0 (s > 1), 1/kappa (s = 1), inf."""
    xa, s, kap = _f(x), _p(slope), _p(kappa)
    safe = np.maximum(xa, np.finfo(np.float64).tiny)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        z = s * (np.log(safe) - np.log(kap))
        positive = s / safe * expit(z) * expit(-z)
        at_zero = np.where(s > 1, 0.0, np.where(s == 1, 1.0 / kap, np.inf))
    return np.where(xa > 0, positive, np.where(xa == 0, at_zero, 0.0))


def michaelis_menten(x: npt.ArrayLike, alpha: npt.ArrayLike, lam: npt.ArrayLike) -> FloatArray:
    """Michaelis-Menten ``f(x) = alpha x / (lam + x)``: ceiling alpha, half-saturation lam."""
    xa = _f(x)
    return _p(alpha) * xa / (_p(lam) + xa)


def michaelis_menten_grad(x: npt.ArrayLike, alpha: npt.ArrayLike, lam: npt.ArrayLike) -> FloatArray:
    """``df/dx = alpha lam / (lam + x) ** 2``."""
    la = _p(lam)
    return _p(alpha) * la / (la + _f(x)) ** 2


def tanh(x: npt.ArrayLike, b: npt.ArrayLike, c: npt.ArrayLike) -> FloatArray:
    """Tanh saturation ``f(x) = b tanh(x / (b c))``: ceiling ``b``, slope ``1 / c`` at zero."""
    bb = _p(b)
    return bb * np.tanh(_f(x) / (bb * _p(c)))


def tanh_grad(x: npt.ArrayLike, b: npt.ArrayLike, c: npt.ArrayLike) -> FloatArray:
    """``df/dx = (1 - tanh(x / (b c)) ** 2) / c``."""
    cc = _p(c)
    t = np.tanh(_f(x) / (_p(b) * cc))
    return (1 - t * t) / cc
