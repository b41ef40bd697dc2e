"""What the synthetic generator should simulate: validated, frozen pydantic configs.

Baseline pieces are given relative to ``intercept`` (the KPI per period without media, trend,
seasonality or controls) so that one config reads the same at any scale; the generator reports
every component in KPI units.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mixwise.model import catalogue
from mixwise.model.catalogue import AdstockKindName as AdstockKind
from mixwise.model.catalogue import SaturationKindName as SaturationKind

Flighting = Literal["always_on", "bursts", "seasonal"]

ADSTOCK_PARAMS: dict[str, frozenset[str]] = {
    k: frozenset(v) for k, v in catalogue.ADSTOCK_PARAMS.items()
}
SATURATION_PARAMS: dict[str, frozenset[str]] = {
    k: frozenset(v) for k, v in catalogue.CURVE_PARAMS.items()
}


def slug(name: str) -> str:
    """Column-safe name: lowercase, non-alphanumeric runs to ``_`` ("Paid Search": paid_search)."""
    out = re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")
    if not out:
        raise ValueError(f"name {name!r} has no letters or digits")
    return out


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AdstockTruth(_Frozen):
    """Carry-over of one channel, in :mod:`mixwise.model.transforms` (PyMC-Marketing) terms."""

    kind: AdstockKind = "geometric"
    params: dict[str, float] = Field(default_factory=lambda: {"alpha": 0.5})
    l_max: int = Field(default=8, ge=1, le=400)
    normalize: bool = True

    @model_validator(mode="after")
    def _params_match_kind(self) -> AdstockTruth:
        need = ADSTOCK_PARAMS[self.kind]
        if set(self.params) != need:
            raise ValueError(
                f"{self.kind} adstock needs params {sorted(need)}, got {sorted(self.params)}"
            )
        catalogue.check_params(catalogue.ADSTOCKS[self.kind], self.params)
        return self


class SaturationTruth(_Frozen):
    """Diminishing returns of one channel, applied to adstocked *scaled* spend (see generate)."""

    kind: SaturationKind = "hill"
    params: dict[str, float] = Field(default_factory=lambda: {"slope": 1.5, "kappa": 0.5})

    @model_validator(mode="after")
    def _params_match_kind(self) -> SaturationTruth:
        need = SATURATION_PARAMS[self.kind]
        if set(self.params) != need:
            raise ValueError(
                f"{self.kind} saturation needs params {sorted(need)}, got {sorted(self.params)}"
            )
        catalogue.check_params(catalogue.SATURATIONS[self.kind], self.params)
        return self


class ChannelConfig(_Frozen):
    """A paid channel: how it is bought (flighting, spend), and how it works (the truth).

    Give exactly one of ``beta`` (KPI units per period at full saturation), ``roas`` (target
    total contribution / total spend) or ``cpa`` (target spend / contribution; conversions).
    """

    name: str
    flighting: Flighting = "always_on"
    mean_spend: float = Field(gt=0, description="Average spend per period (national).")
    spend_cv: float = Field(
        default=0.3, ge=0, description="Period-to-period variation (lognormal sd)."
    )
    adstock: AdstockTruth = Field(default_factory=lambda: AdstockTruth())
    saturation: SaturationTruth = Field(default_factory=lambda: SaturationTruth())
    beta: float | None = Field(default=None, gt=0)
    roas: float | None = Field(default=None, gt=0)
    cpa: float | None = Field(default=None, gt=0)
    cost_per_exposure: float | None = Field(
        default=None,
        gt=0,
        description="If set, an impressions column spend / cost_per_exposure is added.",
    )
    exposure_noise: float = Field(
        default=0.05, ge=0, description="lognormal sd of the cost per exposure."
    )

    @property
    def slug(self) -> str:
        return slug(self.name)

    @model_validator(mode="after")
    def _one_effect_size(self) -> ChannelConfig:
        given = [k for k in ("beta", "roas", "cpa") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                f"channel {self.name!r}: give exactly one of beta, roas, cpa (got {given})"
            )
        return self


class ControlConfig(_Frozen):
    """A control variable: a persistent AR(1) series ``mean + sd * z_t`` (z standardized).

    Its effect on the KPI is ``intercept * lift * z_t`` (``lift``: the effect of a +1 sd move as
    a fraction of the intercept; negative for price). ``confounds`` names a channel whose spend
    is multiplied by ``exp(confound_strength * z_t)``, so the control drives both the KPI and that
    channel's spend (a confounder that a model must control for).
    """

    name: str
    mean: float = 1.0
    sd: float = Field(default=0.1, gt=0)
    lift: float = 0.05
    persistence: float = Field(default=0.9, ge=0, lt=1)
    confounds: str | None = None
    confound_strength: float = 0.5

    @property
    def slug(self) -> str:
        return slug(self.name)


class EventConfig(_Frozen):
    """A one-period event (dummy = 1 in period ``period``) adding ``lift * intercept``."""

    name: str
    period: int = Field(ge=0)
    lift: float

    @property
    def slug(self) -> str:
        return slug(self.name)


class SynergyConfig(_Frozen):
    """A planted synergy between two channels (spec ``interactions``'s truth)::

        synergy[t, g] = gamma * share_g * unit_a[t, g] * unit_b[t, g]

    with ``unit_c = saturation_c(adstock_c(x_c))`` the channel's unit curve (its contribution over
    its coefficient) and ``gamma`` in KPI units per period when both curves are at 1 (negative:
    the two channels cannibalise each other)."""

    channels: tuple[str, str]
    gamma: float


class GeoConfig(_Frozen):
    """Geo-level panel: geos of lognormal population, hierarchical variation around the shared
    truth. Geo g gets population share ``s_g``; its baseline is ``s_g * exp(N(0, baseline_sd))``
    times the national baseline, its spend ``s_g * exp(N(0, spend_sd))`` times the national spend,
    its channel coefficients ``beta * s_g * exp(N(0, coefficient_sd))``."""

    n_geos: int = Field(default=8, ge=2, le=500)
    total_population: int = Field(default=50_000_000, gt=0)
    population_sd: float = Field(default=0.8, ge=0)
    baseline_sd: float = Field(default=0.15, ge=0)
    coefficient_sd: float = Field(default=0.2, ge=0)
    spend_sd: float = Field(default=0.2, ge=0)


class SyntheticConfig(_Frozen):
    """Everything the generator simulates. See :func:`mixwise.data.synthetic.generate`."""

    frequency: Literal["weekly", "daily"] = "weekly"
    n_periods: int = Field(default=156, ge=8, le=20_000)
    start: dt.date = dt.date(2022, 1, 3)
    kpi_type: Literal["revenue", "conversions"] = "revenue"
    intercept: float = Field(default=100_000.0, gt=0, description="Base KPI per period (national).")
    trend: Literal["none", "linear", "sqrt"] = "linear"
    trend_growth: float = Field(
        default=0.1, description="Trend at the last period, fraction of intercept."
    )
    seasonality: list[tuple[float, float]] = Field(
        default_factory=lambda: [(0.10, 0.05), (0.03, -0.02)],
        description="Yearly Fourier (sin, cos) amplitudes per order, fractions of intercept.",
    )
    channels: list[ChannelConfig] = Field(min_length=1)
    controls: list[ControlConfig] = Field(default_factory=list)
    events: list[EventConfig] = Field(default_factory=list)
    geos: GeoConfig | None = None
    synergies: list[SynergyConfig] = Field(default_factory=list)
    noise: float = Field(
        default=0.05, ge=0, description="Noise sd as a fraction of mean noiseless KPI."
    )
    seed: int = 42

    @field_validator("channels")
    @classmethod
    def _unique_channels(cls, v: list[ChannelConfig]) -> list[ChannelConfig]:
        slugs = [c.slug for c in v]
        if len(set(slugs)) != len(slugs):
            raise ValueError(f"channel names must be unique after slugging: {slugs}")
        return v

    @model_validator(mode="after")
    def _references(self) -> SyntheticConfig:
        names = {c.name for c in self.channels}
        for ctl in self.controls:
            if ctl.confounds is not None and ctl.confounds not in names:
                raise ValueError(
                    f"control {ctl.name!r} confounds unknown channel {ctl.confounds!r}"
                )
        for syn in self.synergies:
            unknown = [c for c in syn.channels if c not in names]
            if unknown or syn.channels[0] == syn.channels[1]:
                raise ValueError(f"synergy {list(syn.channels)} needs two distinct channels")
        for ev in self.events:
            if ev.period >= self.n_periods:
                raise ValueError(f"event {ev.name!r} at period {ev.period} >= n_periods")
        columns = [f"{c.slug}_spend" for c in self.channels] + [
            f"{c.slug}_impressions" for c in self.channels
        ]
        columns += [c.slug for c in self.controls] + [e.slug for e in self.events]
        columns += ["date", "geo", "population", self.kpi_type]
        dup = sorted({c for c in columns if columns.count(c) > 1})
        if dup:
            raise ValueError(f"generated column names collide: {dup}")
        return self

    @property
    def periods_per_week(self) -> int:
        return 1 if self.frequency == "weekly" else 7
