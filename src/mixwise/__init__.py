"""mixwise: marketing mix modeling, end to end.

``import mixwise`` stays light: ``fit``, ``load_result``, ``ModelSpec`` and ``FitResult`` are
imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "fit": "mixwise.fitting",
    "load_result": "mixwise.model.result",
    "FitResult": "mixwise.model.result",
    "ModelSpec": "mixwise.model.spec",
}

__all__ = ["FitResult", "ModelSpec", "__version__", "fit", "load_result"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mixwise' has no attribute {name!r}")
