"""``mixwise review RUN``: the model reviewer's verdict of a fit, with the placebo check on
request (a refit of the run's spec on its data plus a fake channel: shuffled spend of a real
one, :mod:`mixwise.model.review.placebo`).

The checks themselves are computed with every summary (:mod:`mixwise.model.review`); this use
case reads them from a fitted model and runs the one check that needs a refit. A run folder
does not keep the data, so the placebo needs the data and mapping the run was fitted on (their
fingerprint must match the run's).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mixwise.data.pipeline import load_dataset
from mixwise.data.placebo import largest_channel, with_placebo
from mixwise.errors import MixwiseError
from mixwise.fitting import fit
from mixwise.model.result import FitResult
from mixwise.model.review.base import Check
from mixwise.model.review.placebo import placebo_check
from mixwise.model.summary import STORED_CHECKS
from mixwise.progress import Progress, no_progress
from mixwise.service.fitted import ModelSource
from mixwise.service.result_cache import forget_folder


def placebo(
    result: FitResult,
    data: str | Path,
    mapping: str | Path,
    *,
    channel: str | None = None,
    seed: int = 0,
    progress: Progress = no_progress,
) -> Check:
    """The placebo check of ``result``: refit its spec with its engine on ``data`` plus a
    channel of ``channel``'s shuffled spend (default: the channel with the most spend)."""
    dataset = load_dataset(data, mapping)
    fingerprint = result.provenance.get("data_fingerprint")
    if fingerprint and dataset.fingerprint() != fingerprint:
        raise MixwiseError(
            f"{data} (with {mapping}) is not the data this run was fitted on (fingerprint differs)",
            "Give the data and mapping of the fit: the placebo refits the same model.",
        )
    source = channel or largest_channel(dataset)
    with_fake, name = with_placebo(dataset, source, seed)
    engine = str(result.provenance.get("engine", "bayesian"))
    refit = fit(with_fake, result.spec, engine=engine, progress=progress)
    return placebo_check(refit.summary_dict(), name, source)


def review_model(
    model: ModelSource,
    *,
    data: str | Path | None = None,
    mapping: str | Path | None = None,
    channel: str | None = None,
    seed: int = 0,
    progress: Progress = no_progress,
) -> dict[str, Any]:
    """The review of ``model`` (summary.json's ``review``); with ``data`` and ``mapping``, the
    placebo check added (a refit: minutes for the bayesian engine) and saved with the model
    (its provenance and summary.json), so every screen's verdict includes it."""
    result = model.result()
    if (data is None) != (mapping is None):
        raise MixwiseError(
            "the placebo check needs both the data and the mapping of the fit",
            "Pass --data and --mapping together.",
        )
    summary = result.summary_dict()
    if data is None or mapping is None:
        return dict(summary["review"])
    check = placebo(result, data, mapping, channel=channel, seed=seed, progress=progress)
    kept = [c for c in result.provenance.get(STORED_CHECKS, []) if c["name"] != check.name]
    result.provenance[STORED_CHECKS] = [*kept, check.to_dict()]
    directory = model.directory()
    result.save_documents(directory)  # summary.json's review now has it, for every screen
    forget_folder(directory)
    return dict(result.summary_dict()["review"])
