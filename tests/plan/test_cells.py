"""Planning per cell: budgets and bounds kept, equal marginal ROAS across free cells."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
import xarray as xr

from mixwise.plan import PlanError, PlanInfeasible, ResponseModel
from mixwise.plan.cells import Cell, cell_curves, cells_from_result, optimize_cells

PERIODS = 13


def _free_mroas(plan: Any, tol: float = 1e-3) -> np.ndarray:
    t = plan.table
    free = (t["budget"] > tol * t["budget"].sum()) & (t["bound"] == "")
    return np.array([e.mean for e in t.loc[free, "mroas"]])


def test_one_budget_over_two_cells(small_truth: ResponseModel, hill_truth: ResponseModel) -> None:
    cells = [Cell("north", small_truth), Cell("south", hill_truth)]
    total = 1.2e6
    plan = optimize_cells(cells, total, PERIODS)
    t = plan.table
    assert t["budget"].sum() == pytest.approx(total, rel=1e-6)
    assert (t["budget"] >= -1e-6).all()
    m = _free_mroas(plan)
    assert m.size >= 4
    # equal marginal ROAS across unconstrained (cell, channel) pairs, within 1%
    assert m.max() / m.min() - 1 < 0.01
    # the answer beats the recent allocation scaled to the budget (uplift of the sum)
    assert plan.cells["budget"].sum() == pytest.approx(total, rel=1e-6)
    out = plan.to_dict()
    assert set(out["allocation"][0]["kpi"]) >= {"mean", "lo", "hi"}


def test_group_budgets_and_cell_bounds(
    small_truth: ResponseModel, hill_truth: ResponseModel
) -> None:
    cells = [
        Cell("A north", small_truth, "A"),
        Cell("A south", hill_truth, "A"),
        Cell("B north", hill_truth, "B"),
    ]
    bounds = {"A north": {"TV": (300_000, 350_000)}, "B north": {"Search": (0, 50_000)}}
    plan = optimize_cells(cells, {"A": 1.0e6, "B": 4.0e5}, PERIODS, bounds)
    t = plan.table.set_index(["cell", "channel"])
    by_group = plan.table.groupby("group")["budget"].sum()
    assert by_group["A"] == pytest.approx(1.0e6, rel=1e-6)
    assert by_group["B"] == pytest.approx(4.0e5, rel=1e-6)
    assert 300_000 - 1 <= t.loc[("A north", "TV"), "budget"] <= 350_000 + 1
    assert t.loc[("B north", "Search"), "budget"] <= 50_000 + 1
    with pytest.raises(PlanInfeasible, match="group 'B'"):
        optimize_cells(
            cells,
            {"A": 1.0e6, "B": 4.0e4},
            PERIODS,
            {"B north": {c: (20_000, None) for c in hill_truth.channels}},
        )
    with pytest.raises(PlanError, match="no budget for group"):
        optimize_cells(cells, {"A": 1.0e6}, PERIODS)


def test_cells_of_a_geo_fit(small_fit_result: Any) -> None:
    """Two geos whose truth differs only in scale: the stronger geo gets more budget, and
    marginal ROAS is equal across the free (geo, channel) pairs."""
    p = small_fit_result.params
    beta = xr.concat([p["beta"], p["beta"] * 2.0], dim="geo").assign_coords(geo=["n", "s"])
    params = p.assign(beta=beta)
    geo_fit = dataclasses.replace(small_fit_result, params=params)
    cells = cells_from_result(geo_fit)
    assert [c.name for c in cells] == ["n", "s"]
    plan = optimize_cells(cells, 1.0e6, PERIODS)
    per_cell = plan.cells.set_index("cell")["budget"]
    assert per_cell["s"] > per_cell["n"]
    m = _free_mroas(plan)
    assert m.max() / m.min() - 1 < 0.01
    curves = cell_curves(cells, n_points=5)
    assert set(curves) == {"n", "s"}
    with pytest.raises(PlanError, match="national"):
        cells_from_result(small_fit_result)


def test_the_service_answers_per_geo(small_fit_result: Any) -> None:
    """service.planning.optimize_cells (the API's and the CLI's use case) on a two-geo fit:
    budget kept, a bound kept, intervals around every cell's KPI."""
    from mixwise.service import planning
    from mixwise.service.schemas.plans import CellOptimizeIn

    p = small_fit_result.params
    beta = xr.concat([p["beta"], p["beta"] * 1.5], dim="geo").assign_coords(geo=["n", "s"])
    fit = dataclasses.replace(small_fit_result, params=p.assign(beta=beta))

    class Source:
        model_id = "geo-fit"

        def result(self) -> Any:
            return fit

    body = CellOptimizeIn(budget=8.0e5, periods=PERIODS, bounds={"s": {"TV": {"max": 1.0e5}}})
    out = planning.optimize_cells(Source(), body)  # type: ignore[arg-type]
    assert sum(r.budget for r in out.allocation) == pytest.approx(8.0e5, rel=1e-6)
    tv_s = next(r for r in out.allocation if r.cell == "s" and r.channel == "TV")
    assert tv_s.budget <= 1.0e5 + 1
    for c in out.cells:
        assert c.kpi.lo is not None and c.kpi.hi is not None
        assert c.kpi.lo <= c.kpi.mean <= c.kpi.hi
