"""Rule-based attribution: each path's conversions split over its touches by fixed weights.

For a path with touches ``k = 0 .. n-1`` and conversions ``y``, touch ``k`` gets ``y · w_k`` with
``sum_k w_k = 1``; a channel's credit is the sum over its touches of all paths:

- first touch: ``w_0 = 1``;  last touch: ``w_{n-1} = 1``;  linear: ``w_k = 1/n``;
- time decay: ``w_k ∝ 2^(-age_k / h)`` with ``age_k`` the days from the touch to the conversion
  (per unique path, the conversion-weighted mean over its journeys) and ``h`` the half-life in
  days; without timestamps ``age_k = n-1-k`` touches and ``h`` is in touches;
- position-based (U-shaped): ``w_0 = f``, ``w_{n-1} = l``, the middle touches share ``1-f-l``
  equally; ``n = 1``: ``w_0 = 1``; ``n = 2``: ``f/(f+l)`` and ``l/(f+l)``.
"""

from __future__ import annotations

import numpy as np

from mixwise.attribution.paths import PAD, Paths


def per_path_weights(paths: Paths, weights: np.ndarray) -> np.ndarray:
    """``(P, C)``: each path's weight per channel (weights ``(P, L)`` summed over the touches of
    each channel), so ``credit_c = sum_p target_p · sum_{k: step_pk = c} w_pk = target @
    per_path`` (the bootstrap reuses it for every replicate)."""
    valid = paths.steps != PAD
    rows = np.nonzero(valid)[0]
    c = len(paths.channels)
    flat = np.bincount(
        rows * c + paths.steps[valid], weights=weights[valid], minlength=paths.n_paths * c
    )
    return flat.reshape(paths.n_paths, c)


def _positions(paths: Paths) -> tuple[np.ndarray, np.ndarray]:
    """(position index ``(1, L)``, path length ``(P, 1)``)."""
    return np.arange(paths.steps.shape[1])[None, :], paths.lengths[:, None]


def first_touch(paths: Paths) -> np.ndarray:
    k, _ = _positions(paths)
    return np.broadcast_to(k == 0, paths.steps.shape).astype(float)


def last_touch(paths: Paths) -> np.ndarray:
    k, n = _positions(paths)
    return (k == n - 1).astype(float)


def linear(paths: Paths) -> np.ndarray:
    k, n = _positions(paths)
    return np.where(k < n, 1.0 / np.maximum(n, 1), 0.0)


def time_decay(paths: Paths, half_life: float = 7.0) -> np.ndarray:
    k, n = _positions(paths)
    ages = paths.ages if paths.ages is not None else np.full(paths.steps.shape, np.nan)
    age = np.where(np.isnan(ages), (n - 1 - k).astype(float), ages)
    raw = np.where(k < n, np.exp2(-np.maximum(age, 0.0) / half_life), 0.0)
    return raw / np.maximum(raw.sum(axis=1, keepdims=True), 1e-300)


def position_based(paths: Paths, first: float = 0.4, last: float = 0.4) -> np.ndarray:
    k, n = _positions(paths)
    middle = (1.0 - first - last) / np.maximum(n - 2, 1)
    w = np.where((k > 0) & (k < n - 1), middle, 0.0)
    w = np.where(k == 0, np.where(n == 2, first / (first + last), first), w)
    w = np.where((k == n - 1) & (n >= 2), np.where(n == 2, last / (first + last), last), w)
    return np.where(n == 1, (k == 0).astype(float), w)
