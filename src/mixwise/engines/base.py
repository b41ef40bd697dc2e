"""The engine protocol and the registry of engines by name.

An engine turns a validated dataset and a model spec into a :class:`FitResult`; everything after
estimation (planning, reports, the API) reads only the FitResult, never the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Literal, Protocol

from mixwise.errors import EngineUnavailable, SpecError
from mixwise.model.catalogue import ADSTOCK_PARAMS, SATURATION_PARAMS
from mixwise.model.interactions import check_channels as check_interaction_channels
from mixwise.model.ridge_spec import ADSTOCK_KINDS as RIDGE_ADSTOCK_KINDS
from mixwise.model.spec import SpecFieldError
from mixwise.progress import Cancelled, Progress, no_progress

if TYPE_CHECKING:
    import numpy as np

    from mixwise.data.dataset import MMMDataset
    from mixwise.model.result import FitResult
    from mixwise.model.spec import ModelSpec


class Engine(Protocol):
    """Estimates a marketing mix model. ``name`` is what users type (``--engine bayesian``)."""

    name: str

    def fit(
        self, dataset: MMMDataset, spec: ModelSpec, progress: Progress = no_progress
    ) -> FitResult: ...


def package_versions(*packages: str) -> dict[str, str]:
    """Installed versions of ``packages`` (for a fit's provenance)."""
    out = {}
    for pkg in packages:
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


class CancellableEngine:
    """Base of the engines: :meth:`fit` runs :meth:`_fit` and turns Ctrl-C at any stage into
    ``Cancelled`` (a fit writes nothing, so nothing is half-kept)."""

    name: str

    def fit(
        self, dataset: MMMDataset, spec: ModelSpec, progress: Progress = no_progress
    ) -> FitResult:
        """Fit; Ctrl-C raises ``Cancelled``."""
        try:
            return self._fit(dataset, spec, progress)
        except KeyboardInterrupt:
            raise Cancelled("The fit was cancelled; nothing was kept.") from None

    def _fit(self, dataset: MMMDataset, spec: ModelSpec, progress: Progress) -> FitResult:
        raise NotImplementedError


IntervalKind = Literal["posterior", "bootstrap"]


@dataclass(frozen=True)
class Capabilities:
    """What an engine can honour; :meth:`check` refuses a spec or dataset it cannot.

    ``priors``: whether it takes priors (``priors``, ``channels.<name>.priors / roas / cpa /
    roas_prior``, ``parametrisation: roas``).
    ``adstock`` / ``saturation``: the kinds it fits, the first being what it uses when the spec
    leaves the kind unset. ``interval_kind``: what its draws are (``posterior`` draws, or
    ``bootstrap`` refits), shown with every interval.
    """

    interval_kind: IntervalKind
    geo: bool = True
    lift_tests: bool = True
    holdout: bool = True
    time_varying_intercept: bool = True
    priors: bool = True
    adstock: tuple[str, ...] = tuple(ADSTOCK_PARAMS)
    saturation: tuple[str, ...] = tuple(SATURATION_PARAMS)
    reach_frequency: bool = False
    """Whether it models reach & frequency channels (mapping ``channels.<c>.reach``)."""
    non_media: bool = False
    """Whether it models non-media treatments (mapping ``non_media``)."""
    interactions: bool = False
    """Whether it fits channel synergy terms (spec ``interactions``)."""
    spec_check: str | None = None
    """``"module:function"`` with the engine's own checks, ``f(engine, spec, dataset)``, run
    after these (a light module: it is imported whenever a spec is checked)."""

    def check(self, engine: str, spec: ModelSpec, dataset: MMMDataset | None = None) -> None:
        """Raise :class:`SpecFieldError` naming the field when ``engine`` cannot fit ``spec``
        (on ``dataset``, when given)."""
        self._check_kind(engine, "adstock", spec.adstock, self.adstock)
        self._check_kind(engine, "saturation", spec.saturation, self.saturation)
        channel_priors = any(
            c.priors or c.roas or c.cpa or c.roas_prior for c in spec.channels.values()
        )
        flags: list[tuple[str, bool, bool, str]] = [
            ("holdout", bool(spec.holdout), self.holdout, "Set holdout: 0."),
            ("lift_tests", bool(spec.lift_tests), self.lift_tests, "Remove the lift tests."),
            (
                "time_varying_intercept",
                spec.time_varying_intercept,
                self.time_varying_intercept,
                "Set time_varying_intercept: false.",
            ),
            ("priors", bool(spec.priors), self.priors, "Remove the priors."),
            (
                "parametrisation",
                spec.parametrisation == "roas",
                self.priors,
                "Set parametrisation: coefficient (this engine has no priors).",
            ),
            (
                "channels",
                channel_priors,
                self.priors,
                "Remove the channels' priors and ROAS/CPA priors (calibrate with lift_tests).",
            ),
            (
                "interactions",
                bool(spec.interactions),
                self.interactions,
                "Remove the interactions, or use --engine bayesian.",
            ),
        ]
        for field, used, supported, fix in flags:
            if used and not supported:
                raise SpecFieldError(
                    f"{field}: the {engine} engine does not support it", [field], fix
                )
        geo_tests = [t for t in spec.lift_tests if t.geo is not None]
        if geo_tests and not self.geo:
            raise SpecFieldError(
                f"lift_tests: the {engine} engine is national; a test names geo "
                f"{geo_tests[0].geo!r}",
                ["lift_tests"],
                "Drop geo from the lift tests, or use an engine with geo models (bayesian).",
            )
        if dataset is not None and dataset.has_geo and not self.geo:
            raise SpecFieldError(
                f"engine: the {engine} engine fits national data only; this dataset has geos",
                ["engine"],
                "Aggregate the geos (drop geo from the mapping) or use --engine bayesian.",
            )
        if dataset is not None:
            self._check_roles(engine, dataset)
            check_interaction_channels(spec.interactions, dataset.channels)
        if self.spec_check:
            module, _, function = self.spec_check.partition(":")
            getattr(import_module(module), function)(engine, spec, dataset)

    def _check_roles(self, engine: str, dataset: MMMDataset) -> None:
        """Refuse mapping roles the engine does not model, naming the mapping field."""
        m = dataset.mapping
        if m.rf_channels and not self.reach_frequency:
            field = f"mapping.channels.{m.rf_channels[0]}.reach"
            raise SpecFieldError(
                f"{field}: the {engine} engine does not model reach & frequency channels",
                [field],
                "Remove reach and frequency from the mapping (the channel is then fitted on "
                "its spend), or use an engine that models them.",
            )
        if m.non_media and not self.non_media:
            raise SpecFieldError(
                f"mapping.non_media: the {engine} engine does not model non-media treatments "
                f"({', '.join(m.non_media)})",
                ["mapping.non_media"],
                "Map them as controls instead, or use --engine meridian.",
            )

    @staticmethod
    def _check_kind(engine: str, block: str, value: object, kinds: tuple[str, ...]) -> None:
        kind = str(getattr(value, "kind"))  # noqa: B009 (AdstockSpec / SaturationSpec)
        chosen = "kind" in getattr(value, "model_fields_set", set())
        if kind not in kinds and chosen:
            raise SpecFieldError(
                f"{block}.kind: {kind!r} is not available with the {engine} engine",
                [f"{block}.kind"],
                f"Use one of: {', '.join(kinds)} (or leave {block}.kind unset).",
            )


@dataclass(frozen=True)
class EngineEntry:
    """A registered engine: where its class is (``"module:Class"``), what it supports, how
    screens name it (``label``); for engines with priors, where the function is that draws
    each channel's coefficient prior (``prior_draws``, ``"module:function"``, see
    :func:`coefficient_prior_draws`); and, for an engine with its own environment,
    ``requires``: ``"module:function"`` returning nothing when it is installed and raising
    :class:`~mixwise.errors.EngineUnavailable` (with the install command) when not."""

    target: str
    capabilities: Capabilities
    label: str = ""
    prior_draws: str | None = None
    requires: str | None = None


_REGISTRY: dict[str, EngineEntry] = {
    "bayesian": EngineEntry(
        "mixwise.engines.bayesian:BayesianEngine",
        Capabilities(interval_kind="posterior", interactions=True),
        label="Bayesian (PyMC-Marketing)",
        prior_draws="mixwise.engines.bayesian.prior_draws:coefficient_prior_draws",
    ),
    "ridge": EngineEntry(
        "mixwise.engines.ridge.engine:RidgeEngine",
        Capabilities(
            interval_kind="bootstrap",
            geo=False,
            holdout=False,
            time_varying_intercept=False,
            priors=False,
            adstock=RIDGE_ADSTOCK_KINDS,
            saturation=("hill",),
        ),
        label="Ridge (Robyn's method)",
    ),
    "meridian": EngineEntry(
        "mixwise.engines.meridian.engine:MeridianEngine",
        Capabilities(
            interval_kind="posterior",
            time_varying_intercept=False,
            adstock=("geometric",),
            saturation=("hill",),
            non_media=True,
            spec_check="mixwise.engines.meridian.options:check_spec",
        ),
        label="Meridian",
        requires="mixwise.engines.meridian.environment:require",
    ),
}
"""Engine name -> where it is and what it supports; the class is imported on first use
(engines pull in heavy libraries), the capabilities are known without importing it."""


def register_engine(
    name: str,
    target: str,
    capabilities: Capabilities | None = None,
    label: str = "",
    prior_draws: str | None = None,
) -> None:
    """Make an engine available by name; ``target`` is ``"package.module:ClassName"``."""
    _REGISTRY[name] = EngineEntry(
        target, capabilities or Capabilities(interval_kind="posterior"), label, prior_draws
    )


def coefficient_prior_draws(
    name: str, spec: ModelSpec, channels: list[str], n: int, seed: int, geo: bool = False
) -> dict[str, np.ndarray] | None:
    """Draws of each channel's coefficient prior (``channel -> (n,)``, FitResult's ``beta``
    units) as engine ``name`` fitted it; None for an engine without priors (or one that cannot
    say, e.g. geo models with hierarchical coefficients)."""
    entry = _REGISTRY.get(name)
    if entry is None or entry.prior_draws is None or not entry.capabilities.priors:
        return None
    module_name, _, function = entry.prior_draws.partition(":")
    draw: Callable[..., dict[str, np.ndarray] | None] = getattr(
        import_module(module_name), function
    )
    return draw(spec, channels, n, seed, geo=geo)


def engine_capabilities(name: str) -> Capabilities:
    """What engine ``name`` supports (unknown names raise :class:`SpecError`)."""
    _known(name)
    return _REGISTRY[name].capabilities


def engine_label(name: str) -> str:
    """How people see engine ``name``: its registered label, else the name capitalised (so a
    future ``meridian`` reads "Meridian"); unknown names too (a run from another install)."""
    entry = _REGISTRY.get(name)
    return entry.label if entry is not None and entry.label else name[:1].upper() + name[1:]


def engine_names() -> list[str]:
    return sorted(_REGISTRY)


def available_engines() -> list[str]:
    """The registered engines this installation can run now (an engine with its own
    environment counts once that environment is installed: ``mixwise engines install``)."""
    names = []
    for name in engine_names():
        try:
            require_engine(name)
        except EngineUnavailable:
            continue
        names.append(name)
    return names


def require_engine(name: str) -> None:
    """Raise :class:`~mixwise.errors.EngineUnavailable` (with the install command) when engine
    ``name`` needs an environment that is not installed."""
    _known(name)
    requires = _REGISTRY[name].requires
    if requires:
        module, _, function = requires.partition(":")
        getattr(import_module(module), function)()


def get_engine(name: str) -> Engine:
    """A fresh engine instance by name, e.g. ``get_engine("bayesian")``."""
    _known(name)
    module_name, _, class_name = _REGISTRY[name].target.partition(":")
    factory: Callable[[], Engine] = getattr(import_module(module_name), class_name)
    return factory()


def _known(name: str) -> None:
    if name not in _REGISTRY:
        raise SpecError(
            f"unknown engine {name!r}",
            f"Choose one of: {', '.join(engine_names())}.",
        )
