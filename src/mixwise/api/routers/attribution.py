"""Multi-touch attribution of an uploaded journeys table (upload it with POST /datasets)."""

from __future__ import annotations

from fastapi import APIRouter

from mixwise.api.deps import StoreDep, WorkspaceDep, policy
from mixwise.service import attribution as svc
from mixwise.service.schemas.attribution import AttributionIn, AttributionOut

router = APIRouter(prefix="/attribution", tags=["attribution"])


@router.post(
    "",
    response_model=AttributionOut,
    openapi_extra=policy(feature="attribution", reads=True),
    summary="Credit per channel and model (MTA, with intervals), sequences, and fitted models "
    "side by side",
)
def attribute(body: AttributionIn, store: StoreDep, ws: WorkspaceDep) -> AttributionOut:
    return svc.attribute_dataset(store, ws.id, body)
