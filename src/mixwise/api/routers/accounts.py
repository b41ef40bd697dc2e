"""Members, keys, the plan and credits, and the audit log of the request's workspace."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from mixwise.api.deps import PrincipalDep, StoreDep, policy, source
from mixwise.service import audit, billing, users, workspaces
from mixwise.service.schemas.accounts import (
    AuditList,
    CreditsOut,
    KeyCreated,
    KeyIn,
    KeyList,
    KeyOut,
    MemberIn,
    MemberList,
    MemberOut,
    PlanOut,
    RoleIn,
    UsageOut,
)
from mixwise.service.schemas.common import Deleted

router = APIRouter(tags=["accounts"])
ADMIN = policy(role="admin", audited=True)


@router.get("/members", response_model=MemberList, summary="Members and roles", openapi_extra=ADMIN)
def list_members(store: StoreDep, p: PrincipalDep) -> MemberList:
    return MemberList(items=users.list_members(store, p))


@router.post(
    "/members",
    response_model=MemberOut,
    status_code=201,
    summary="Add a member (an invitation link is mailed to a new address)",
    openapi_extra=ADMIN,
)
def add_member(body: MemberIn, request: Request, store: StoreDep, p: PrincipalDep) -> MemberOut:
    return users.add_member(store, p, body.email, body.role, source=source(request))


@router.put(
    "/members/{user_id}", response_model=MemberOut, summary="Change a role", openapi_extra=ADMIN
)
def set_role(
    user_id: str, body: RoleIn, request: Request, store: StoreDep, p: PrincipalDep
) -> MemberOut:
    return users.set_role(store, p, user_id, body.role, source(request))


@router.delete(
    "/members/{user_id}", response_model=Deleted, summary="Remove a member", openapi_extra=ADMIN
)
def remove_member(user_id: str, request: Request, store: StoreDep, p: PrincipalDep) -> Deleted:
    users.remove_member(store, p, user_id, source(request))
    return Deleted(id=user_id)


@router.get("/keys", response_model=KeyList, summary="API keys (prefix only): all for admins")
def list_keys(store: StoreDep, p: PrincipalDep) -> KeyList:
    return KeyList(items=workspaces.list_keys(store, p))


@router.post(
    "/keys",
    response_model=KeyCreated,
    status_code=201,
    summary="Create a key of your own (at most your role); the key is shown once",
    openapi_extra=policy(role="viewer", audited=True),
)
def create_key(body: KeyIn, request: Request, store: StoreDep, p: PrincipalDep) -> KeyCreated:
    return workspaces.create_user_key(store, p, body, source(request))


@router.delete(
    "/keys/{key_id}",
    response_model=KeyOut,
    summary="Revoke a key (your own, or any as an admin)",
    openapi_extra=policy(role="viewer", audited=True),
)
def revoke_key(key_id: str, request: Request, store: StoreDep, p: PrincipalDep) -> KeyOut:
    return workspaces.revoke_key(store, p, key_id, source(request))


@router.get("/plan", response_model=PlanOut, summary="The tier, and each feature's cost and lock")
def plan(store: StoreDep, p: PrincipalDep) -> PlanOut:
    return billing.plan(store, p.workspace_id)


@router.get("/credits", response_model=CreditsOut, summary="Credit balance and recent entries")
def credits(
    store: StoreDep, p: PrincipalDep, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> CreditsOut:
    return billing.credits(store, p.workspace_id, limit)


@router.get("/usage", response_model=UsageOut, summary="Credits used per feature per month")
def usage(store: StoreDep, p: PrincipalDep) -> UsageOut:
    return billing.usage(store, p.workspace_id)


@router.get(
    "/audit", response_model=AuditList, summary="The audit log, newest first", openapi_extra=ADMIN
)
def audit_log(
    store: StoreDep, p: PrincipalDep, limit: Annotated[int, Query(ge=1, le=1000)] = 200
) -> AuditList:
    return AuditList(items=audit.entries(store, p.workspace_id, limit))
