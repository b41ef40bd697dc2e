"""Planning errors are user errors: in the one hierarchy, with a code and a hint to act on."""

from __future__ import annotations

import pytest
from tests.plan.support import tiny_model

from mixwise.errors import MixwiseError
from mixwise.plan import Bound, PlanError, PlanInfeasible, optimize


def test_an_impossible_request_is_an_infeasible_plan_error_with_a_hint() -> None:
    m = tiny_model([1.0, 1.0], [1.0, 1.0])
    with pytest.raises(PlanInfeasible) as info:
        optimize(m, 10.0, 4, bounds={"A": Bound(min=8.0), "B": Bound(min=8.0)})
    err = info.value
    assert isinstance(err, PlanError) and isinstance(err, MixwiseError)
    assert err.code == "plan_infeasible"
    assert err.message == "the channel minimums add up to 16, more than the budget 10 (A 8, B 8)"
    assert str(err) == f"{err.message}\nHint: {err.hint}"
    assert "raise the budget" in err.hint


def test_a_plan_that_does_not_fit_the_model_is_a_plan_error() -> None:
    with pytest.raises(PlanError) as info:
        optimize(tiny_model([1.0], [1.0]), 10.0, 0)
    assert not isinstance(info.value, PlanInfeasible)
    assert info.value.code == "plan"
    assert info.value.message == "periods must be a whole number >= 1, got 0"
