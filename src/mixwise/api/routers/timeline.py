"""The campaign calendar of a workspace and the Creative Launch Timeline of a model."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile

from mixwise.api.deps import StoreDep, WorkspaceDep
from mixwise.service import timeline as svc
from mixwise.service.fitted import StoredModel
from mixwise.service.schemas.common import Deleted
from mixwise.service.schemas.timeline import CalendarOut, CalendarRowsIn, TimelineOut

router = APIRouter(tags=["timeline"])


@router.put(
    "/calendar",
    response_model=CalendarOut,
    summary="Upload the campaign calendar (CSV, Excel or Parquet) as multipart field 'file'",
)
def upload_calendar(
    store: StoreDep,
    ws: WorkspaceDep,
    file: Annotated[UploadFile, File(description="The calendar table.")],
    mapping: Annotated[
        str | None, Form(description='Role -> column as JSON, e.g. {"start": "launch"}.')
    ] = None,
) -> CalendarOut:
    return svc.upload_calendar(
        store, ws.id, file.filename or "calendar.csv", file.file, svc.mapping_from_json(mapping)
    )


@router.put("/calendar/rows", response_model=CalendarOut, summary="Set the calendar from rows")
def set_calendar_rows(body: CalendarRowsIn, store: StoreDep, ws: WorkspaceDep) -> CalendarOut:
    return svc.set_calendar_rows(store, ws.id, body)


@router.get("/calendar", response_model=CalendarOut, summary="The workspace's campaign calendar")
def get_calendar(store: StoreDep, ws: WorkspaceDep) -> CalendarOut:
    return svc.get_calendar(store, ws.id)


@router.delete("/calendar", response_model=Deleted, summary="Delete the campaign calendar")
def delete_calendar(store: StoreDep, ws: WorkspaceDep) -> Deleted:
    svc.delete_calendar(store, ws.id)
    return Deleted(id="calendar")


@router.get(
    "/models/{model_id}/timeline",
    response_model=TimelineOut,
    summary="Flights of the calendar with the model's contribution and ROAS during and after "
    "each (intervals), the consistency score and tag performance",
)
def get_timeline(
    model_id: str,
    store: StoreDep,
    ws: WorkspaceDep,
    window_days: Annotated[int, Query(ge=1, le=3660)] = svc.DEFAULT_WINDOW_DAYS,
    end: Annotated[date | None, Query(description="Last day of the window.")] = None,
    min_tag_flights: Annotated[int, Query(ge=1, le=1000)] = svc.MIN_TAG_FLIGHTS,
) -> TimelineOut:
    model = StoredModel(store, ws.id, model_id)
    model.result()  # an unknown model is 404 before a missing calendar
    return svc.timeline(
        model,
        svc.stored_calendar(store, ws.id),
        window_days=window_days,
        end=end,
        min_tag_flights=min_tag_flights,
    )
