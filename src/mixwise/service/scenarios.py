"""Saved scenarios: a named plan of a model (from a simulation, slider shares or the optimizer),
listed, read, deleted and compared side by side.

A scenario keeps its request, the result computed when it was saved, and its plan (spend per
period per channel), so that comparing re-simulates every plan on the same draws of its model
and reports per-draw changes against the first scenario.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from mixwise import plan
from mixwise.service import planning
from mixwise.service.errors import NotFound
from mixwise.service.fitted import StoredModel
from mixwise.service.models import model_row
from mixwise.service.schemas.plans import (
    CompareIn,
    CompareOut,
    ScenarioIn,
    ScenarioMetrics,
    ScenarioOut,
    SimulateIn,
    scenario_out,
)
from mixwise.store.db import Store
from mixwise.store.models import Scenario, new_id


def _plan_doc(frame: pd.DataFrame) -> dict[str, Any]:
    return {
        "spend": {str(c): [float(v) for v in frame[c]] for c in frame.columns},
        "periods": len(frame),
    }


def _run(store: Store, ws: str, body: ScenarioIn) -> tuple[str, dict[str, Any], pd.DataFrame]:
    """``(kind, result, plan frame)`` of the scenario's request."""
    model = StoredModel(store, ws, body.model_id)
    if body.simulate is not None:
        m, _ = planning.model_view(model)
        frame = planning.plan_frame(m, body.simulate)
        out = planning.simulate(model, body.simulate)
        return "simulate", out.model_dump(mode="json"), frame
    if body.shares is not None:
        out_s = planning.evaluate_shares(model, body.shares)
        m, _ = planning.model_view(model)
        shares = out_s.shares
        alloc = {c: shares.get(c, 0.0) * out_s.budget for c in m.channels}
        return "shares", out_s.model_dump(mode="json"), plan.even_plan(m, alloc, out_s.periods)
    assert body.optimize is not None
    opt = planning.run_optimize(model, body.optimize)
    out_o = planning.optimize_out(body.model_id, opt)
    return "optimize", out_o.model_dump(mode="json"), opt.plan


def _out(row: Scenario) -> ScenarioOut:
    spend = row.result["_plan"]["spend"]
    result = {k: v for k, v in row.result.items() if k != "_plan"}
    return scenario_out.validate_python(
        {
            "id": row.id,
            "model_id": row.model_id,
            "name": row.name,
            "kind": row.kind,
            "request": row.request,
            "result": result,
            "allocation": {c: float(sum(v)) for c, v in spend.items()},
            "periods": int(row.result["_plan"]["periods"]),
            "created_at": row.created_at,
        }
    )


def save(store: Store, workspace_id: str, body: ScenarioIn) -> ScenarioOut:
    """Compute the scenario's request now and save it with its result and plan."""
    model_row(store, workspace_id, body.model_id)
    kind, result, frame = _run(store, workspace_id, body)
    request = getattr(body, kind).model_dump(mode="json", exclude_none=True)
    row = Scenario(
        id=new_id("sc"),
        workspace_id=workspace_id,
        model_id=body.model_id,
        name=body.name,
        kind=kind,
        request=request,
        result={**result, "_plan": _plan_doc(frame)},
    )
    with store.session() as s:
        s.add(row)
    return _out(row)


def _row(store: Store, workspace_id: str, scenario_id: str) -> Scenario:
    with store.session() as s:
        row = s.get(Scenario, scenario_id)
        if row is None or row.workspace_id != workspace_id:
            raise NotFound("scenario", scenario_id)
        return row


def get(store: Store, workspace_id: str, scenario_id: str) -> ScenarioOut:
    return _out(_row(store, workspace_id, scenario_id))


def list_scenarios(
    store: Store, workspace_id: str, model_id: str | None = None
) -> list[ScenarioOut]:
    with store.session() as s:
        q = select(Scenario).where(Scenario.workspace_id == workspace_id)
        if model_id is not None:
            q = q.where(Scenario.model_id == model_id)
        return [_out(r) for r in s.scalars(q.order_by(Scenario.created_at.desc()))]


def delete(store: Store, workspace_id: str, scenario_id: str) -> None:
    row = _row(store, workspace_id, scenario_id)
    with store.session() as s:
        obj = s.get(Scenario, row.id)
        if obj is not None:
            s.delete(obj)


def compare(store: Store, workspace_id: str, body: CompareIn) -> CompareOut:
    """Re-simulate each scenario's plan on its model; changes per draw against the first."""
    rows = [_row(store, workspace_id, i) for i in body.scenario_ids]
    sims: list[tuple[Scenario, plan.Simulation]] = []
    level = body.level
    for row in rows:
        m, default_level = planning.model_view(StoredModel(store, workspace_id, row.model_id))
        level = level or default_level
        spend = row.result["_plan"]["spend"]
        frame = planning.plan_frame(m, SimulateIn(spend=spend))
        sims.append((row, plan.simulate(m, frame, level)))
    assert level is not None
    first_row, first = sims[0]
    base = first.metric_draws()
    notes = []
    if len({r.model_id for r, _ in sims}) > 1:
        notes.append(
            "The scenarios use different models: changes per draw are only given "
            "for scenarios of the first scenario's model."
        )
    if len({len(s.periods) for _, s in sims}) > 1:
        notes.append(
            "The scenarios cover different numbers of periods: totals differ "
            "partly because of that."
        )
    out = []
    for row, sim in sims:
        draws = sim.metric_draws()
        same = row.model_id == first_row.model_id
        vs = (
            {k: planning.delta(draws[k] - base[k], level) for k in draws if k in base}
            if same
            else None
        )
        out.append(
            ScenarioMetrics(
                id=row.id,
                name=row.name,
                model_id=row.model_id,
                periods=len(sim.periods),
                allocation=dict(
                    zip(sim.channels, np.asarray(sim.spend.sum(axis=0)).tolist(), strict=True)
                ),
                metrics={k: planning.interval_of(v, level) for k, v in draws.items()},
                vs_first=vs,
            )
        )
    return CompareOut(scenarios=out, notes=notes)
