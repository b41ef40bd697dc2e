"""``mixwise.fit``: one call from a validated dataset to a :class:`FitResult`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mixwise.engines.base import engine_capabilities, get_engine
from mixwise.model.spec import ModelSpec
from mixwise.progress import Progress, no_progress

if TYPE_CHECKING:
    from mixwise.data.dataset import MMMDataset
    from mixwise.model.result import FitResult


def fit(
    dataset: MMMDataset,
    spec: ModelSpec | None = None,
    engine: str = "bayesian",
    seed: int | None = None,
    progress: Progress = no_progress,
) -> FitResult:
    """Fit a marketing mix model.

    ``spec`` defaults to ``ModelSpec()`` (geometric adstock, logistic saturation, trend, yearly
    seasonality, controls and events, 4 chains x 1000 draws). ``seed`` overrides
    ``spec.sampler.seed`` (and ``spec.ridge.seed``); the seed used is recorded in
    ``result.provenance``. Raises ``mixwise.progress.Cancelled`` when cancelled (Ctrl-C or the
    callback raising it); a spec or dataset the engine cannot honour raises ``SpecError`` naming
    the field (:class:`mixwise.engines.base.Capabilities`).
    """
    spec = spec or ModelSpec()
    if seed is not None:  # the one seed of the fit, whatever the spec's sampler or ridge say
        update: dict[str, Any] = {"sampler": spec.sampler.model_copy(update={"seed": seed})}
        if spec.ridge.seed is not None:
            update["ridge"] = spec.ridge.model_copy(update={"seed": seed})
        spec = spec.model_copy(update=update)
    engine_capabilities(engine).check(engine, spec, dataset)
    return get_engine(engine).fit(dataset, spec, progress)
