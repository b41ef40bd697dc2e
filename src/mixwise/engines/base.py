"""The engine protocol and the registry of engines by name.

An engine turns a validated dataset and a model spec into a :class:`FitResult`; everything after
estimation (planning, reports, the API) reads only the FitResult, never the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Protocol

from mixwise.errors import SpecError
from mixwise.progress import Progress, no_progress

if TYPE_CHECKING:
    from mixwise.data.dataset import MMMDataset
    from mixwise.model.result import FitResult
    from mixwise.model.spec import ModelSpec


class Engine(Protocol):
    """Estimates a marketing mix model. ``name`` is what users type (``--engine bayesian``)."""

    name: str

    def fit(
        self, dataset: MMMDataset, spec: ModelSpec, progress: Progress = no_progress
    ) -> FitResult: ...


_REGISTRY: dict[str, str] = {
    "bayesian": "mixwise.engines.bayesian:BayesianEngine",
}
"""Engine name -> ``module:Class``, imported on first use (engines pull in heavy libraries)."""


def register_engine(name: str, target: str) -> None:
    """Make an engine available by name; ``target`` is ``"package.module:ClassName"``."""
    _REGISTRY[name] = target


def engine_names() -> list[str]:
    return sorted(_REGISTRY)


def get_engine(name: str) -> Engine:
    """A fresh engine instance by name, e.g. ``get_engine("bayesian")``."""
    if name not in _REGISTRY:
        raise SpecError(
            f"unknown engine {name!r}",
            f"Choose one of: {', '.join(engine_names())}.",
        )
    module_name, _, class_name = _REGISTRY[name].partition(":")
    factory: Callable[[], Engine] = getattr(import_module(module_name), class_name)
    return factory()
