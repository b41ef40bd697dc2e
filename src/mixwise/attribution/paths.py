"""Unique journey paths with their counts: what every attribution model works on.

A *path* is the ordered list of channels a journey touched. Identical paths are grouped once
(``steps`` row ``p``) with how many journeys converted (``converters``), how many did not
(``nulls``), the conversions and conversion value they brought, and (for event data) the mean time
from each touch to the conversion (``ages``, days), which the time-decay model uses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

Target = Literal["conversions", "value"]
PAD = -1


@dataclass(frozen=True)
class Paths:
    """``steps[p, k]`` is the channel index of touch ``k`` of unique path ``p`` (``PAD`` after
    the end). Counts are floats so that bootstrap replicates reuse the same type."""

    channels: tuple[str, ...]
    steps: np.ndarray
    converters: np.ndarray
    nulls: np.ndarray
    conversions: np.ndarray
    value: np.ndarray
    ages: np.ndarray | None = None
    unattributed: float = 0.0
    """Conversions of journeys without any touchpoint (no channel can get their credit)."""

    @property
    def lengths(self) -> np.ndarray:
        return (self.steps != PAD).sum(axis=1)

    @property
    def n_paths(self) -> int:
        return int(self.steps.shape[0])

    def target(self, kind: Target) -> np.ndarray:
        """Per path, what is attributed: the conversions or their value."""
        return self.value if kind == "value" else self.conversions

    def journeys(self) -> float:
        return float(self.converters.sum() + self.nulls.sum())

    def reweighted(self, converters: np.ndarray, nulls: np.ndarray) -> Paths:
        """The same paths with other journey counts (a bootstrap replicate); conversions and
        value scale with the converting journeys of each path."""
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(self.converters > 0, converters / self.converters, 0.0)
        return replace(
            self,
            converters=converters,
            nulls=nulls,
            conversions=self.conversions * ratio,
            value=self.value * ratio,
        )

    def text(self, p: int, separator: str = " > ") -> str:
        return separator.join(self.channels[c] for c in self.steps[p] if c != PAD)


def pad_sequences(codes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """A ragged list (flat ``codes``, ``offsets`` of length n+1) as an ``(n, max_len)`` matrix
    padded with ``PAD``."""
    lengths = np.diff(offsets)
    n, width = len(lengths), int(lengths.max()) if len(lengths) else 0
    out = np.full((n, max(width, 1)), PAD, dtype=np.int32)
    row = np.repeat(np.arange(n), lengths)
    col = np.arange(len(codes)) - np.repeat(offsets[:-1], lengths)
    out[row, col] = codes
    return out


def channel_sets(paths: Paths) -> np.ndarray:
    """Per path, the bitmask of the distinct channels it touched (uint64; up to 63 channels)."""
    valid = paths.steps != PAD
    shifted = np.left_shift(np.uint64(1), np.where(valid, paths.steps, 0).astype(np.uint64))
    return np.bitwise_or.reduce(np.where(valid, shifted, np.uint64(0)), axis=1)
