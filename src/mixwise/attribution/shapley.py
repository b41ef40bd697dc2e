"""Shapley attribution over channel coalitions.

Journeys are grouped by the *set* ``S`` of channels they touched. The worth of a coalition ``T``
is its conversion rate ``v(T) = converters(T) / journeys(T)``; a coalition no journey had is worth
the best rate of the observed coalitions inside it (``0`` when none; ``v(∅) = 0``). Within each
observed set ``S`` the Shapley value of channel ``i ∈ S`` is

    φ_i^S = Σ_{T ⊆ S∖{i}} |T|! (|S|-|T|-1)! / |S|! · (v(T ∪ {i}) - v(T)),

so ``Σ_i φ_i^S = v(S)`` (efficiency) and two channels that play the same role get the same value
(symmetry). Each set's conversions (or value) ``y(S)`` are split in proportion:
``credit_i = Σ_S y(S) · φ_i^S / v(S)``, and the credits add up to the total.

Exact up to ``EXACT_MAX`` channels (subset sums over all ``2^m`` coalitions); above, each set's
values are estimated from random channel orders, with the Monte Carlo standard error reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import factorial

import numpy as np

from mixwise.attribution.paths import Paths, channel_sets

EXACT_MAX = 12


@dataclass(frozen=True)
class ShapleyResult:
    credit: np.ndarray
    std_error: np.ndarray
    """Monte Carlo standard error per channel (zeros when exact)."""
    exact: bool
    permutations: int = 0


@dataclass(frozen=True)
class Coalitions:
    masks: np.ndarray  # (n_sets,) uint64, sorted
    rate: np.ndarray  # conversion rate v(S)
    target: np.ndarray  # y(S)


def coalitions(paths: Paths, target: np.ndarray) -> Coalitions:
    """The observed channel sets with their conversion rate and attributed total."""
    masks, inv = np.unique(channel_sets(paths), return_inverse=True)
    conv = np.bincount(inv, weights=paths.converters, minlength=len(masks))
    journeys = conv + np.bincount(inv, weights=paths.nulls, minlength=len(masks))
    rate = np.divide(conv, journeys, out=np.zeros_like(conv), where=journeys > 0)
    return Coalitions(masks, rate, np.bincount(inv, weights=target, minlength=len(masks)))


def worth_table(co: Coalitions, m: int) -> np.ndarray:
    """``v(T)`` for all ``2^m`` coalitions (observed: own rate; else best observed subset)."""
    size = 1 << m
    best = np.zeros(size)
    best[co.masks.astype(np.int64)] = co.rate
    idx = np.arange(size)
    for b in range(m):
        with_b = idx[(idx >> b) & 1 == 1]
        best[with_b] = np.maximum(best[with_b], best[with_b ^ (1 << b)])
    best[co.masks.astype(np.int64)] = co.rate
    return best


def _popcount(x: np.ndarray) -> np.ndarray:
    return np.unpackbits(x.astype(">u8").view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1)


def exact_values(co: Coalitions, m: int) -> np.ndarray:
    """``φ_i^S`` for every observed set (rows) and channel (columns), by subset sums."""
    v = worth_table(co, m)
    idx = np.arange(1 << m)
    bits = (idx[:, None] >> np.arange(m)[None, :]) & 1
    marginal = np.where(bits == 0, v[idx[:, None] | (1 << np.arange(m))[None, :]] - v[:, None], 0.0)
    t = bits.sum(axis=1)
    sizes = _popcount(co.masks)
    out = np.zeros((len(co.masks), m))
    for s in np.unique(sizes):
        w = np.array(
            [
                factorial(k) * factorial(s - k - 1) / factorial(s) if k < s else 0.0
                for k in range(m + 1)
            ]
        )
        z = marginal * w[t][:, None]
        for b in range(m):  # zeta transform: z[S] = sum over T ⊆ S
            with_b = idx[(idx >> b) & 1 == 1]
            z[with_b] += z[with_b ^ (1 << b)]
        rows = sizes == s
        members = (co.masks[rows, None].astype(np.int64) >> np.arange(m)[None, :]) & 1
        out[rows] = z[co.masks[rows].astype(np.int64)] * members
    return out


def _worth(co: Coalitions, queries: np.ndarray) -> np.ndarray:
    """``v(T)`` for arbitrary coalitions (sampled case), in chunks."""
    out = np.zeros(len(queries))
    pos = np.clip(np.searchsorted(co.masks, queries), 0, len(co.masks) - 1)
    observed = co.masks[pos] == queries
    out[observed] = co.rate[pos[observed]]
    rest = np.flatnonzero(~observed)
    for start in range(0, len(rest), 2048):
        chunk = rest[start : start + 2048]
        inside = (co.masks[None, :] & ~queries[chunk, None]) == 0
        out[chunk] = np.where(inside, co.rate[None, :], 0.0).max(axis=1)
    return out


def sampled_values(co: Coalitions, m: int, permutations: int, seed: int) -> np.ndarray:
    """``φ_i^S`` estimated from ``permutations`` random channel orders: ``(R, sets, m)``."""
    rng = np.random.default_rng(seed)
    one = np.uint64(1)
    chan_bits = np.left_shift(one, np.arange(m, dtype=np.uint64))
    member = (co.masks[:, None] & chan_bits[None, :]) != 0
    preds = np.empty((permutations, len(co.masks), m), dtype=np.uint64)
    for r in range(permutations):
        order = rng.permutation(m)
        prefix = np.concatenate([[np.uint64(0)], np.cumsum(chan_bits[order], dtype=np.uint64)])
        before = np.empty(m, dtype=np.uint64)
        before[order] = prefix[:-1]
        preds[r] = before[None, :] & co.masks[:, None]
    uniq, inv = np.unique(
        np.concatenate([preds.ravel(), (preds | chan_bits).ravel()]), return_inverse=True
    )
    worth = _worth(co, uniq)[inv]
    half = preds.size
    gain = (worth[half:] - worth[:half]).reshape(preds.shape)
    return np.where(member[None], gain, 0.0)


def shapley_credit(
    paths: Paths, target: np.ndarray, permutations: int = 200, seed: int = 0
) -> ShapleyResult:
    """Credits ``Σ_S y(S) φ_i^S / v(S)``; exact up to ``EXACT_MAX`` channels, else sampled."""
    co = coalitions(paths, target)
    m = len(paths.channels)
    share = np.divide(co.target, co.rate, out=np.zeros_like(co.rate), where=co.rate > 0)
    if m <= EXACT_MAX:
        credit = share @ exact_values(co, m)
        return ShapleyResult(credit, np.zeros(m), True)
    per_order = np.einsum("s,rsm->rm", share, sampled_values(co, m, permutations, seed))
    error = per_order.std(axis=0, ddof=1) / np.sqrt(permutations)
    return ShapleyResult(per_order.mean(axis=0), error, False, permutations)
