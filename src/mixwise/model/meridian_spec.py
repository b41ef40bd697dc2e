"""``MeridianSpec``: the settings of the ``meridian`` engine that have no counterpart elsewhere in
a model spec, the ``meridian:`` block; other engines ignore it::

    meridian:
      knots: 10        # Meridian's time effect: knots of its piecewise-linear intercept
                       # (an integer, or a list of period indices); unset: Meridian's default
                       # (one knot per period for geo data, one knot for national data)
      n_burnin: 500    # draws discarded after adaptation; unset: sampler.tune

Meridian's sampler is ``sample_posterior(n_chains=sampler.chains, n_adapt=sampler.tune,
n_burnin=meridian.n_burnin, n_keep=sampler.draws, seed=sampler.seed)``.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from mixwise.model.spec_base import SpecBlock


class MeridianSpec(SpecBlock):
    """Meridian's time-effect knots and burn-in (module docstring)."""

    _path: ClassVar[str] = "meridian."
    knots: int | list[int] | None = None
    n_burnin: int | None = Field(default=None, ge=0, le=100_000)

    def _check(self) -> None:
        if isinstance(self.knots, int) and self.knots < 1:
            raise ValueError(f"@knots: must be >= 1 (got {self.knots})")
        if isinstance(self.knots, list) and (
            not self.knots
            or any(k < 0 for k in self.knots)
            or sorted(set(self.knots)) != self.knots
        ):
            raise ValueError(
                "@knots: a list of knots must hold distinct period indices >= 0, sorted"
            )
