"""Code generation for reusable compiled models: hoisting data-only parts of the graph out as
inputs (same values, re-bindable to other data, integer index arithmetic left in place), and the
user-data record layout the callbacks read. End-to-end reuse: test_compiled.py."""

from __future__ import annotations

import numpy as np
import pytensor
import pytensor.tensor as pt
import pytest
from pytensor.compile.sharedvalue import SharedVariable
from pytensor.graph.traversal import graph_inputs

from mixwise.engines.bayesian.codegen import HOISTED, InputField, hoist, user_data_dtype

SPEND = np.array([1.0, 2.0, 3.0])


def _shared_names(outputs: list) -> set[str]:
    return {v.name for v in graph_inputs(outputs) if isinstance(v, SharedVariable)}


def test_data_only_float_parts_become_inputs_with_the_same_values() -> None:
    x = pt.vector("x", shape=(3,))  # the sampler's point
    spend = pytensor.shared(SPEND, name="spend")
    out = (pt.exp(spend * 0.5) * x).sum() + pt.log1p(spend).sum()
    h = hoist([out], x)
    assert _shared_names(h.outputs) == {f"{HOISTED}0", f"{HOISTED}1"}  # spend is gone
    point = np.array([0.3, -1.2, 2.0])
    expected = float((np.exp(SPEND * 0.5) * point).sum() + np.log1p(SPEND).sum())
    assert pytensor.function([x], h.outputs[0])(point) == pytest.approx(expected, rel=1e-12)
    # the hoisting function recomputes the inputs from other data of the same shape
    assert [v.name for v in h.inputs] == ["spend"]
    other = np.array([4.0, 0.0, 1.5])
    got = pytensor.function(h.inputs, h.values)(other)
    by_size = {np.size(v): np.asarray(v) for v in got}
    np.testing.assert_allclose(by_size[3], np.exp(other * 0.5), rtol=1e-12)
    np.testing.assert_allclose(by_size[1], np.log1p(other).sum(), rtol=1e-12)


def test_integer_index_arithmetic_stays_in_the_graph() -> None:
    x = pt.vector("x", shape=(3,))
    idx = pytensor.shared(np.array([0, 2]), name="idx")
    out = x[idx + 0].sum()
    h = hoist([out], x)
    assert h.inputs == [] and "idx" in _shared_names(h.outputs)
    assert pytensor.function([x], h.outputs[0])(np.array([1.0, 10.0, 100.0])) == 101.0


def test_user_data_record_layout() -> None:
    fields = [InputField("s0", "spend", 2, "float64"), InputField("s1", "idx", 1, "int64")]
    shared = user_data_dtype(fields)["shared"]
    assert shared.names == ("data", "size", "shape")
    assert shared["data"].names == ("s0", "s1") and shared["data"]["s0"] == np.uintp
    assert shared["size"].names == ("s0", "s1")
    assert shared["shape"]["s0"].shape == (2,) and shared["shape"]["s1"].shape == (1,)
