"""Request dependencies: the store and the authenticated workspace."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mixwise.service import workspaces
from mixwise.service.schemas.datasets import WorkspaceOut
from mixwise.store.db import Store

bearer = HTTPBearer(auto_error=False, description="An API key from `mixwise keys create`.")


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def current_workspace(
    store: Annotated[Store, Depends(get_store)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> WorkspaceOut:
    """The workspace of the request's API key (401 without a valid key)."""
    key = credentials.credentials if credentials else None
    return workspaces.authenticate(store, key)


StoreDep = Annotated[Store, Depends(get_store)]
WorkspaceDep = Annotated[WorkspaceOut, Depends(current_workspace)]
