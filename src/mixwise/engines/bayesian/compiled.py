"""nutpie-compiled models, reused across fits of the same model structure.

Compiling a PyMC-Marketing model for nutpie (graph rewrites, then numba) takes 10-40 s, as long as
or longer than sampling a weekly national MMM. The compiled code depends only on the model's
structure (:func:`.structure.structure_key`), because :mod:`.codegen` keeps the data outside it.
So a fit looks for the code of its structure in three places, in order:

1. this process (``memory``): refreshes, bootstraps and the job worker refit one structure on
   new data all day (cross-validation folds of different lengths are different structures);
2. disk (``disk``): the C callbacks in numba's cache inside PyTensor's compile directory
   (``~/.pytensor/numba``), plus a small plan next to them (``~/.pytensor/mixwise``) that says how
   to feed them data, so a new process skips graph building and compilation altogether;
3. otherwise it compiles (``compiled``) and stores the result in both.

Either way the model's own data, initial point (PyMC's support points with nutpie's jitter) and
coordinates are bound to the code, so a reused model samples exactly like a freshly compiled
one: same seed, same data, same draws. :func:`cache_stats` counts what happened.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pymc as pm
import pytensor
from nutpie.compile_pymc import (
    CompiledPyMCModel,
    _prepare_dims_and_coords,
    _rv_dict_to_flat_array_wrapper,
    _wrap_with_lock,
    update_user_data,
)
from pymc.model.transform.optimization import freeze_dims_and_data

from mixwise.engines.bayesian import codegen, functions
from mixwise.engines.bayesian.structure import structure_key

MEMORY_SLOTS = 8
"""Compiled structures kept in this process (least recently used ones are dropped)."""

CACHE_ENV = "MIXWISE_COMPILE_CACHE"
"""Environment variable: a directory for the plans, or ``off`` to never use the disk."""


@dataclasses.dataclass
class CacheStats:
    """How often a fit in this process compiled, or reused code from memory or disk."""

    compiled: int = 0
    memory: int = 0
    disk: int = 0


@dataclasses.dataclass
class _Entry:
    plan: codegen.Plan
    logp_cfunc: Any
    expand_cfunc: Any
    hoist_fn: Any
    logp_fn: Any = None
    expand_fn: Any = None


_LOCK = threading.Lock()
_MEMORY: OrderedDict[str, _Entry] = OrderedDict()
_STATS = CacheStats()


def cache_stats() -> CacheStats:
    """A copy of this process's counters."""
    with _LOCK:
        return dataclasses.replace(_STATS)


def clear_memory() -> None:
    """Forget the compiled models (and :mod:`.functions`) held in this process (the disk cache
    stays)."""
    with _LOCK:
        _MEMORY.clear()
    functions.clear()


def plan_dir() -> Path | None:
    """Where plans are stored: ``$MIXWISE_COMPILE_CACHE`` or PyTensor's compile dir."""
    setting = os.environ.get(CACHE_ENV, "")
    if setting.lower() == "off":
        return None
    return Path(setting) if setting else Path(pytensor.config.base_compiledir) / "mixwise"


def compile_nutpie(model: pm.Model, var_names: list[str]) -> tuple[CompiledPyMCModel, str]:
    """nutpie's compiled model for ``model`` and where its code came from.

    ``model`` may have mutable dims and data (PyMC-Marketing's ``mmm.model``); dims are frozen
    here. Returns ``(compiled, source)``, source one of ``memory``, ``disk``, ``compiled``.
    """
    model = freeze_dims_and_data(model, data=[])
    key = structure_key(model, var_names)
    source = "memory"
    with _LOCK:
        entry = _MEMORY.get(key)
        if entry is not None:
            _MEMORY.move_to_end(key)
    if entry is None:
        source = "disk"
        entry = _load(key)
    if entry is None:
        source = "compiled"
        entry = _compile(model, var_names, key)
    with _LOCK:
        setattr(_STATS, source, getattr(_STATS, source) + 1)
        _MEMORY[key] = entry
        _MEMORY.move_to_end(key)
        while len(_MEMORY) > MEMORY_SLOTS:
            _MEMORY.popitem(last=False)
    return bind(entry, model), source


def _hoist_fn(plan: codegen.Plan) -> Any:
    if not plan.hoist_outputs:
        return lambda *args: []
    return pytensor.function(plan.hoist_inputs, plan.hoist_outputs, mode="FAST_COMPILE")


def _compile(model: pm.Model, var_names: list[str], key: str) -> _Entry:
    built = codegen.build(model, var_names, key)
    entry = _Entry(
        built.plan,
        built.logp_cfunc,
        built.expand_cfunc,
        _hoist_fn(built.plan),
        built.logp_fn,
        built.expand_fn,
    )
    _save(built.plan)
    return entry


def _plan_path(key: str) -> Path | None:
    folder = plan_dir()
    return None if folder is None else folder / f"{key}.pkl"


def _save(plan: codegen.Plan) -> None:
    path = _plan_path(plan.key)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            pickle.dump(plan, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
    except Exception:  # a read-only or full disk only costs the next process a compile
        return


def _load(key: str) -> _Entry | None:
    path = _plan_path(key)
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as f:
            plan = pickle.load(f)
        if not isinstance(plan, codegen.Plan) or plan.key != key:
            return None
        callbacks = codegen.load_callbacks(plan)
        if callbacks is None:
            return None
        return _Entry(plan, *callbacks, _hoist_fn(plan))
    except Exception:  # a stale or damaged plan: compile instead
        return None


def _inputs(entry: _Entry, model: pm.Model) -> dict[str, np.ndarray]:
    """Record key -> array: model data by name, hoisted values computed from it."""
    plan = entry.plan
    data = {name: var.get_value() for name, var in _data_vars(model).items()}
    hoisted = entry.hoist_fn(*[data[str(v.name)] for v in plan.hoist_inputs])
    values = dict(data)
    values.update({f"{codegen.HOISTED}{i}": v for i, v in enumerate(hoisted)})
    out = {}
    for f in plan.fields:
        arr = np.array(values[f.source], dtype=f.dtype, order="C", copy=True)
        if arr.ndim != f.ndim:
            raise ValueError(f"input {f.source} has rank {arr.ndim}, expected {f.ndim}")
        arr.flags.writeable = False
        out[f.key] = arr
    return out


def _data_vars(model: pm.Model) -> dict[str, Any]:
    return {str(v.name): v for v in model.data_vars}


def bind(entry: _Entry, model: pm.Model) -> CompiledPyMCModel:
    """The compiled code fed with ``model``'s data, initial point and coordinates."""
    plan = entry.plan
    shared = _inputs(entry, model)
    user_data = np.zeros((), dtype=codegen.user_data_dtype(plan.fields))
    user_data = update_user_data(user_data, shared)
    n_free = len(model.free_RVs)
    point_fn = functions.initial_point_fn(model)
    initial_point = _rv_dict_to_flat_array_wrapper(
        _wrap_with_lock(point_fn), names=plan.names[:n_free], shapes=plan.shapes[:n_free]
    )
    dims, coords = _prepare_dims_and_coords(model, plan.shape_info, plan.reparameterized_names)
    return CompiledPyMCModel(
        dims=dims,
        compiled_logp_func=entry.logp_cfunc,
        compiled_expand_func=entry.expand_cfunc,
        initial_point_func=initial_point,
        shared_data=shared,
        shared_var_keys={},
        user_data=user_data,
        n_expanded=plan.n_expanded,
        shape_info=plan.shape_info,
        logp_func=entry.logp_fn,
        expand_func=entry.expand_fn,
        _n_dim=plan.n_dim,
        _shapes={n: tuple(s) for n, s in zip(plan.names, plan.shapes, strict=True)},
        _coords=coords,
        reparameterized_names=plan.reparameterized_names,
    )
