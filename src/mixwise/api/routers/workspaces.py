"""The workspace of the API key."""

from __future__ import annotations

from fastapi import APIRouter

from mixwise.api.deps import WorkspaceDep
from mixwise.service.errors import NotFound
from mixwise.service.schemas.datasets import WorkspaceOut

router = APIRouter(tags=["workspaces"])


@router.get("/workspace", response_model=WorkspaceOut, summary="The key's workspace")
def current(ws: WorkspaceDep) -> WorkspaceOut:
    return ws


@router.get(
    "/workspaces/{workspace_id}",
    response_model=WorkspaceOut,
    summary="A workspace (only the key's own; others answer 404)",
)
def get_workspace(workspace_id: str, ws: WorkspaceDep) -> WorkspaceOut:
    if workspace_id != ws.id:
        raise NotFound("workspace", workspace_id)
    return ws
