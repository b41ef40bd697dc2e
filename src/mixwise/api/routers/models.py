"""Models (fits): start, follow, cancel, delete; results; report download."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from fastapi.responses import FileResponse

from mixwise.api.deps import IdempotencyKey, PrincipalDep, StoreDep, WorkspaceDep, policy
from mixwise.service import models as svc
from mixwise.service import refreshes, reports, results, selection
from mixwise.service import truth as estimates
from mixwise.service.schemas.common import Deleted
from mixwise.service.schemas.models import (
    AccuracyOut,
    LogsOut,
    ModelBatchOut,
    ModelDetail,
    ModelIn,
    ModelList,
    ModelsIn,
    RefreshIn,
    SelectIn,
)
from mixwise.service.schemas.results import (
    AdstockOut,
    ContributionsOut,
    DecompositionOut,
    DiagnosticsOut,
    ResponseCurvesOut,
    SummaryOut,
    TruthOut,
)

router = APIRouter(prefix="/models", tags=["models"])


@router.post(
    "",
    response_model=ModelDetail,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Start a fit (dataset + mapping + spec + engine); runs in the background",
    openapi_extra=policy(rate="fit"),
)
def create(
    body: ModelIn, store: StoreDep, principal: PrincipalDep, idempotency: IdempotencyKey = None
) -> ModelDetail:
    return svc.create_model(store, principal.workspace_id, body, principal, idempotency)


@router.post(
    "/batch",
    response_model=ModelBatchOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Fit several engines (default: all) on one dataset: one background fit job each",
    openapi_extra=policy(rate="fit"),
)
def create_batch(
    body: ModelsIn, store: StoreDep, principal: PrincipalDep, idempotency: IdempotencyKey = None
) -> ModelBatchOut:
    items = svc.create_models(store, principal.workspace_id, body, principal, idempotency)
    ids = ",".join(m.id for m in items)
    return ModelBatchOut(items=items, comparison=f"/api/v1/comparisons?models={ids}")


@router.get("", response_model=ModelList, summary="Models of the workspace, newest first")
def list_models(store: StoreDep, ws: WorkspaceDep) -> ModelList:
    return ModelList(items=svc.list_models(store, ws.id))


@router.get(
    "/{model_id}",
    response_model=ModelDetail,
    summary="A model and its fit job: status, stage, fraction, message, ETA, error",
)
def get_model(model_id: str, store: StoreDep, ws: WorkspaceDep) -> ModelDetail:
    return svc.get_model(store, ws.id, model_id)


@router.delete(
    "/{model_id}",
    response_model=Deleted,
    summary="Delete a model with its result and scenarios (cancels a running fit)",
)
def delete_model(model_id: str, store: StoreDep, ws: WorkspaceDep) -> Deleted:
    svc.delete_model(store, ws.id, model_id)
    return Deleted(id=model_id)


@router.post(
    "/{model_id}/select",
    response_model=SummaryOut,
    summary="Ridge fits: make another Pareto model the chosen one (its bootstrap draws refitted)",
)
def select(model_id: str, body: SelectIn, store: StoreDep, ws: WorkspaceDep) -> SummaryOut:
    return selection.select_stored_model(store, ws.id, model_id, body.pareto_model)


@router.post("/{model_id}/cancel", response_model=ModelDetail, summary="Cancel the fit")
def cancel(model_id: str, store: StoreDep, ws: WorkspaceDep) -> ModelDetail:
    return svc.cancel_model(store, ws.id, model_id)


@router.get(
    "/{model_id}/logs",
    response_model=LogsOut,
    summary="Log lines of the fit after 'after' (follow with next_after)",
)
def logs(
    model_id: str,
    store: StoreDep,
    ws: WorkspaceDep,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> LogsOut:
    return svc.logs(store, ws.id, model_id, after, limit)


@router.get(
    "/{model_id}/summary",
    response_model=SummaryOut,
    summary="Per channel: contribution, share, ROAS, mROAS, CPA, half-life ...",
)
def summary(model_id: str, store: StoreDep, ws: WorkspaceDep) -> SummaryOut:
    return results.summary(store, ws.id, model_id)


@router.get(
    "/{model_id}/contributions",
    response_model=ContributionsOut,
    summary="Contributions over time with intervals, baseline, fit and observed KPI",
)
def contributions(model_id: str, store: StoreDep, ws: WorkspaceDep) -> ContributionsOut:
    return results.contributions(store, ws.id, model_id)


@router.get(
    "/{model_id}/decomposition",
    response_model=DecompositionOut,
    summary="KPI split into baseline components and channels, over all periods or a window",
)
def decomposition(
    model_id: str,
    store: StoreDep,
    ws: WorkspaceDep,
    start: Annotated[date | None, Query(description="First period of the window")] = None,
    end: Annotated[date | None, Query(description="Last period of the window")] = None,
) -> DecompositionOut:
    return results.decomposition(store, ws.id, model_id, start, end)


@router.get(
    "/{model_id}/diagnostics",
    response_model=DiagnosticsOut,
    summary="Convergence verdict, fit quality and provenance",
)
def diagnostics(model_id: str, store: StoreDep, ws: WorkspaceDep) -> DiagnosticsOut:
    return results.diagnostics(store, ws.id, model_id)


@router.get(
    "/{model_id}/response-curves",
    response_model=ResponseCurvesOut,
    summary="Response and marginal-ROAS curves with saturation points",
)
def response_curves(
    model_id: str,
    store: StoreDep,
    ws: WorkspaceDep,
    max_multiple: Annotated[float, Query(gt=0, le=20)] = 3.0,
    points: Annotated[int, Query(ge=2, le=201)] = 31,
    threshold: Annotated[float | None, Query(gt=0, description="mROAS threshold")] = None,
) -> ResponseCurvesOut:
    return results.response_curves(store, ws.id, model_id, max_multiple, points, threshold)


@router.get(
    "/{model_id}/adstock",
    response_model=AdstockOut,
    summary="Adstock weights by lag and half-life per channel",
)
def adstock(model_id: str, store: StoreDep, ws: WorkspaceDep) -> AdstockOut:
    return results.adstock(store, ws.id, model_id)


@router.get(
    "/{model_id}/truth",
    response_model=TruthOut,
    summary="Estimate vs truth per channel, for synthetic data with a known truth",
)
def truth(model_id: str, store: StoreDep, ws: WorkspaceDep) -> TruthOut:
    return estimates.estimate_vs_truth(store, ws.id, model_id)


@router.get(
    "/{model_id}/report",
    response_class=FileResponse,
    summary="Download the report (HTML or XLSX)",
    responses={
        200: {"content": {"text/html": {}, reports.XLSX: {}}},
    },
)
def report(
    model_id: str,
    store: StoreDep,
    ws: WorkspaceDep,
    format: Annotated[Literal["html", "xlsx"], Query()] = "html",
    journeys: Annotated[
        str | None,
        Query(description="An uploaded journeys dataset: adds the attribution section."),
    ] = None,
    campaigns: Annotated[
        bool, Query(description="Add the campaigns section from the stored calendar.")
    ] = False,
) -> FileResponse:
    path, media_type, filename = reports.report(store, ws.id, model_id, format, journeys, campaigns)
    return FileResponse(path, media_type=media_type, filename=filename)


@router.post(
    "/{model_id}/refresh",
    response_model=ModelDetail,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Refresh the model on new data (backtested first; a new model, queued)",
    openapi_extra=policy(rate="fit"),
)
def refresh(
    model_id: str,
    body: RefreshIn,
    store: StoreDep,
    principal: PrincipalDep,
    idempotency: IdempotencyKey = None,
) -> ModelDetail:
    return refreshes.refresh_model(
        store, principal.workspace_id, model_id, body, principal, idempotency
    )


@router.get(
    "/{model_id}/accuracy",
    response_model=AccuracyOut,
    summary="Backtests across the model's refresh chain (forecast accuracy over time)",
)
def accuracy(model_id: str, store: StoreDep, ws: WorkspaceDep) -> AccuracyOut:
    return refreshes.model_accuracy(store, ws.id, model_id)
