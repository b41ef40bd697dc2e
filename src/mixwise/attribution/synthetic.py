"""Synthetic journeys with known incremental effects, to show each model's bias against truth.

Each journey sees each channel with probability ``reach`` (``1 + Poisson(extra)`` touches at
random times in a 28-day window, ``late`` channels near its end). It converts with probability

    p = base + Σ_c lift_c · exposed_c + lift_after · [a touch of ``after`` precedes one of c],

so a channel's true incremental conversions are ``Σ_journeys lift_c · exposed_c`` (expected
values). The default world has a channel that is everywhere and late but causes nothing
(``display``) and one that only works after another (``email`` after ``social``). The conversion
is recorded on the journey's last touch, with a log-normal value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

WINDOW_DAYS = 28.0


@dataclass(frozen=True)
class ChannelTruth:
    name: str
    reach: float
    lift: float
    extra: float = 0.5
    late: bool = False
    after: str | None = None
    """The lift counts only when a touch of this channel came earlier in the journey."""


DEFAULT_WORLD = (
    ChannelTruth("search", 0.45, 0.040),
    ChannelTruth("social", 0.40, 0.020),
    ChannelTruth("video", 0.25, 0.015),
    ChannelTruth("display", 0.65, 0.0, extra=1.5, late=True),
    ChannelTruth("email", 0.30, 0.050, after="social"),
)


@dataclass
class SyntheticJourneys:
    events: pd.DataFrame
    truth: pd.DataFrame
    """channel, lift, incremental (expected conversions), share (of all incremental)."""
    base: float = 0.0
    """Expected conversions without any channel: the base rate times the touched journeys (so
    ``base + truth.incremental.sum()`` is the expected number of conversions)."""


def _touches(rng: np.random.Generator, n: int, ch: ChannelTruth) -> tuple[np.ndarray, np.ndarray]:
    """(journey, time) of each touch of ``ch``."""
    exposed = np.flatnonzero(rng.random(n) < ch.reach)
    k = 1 + rng.poisson(ch.extra, len(exposed))
    who = np.repeat(exposed, k)
    if ch.late:
        t = WINDOW_DAYS - np.minimum(rng.exponential(1.5, len(who)), WINDOW_DAYS)
    else:
        t = rng.uniform(0, WINDOW_DAYS, len(who))
    return who, t


def generate_journeys(
    n: int = 20_000,
    seed: int = 0,
    world: tuple[ChannelTruth, ...] = DEFAULT_WORLD,
    base: float = 0.01,
) -> SyntheticJourneys:
    """``n`` journeys (before dropping untouched ones) and the true effects (seeded)."""
    rng = np.random.default_rng(seed)
    names = [c.name for c in world]
    who, when, chan = [], [], []
    for i, ch in enumerate(world):
        w, t = _touches(rng, n, ch)
        who.append(w)
        when.append(t)
        chan.append(np.full(len(w), i))
    j, t, c = np.concatenate(who), np.concatenate(when), np.concatenate(chan)
    first = np.full((n, len(world)), np.inf)
    last = np.full((n, len(world)), -np.inf)
    np.minimum.at(first, (j, c), t)
    np.maximum.at(last, (j, c), t)
    exposed = np.isfinite(first)
    effective = exposed.copy()
    for i, ch in enumerate(world):
        if ch.after is not None:
            a = names.index(ch.after)
            effective[:, i] &= first[:, a] < last[:, i]
    lifts = np.array([ch.lift for ch in world])
    p = np.clip(base + effective @ lifts, 0, 1)
    converts = rng.random(n) < p
    order = np.lexsort((t, j))
    j, t, c = j[order], t[order], c[order]
    is_last = np.r_[j[1:] != j[:-1], True]
    conv = (is_last & converts[j]).astype(int)
    value = np.where(conv == 1, np.round(rng.lognormal(4.0, 0.5, len(j)), 2), 0.0)
    start = pd.Timestamp("2024-03-01")
    events = pd.DataFrame(
        {
            "journey_id": j,
            "timestamp": start + pd.to_timedelta(np.round(t * 86_400), unit="s"),
            "channel": np.array(names, dtype=object)[c],
            "conversion": conv,
            "value": value,
        }
    )
    incremental = (effective * lifts).sum(axis=0)
    truth = pd.DataFrame(
        {
            "channel": names,
            "lift": lifts,
            "incremental": incremental,
            "share": incremental / incremental.sum(),
        }
    )
    touched = exposed.any(axis=1)
    return SyntheticJourneys(events, truth, base=float(base * touched.sum()))
