"""Connectors and schedules of the workspace. A connector's secrets go in (POST) and never come
out: no response schema has a field for them. Adding or replacing one needs the admin role."""

from __future__ import annotations

from fastapi import APIRouter, status

from mixwise.api.deps import StoreDep, WorkspaceDep, policy
from mixwise.data.connectors import SOURCES
from mixwise.service import connectors, schedules
from mixwise.service.schemas.common import Deleted
from mixwise.service.schemas.connectors import (
    ConnectorIn,
    ConnectorOut,
    MappingProposalOut,
    ScheduleIn,
    ScheduleOut,
    ScheduleRunOut,
    SourceKindOut,
    SyncOut,
)

router = APIRouter(tags=["connectors"])
# a path's connector_id / schedule_id is the id or the name (unique in the workspace)


@router.get("/connector-kinds", response_model=list[SourceKindOut], summary="Kinds of source")
def kinds(ws: WorkspaceDep) -> list[SourceKindOut]:
    return [SourceKindOut.model_validate(k) for k in SOURCES.values()]


@router.get("/connectors", response_model=list[ConnectorOut], summary="List connectors")
def list_connectors(store: StoreDep, ws: WorkspaceDep) -> list[ConnectorOut]:
    return connectors.list_connectors(store, ws.id)


@router.post(
    "/connectors",
    response_model=ConnectorOut,
    status_code=status.HTTP_201_CREATED,
    openapi_extra=policy(role="admin"),
    summary="Add a connector (its secrets are encrypted and never returned)",
)
def add_connector(body: ConnectorIn, store: StoreDep, ws: WorkspaceDep) -> ConnectorOut:
    return connectors.add(store, ws.id, body)


@router.get(
    "/connectors/mapping",
    response_model=MappingProposalOut,
    summary="The proposed mapping of the landed rows (YAML), to review before a first fit",
)
def proposed_mapping(store: StoreDep, ws: WorkspaceDep) -> MappingProposalOut:
    return MappingProposalOut(mapping=connectors.proposed_mapping(store, ws.id))


@router.post(
    "/connectors/{connector_id}/sync",
    response_model=SyncOut,
    summary="Sync a connector now (new days)",
)
def sync_connector(connector_id: str, store: StoreDep, ws: WorkspaceDep) -> SyncOut:
    out, _ = connectors.sync(store, ws.id, connector_id)
    return out


@router.delete(
    "/connectors/{connector_id}",
    response_model=Deleted,
    openapi_extra=policy(role="admin"),
    summary="Remove a connector, its secrets and its landed rows",
)
def remove_connector(connector_id: str, store: StoreDep, ws: WorkspaceDep) -> Deleted:
    connectors.remove(store, ws.id, connector_id)
    return Deleted(id=connector_id)


@router.get(
    "/schedules",
    response_model=list[ScheduleOut],
    summary="Schedules with their last runs and logs",
)
def list_schedules(store: StoreDep, ws: WorkspaceDep) -> list[ScheduleOut]:
    return schedules.list_schedules(store, ws.id)


@router.post(
    "/schedules",
    response_model=ScheduleOut,
    status_code=status.HTTP_201_CREATED,
    summary="Refresh a model on a schedule (sync -> validate -> refit -> compare)",
)
def add_schedule(body: ScheduleIn, store: StoreDep, ws: WorkspaceDep) -> ScheduleOut:
    return schedules.create(store, ws.id, body)


@router.post(
    "/schedules/{schedule_id}/run",
    response_model=ScheduleRunOut,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Queue a run of the schedule now",
)
def run_schedule(schedule_id: str, store: StoreDep, ws: WorkspaceDep) -> ScheduleRunOut:
    return schedules.run_now(store, ws.id, schedule_id)


@router.delete("/schedules/{schedule_id}", response_model=Deleted, summary="Remove a schedule")
def remove_schedule(schedule_id: str, store: StoreDep, ws: WorkspaceDep) -> Deleted:
    schedules.remove(store, ws.id, schedule_id)
    return Deleted(id=schedule_id)
