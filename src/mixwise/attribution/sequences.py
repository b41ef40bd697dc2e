"""Sequences: does a path convert more often when channel A came before channel B?

For each ordered pair (A, B): journeys whose path has A before B (some touch of A earlier than
some touch of B) against journeys with B and no A. Rates ``p1 = x1/n1`` and ``p2 = x2/n2``
(converting / all journeys); the difference ``p1 - p2`` gets Newcombe's interval from the two
Wilson score intervals. Only pairs with at least ``min_support`` journeys on each side and an
interval that excludes zero are listed. This is an association, not a causal effect: journeys
that see more channels differ in other ways.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from mixwise.attribution.paths import PAD, Paths

COLUMNS = [
    "first",
    "then",
    "journeys_first_then",
    "rate_first_then",
    "journeys_then_only",
    "rate_then_only",
    "difference",
    "lo",
    "hi",
    "lift",
]


def wilson(x: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of ``x / n``:
    ``(p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``."""
    n = np.maximum(n, 1e-12)
    p = x / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return centre - half, centre + half


def _order_positions(paths: Paths) -> tuple[np.ndarray, np.ndarray]:
    """First and last position of each channel in each path ``(P, C)`` (inf / -inf if absent)."""
    c = len(paths.channels)
    first = np.full((paths.n_paths, c), np.inf)
    last = np.full((paths.n_paths, c), -np.inf)
    rows, cols = np.nonzero(paths.steps != PAD)
    ch = paths.steps[rows, cols]
    np.minimum.at(first, (rows, ch), cols)
    np.maximum.at(last, (rows, ch), cols)
    return first, last


def sequences(paths: Paths, min_support: int = 100, interval: float = 0.95) -> pd.DataFrame:
    """Ordered pairs whose conversion-rate difference excludes zero (see the module docstring)."""
    first, last = _order_positions(paths)
    has = np.isfinite(first)
    journeys = paths.converters + paths.nulls
    before = first[:, :, None] < last[:, None, :]
    only_b = has[:, None, :] & ~has[:, :, None]
    n1 = np.einsum("p,pab->ab", journeys, before)
    x1 = np.einsum("p,pab->ab", paths.converters, before)
    n2 = np.einsum("p,pab->ab", journeys, only_b)
    x2 = np.einsum("p,pab->ab", paths.converters, only_b)
    z = float(norm.ppf(0.5 + interval / 2))
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    p1, p2 = x1 / np.maximum(n1, 1e-12), x2 / np.maximum(n2, 1e-12)
    d = p1 - p2
    lo = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    keep = (n1 >= min_support) & (n2 >= min_support) & ((lo > 0) | (hi < 0))
    np.fill_diagonal(keep, False)
    a, b = np.nonzero(keep)
    names = np.array(paths.channels, dtype=object)
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = np.where(p2[a, b] > 0, p1[a, b] / p2[a, b], np.inf)
    frame = pd.DataFrame(
        {
            "first": names[a],
            "then": names[b],
            "journeys_first_then": n1[a, b],
            "rate_first_then": p1[a, b],
            "journeys_then_only": n2[a, b],
            "rate_then_only": p2[a, b],
            "difference": d[a, b],
            "lo": lo[a, b],
            "hi": hi[a, b],
            "lift": lift,
        },
        columns=COLUMNS,
    )
    return frame.sort_values("difference", ascending=False, key=np.abs, ignore_index=True)
