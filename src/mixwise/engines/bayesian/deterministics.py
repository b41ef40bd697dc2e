"""Deterministics of posterior draws, with the compiled function reused across fits.

``pm.compute_deterministics`` compiles a PyTensor function of the free variables every time it
is called: about 0.2 s of graph rewriting per call, twice per fit (``saturation_beta`` for the
diagnostics, then contributions and baseline parts for the kept draws), a fifth of a warm refit
of the PyMC-Marketing example. The function depends only on the model's structure and on which
deterministics it returns; the data enter it as PyTensor shared variables. So it is kept per
:func:`.structure.structure_key` (with the deterministics' graphs in the key), compiled with
private copies of those shared variables (``givens``; the model's own data are never written
to), and every call first gives each copy the value of the calling model's variable of the same
name, then runs the function over the draws exactly as ``pm.compute_deterministics`` does
(``apply_function_over_dataset``), with the calling model's coordinates. Models whose shared
variables cannot be matched by name (unnamed or repeated names) are computed without reuse.
PyMC has no such cache, which is why it is written here.
"""

from __future__ import annotations

import threading
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pymc as pm
import pytensor
import xarray as xr
from pymc.backends.arviz import apply_function_over_dataset, coords_and_dims_for_inferencedata
from pytensor.compile.sharedvalue import SharedVariable
from pytensor.graph.traversal import graph_inputs

from mixwise.engines.bayesian.structure import structure_key

SLOTS = 16
"""Compiled functions kept in this process (least recently used ones are dropped)."""


@dataclass
class _Function:
    fn: Any
    shared: dict[str, SharedVariable]


_LOCK = threading.Lock()
_MEMORY: OrderedDict[str, _Function] = OrderedDict()


def clear() -> None:
    """Forget the functions kept in this process."""
    with _LOCK:
        _MEMORY.clear()


def compute(
    posterior: xr.Dataset,
    model: pm.Model,
    var_names: Sequence[str],
    sample_dims: Sequence[str] = ("chain", "draw"),
) -> xr.Dataset:
    """``pm.compute_deterministics(posterior, var_names=..., model=..., sample_dims=...)``."""
    outputs = [model[name] for name in var_names]
    shared = _shared_by_name(model, outputs)
    if shared is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pm.compute_deterministics(
                posterior,
                var_names=list(var_names),
                model=model,
                sample_dims=tuple(sample_dims),
                progressbar=False,
            )
    free = [rv.name for rv in model.free_RVs]
    key = structure_key(model, free, extra=outputs) + ":" + ",".join(var_names)
    with _LOCK:
        entry = _MEMORY.get(key)
        if entry is None or set(entry.shared) != set(shared):
            entry = _compile(model, outputs, shared)
        _MEMORY[key] = entry
        _MEMORY.move_to_end(key)
        while len(_MEMORY) > SLOTS:
            _MEMORY.popitem(last=False)
        for name, copy in entry.shared.items():
            copy.set_value(shared[name].get_value(borrow=True), borrow=True)
        coords, dims = coords_and_dims_for_inferencedata(model)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return apply_function_over_dataset(
                entry.fn,
                posterior[free],
                output_var_names=list(var_names),
                dims=dims,
                coords=coords,
                sample_dims=tuple(sample_dims),
                progressbar=False,
            )


def _compile(model: pm.Model, outputs: list[Any], shared: dict[str, SharedVariable]) -> _Function:
    """The function of the free variables, reading private copies of the shared variables."""
    copies = {
        name: pytensor.shared(var.get_value(), name=name, shape=var.type.shape)
        for name, var in shared.items()
    }
    givens = {var: copies[name] for name, var in shared.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fn = model.compile_fn(
            inputs=model.free_RVs, outs=outputs, on_unused_input="ignore", givens=givens
        )
    return _Function(fn, copies)


def _shared_by_name(model: pm.Model, outputs: list[Any]) -> dict[str, SharedVariable] | None:
    """The shared variables the outputs read (given the free variables), by name; ``None`` if a
    name is missing or repeated."""
    found = [
        v for v in graph_inputs(outputs, blockers=model.free_RVs) if isinstance(v, SharedVariable)
    ]
    names = [v.name for v in found]
    if any(not name for name in names) or len(set(names)) != len(names):
        return None
    return {str(v.name): v for v in found}
