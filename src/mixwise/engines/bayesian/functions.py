"""PyTensor functions of a model (deterministics, initial points), reused across fits.

Besides nutpie's log density (:mod:`.compiled`), a fit compiles three small PyTensor functions:
the initial point of the chains (``make_initial_point_fn``), ``saturation_beta`` for the
diagnostics and the contributions and baseline parts of the kept draws
(``pm.compute_deterministics``). Each costs 0.1-0.2 s of graph rewriting, together about a
fifth of a warm refit of the PyMC-Marketing example. They depend only on the model's structure
and on what they return; the data enter them as PyTensor shared variables. So each is kept per
:func:`.structure.structure_key` (with the graphs of what it returns in the key), compiled with
private copies of those shared variables (``givens``: the model's own data are never written
to), and every call first gives each copy the value of the calling model's variable of the same
name, then runs exactly what PyMC runs (``apply_function_over_dataset``; the seeded initial-point
function), with the calling model's coordinates. Models whose shared variables cannot be matched
by name (unnamed or repeated names) are computed without reuse. PyMC has no such cache, which is
why it is written here.
"""

from __future__ import annotations

import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pymc as pm
import pytensor
import xarray as xr
from pymc.backends.arviz import apply_function_over_dataset, coords_and_dims_for_inferencedata
from pymc.initial_point import make_initial_point_expression, make_initial_point_fn
from pymc.pytensorf import compile as compile_pymc
from pymc.pytensorf import find_rng_nodes, replace_rng_nodes, reseed_rngs
from pymc.util import get_transformed_name
from pytensor.compile.sharedvalue import SharedVariable
from pytensor.graph.traversal import graph_inputs
from pytensor.tensor.sharedvar import TensorSharedVariable

from mixwise.engines.bayesian.structure import structure_key

SLOTS = 16
"""Compiled functions kept in this process (least recently used ones are dropped)."""


@dataclass
class _Function:
    fn: Any
    copies: dict[str, SharedVariable]
    rngs: list[Any] = field(default_factory=list)


_LOCK = threading.RLock()
_MEMORY: OrderedDict[str, _Function] = OrderedDict()


def clear() -> None:
    """Forget the functions kept in this process."""
    with _LOCK:
        _MEMORY.clear()


@contextmanager
def _bound(
    key: str, shared: dict[str, SharedVariable], build: Callable[[dict], _Function]
) -> Iterator[_Function]:
    """The kept (or newly built) function for ``key``, its copies holding ``shared``'s values;
    held under the lock while the caller runs it."""
    with _LOCK:
        entry = _MEMORY.get(key)
        if entry is None or set(entry.copies) != set(shared):
            entry = build(_private_copies(shared))
        _MEMORY[key] = entry
        _MEMORY.move_to_end(key)
        while len(_MEMORY) > SLOTS:
            _MEMORY.popitem(last=False)
        for name, copy in entry.copies.items():
            copy.set_value(shared[name].get_value(borrow=True), borrow=True)
        yield entry


def compute_deterministics(
    posterior: xr.Dataset,
    model: pm.Model,
    var_names: Sequence[str],
    sample_dims: Sequence[str] = ("chain", "draw"),
) -> xr.Dataset:
    """``pm.compute_deterministics(posterior, var_names=..., model=..., sample_dims=...)``."""
    outputs = [model[name] for name in var_names]
    shared = _shared_by_name(outputs, blockers=model.free_RVs)
    free = [rv.name for rv in model.free_RVs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if shared is None:
            return pm.compute_deterministics(
                posterior,
                var_names=list(var_names),
                model=model,
                sample_dims=tuple(sample_dims),
                progressbar=False,
            )

        def build(copies: dict[str, SharedVariable]) -> _Function:
            givens = {var: copies[name] for name, var in shared.items()}
            fn = model.compile_fn(
                inputs=model.free_RVs, outs=outputs, on_unused_input="ignore", givens=givens
            )
            return _Function(fn, copies)

        key = f"deterministics:{structure_key(model, free, extra=outputs)}:{','.join(var_names)}"
        coords, dims = coords_and_dims_for_inferencedata(model)
        with _bound(key, shared, build) as entry:
            return apply_function_over_dataset(
                entry.fn,
                posterior[free],
                output_var_names=list(var_names),
                dims=dims,
                coords=coords,
                sample_dims=tuple(sample_dims),
                progressbar=False,
            )


def initial_point_fn(model: pm.Model) -> Callable[[Any], dict[str, np.ndarray]]:
    """``make_initial_point_fn(model=model, jitter_rvs=all free, default_strategy=
    "support_point", return_transformed=True)``: seed -> transformed initial values by name."""
    expressions = make_initial_point_expression(
        free_rvs=model.free_RVs,
        rvs_to_transforms=model.rvs_to_transforms,
        initval_strategies=dict(model.rvs_to_initial_values),
        jitter_rvs=set(model.free_RVs),
        default_strategy="support_point",
        return_transformed=True,
    )
    expressions = replace_rng_nodes(expressions)  # private generators, as PyMC does
    shared = _shared_by_name(expressions, rng=False)
    if shared is None:
        return make_initial_point_fn(
            model=model,
            jitter_rvs=set(model.free_RVs),
            default_strategy="support_point",
            return_transformed=True,
        )
    names = [_value_name(model, rv) for rv in model.free_RVs]

    def build(copies: dict[str, SharedVariable]) -> _Function:
        givens = {var: copies[name] for name, var in shared.items()}
        fn = compile_pymc(
            inputs=[],
            outputs=expressions,
            mode=pytensor.compile.mode.FAST_COMPILE,
            givens=givens,
        )
        return _Function(fn, copies, find_rng_nodes(fn.maker.fgraph.outputs))

    free = [rv.name for rv in model.free_RVs]
    key = "initial-point:" + structure_key(model, free, extra=expressions)

    def initial_point(seed: Any) -> dict[str, np.ndarray]:
        with _bound(key, shared, build) as entry:
            reseed_rngs(entry.rngs, seed)
            return dict(zip(names, entry.fn(), strict=True))

    return initial_point


def _value_name(model: pm.Model, rv: Any) -> str:
    transform = model.rvs_to_transforms[rv]
    return rv.name if transform is None else get_transformed_name(rv.name, transform)


def _private_copies(shared: dict[str, SharedVariable]) -> dict[str, SharedVariable]:
    return {
        name: pytensor.shared(var.get_value(), name=name, shape=var.type.shape)
        for name, var in shared.items()
    }


def _shared_by_name(
    outputs: Sequence[Any], blockers: Sequence[Any] = (), rng: bool = True
) -> dict[str, SharedVariable] | None:
    """The shared variables the outputs read (given ``blockers``), by name; ``None`` if a name
    is missing or repeated, or one is not a tensor. ``rng=False`` leaves out random generators
    (the caller reseeds them)."""
    found = [
        v
        for v in graph_inputs(outputs, blockers=blockers)
        if isinstance(v, SharedVariable) and (rng or not _is_rng(v))
    ]
    names = [v.name for v in found]
    if any(not name for name in names) or len(set(names)) != len(names):
        return None
    if not all(isinstance(v, TensorSharedVariable) for v in found):
        return None  # only tensors are copied (``_private_copies``)
    return {str(v.name): v for v in found}


def _is_rng(var: SharedVariable) -> bool:
    return isinstance(var.get_value(borrow=True), np.random.Generator)
