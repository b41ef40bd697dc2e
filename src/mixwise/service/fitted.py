"""Where a fitted model comes from: a model of a workspace (the API and the dashboard) or a run
folder written by ``mixwise fit`` (the CLI and Python).

Use cases that read a fit (planning, reports, comparisons) take a :class:`ModelSource`, so the
CLI and the API call the very same functions; only where the result is read from differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from mixwise.model.result import FitResult, check_result_dir
from mixwise.service import results
from mixwise.service.result_cache import load_cached
from mixwise.store.db import Store


class ModelSource(Protocol):
    """A fitted model a use case can read."""

    @property
    def model_id(self) -> str:
        """How responses name the model (a model id, or the run folder's path)."""
        ...

    def result(self) -> FitResult:
        """The FitResult (loaded once, then cached)."""
        ...

    def directory(self) -> Path:
        """The result's folder (``result.nc``, ``summary.json`` ...)."""
        ...


@dataclass(frozen=True)
class StoredModel:
    """A model of a workspace, fitted by a job (``Conflict`` while it has no result)."""

    store: Store
    workspace_id: str
    model_id: str

    def result(self) -> FitResult:
        return results.fit_result(self.store, self.workspace_id, self.model_id)

    def directory(self) -> Path:
        return Path(results.result_dir(self.store, self.workspace_id, self.model_id))


@dataclass(frozen=True)
class RunFolder:
    """A run folder written by ``mixwise fit`` or :meth:`FitResult.save`."""

    path: Path

    @property
    def model_id(self) -> str:
        return str(self.path)

    def result(self) -> FitResult:
        return load_cached(self.path)

    def directory(self) -> Path:
        return check_result_dir(self.path)
