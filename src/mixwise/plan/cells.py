"""Planning across a portfolio of cells (geos of a geo model, brands, brand x region models).

A *cell* is one :class:`ResponseModel` (a geo of a geo-level fit, or an independent model)
with a *group* (a brand; ``""`` when the whole portfolio shares one budget). The optimizer
chooses every cell's channel budgets ``b[k, c]`` at once::

    maximise  risk_d( sum_k sum_c M_kdc(b[k, c]) )
    s.t.      sum_{k in g} sum_c b[k, c] = B_g   for each group g
              lo[k, c] <= b[k, c] <= hi[k, c]

with ``M_kdc`` the media KPI of cell ``k``'s channel ``c`` in draw ``d`` over the plan and its
carry-over (:class:`~mixwise.plan.objectives.AllocationProblem`, even spend over the periods).
Cells are summed draw by draw, so they must have as many draws (the geos of one fit share
their draws; independent models are thinned to the fewest). At the optimum the marginal ROAS
``value * dE[M]/db`` is equal across the unconstrained (cell, channel) pairs of a group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from mixwise.plan.adapter import response_model_from_result, result_geos
from mixwise.plan.bounds import BoundsLike, project, resolve_bounds
from mixwise.plan.curves import ResponseCurves, response_curves
from mixwise.plan.errors import PlanError, PlanInfeasible
from mixwise.plan.objectives import AllocationProblem, FloatArray, Risk, parse_risk
from mixwise.plan.protocols import FittedModel
from mixwise.plan.response import ResponseModel
from mixwise.plan.solver import _run
from mixwise.plan.summaries import DEFAULT_LEVEL, Estimate, safe_ratio


@dataclass(frozen=True)
class Cell:
    """One planning cell: a name (geo, brand x region), its model and its budget group."""

    name: str
    model: ResponseModel
    group: str = ""


def cells_from_result(
    result: FittedModel, revenue_per_conversion: float | None = None
) -> list[Cell]:
    """One cell per geo of a geo-level fit (all in one budget group)."""
    geos = result_geos(result)
    if not geos:
        raise PlanError(
            "the model is national: it has no geos to plan per cell",
            "Plan it without --by geo, or fit the data with its geo column.",
        )
    return [
        Cell(g, response_model_from_result(result, revenue_per_conversion, geo=g)) for g in geos
    ]


@dataclass(frozen=True)
class CellPlan:
    """The optimizer's answer per cell and channel, with intervals.

    ``table``: one row per (cell, channel): ``group, cell, channel, recent`` (budget at the
    recent spend level), ``budget``, ``bound`` (``"min"``/``"max"`` where a bound binds), and
    ``kpi``, ``roas``, ``mroas`` as :class:`Estimate`;
    ``cells``: one row per cell with its budget, ``kpi`` and ``uplift`` (KPI minus the KPI of
    its recent allocation, on the same draws); ``groups``: each group's budget.
    """

    table: pd.DataFrame
    cells: pd.DataFrame
    groups: dict[str, float]
    periods: int
    risk: str
    converged: bool
    message: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form (estimates as ``{mean, median, lo, hi, level}``)."""

        def rows(frame: pd.DataFrame) -> list[dict[str, object]]:
            return [
                {str(k): v.to_dict() if isinstance(v, Estimate) else v for k, v in r.items()}
                for r in frame.to_dict(orient="records")
            ]

        return {
            "periods": self.periods,
            "risk": self.risk,
            "groups": self.groups,
            "converged": self.converged,
            "message": self.message,
            "cells": rows(self.cells),
            "allocation": rows(self.table),
        }


def _align(cells: Sequence[Cell]) -> list[Cell]:
    if not cells:
        raise PlanError("a portfolio needs at least one cell")
    names = [c.name for c in cells]
    if len(set(names)) != len(names):
        raise PlanError(f"cell names must be unique, got {names}")
    fewest = min(c.model.n_draws for c in cells)
    return [Cell(c.name, c.model.thin(fewest), c.group) for c in cells]


def _group_budgets(cells: Sequence[Cell], budget: float | Mapping[str, float]) -> dict[str, float]:
    groups = list(dict.fromkeys(c.group for c in cells))
    if isinstance(budget, Mapping):
        missing = [g for g in groups if g not in budget]
        if missing:
            raise PlanError(f"no budget for group(s) {missing}", "Give one budget per group.")
        out = {g: float(budget[g]) for g in groups}
    else:
        if len(groups) > 1:
            # one total budget over all groups: one budget group
            return {"": float(budget)}
        out = {groups[0]: float(budget)}
    bad = {g: b for g, b in out.items() if not np.isfinite(b) or b <= 0}
    if bad:
        raise PlanError(f"group budgets must be positive amounts, got {bad}")
    return out


def optimize_cells(
    cells: Sequence[Cell],
    budget: float | Mapping[str, float],
    periods: int,
    bounds: Mapping[str, BoundsLike] | None = None,
    *,
    risk: str | Risk = "mean",
    risk_lambda: float = 1.0,
    quantile: float = 0.1,
    n_starts: int = 4,
    seed: int = 0,
    level: float = DEFAULT_LEVEL,
) -> CellPlan:
    """Best budgets per cell and channel (see the module docstring).

    Args:
        cells: the cells (:func:`cells_from_result` for a geo fit).
        budget: one total over all cells, or ``{group: total}`` (one per brand).
        periods: plan length in periods.
        bounds: ``{cell: {channel: (min, max)}}`` amounts over the plan (as in
            :func:`~mixwise.plan.optimize`, ``Bound`` objects allowed).
    """
    if not isinstance(periods, int | np.integer) or periods < 1:
        raise PlanError(f"periods must be a whole number >= 1, got {periods!r}")
    cells = _align(cells)
    unknown = sorted(set(bounds or {}) - {c.name for c in cells})
    if unknown:
        raise PlanError(f"bounds for unknown cell(s) {unknown}")
    budgets = _group_budgets(cells, budget)
    one_budget = list(budgets) == [""] and len({c.group for c in cells}) > 1
    group_of = ["" if one_budget else c.group for c in cells]
    r = parse_risk(risk, risk_lambda, quantile)
    problems = [AllocationProblem(c.model, int(periods)) for c in cells]
    sizes = [c.model.n_channels for c in cells]
    offsets = np.cumsum([0, *sizes])
    los, his = [], []
    for c in cells:
        rb = resolve_bounds(c.model, int(periods), (bounds or {}).get(c.name))
        lo, hi = rb.at(budgets[group_of[cells.index(c)]])
        los.append(lo)
        his.append(hi)
    lo, hi = np.concatenate(los), np.concatenate(his)
    member = {
        g: np.concatenate([np.full(n, group_of[k] == g) for k, n in enumerate(sizes)])
        for g in budgets
    }
    for g, total in budgets.items():
        idx = member[g]
        what = f"the budget of group {g!r}" if g else "the budget"
        if lo[idx].sum() > total * (1 + 1e-9) or hi[idx].sum() < total * (1 - 1e-9):
            raise PlanInfeasible(
                f"{what} {total:,.0f} does not fit the cells' bounds (minimums "
                f"{lo[idx].sum():,.0f}, maximums {hi[idx].sum():,.0f})",
                "Change the cells' minimums/maximums or the budget.",
            )
        hi[idx] = np.minimum(hi[idx], total)
    values = np.array(
        [v for c in cells for v in [c.model.value_per_kpi or 1.0] * c.model.n_channels]
    )
    scale = sum(budgets.values())

    def media_grad(b: FloatArray) -> tuple[FloatArray, FloatArray]:
        parts = [p.media_grad(b[offsets[k] : offsets[k + 1]]) for k, p in enumerate(problems)]
        return np.hstack([m for m, _ in parts]), np.hstack([g for _, g in parts])

    def fun(z: FloatArray) -> tuple[float, FloatArray]:
        media, grad = media_grad(np.maximum(z, 0.0) * scale)
        v, g = r.value_grad(media.sum(axis=1), grad)
        return -v, -g * scale

    def fit(v: FloatArray) -> FloatArray:
        out = v.copy()
        for g, total in budgets.items():
            idx = member[g]
            out[idx] = project(v[idx], lo[idx], hi[idx], total)
        return out

    rng = np.random.default_rng(seed)
    recent = np.concatenate([c.model.recent_spend() * periods for c in cells])
    raw = [recent, np.ones_like(recent)]
    raw += [rng.dirichlet(np.ones(recent.size)) for _ in range(max(0, n_starts - 2))]
    starts = []
    for v in raw:
        s = v.astype(np.float64).copy()
        for g, total in budgets.items():
            idx = member[g]
            s[idx] = s[idx] / max(s[idx].sum(), 1e-300) * total
        starts.append(fit(s))
    cons: list[dict[str, object]] = [
        {
            "type": "eq",
            "fun": lambda z, idx=member[g], t=total / scale: z[idx].sum() - t,
            "jac": lambda z, idx=member[g]: idx.astype(np.float64),
        }
        for g, total in budgets.items()
    ]
    z, _, ok, msg = _run(fun, starts, lo, hi, cons, scale)
    best = fit(z)
    at = np.where(best <= lo + 1e-6 * scale, "min", np.where(best >= hi - 1e-6 * scale, "max", ""))
    return _summarise(
        cells,
        group_of,
        problems,
        offsets,
        best,
        at,
        recent,
        values,
        budgets,
        r,
        int(periods),
        ok,
        msg,
        level,
    )


def _summarise(
    cells: Sequence[Cell],
    group_of: list[str],
    problems: list[AllocationProblem],
    offsets: np.ndarray,
    best: FloatArray,
    at: np.ndarray,
    recent: FloatArray,
    values: FloatArray,
    budgets: dict[str, float],
    r: Risk,
    periods: int,
    ok: bool,
    msg: str,
    level: float,
) -> CellPlan:
    rows, cell_rows = [], []
    for k, (c, p) in enumerate(zip(cells, problems, strict=True)):
        sl = slice(offsets[k], offsets[k + 1])
        b, value = best[sl], values[sl]
        media, grad = p.media_grad(b)
        before = p.media(recent[sl])
        for j, ch in enumerate(c.model.channels):
            rows.append(
                {
                    "group": group_of[k],
                    "cell": c.name,
                    "channel": ch,
                    "recent": float(recent[sl][j]),
                    "budget": float(b[j]),
                    "bound": str(at[sl][j]),
                    "kpi": Estimate.from_draws(media[:, j], level),
                    "roas": Estimate.from_draws(safe_ratio(value[j] * media[:, j], b[j]), level),
                    "mroas": Estimate.from_draws(value[j] * grad[:, j], level),
                }
            )
        cell_rows.append(
            {
                "group": group_of[k],
                "cell": c.name,
                "recent": float(recent[sl].sum()),
                "budget": float(b.sum()),
                "kpi": Estimate.from_draws(media.sum(axis=1), level),
                "uplift": Estimate.from_draws(media.sum(axis=1) - before.sum(axis=1), level),
            }
        )
    return CellPlan(
        table=pd.DataFrame(rows),
        cells=pd.DataFrame(cell_rows),
        groups=budgets,
        periods=periods,
        risk=r.describe(),
        converged=ok,
        message=msg,
    )


def cell_curves(cells: Sequence[Cell], **kwargs: object) -> dict[str, ResponseCurves]:
    """Response curves per cell (keyword arguments as :func:`~mixwise.plan.response_curves`)."""
    return {c.name: response_curves(c.model, **kwargs) for c in cells}  # type: ignore[arg-type]
