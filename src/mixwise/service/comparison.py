"""Fitted models side by side: ROAS per channel with intervals, fit quality and convergence of
each (``mixwise compare``)."""

from __future__ import annotations

from collections.abc import Sequence

from mixwise.errors import MixwiseError
from mixwise.service.fitted import ModelSource
from mixwise.service.results import summary_of
from mixwise.service.schemas.results import SummaryOut


def compare_models(models: Sequence[ModelSource]) -> dict[str, SummaryOut]:
    """Each model's summary, keyed by its id (at least two models)."""
    if len(models) < 2:
        raise MixwiseError("comparing needs at least two fitted models", "Pass two or more.")
    return {m.model_id: summary_of(m.directory(), m.model_id) for m in models}
