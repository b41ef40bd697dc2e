"""``ModelSpec``: what to fit, in a small YAML file a person can read and edit.

Every field has a default, so ``mixwise.fit(dataset)`` works with no spec at all::

    adstock: {kind: geometric, l_max: 8}        # l_max: 8 for weekly, 28 for daily data if unset
    saturation: {kind: logistic}
    priors:                                     # ``PriorSpec`` dicts, all channels
      saturation_lam: {dist: Gamma, kwargs: {alpha: 3, beta: 1}}
    channels:
      TV:
        priors: {adstock_alpha: {dist: Beta, kwargs: {alpha: 3, beta: 3}}}
        roas: {mean: 2.5, sigma: 0.5}           # informative ROAS prior (see ``RoasPrior``)
    seasonality: {yearly_order: 2}              # Fourier order; 2 weekly, 3 daily if unset; 0 = off
    trend: {enabled: true}
    holidays: {country: DE}
    parametrisation: coefficient                # or roas: the prior on each channel's ROAS
    roas_prior: {median: 1.22, sd: 0.9}         # parametrisation: roas, every channel (LogNormal)
    sampler: {mode: full, chains: 4, draws: 1000, tune: 1000, target_accept: 0.9, seed: 0}
    holdout: 13                                 # last 13 periods kept out of the fit
    ridge: {trials: 5, iterations: 2000}      # the ridge engine's settings (RidgeSpec)
    meridian: {knots: 10}                     # the meridian engine's settings (MeridianSpec)
    interactions: [[TV, Social Media]]          # synergy pairs (model.interactions; bayesian)
    lift_tests:
      - {channel: TV, start: 2023-03-06, end: 2023-04-02, spend_change: 40000,
         kpi_change: 95000, sigma: 20000}

All channels share one adstock kind and one saturation kind (PyMC-Marketing's MMM applies one
transformation family to every channel); priors can differ per channel. Invalid values raise
:class:`SpecError` naming the field, e.g. ``sampler.chains: must be >= 1 (got 0)``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, ClassVar, Literal

import yaml
from pydantic import (
    AliasChoices,
    Field,
    ValidationInfo,
    field_validator,
)

from mixwise.model.catalogue import ADSTOCK_PARAMS, SATURATION_PARAMS
from mixwise.model.catalogue import AdstockKindName as AdstockKind
from mixwise.model.catalogue import SaturationKindName as SaturationKind
from mixwise.model.interactions import check_pairs
from mixwise.model.meridian_spec import MeridianSpec
from mixwise.model.prior_spec import PriorSpec
from mixwise.model.ridge_spec import RidgeSpec
from mixwise.model.spec_base import SpecBlock as _Spec
from mixwise.model.spec_base import SpecFieldError

Mode = Literal["full", "quick"]
Parametrisation = Literal["coefficient", "roas"]
"""Where the media prior sits: on each channel's saturation coefficient, or on its ROAS."""
Backend = Literal["auto", "nutpie", "pymc"]

OTHER_PRIORS = ("intercept", "gamma_control", "gamma_fourier", "likelihood_sigma")
"""Non-media priors that may be overridden in ``ModelSpec.priors``."""

DEFAULT_L_MAX = {"weekly": 8, "daily": 28}
DEFAULT_YEARLY_ORDER = {"weekly": 2, "daily": 3}
GEO_SAMPLER_DEFAULTS = {"tune": 500, "draws": 2000, "target_accept": 0.95}
"""Sampler settings for geo panels where the spec leaves them unset: the hierarchical model's
cross-geo scale of the channel coefficients needs smaller steps and more draws to converge
(Meridian's 40-geo panel: R-hat 1.018 and bulk ESS 194 with 1000 + 1000 at 0.9; R-hat 1.004,
bulk ESS 935, no divergences with these; docs/benchmarks.md, Geo model)."""


DEFAULT_RERUNS = 1
"""Reruns (``sampler.reruns``) when the spec leaves both ``reruns`` and ``draws`` unset."""


class AdstockSpec(_Spec):
    """Carry-over of media: ``kind``, kernel length ``l_max`` (periods) and normalisation.

    ``normalize: true`` divides the kernel weights by their sum, so adstock keeps the spend's
    scale (PyMC-Marketing's default).
    """

    _path: ClassVar[str] = "adstock."
    kind: AdstockKind = "geometric"
    l_max: int | None = Field(default=None, ge=1, le=365)
    normalize: bool = True


class SaturationSpec(_Spec):
    """Diminishing returns: ``logistic`` (default), ``hill``, ``michaelis_menten`` or ``tanh``."""

    _path: ClassVar[str] = "saturation."
    kind: SaturationKind = "logistic"


class RoasPrior(_Spec):
    """Informative prior on a channel's ROAS (or CPA): ``Normal(mean, sigma)``.

    It is added as a calibration term, as PyMC-Marketing's ``add_cost_per_target_calibration``
    does: the model's historical ratio ``sum_t contribution_t / sum_t spend_t`` over the fitted
    window gets the likelihood ``Normal(ratio; mean, sigma)``. The posterior therefore combines
    this belief with the transform priors and the data; a small ``sigma`` pins the ratio.
    """

    _path: ClassVar[str] = "roas."
    mean: float = Field(gt=0)
    sigma: float = Field(gt=0)


class RoasParamPrior(_Spec):
    """The prior on a channel's ROAS under ``parametrisation: roas``: ``LogNormal(log median,
    sd)``, i.e. ``median`` is the prior's median ROAS and ``sd`` the standard deviation of
    log ROAS (0.9: the 90% interval spans median x/÷ 4.4).

    The default, ``median 1.22, sd 0.9``, is Meridian's default ROI prior ``LogNormal(0.2,
    0.9)``: weakly informative (90% interval 0.28 .. 5.4), centred near break-even, so the data
    must show a channel paying back rather than the prior assuming it."""

    _path: ClassVar[str] = "roas_prior."
    median: float = Field(default=1.22, gt=0)
    sd: float = Field(default=0.9, gt=0)


class ChannelSpec(_Spec):
    """Per-channel settings: prior overrides, an optional ROAS (revenue) or CPA calibration
    prior, and the channel's ROAS prior under ``parametrisation: roas``."""

    _path: ClassVar[str] = "channel."
    priors: dict[str, PriorSpec] = Field(default_factory=dict)
    roas: RoasPrior | None = None
    cpa: RoasPrior | None = None
    roas_prior: RoasParamPrior | None = None

    def _check(self) -> None:
        if self.roas is not None and self.cpa is not None:
            raise ValueError("give either roas (revenue KPIs) or cpa (conversion KPIs), not both")


class SeasonalitySpec(_Spec):
    """Yearly seasonality as Fourier terms of order ``yearly_order`` (0 turns it off)."""

    _path: ClassVar[str] = "seasonality."
    yearly_order: int | None = Field(default=None, ge=0, le=20)


class TrendSpec(_Spec):
    """Piecewise-linear trend with ``n_changepoints`` evenly spaced slope changes.

    ``n_changepoints`` unset: one per year of data plus one (at least 2). Slope changes have a
    ``Laplace(0, scale)`` prior in target-scaled units per fitted window.
    """

    _path: ClassVar[str] = "trend."
    enabled: bool = True
    n_changepoints: int | None = Field(default=None, ge=1, le=100)
    scale: float = Field(default=0.25, gt=0)


class HolidaysSpec(_Spec):
    """Public holidays of ``country`` (ISO code, ``holidays`` package) as event dummies."""

    _path: ClassVar[str] = "holidays."
    country: str = Field(min_length=2)
    subdivision: str | None = None

    def _check(self) -> None:
        import holidays

        try:
            holidays.country_holidays(self.country, subdiv=self.subdivision, years=2020)
        except NotImplementedError:
            raise ValueError(f"unknown country code {self.country!r} (holidays package)") from None


class SamplerSpec(_Spec):
    """How to compute the posterior.

    ``mode: full`` runs NUTS (nutpie, falling back to PyMC's sampler); ``mode: quick`` fits a
    mean-field ADVI approximation (``advi_iterations`` steps) and draws ``draws`` samples from
    it: fast, labelled approximate, with no convergence diagnostics.

    ``reruns``: when NUTS chains have not mixed well enough to report (R-hat above 1.01, or bulk
    or tail ESS under 100 per chain), sample again with twice the tuning steps and draws,
    ``target_accept`` halfway to 1 and the next seed, up to this many times; the last run is
    kept and the reruns are noted in the provenance. Unset, it is :data:`DEFAULT_RERUNS` when
    ``draws`` is left at its default and 0 when ``draws`` is chosen (a chosen number of draws is
    what is run, with its verdict).
    """

    _path: ClassVar[str] = "sampler."
    mode: Mode = "full"
    chains: int = Field(default=4, ge=1, le=64)
    draws: int = Field(default=1000, ge=10, le=100_000)
    tune: int = Field(default=1000, ge=10, le=100_000)
    target_accept: float = Field(default=0.9, gt=0, lt=1)
    seed: int = Field(default=0, ge=0, lt=2**32)
    backend: Backend = "auto"
    advi_iterations: int = Field(default=30_000, ge=100, le=1_000_000)
    reruns: int | None = Field(default=None, ge=0, le=3)


class LiftTest(_Spec):
    """One lift test (experiment) result for a channel, over ``start``..``end`` (inclusive).

    ``spend_change`` and ``kpi_change`` are totals over the window, ``sigma`` the standard
    error of ``kpi_change``. They are turned into per-period values (divided by the number of
    periods in the window) and added with PyMC-Marketing's ``add_lift_test_measurements``:
    ``saturation(x + dx) - saturation(x) ~ Normal(dy, sigma)`` per period, where ``x`` is
    ``spend_level`` (spend per period before the test), by default the channel's mean spend
    per period over the window in the data. Aliases: ``delta_x``, ``delta_y``, ``x``.
    """

    _path: ClassVar[str] = "lift_tests."
    channel: str = Field(min_length=1)
    start: dt.date
    end: dt.date
    geo: str | None = None
    spend_change: float = Field(validation_alias=AliasChoices("spend_change", "delta_x"))
    kpi_change: float = Field(validation_alias=AliasChoices("kpi_change", "delta_y"))
    sigma: float = Field(gt=0)
    spend_level: float | None = Field(
        default=None, ge=0, validation_alias=AliasChoices("spend_level", "x")
    )

    def _check(self) -> None:
        if self.end < self.start:
            raise ValueError(f"@end: ({self.end}) is before start ({self.start})")
        if self.spend_change == 0:
            raise ValueError("@spend_change: must not be 0")


def _kinds(info: ValidationInfo) -> tuple[str, str] | None:
    adstock, saturation = info.data.get("adstock"), info.data.get("saturation")
    if adstock is None or saturation is None:
        return None  # already reported as invalid
    return adstock.kind, saturation.kind


def _check_prior_keys(priors: dict[str, PriorSpec], adstock: str, saturation: str) -> None:
    allowed = media_prior_names(adstock, saturation) + list(OTHER_PRIORS)
    for key in priors:
        if key not in allowed:
            raise ValueError(
                f"unknown prior '{key}' for adstock {adstock!r} and saturation {saturation!r}; "
                f"known: {', '.join(allowed)}"
            )


def media_prior_names(adstock: str, saturation: str) -> list[str]:
    """Variable names of the media parameters, e.g. ``['adstock_alpha', 'saturation_lam', ...]``."""
    return [f"adstock_{p}" for p in ADSTOCK_PARAMS[adstock]] + [
        f"saturation_{p}" for p in SATURATION_PARAMS[saturation]
    ]


class ModelSpec(_Spec):
    """What to fit. See the module docstring for the YAML form; every field has a default.

    ``max_draws`` caps the posterior draws stored in a FitResult (a seeded random subset of the
    chains x draws), so results stay small; diagnostics use every draw.
    """

    version: Literal[1] = 1
    adstock: AdstockSpec = Field(default_factory=AdstockSpec)
    saturation: SaturationSpec = Field(default_factory=SaturationSpec)
    priors: dict[str, PriorSpec] = Field(default_factory=dict)
    channels: dict[str, ChannelSpec] = Field(default_factory=dict)
    seasonality: SeasonalitySpec = Field(default_factory=SeasonalitySpec)
    trend: TrendSpec = Field(default_factory=TrendSpec)
    holidays: HolidaysSpec | None = None
    controls: bool = Field(default=True, description="Use the dataset's control columns.")
    events: bool = Field(default=True, description="Use the dataset's event columns.")
    time_varying_intercept: bool = False
    parametrisation: Parametrisation = "coefficient"
    roas_prior: RoasParamPrior = Field(default_factory=RoasParamPrior)
    sampler: SamplerSpec = Field(default_factory=SamplerSpec)
    holdout: int = Field(default=0, ge=0)
    interval: float = Field(default=0.9, gt=0, lt=1)
    max_draws: int = Field(default=1000, ge=10, le=100_000)
    lift_tests: list[LiftTest] = Field(default_factory=list)
    interactions: list[tuple[str, str]] = Field(default_factory=list)
    ridge: RidgeSpec = Field(default_factory=RidgeSpec)
    meridian: MeridianSpec = Field(default_factory=MeridianSpec)

    @field_validator("ridge")
    @classmethod
    def _ridge_ranges(cls, v: RidgeSpec, info: ValidationInfo) -> RidgeSpec:
        adstock = info.data.get("adstock")
        if adstock is not None:
            v.check_adstock(adstock.kind)
        return v

    @field_validator("priors")
    @classmethod
    def _global_priors(cls, v: dict[str, PriorSpec], info: ValidationInfo) -> dict[str, PriorSpec]:
        kinds = _kinds(info)
        if kinds:
            _check_prior_keys(v, *kinds)
        return v

    @field_validator("channels")
    @classmethod
    def _channel_priors(
        cls, v: dict[str, ChannelSpec], info: ValidationInfo
    ) -> dict[str, ChannelSpec]:
        kinds = _kinds(info)
        for name, ch in v.items():
            other = sorted(set(ch.priors) & set(OTHER_PRIORS))
            if other:
                raise ValueError(
                    f"@{name}.priors.{other[0]}: not a channel parameter; "
                    "set it under the top-level priors"
                )
            if kinds:
                try:
                    _check_prior_keys(ch.priors, *kinds)
                except ValueError as exc:
                    raise ValueError(f"@{name}.priors: {exc}") from None
        return v

    @field_validator("interactions", mode="before")
    @classmethod
    def _interaction_pairs(cls, v: object) -> object:
        if isinstance(v, list):
            return check_pairs(v)
        return v

    @field_validator("holdout")
    @classmethod
    def _holdout_needs_forecast(cls, v: int, info: ValidationInfo) -> int:
        if v and info.data.get("time_varying_intercept"):
            raise ValueError(
                "cannot be combined with time_varying_intercept (the latent intercept "
                "has no forecast for the held-out periods)"
            )
        return v

    # -- resolution against a dataset ----------------------------------------------------------
    def resolved(self, frequency: str, n_periods: int, geo: bool = False) -> ModelSpec:
        """A copy with every 'auto' value filled in for data of this frequency and length
        (and, for geo panels, the sampler settings the spec leaves unset)."""
        years = n_periods / (52.1775 if frequency == "weekly" else 365.25)
        adstock = self.adstock.model_copy(
            update={"l_max": self.adstock.l_max or DEFAULT_L_MAX[frequency]}
        )
        order = self.seasonality.yearly_order
        seasonality = SeasonalitySpec(
            yearly_order=DEFAULT_YEARLY_ORDER[frequency] if order is None else order
        )
        n_cp = self.trend.n_changepoints or max(2, round(years) + 1)
        trend = self.trend.model_copy(update={"n_changepoints": n_cp})
        sampler = self.sampler
        if sampler.reruns is None:
            chosen = "draws" in sampler.model_fields_set
            sampler = sampler.model_copy(update={"reruns": 0 if chosen else DEFAULT_RERUNS})
        if geo:
            unset = {
                k: v for k, v in GEO_SAMPLER_DEFAULTS.items() if k not in sampler.model_fields_set
            }
            sampler = sampler.model_copy(update=unset)
        return self.model_copy(
            update={
                "adstock": adstock,
                "seasonality": seasonality,
                "trend": trend,
                "sampler": sampler,
            }
        )

    # -- YAML ---------------------------------------------------------------------------------
    def to_dict(self, full: bool = False) -> dict[str, Any]:
        """Plain data; ``full=False`` leaves out fields at their default, except sampler
        settings set explicitly (geo panels fill the unset ones differently, see ``resolved``)
        and adstock and saturation kinds set explicitly (an engine without the default kind
        uses its own when the kind is unset, and refuses a chosen kind it does not have)."""
        data = self.model_dump(mode="json", exclude_defaults=not full)
        if full:
            return data
        for name in ("sampler", "adstock", "saturation"):
            block = getattr(self, name)
            chosen = block.model_dump(mode="json", include=block.model_fields_set)
            if name != "sampler":
                chosen = {k: v for k, v in chosen.items() if k == "kind"}
            if chosen:
                data[name] = {**chosen, **data.get(name, {})}
        return data

    def to_yaml(self, full: bool = False) -> str:
        return yaml.safe_dump(self.to_dict(full), sort_keys=False, allow_unicode=True)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_yaml(), encoding="utf-8")

    @classmethod
    def from_dict(cls, data: object, origin: str = "model spec") -> ModelSpec:
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise SpecFieldError(
                f"{origin} must be a mapping of settings, got {type(data).__name__}",
                ["(spec)"],
                "See `mixwise fit --help` or docs/model-spec.md for the fields.",
            )
        return cls(**data)

    @classmethod
    def from_yaml(cls, text: str, origin: str = "model spec") -> ModelSpec:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise SpecFieldError(f"{origin} is not valid YAML: {exc}", ["(spec)"]) from None
        return cls.from_dict(data, origin)

    @classmethod
    def load(cls, path: str | Path) -> ModelSpec:
        p = Path(path)
        if not p.is_file():
            raise SpecFieldError(f"model spec file not found: {p}", ["(spec)"], "Check the path.")
        return cls.from_yaml(p.read_text(encoding="utf-8"), origin=f"model spec file {p}")
