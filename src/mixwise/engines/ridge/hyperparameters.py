"""Hyperparameter ranges of the ridge engine, with Robyn's documented defaults.

Every channel (paid and organic) gets an adstock (``geometric``: ``theta``; ``weibull_cdf`` /
``weibull_pdf``: ``shape``, ``scale``) and a Hill saturation (``alpha``, ``gamma``); the model has
one ``lambda`` (the share of the penalty range, see :mod:`.regression`). A range with
``lower == upper`` fixes that hyperparameter.

Robyn's defaults: geometric ``theta`` TV 0.3-0.8, OOH / print / radio 0.1-0.4, digital 0-0.3;
Hill ``alpha`` 0.5-3, ``gamma`` 0.3-1; Weibull ``shape`` 0.0001-2 (cdf) or 0.0001-10 (pdf),
``scale`` 0-0.1; ``lambda`` 0-1.

The search works in the unit cube: a candidate ``u`` in ``[0, 1]^d`` maps to
``lower + u * (upper - lower)`` per hyperparameter (Robyn's ``qunif``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from mixwise.errors import SpecError
from mixwise.model.ridge_spec import (
    ADSTOCK_KINDS,
    ADSTOCK_PARAMS,
    SATURATION_PARAMS,
    MediaKind,
    range_problem,
)

AdstockKind = Literal["geometric", "weibull_cdf", "weibull_pdf"]
# ADSTOCK_KINDS, ADSTOCK_PARAMS, SATURATION_PARAMS, MediaKind and DOMAINS are the model spec's
# (mixwise.model.ridge_spec).


THETA_DEFAULTS: dict[str, tuple[float, float]] = {
    "tv": (0.3, 0.8),
    "offline": (0.1, 0.4),
    "digital": (0.0, 0.3),
}
OFFLINE_WORDS = ("ooh", "outdoor", "print", "radio", "newspaper", "magazine", "billboard")
TV_WORDS = ("tv", "television", "ctv")


def media_kind(channel: str) -> MediaKind:
    """Guess a channel's kind from its name: TV, offline (OOH, print, radio) or digital."""
    words = channel.lower().replace("-", "_").split("_")
    if any(w in TV_WORDS for w in words):
        return "tv"
    if any(w in OFFLINE_WORDS for w in words):
        return "offline"
    return "digital"


@dataclass(frozen=True)
class Range:
    """A closed interval ``[lower, upper]``; ``lower == upper`` fixes the value."""

    lower: float
    upper: float


@dataclass(frozen=True)
class HyperRanges:
    """Search ranges: ``channels[name][param]`` for every channel, plus ``lambda_``.

    Build with :func:`default_ranges` (and override entries); construction validates every
    range and raises :class:`SpecError` naming the field and the fix.
    """

    adstock: AdstockKind
    channels: Mapping[str, Mapping[str, Range]]
    lambda_: Range = Range(0.0, 1.0)

    def __post_init__(self) -> None:
        if self.adstock not in ADSTOCK_KINDS:
            raise SpecError(
                f"unknown adstock {self.adstock!r} for the ridge engine",
                f"Choose one of: {', '.join(ADSTOCK_KINDS)}.",
            )
        wanted = (*ADSTOCK_PARAMS[self.adstock], *SATURATION_PARAMS)
        for channel, params in self.channels.items():
            missing = [p for p in wanted if p not in params]
            extra = [p for p in params if p not in wanted]
            if missing or extra:
                raise SpecError(
                    f"hyperparameters of channel {channel!r} must be exactly "
                    f"{', '.join(wanted)} for {self.adstock} adstock",
                    f"Missing: {', '.join(missing) or 'none'}; not used: "
                    f"{', '.join(extra) or 'none'}.",
                )
            for name in wanted:
                _check(f"{channel}.{name}", name, params[name])
        _check("lambda", "lambda", self.lambda_)

    @property
    def names(self) -> list[str]:
        """Flat names ``<channel>_<param>`` in search order, then ``lambda``."""
        return [f"{c}_{p}" for c, params in self.channels.items() for p in params] + ["lambda"]

    @property
    def bounds(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Lower and upper bounds in :attr:`names` order."""
        ranges = [r for params in self.channels.values() for r in params.values()]
        ranges.append(self.lambda_)
        return (np.array([r.lower for r in ranges]), np.array([r.upper for r in ranges]))

    def from_unit(self, u: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Map unit-cube candidates ``(..., d)`` to hyperparameter values ``(..., d)``."""
        lo, hi = self.bounds
        return lo + np.asarray(u, dtype=np.float64) * (hi - lo)

    def column(self, values: npt.NDArray[np.float64], param: str) -> npt.NDArray[np.float64]:
        """One parameter of every channel, ``(..., channel)``, from ``(..., d)`` values."""
        idx = [self.names.index(f"{c}_{param}") for c in self.channels]
        return values[..., idx]


def _check(field: str, param: str, r: Range) -> None:
    problem = range_problem(param, r.lower, r.upper)
    if problem:
        raise SpecError(
            f"{field}: {problem}", f"Keep {field} within its domain, e.g. Robyn's default range."
        )


def default_ranges(
    channels: Sequence[str],
    adstock: AdstockKind = "geometric",
    kinds: Mapping[str, MediaKind] | None = None,
    overrides: Mapping[str, Mapping[str, tuple[float, float]]] | None = None,
) -> HyperRanges:
    """Robyn's default ranges for ``channels``; ``kinds`` overrides :func:`media_kind` guesses,
    ``overrides[channel][param] = (lower, upper)`` replaces single ranges."""
    kinds = kinds or {}
    overrides = overrides or {}
    unknown = [c for c in overrides if c not in channels and c != "lambda"]
    if unknown:
        raise SpecError(
            f"hyperparameter overrides name unknown channels: {', '.join(unknown)}",
            f"Use one of: {', '.join(channels)}.",
        )
    out: dict[str, dict[str, Range]] = {}
    for c in channels:
        params: dict[str, Range] = {}
        if adstock == "geometric":
            params["theta"] = Range(*THETA_DEFAULTS[kinds.get(c, media_kind(c))])
        else:
            params["shape"] = Range(0.0001, 2.0 if adstock == "weibull_cdf" else 10.0)
            params["scale"] = Range(0.0, 0.1)
        params["alpha"] = Range(0.5, 3.0)
        params["gamma"] = Range(0.3, 1.0)
        for name, (lo, hi) in overrides.get(c, {}).items():
            params[name] = Range(lo, hi)
        out[c] = params
    lam = overrides.get("lambda", {}).get("lambda", (0.0, 1.0))
    return HyperRanges(adstock=adstock, channels=out, lambda_=Range(*lam))
