"""Per-channel bounds: validation naming the bad value, the bounds table, resolution of every
unit and of locks into amounts (by hand), feasibility messages and the projection."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.plan.support import PERIODS, budget_of, tiny_model

from mixwise.plan import Bound, PlanError, PlanInfeasible, ResponseModel, optimize, read_bounds
from mixwise.plan.bounds import project, resolve_bounds


def test_bound_validation_names_the_value() -> None:
    with pytest.raises(PlanError, match="bound unit must be amount, share or multiple, got 'pct'"):
        Bound(max=0.5, unit="pct")  # type: ignore[arg-type]
    with pytest.raises(PlanError, match=r"bounds must be finite and >= 0, got -1\.0"):
        Bound(min=-1.0)
    with pytest.raises(PlanError, match="bounds must be finite and >= 0, got inf"):
        Bound(max=float("inf"))
    with pytest.raises(PlanInfeasible, match="a bound has min 10 > max 5"):
        Bound(min=10.0, max=5.0)


def test_read_bounds_table(tmp_path: Path) -> None:
    frame = pd.DataFrame({" Channel ": [" TV", "Search"], "MIN": [None, 5.0], "Max": [80.0, None]})
    assert read_bounds(frame) == {"TV": Bound(None, 80.0), "Search": Bound(5.0, None)}
    path = tmp_path / "bounds.csv"
    path.write_text("channel,max\nTV,100\n", encoding="utf-8")
    assert read_bounds(path) == {"TV": Bound(None, 100.0)}
    with pytest.raises(PlanError, match="a bounds table needs columns channel,min,max"):
        read_bounds(pd.DataFrame({"channel": ["TV"], "low": [1.0]}))


def test_resolve_every_unit_by_hand() -> None:
    """Recent spend is 10 per period, so 40 over 4 periods for each channel."""
    m = tiny_model([1.0, 1.0, 1.0], [1.0, 1.0, 1.0])
    rb = resolve_bounds(
        m,
        4,
        {"A": Bound(5.0, 30.0), "B": Bound(0.1, 0.5, "share"), "C": (None, 2.0)},
        unit="multiple",  # for the tuple
    )
    lo, hi = rb.at(100.0)
    np.testing.assert_allclose(lo, [5.0, 10.0, 0.0])
    np.testing.assert_allclose(hi, [30.0, 50.0, 80.0])
    assert not rb.locked.any() and np.isinf(rb.search_cap).all()  # every channel has a maximum
    free = resolve_bounds(m, 4, {"A": Bound(min=5.0)})
    np.testing.assert_allclose(free.search_cap, [400.0] * 3)  # 10 x recent spend
    assert np.isinf(free.hi).all()


def test_locks_fix_amounts() -> None:
    m = tiny_model([1.0, 1.0, 1.0], [1.0, 1.0, 1.0])
    rb = resolve_bounds(m, 4, locked=["A"])
    assert rb.locked.tolist() == [True, False, False]
    assert (rb.lo[0], rb.hi[0]) == (40.0, 40.0)  # its recent level
    rb = resolve_bounds(m, 4, {"B": Bound(0.2, None, "share")}, locked={"B": 7.0})
    assert (rb.at(100.0)[0][1], rb.at(100.0)[1][1]) == (7.0, 7.0)  # a lock overrides a bound
    with pytest.raises(PlanError, match="locked amount for 'B' must be >= 0, got -1"):
        resolve_bounds(m, 4, locked={"B": -1.0})
    with pytest.raises(PlanError, match="unknown channel\\(s\\): 'Radio'"):
        resolve_bounds(m, 4, {"Radio": Bound(max=1.0)})


def test_check_says_which_minimums_or_maximums_do_not_add_up() -> None:
    m = tiny_model([1.0, 1.0], [1.0, 1.0])
    rb = resolve_bounds(m, 4, {"A": Bound(30.0, 60.0), "B": Bound(20.0, 50.0)})
    assert [v.tolist() for v in rb.check(80.0)] == [[30.0, 20.0], [60.0, 50.0]]
    with pytest.raises(
        PlanInfeasible, match=r"minimums add up to 50, more than the budget 40 \(A 30, B 20\)"
    ):
        rb.check(40.0)
    with pytest.raises(
        PlanInfeasible, match="the budget cap 200 cannot be spent: the channel maximums add up"
    ):
        rb.check(200.0, "the budget cap")


def test_project_is_the_euclidean_projection() -> None:
    lo, no_max = np.zeros(3), np.full(3, np.inf)
    np.testing.assert_allclose(project(np.array([1.0, 2.0, 3.0]), lo, no_max, 12.0), [3, 4, 5])
    np.testing.assert_allclose(project(np.zeros(3), lo, np.array([1.0, 10, 10]), 9.0), [1, 4, 4])
    # in general: x = clip(v + tau, lo, hi) with sum x = total, one shift tau for the free ones
    rng = np.random.default_rng(2)
    v, hi = rng.normal(size=6), rng.uniform(0.2, 1.0, 6)
    x = project(v, np.zeros(6), hi, 2.0)
    assert x.sum() == pytest.approx(2.0, abs=1e-9)
    at_lo, at_hi = x <= 1e-12, x >= hi - 1e-12
    inside = ~(at_lo | at_hi)
    assert inside.any()
    shift = x[inside] - v[inside]
    np.testing.assert_allclose(shift, shift[0], atol=1e-9)
    assert np.all(v[at_lo] + shift[0] <= 1e-9)  # clipped up to 0
    assert np.all(v[at_hi] + shift[0] >= hi[at_hi] - 1e-9)  # clipped down to their maximum


def test_bounds_in_every_unit_and_locks(small_truth: ResponseModel) -> None:
    budget = budget_of(small_truth)
    recent = small_truth.recent_spend() * PERIODS
    res = optimize(
        small_truth,
        budget,
        PERIODS,
        bounds={
            "TV": Bound(max=0.2 * budget),
            "Search": Bound(min=0.5, unit="share"),
            "Social": Bound(max=0.8, unit="multiple"),
        },
    )
    a = res.allocation
    assert a["TV"] <= 0.2 * budget * (1 + 1e-9)
    assert a["Search"] >= 0.5 * budget * (1 - 1e-9)
    assert a["Social"] <= 0.8 * recent[2] * (1 + 1e-9)
    assert a.sum() == pytest.approx(budget)
    locked = optimize(small_truth, budget, PERIODS, locked=["TV"])
    assert locked.allocation["TV"] == pytest.approx(recent[0])
    assert any("TV locked" in b for b in locked.binding)
    fixed = optimize(small_truth, budget, PERIODS, locked={"Search": 1000.0})
    assert fixed.allocation["Search"] == pytest.approx(1000.0)


def test_bounds_csv(small_truth: ResponseModel, tmp_path: Path) -> None:
    path = tmp_path / "bounds.csv"
    path.write_text("channel,min,max\nTV,,50000\nSocial,20000,\n", encoding="utf-8")
    res = optimize(small_truth, budget_of(small_truth), PERIODS, bounds=path)
    assert res.allocation["TV"] <= 50_000 * (1 + 1e-9)
    assert res.allocation["Social"] >= 20_000 * (1 - 1e-9)
