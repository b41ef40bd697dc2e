"""``RidgeSpec``: the settings of the ``ridge`` engine (Robyn's method), the ``ridge:`` block of a
model spec; other engines ignore it. Every field has a default::

    adstock: {kind: geometric}                  # or weibull_cdf / weibull_pdf
    ridge:
      trials: 5                                 # independent Nevergrad runs
      iterations: 2000                          # candidates per trial
      optimizer: TwoPointsDE                    # any nevergrad.optimizers.registry name
      ranges:                                   # per channel [lower, upper]; Robyn's defaults
        tv_S: {theta: [0.3, 0.8], alpha: [0.5, 3], gamma: [0.3, 1]}
      lambda_range: [0, 1]                      # share of the ridge penalty range
      media_kinds: {ooh_S: offline}             # tv / offline / digital: picks the theta default
      bootstrap_draws: 200                      # block-bootstrap refits of the chosen model
      seed: null                                # null: sampler.seed
      start: 2016-01-04                         # modelling window (default: all periods)
      ts_validation: false                      # true: fit on the first train_size of the window
      train_size: 0.7                           # validation and test split the rest equally

The hyperparameter domains (:data:`DOMAINS`) live here so that a spec is refused before any fit;
the engine (``mixwise.engines.ridge.hyperparameters``) uses the same table.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import ClassVar, Literal

from pydantic import Field

from mixwise.model.spec_base import SpecBlock

ADSTOCK_PARAMS: dict[str, tuple[str, ...]] = {
    "geometric": ("theta",),
    "weibull_cdf": ("shape", "scale"),
    "weibull_pdf": ("shape", "scale"),
}
"""The ridge engine's adstock kinds and their hyperparameters (Robyn's names)."""
ADSTOCK_KINDS: tuple[str, ...] = tuple(ADSTOCK_PARAMS)
"""The adstock kinds the ridge engine fits (its capabilities, spec and ranges read this)."""
SATURATION_PARAMS: tuple[str, ...] = ("alpha", "gamma")
"""Hill saturation hyperparameters (Robyn's names)."""
MediaKind = Literal["tv", "offline", "digital"]
"""What picks a channel's default geometric ``theta`` range (``ridge.media_kinds``)."""

DOMAINS: dict[str, tuple[float, float, str]] = {
    "theta": (0.0, 1.0, "geometric decay theta must lie in [0, 1)"),
    "shape": (0.0, math.inf, "Weibull shape must be >= 0"),
    "scale": (0.0, 1.0, "Weibull scale is a share of the time window, in [0, 1]"),
    "alpha": (0.0, math.inf, "Hill alpha must be > 0"),
    "gamma": (0.0, 1.0, "Hill gamma is a share of the adstocked range, in [0, 1]"),
    "lambda": (0.0, 1.0, "lambda is the share of the penalty range, in [0, 1]"),
}
"""Hyperparameter -> (lowest, highest allowed value, what the domain means); theta's upper and
alpha's lower bound are exclusive."""


def range_problem(param: str, lower: float, upper: float) -> str | None:
    """Why ``[lower, upper]`` is not a valid search range for ``param``, or ``None``."""
    lo, hi, meaning = DOMAINS[param]
    if not (math.isfinite(lower) and math.isfinite(upper)):
        return f"range [{lower}, {upper}] is not finite"
    if lower > upper:
        return f"lower {lower} is above upper {upper} (Swap them: [{upper}, {lower}])"
    too_high = upper >= hi if param == "theta" else upper > hi
    too_low = lower <= lo if param == "alpha" else lower < lo
    if too_low or too_high:
        return f"range [{lower}, {upper}] is outside its domain ({meaning})"
    return None


class RidgeSpec(SpecBlock):
    """Settings of the ridge engine; see the module docstring."""

    _path: ClassVar[str] = "ridge."
    trials: int = Field(default=5, ge=1, le=100)
    iterations: int = Field(default=2000, ge=10, le=100_000)
    optimizer: str = Field(default="TwoPointsDE", min_length=1)
    batch_size: int = Field(default=16, ge=1, le=1000)
    ranges: dict[str, dict[str, tuple[float, float]]] = Field(default_factory=dict)
    lambda_range: tuple[float, float] = (0.0, 1.0)
    media_kinds: dict[str, MediaKind] = Field(default_factory=dict)
    bootstrap_draws: int = Field(default=200, ge=10, le=10_000)
    block: int = Field(default=4, ge=1, le=104)
    fronts: int | Literal["auto"] = 3
    clusters: int | Literal["auto"] = "auto"
    seed: int | None = Field(default=None, ge=0, lt=2**32)
    start: dt.date | None = None
    end: dt.date | None = None
    inflexion: Literal["range", "max"] = "range"
    ts_validation: bool = False
    train_size: float = Field(default=0.7, ge=0.5, le=0.9)

    def _check(self) -> None:
        known = set(DOMAINS) - {"lambda"}
        for channel, params in self.ranges.items():
            for param, (lower, upper) in params.items():
                if param not in known:
                    raise ValueError(
                        f"@ranges.{channel}.{param}: unknown hyperparameter; "
                        f"known: {', '.join(sorted(known))}"
                    )
                problem = range_problem(param, lower, upper)
                if problem:
                    raise ValueError(f"@ranges.{channel}.{param}: {problem}")
        problem = range_problem("lambda", *self.lambda_range)
        if problem:
            raise ValueError(f"@lambda_range: {problem}")
        for name, top in (("fronts", 20), ("clusters", 30)):
            value = getattr(self, name)
            if value != "auto" and not 1 <= value <= top:
                raise ValueError(f"@{name}: must be 'auto' or 1 .. {top} (got {value})")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"@end: ({self.end}) is before start ({self.start})")

    def check_adstock(self, adstock: str) -> None:
        """Every range names a hyperparameter of ``adstock`` or of Hill saturation."""
        if adstock not in ADSTOCK_PARAMS:
            return  # the engine's capabilities refuse the kind itself, with the fix
        allowed = (*ADSTOCK_PARAMS[adstock], *SATURATION_PARAMS)
        for channel, params in self.ranges.items():
            for param in params:
                if param not in allowed:
                    raise ValueError(
                        f"@ranges.{channel}.{param}: not a hyperparameter of {adstock} adstock "
                        f"with Hill saturation; use {', '.join(allowed)}"
                    )
