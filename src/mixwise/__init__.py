"""mixwise: marketing mix modeling, end to end.

``import mixwise`` stays light: ``validate``, ``load_dataset``, ``fit``, ``load_result`` and
the classes are imported on first use. The root package is the public facade, in no layer
(docs/architecture.md); the imports under ``TYPE_CHECKING`` give type checkers the same names.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mixwise.data.dataset import MMMDataset
    from mixwise.data.mapping import Mapping
    from mixwise.data.pipeline import load_dataset, validate
    from mixwise.fitting import fit
    from mixwise.model.result import FitResult, load_result
    from mixwise.model.spec import ModelSpec

__version__ = "0.1.0"

_LAZY = {
    "fit": "mixwise.fitting",
    "load_result": "mixwise.model.result",
    "FitResult": "mixwise.model.result",
    "ModelSpec": "mixwise.model.spec",
    "validate": "mixwise.data.pipeline",
    "load_dataset": "mixwise.data.pipeline",
    "Mapping": "mixwise.data.mapping",
    "MMMDataset": "mixwise.data.dataset",
}

__all__ = [
    "FitResult",
    "MMMDataset",
    "Mapping",
    "ModelSpec",
    "__version__",
    "fit",
    "load_dataset",
    "load_result",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mixwise' has no attribute {name!r}")
