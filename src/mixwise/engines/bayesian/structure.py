"""A structural fingerprint of a PyMC model: equal for models that compile to the same code.

Two models get the same key when their graphs have the same operations wired the same way, the
same constants (by value), the same data variables (by name, type and shape, *not* value), the
same variable names, transforms and output variables, and the code generators (nutpie, numba,
PyTensor, PyMC) have the same versions. Refitting one model structure on new data (a later window
of the same length, a bootstrap, a cross-validation fold with a fixed training length) keeps the
key; changing a prior, a channel count, the number of periods or a library version changes it.

Anything the fingerprint cannot describe reproducibly (an operation that neither declares its
properties nor pickles) is keyed by its identity in this process, so it can only ever match
itself: the fingerprint errs on the side of recompiling, never of reusing the wrong code.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import numpy as np
import pymc as pm
from pytensor.compile.sharedvalue import SharedVariable
from pytensor.graph.basic import Constant, Variable
from pytensor.graph.traversal import graph_inputs, io_toposort

KEY_FORMAT = 1
"""Bump when the compiled code's layout changes (what :mod:`.compiled` stores on disk)."""

CODEGEN_PACKAGES = ("nutpie", "numba", "llvmlite", "pytensor", "pymc", "numpy")


def _versions() -> tuple[str, ...]:
    out = []
    for pkg in CODEGEN_PACKAGES:
        try:
            out.append(f"{pkg}={version(pkg)}")
        except PackageNotFoundError:
            out.append(f"{pkg}=none")
    return tuple(out)


def _array_id(a: np.ndarray) -> str:
    a = np.ascontiguousarray(a)
    digest = hashlib.sha256(a.tobytes()).hexdigest()[:24] if a.dtype != object else repr(a)
    return f"array{a.shape}{a.dtype}:{digest}"


def _pickled_id(obj: object) -> str:
    try:
        return hashlib.sha256(pickle.dumps(obj, protocol=4)).hexdigest()[:24]
    except Exception:  # unpicklable: only equal to itself, in this process
        return f"id:{id(obj)}"


def value_id(value: Any) -> str:
    """A reproducible description of an op property or constant."""
    if isinstance(value, np.ndarray):
        return _array_id(value)
    if isinstance(value, np.generic):
        return f"{value.dtype}:{value!r}"
    if value is None or isinstance(value, bool | int | float | str | bytes | complex):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, tuple | list | frozenset):
        items = [value_id(v) for v in value]
        inner = ",".join(sorted(items) if isinstance(value, frozenset) else items)
        return f"{type(value).__name__}({inner})"
    if isinstance(value, dict):
        return "dict(" + ",".join(f"{k!r}:{value_id(v)}" for k, v in sorted(value.items())) + ")"
    if hasattr(value, "__props__"):
        return op_id(value)
    return f"{type(value).__module__}.{type(value).__qualname__}:{_pickled_id(value)}"


def op_id(op: Any) -> str:
    """Type and declared properties of an operation (or transform)."""
    kind = f"{type(op).__module__}.{type(op).__qualname__}"
    props = getattr(op, "__props__", None)
    inner = getattr(op, "fgraph", None)
    if props is None and inner is not None:  # e.g. PyMC's CustomDist: a class made per model
        signature = getattr(op, "extended_signature", None)
        return f"{kind}[{signature}]:graph:{_graph_id(inner.inputs, inner.outputs)}"
    if props is None:
        return f"{kind}:{_pickled_id(op)}"
    return kind + "(" + ",".join(f"{p}={value_id(getattr(op, p, None))}" for p in props) + ")"


def _graph_id(inputs: Sequence[Variable], outputs: Sequence[Variable]) -> str:
    """An inner graph (an op's own ``fgraph``) by its operations, wiring and constants."""
    ids: dict[Variable, str] = {v: f"in{i} {v.type}" for i, v in enumerate(inputs)}
    parts: list[object] = []
    for k, node in enumerate(io_toposort(list(inputs), list(outputs))):
        args = tuple(ids.setdefault(i, _root_id(i)) for i in node.inputs)
        parts.append((op_id(node.op), args))
        ids.update({out: f"n{k}.{j} {out.type}" for j, out in enumerate(node.outputs)})
    parts.append(tuple(ids.get(o, _root_id(o)) for o in outputs))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _root_id(var: Variable) -> str:
    if isinstance(var, Constant):
        data = var.data
        described = _array_id(np.asarray(data)) if isinstance(data, np.ndarray) else value_id(data)
        return f"const {var.type} {described}"
    if isinstance(var, SharedVariable):
        value = var.get_value(borrow=True)
        shape = getattr(value, "shape", None)
        dtype = getattr(value, "dtype", type(value).__name__)
        return f"shared {var.name} {var.type} {shape} {dtype}"
    return f"input {var.name} {var.type}"


def structure_key(model: pm.Model, var_names: Sequence[str], extra: Sequence[Variable] = ()) -> str:
    """SHA-256 of the model's structure (see the module docstring); ``extra`` adds the graphs of
    further outputs (deterministics a compiled function returns)."""
    h = hashlib.sha256()

    def feed(*parts: object) -> None:
        h.update(repr(parts).encode())
        h.update(b"\x00")

    feed("mixwise-structure", KEY_FORMAT, _versions(), bool(model.check_bounds), tuple(var_names))
    for rv in model.free_RVs:
        feed("free", rv.name, model.rvs_to_values[rv].name, value_id(model.rvs_to_transforms[rv]))
    observed = [model.rvs_to_values[rv] for rv in model.observed_RVs]
    outputs = [*model.free_RVs, *model.observed_RVs, *model.potentials, *observed, *extra]
    ids: dict[Variable, int] = {}

    def ref(var: Variable) -> int:
        if var not in ids:
            ids[var] = len(ids)
            feed("root", ids[var], _root_id(var))
        return ids[var]

    for node in io_toposort(list(graph_inputs(outputs)), outputs):
        args = tuple(ref(i) for i in node.inputs)
        feed("node", op_id(node.op), args)
        for out in node.outputs:
            ids[out] = len(ids)
            feed("out", ids[out], str(out.type), getattr(out.type, "shape", None), out.name)
    for var in outputs:
        feed("output", ref(var))
    return h.hexdigest()
