"""Time series building blocks of the generator: flighting, controls, trend, seasonality."""

from __future__ import annotations

import zlib

import numpy as np
import numpy.typing as npt
import pandas as pd

from mixwise.data.synthetic.config import ChannelConfig, ControlConfig, SyntheticConfig

FloatArray = npt.NDArray[np.float64]


def rng_for(seed: int, *key: str) -> np.random.Generator:
    """An independent stream per (seed, component name): adding a channel leaves others intact."""
    return np.random.default_rng([seed, *(zlib.crc32(k.encode()) for k in key)])


def dates(config: SyntheticConfig) -> pd.DatetimeIndex:
    """Period start dates: every 7 days (weekly) or every day from ``config.start``."""
    step = "7D" if config.frequency == "weekly" else "D"
    return pd.date_range(
        pd.Timestamp(config.start), periods=config.n_periods, freq=step, name="date"
    )


def year_fraction(index: pd.DatetimeIndex) -> FloatArray:
    """Continuous time in years since 1 January of the first year (the Fourier clock)."""
    origin = pd.Timestamp(year=index[0].year, month=1, day=1)
    return np.asarray((index - origin).days, dtype=np.float64) / 365.25


def ar1(rng: np.random.Generator, n: int, phi: float) -> FloatArray:
    """Standardized AR(1): ``z_t = phi z_{t-1} + e_t``, then shifted/scaled to mean 0, sd 1."""
    e = rng.normal(size=n)
    z = np.empty(n)
    z[0] = e[0] / np.sqrt(1 - phi**2)
    for t in range(1, n):
        z[t] = phi * z[t - 1] + e[t]
    return (z - z.mean()) / z.std()


def _lognormal(rng: np.random.Generator, n: int, cv: float) -> FloatArray:
    """Mean-one lognormal multipliers ``exp(N(0, cv) - cv**2 / 2)``."""
    return np.exp(rng.normal(0.0, cv, size=n) - cv**2 / 2)


def _bursts(rng: np.random.Generator, n: int, per_week: int) -> FloatArray:
    """0/1 on-off flights: on for 2-6 weeks, off for 2-8 weeks, starting at a random phase."""
    mask = np.zeros(n)
    t = int(rng.integers(0, 4 * per_week))
    while t < n:
        on = int(rng.integers(2, 7)) * per_week
        mask[t : t + on] = 1.0
        t += on + int(rng.integers(2, 9)) * per_week
    if not mask.any():
        mask[: max(1, n // 4)] = 1.0
    return mask


def flighting(
    channel: ChannelConfig, config: SyntheticConfig, index: pd.DatetimeIndex
) -> FloatArray:
    """National spend per period before confounding, with mean exactly ``mean_spend``.

    - ``always_on``: ``mean * lognormal(cv)`` every period (never zero);
    - ``bursts``: flights of 2-6 weeks separated by 2-8 dark weeks (zero spend);
    - ``seasonal``: ``max(0, sin(2 pi (year + phase)) + 0.3)`` shape: dark in the off-season.
    """
    rng = rng_for(config.seed, "spend", channel.name)
    n = len(index)
    noise = _lognormal(rng, n, channel.spend_cv)
    if channel.flighting == "always_on":
        shape = noise
    elif channel.flighting == "bursts":
        shape = _bursts(rng, n, config.periods_per_week) * noise
    else:
        phase = rng.uniform()
        shape = np.maximum(0.0, np.sin(2 * np.pi * (year_fraction(index) + phase)) + 0.3) * noise
    return channel.mean_spend * shape / shape.mean()


def control_z(control: ControlConfig, config: SyntheticConfig) -> FloatArray:
    """The standardized series ``z_t`` behind a control (the column is ``mean + sd * z``)."""
    return ar1(rng_for(config.seed, "control", control.name), config.n_periods, control.persistence)


def trend_shape(config: SyntheticConfig) -> FloatArray:
    """``g(u)``, ``u = t / (n - 1)``: 0 (none), u (linear) or sqrt(u) (sqrt); trend = I*growth*g."""
    u = np.linspace(0.0, 1.0, config.n_periods)
    if config.trend == "none":
        return np.zeros_like(u)
    return u if config.trend == "linear" else np.sqrt(u)


def seasonality_shape(config: SyntheticConfig, index: pd.DatetimeIndex) -> FloatArray:
    """``sum_k a_k sin(2 pi k y) + b_k cos(2 pi k y)`` with y = :func:`year_fraction`."""
    y = year_fraction(index)
    out = np.zeros(len(index))
    for k, (a, b) in enumerate(config.seasonality, start=1):
        out += a * np.sin(2 * np.pi * k * y) + b * np.cos(2 * np.pi * k * y)
    return out


def exposures(channel: ChannelConfig, config: SyntheticConfig, spend: FloatArray) -> FloatArray:
    """Impressions ``spend / cost_per_exposure * lognormal(exposure_noise)`` (any shape)."""
    if channel.cost_per_exposure is None:
        raise ValueError(f"channel {channel.name!r} has no cost_per_exposure")
    rng = rng_for(config.seed, "exposure", channel.name)
    mult = _lognormal(rng, spend.size, channel.exposure_noise).reshape(spend.shape)
    return spend / channel.cost_per_exposure * mult
