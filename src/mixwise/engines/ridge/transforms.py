"""Robyn's adstock and Hill saturation, for a whole batch of hyperparameter candidates at once.

Shapes: media ``x`` is ``(time, channel)`` (the same data for every candidate), parameters are
``(candidate, channel)``, outputs ``(candidate, time, channel)``.

Definitions (Robyn, ``R/R/transformation.R``):

- geometric: ``y[0] = x[0]``, ``y[t] = x[t] + theta * y[t-1]``: an infinite carry-over, i.e.
  :func:`mixwise.model.transforms.geometric` with ``l_max = T`` and no normalisation;
- Weibull (``windlen = T``, the whole series): the scale is a share of the window,
  ``lam = round(quantile(1..T, scale)) = round(1 + scale * (T - 1))``; the kernel over lags
  ``0 .. T-1`` is :func:`mixwise.model.transforms.weibull_cdf_weights` (cumulative Weibull
  survival) or :func:`~mixwise.model.transforms.weibull_pdf_weights` (density min-max scaled to
  [0, 1]) with that ``lam`` and ``k = shape``; ``shape == 0`` or ``scale == 0`` means no adstock;
- Hill: ``s(x) = x**alpha / (x**alpha + inflexion**alpha)`` with
  ``inflexion = (1 - gamma) * min(x) + gamma * max(x)`` over the modelling window
  (:func:`mixwise.model.transforms.hill` with ``kappa = inflexion``), as in Robyn's Python port
  and R before December 2024; ``inflexion="max"`` gives R's current ``gamma * max(x)`` (the
  same whenever the window's minimum is 0).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from mixwise.model import transforms as mt

FloatArray = npt.NDArray[np.float64]
Inflexion = Literal["range", "max"]


def geometric_adstock(x: npt.ArrayLike, theta: npt.ArrayLike) -> FloatArray:
    """``y[t] = x[t] + theta * y[t-1]`` per candidate and channel: ``(cand, time, channel)``.

    Linear in time (a recursion over ``T`` steps on ``(cand, channel)`` arrays) instead of the
    ``T**2`` convolution with ``theta ** l`` weights it equals.
    """
    xa = np.asarray(x, dtype=np.float64)
    th = np.asarray(theta, dtype=np.float64)
    out = np.empty((th.shape[0], *xa.shape))
    out[:, 0] = xa[0]
    for t in range(1, xa.shape[0]):
        np.multiply(out[:, t - 1], th, out=out[:, t])
        out[:, t] += xa[t]
    return out


def weibull_scale_periods(scale: npt.ArrayLike, n_time: int) -> FloatArray:
    """Robyn's ``round(quantile(1:T, scale))``: ``round(1 + scale * (T - 1))`` (half to even)."""
    return np.round(1.0 + np.asarray(scale, dtype=np.float64) * (n_time - 1))


def weibull_kernel(
    shape: npt.ArrayLike, scale: npt.ArrayLike, n_time: int, kind: str
) -> FloatArray:
    """Weights ``(cand, channel, lag)`` over lags ``0 .. n_time - 1`` (see module docstring)."""
    k = np.asarray(shape, dtype=np.float64)
    lam = weibull_scale_periods(scale, n_time)
    identity = (k == 0) | (np.asarray(scale) == 0)
    safe_k = np.where(identity, 1.0, k)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        if kind == "weibull_cdf":
            w = mt.weibull_cdf_weights(lam, safe_k, l_max=n_time)
        elif kind == "weibull_pdf":
            w = mt.weibull_pdf_weights(lam, safe_k, l_max=n_time)
        else:
            raise ValueError(f"kind must be 'weibull_cdf' or 'weibull_pdf', got {kind!r}")
    first = np.zeros(n_time)
    first[0] = 1.0
    flat = ~np.isfinite(w).all(axis=-1)  # pdf with a flat density: Robyn's .normalize -> (1, 0..)
    return np.where((identity | flat)[..., None], first, w)


def lag_matrix(x: npt.ArrayLike) -> FloatArray:
    """``L[c, t, l] = x[t - l, c]`` (0 where ``l > t``): adstock is then ``L[c] @ w[c]``."""
    xa = np.asarray(x, dtype=np.float64)
    n_time = xa.shape[0]
    t, lag = np.meshgrid(np.arange(n_time), np.arange(n_time), indexing="ij")
    src = t - lag
    lagged = np.where(src[None] >= 0, xa.T[:, np.clip(src, 0, None)], 0.0)
    return np.ascontiguousarray(lagged)  # BLAS-batched matmul needs contiguous operands


def weibull_adstock(
    x: npt.ArrayLike,
    shape: npt.ArrayLike,
    scale: npt.ArrayLike,
    kind: str,
    lags: FloatArray | None = None,
) -> FloatArray:
    """Weibull adstock ``y[t] = sum_l w[l] x[t - l]`` per candidate: ``(cand, time, channel)``.

    One batched matrix product per channel; pass ``lags = lag_matrix(x)`` to reuse it.
    """
    xa = np.asarray(x, dtype=np.float64)
    w = weibull_kernel(shape, scale, xa.shape[0], kind)  # (cand, channel, lag)
    lagged = lag_matrix(xa) if lags is None else lags  # (channel, time, lag)
    y = np.matmul(lagged, np.ascontiguousarray(np.transpose(w, (1, 2, 0))))  # (chan, time, cand)
    return np.ascontiguousarray(np.transpose(y, (2, 1, 0)))


def hill_inflexion(
    x: npt.ArrayLike, gamma: npt.ArrayLike, inflexion: Inflexion = "range"
) -> FloatArray:
    """``(1 - gamma) * min_t x + gamma * max_t x`` (``"range"``) or ``gamma * max_t x``
    (``"max"``) per candidate and channel."""
    xa = np.asarray(x, dtype=np.float64)
    lo = xa.min(axis=-2) if inflexion == "range" else 0.0
    return lo + np.asarray(gamma, dtype=np.float64) * (xa.max(axis=-2) - lo)


def hill_saturation(
    x: npt.ArrayLike, alpha: npt.ArrayLike, gamma: npt.ArrayLike, inflexion: Inflexion = "range"
) -> FloatArray:
    """Robyn's ``saturation_hill`` on ``x (cand, time, channel)``: ``x^a / (x^a + inflexion^a)``."""
    return mt.hill(x, alpha, hill_inflexion(x, gamma, inflexion))
