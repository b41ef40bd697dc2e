"""``FittedModel`` (plan/protocols.py): planning reads only the protocol's attributes, so any
object that has them can be planned with, not only a FitResult."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from mixwise.plan import as_response_model, baseline_plan, simulate
from mixwise.plan.adapter import CACHE_ATTRIBUTE


def test_an_object_with_the_protocols_attributes_is_planned_like_its_fit_result(
    small_fit_result: Any,
) -> None:
    r = small_fit_result
    plain = SimpleNamespace(
        params=r.params,
        spend=r.spend,
        baseline=r.baseline,
        kpi_type=r.kpi_type,
        frequency=r.frequency,
        has_geo=False,
        provenance={"engine": "elsewhere"},
    )
    m = as_response_model(plain)
    assert getattr(plain, CACHE_ATTRIBUTE) is m  # built once, kept on the object
    ref = as_response_model(r)
    assert m.source == "elsewhere" and m.channels == ref.channels
    np.testing.assert_array_equal(m.coefficient, ref.coefficient)
    np.testing.assert_array_equal(m.adstock_weights, ref.adstock_weights)
    np.testing.assert_array_equal(m.baseline, ref.baseline)
    plan = baseline_plan(plain, 4)
    np.testing.assert_array_equal(simulate(plain, plan).kpi, simulate(r, plan).kpi)
