"""Planning on a model (simulate, slider shares, optimize, frontier, recommendations) and saved
scenarios (save, list, read, delete, compare)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from mixwise.api.deps import StoreDep, WorkspaceDep, policy
from mixwise.service import planning, scenarios
from mixwise.service.fitted import StoredModel
from mixwise.service.schemas.common import Deleted
from mixwise.service.schemas.plans import (
    CellOptimizeIn,
    CellOptimizeOut,
    CompareIn,
    CompareOut,
    FrontierIn,
    FrontierOut,
    OptimizeIn,
    OptimizeOut,
    PeriodOptimizeIn,
    PeriodOptimizeOut,
    RecommendationsOut,
    ScenarioIn,
    ScenarioList,
    ScenarioOut,
    SharesIn,
    SharesOut,
    SimulateIn,
    SimulationOut,
)

router = APIRouter(tags=["planning"])


@router.post(
    "/models/{model_id}/simulate",
    response_model=SimulationOut,
    openapi_extra=policy(reads=True),
    summary="Simulate a spend plan on every draw, against the recent allocation",
)
def simulate(model_id: str, body: SimulateIn, store: StoreDep, ws: WorkspaceDep) -> SimulationOut:
    return planning.simulate(StoredModel(store, ws.id, model_id), body)


@router.post(
    "/models/{model_id}/evaluate-shares",
    response_model=SharesOut,
    openapi_extra=policy(reads=True),
    summary="Evaluate slider shares of a budget against the original split",
)
def evaluate_shares(model_id: str, body: SharesIn, store: StoreDep, ws: WorkspaceDep) -> SharesOut:
    return planning.evaluate_shares(StoredModel(store, ws.id, model_id), body)


@router.post(
    "/models/{model_id}/optimize",
    response_model=OptimizeOut,
    openapi_extra=policy(feature="budget_allocation", rate="plan", reads=True),
    summary="Optimize the budget (every objective, bounds, locks and risk measure)",
)
def optimize(model_id: str, body: OptimizeIn, store: StoreDep, ws: WorkspaceDep) -> OptimizeOut:
    return planning.optimize(StoredModel(store, ws.id, model_id), body)


@router.post(
    "/models/{model_id}/optimize/cells",
    response_model=CellOptimizeOut,
    openapi_extra=policy(feature="budget_allocation", rate="plan", reads=True),
    summary="Optimize the budget per cell (each geo of a geo model), with bounds per cell",
)
def optimize_cells(
    model_id: str, body: CellOptimizeIn, store: StoreDep, ws: WorkspaceDep
) -> CellOptimizeOut:
    return planning.optimize_cells(StoredModel(store, ws.id, model_id), body)


@router.post(
    "/models/{model_id}/optimize/periods",
    response_model=PeriodOptimizeOut,
    openapi_extra=policy(feature="budget_allocation", rate="plan", reads=True),
    summary="Optimize the spend of every period and channel (per-period bounds, NPV, CVaR)",
)
def optimize_periods(
    model_id: str, body: PeriodOptimizeIn, store: StoreDep, ws: WorkspaceDep
) -> PeriodOptimizeOut:
    return planning.optimize_periods(StoredModel(store, ws.id, model_id), body)


@router.post(
    "/models/{model_id}/frontier",
    response_model=FrontierOut,
    openapi_extra=policy(feature="budget_allocation", rate="plan", reads=True),
    summary="Efficiency frontier: optimal KPI per budget",
)
def frontier(model_id: str, body: FrontierIn, store: StoreDep, ws: WorkspaceDep) -> FrontierOut:
    return planning.frontier(StoredModel(store, ws.id, model_id), body)


@router.get(
    "/models/{model_id}/recommendations",
    response_model=RecommendationsOut,
    summary="Reallocation moves, waste flags and saturation points, with intervals",
)
def recommendations(
    model_id: str,
    store: StoreDep,
    ws: WorkspaceDep,
    periods: Annotated[int | None, Query(ge=1, le=520)] = None,
    shift: Annotated[float, Query(gt=0, lt=1)] = 0.10,
    threshold: Annotated[float | None, Query(gt=0)] = None,
    top: Annotated[int, Query(ge=1, le=50)] = 5,
) -> RecommendationsOut:
    return planning.recommendations(
        StoredModel(store, ws.id, model_id), periods, shift, threshold, top
    )


@router.post(
    "/scenarios",
    response_model=ScenarioOut,
    status_code=status.HTTP_201_CREATED,
    summary="Save a named scenario (its result is computed and kept)",
)
def save(body: ScenarioIn, store: StoreDep, ws: WorkspaceDep) -> ScenarioOut:
    return scenarios.save(store, ws.id, body)


@router.get("/scenarios", response_model=ScenarioList, summary="Saved scenarios, newest first")
def list_scenarios(
    store: StoreDep, ws: WorkspaceDep, model_id: Annotated[str | None, Query()] = None
) -> ScenarioList:
    return ScenarioList(items=scenarios.list_scenarios(store, ws.id, model_id))


@router.post(
    "/scenarios/compare",
    response_model=CompareOut,
    openapi_extra=policy(reads=True),
    summary="Compare saved scenarios side by side (per-draw changes vs the first)",
)
def compare(body: CompareIn, store: StoreDep, ws: WorkspaceDep) -> CompareOut:
    return scenarios.compare(store, ws.id, body)


@router.get("/scenarios/{scenario_id}", response_model=ScenarioOut, summary="One scenario")
def get(scenario_id: str, store: StoreDep, ws: WorkspaceDep) -> ScenarioOut:
    return scenarios.get(store, ws.id, scenario_id)


@router.delete("/scenarios/{scenario_id}", response_model=Deleted, summary="Delete a scenario")
def delete(scenario_id: str, store: StoreDep, ws: WorkspaceDep) -> Deleted:
    scenarios.delete(store, ws.id, scenario_id)
    return Deleted(id=scenario_id)
