"""Schemas of users, members, keys, sign-in, plan tiers, credits and the audit log."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from mixwise.service.access import Role
from mixwise.service.schemas.common import Request, Schema, UTCDateTime

EMAIL_PATTERN = r"^[^@\s\x00-\x1f]{1,200}@[A-Za-z0-9.\-]{1,100}\.[A-Za-z]{2,24}$"


class UserOut(Schema):
    id: str
    email: str


class MembershipOut(Schema):
    """A workspace the user belongs to, with the role there."""

    workspace_id: str
    workspace_name: str
    role: Role
    tier: str | None = Field(description="The plan tier; null: unmetered.")


class MeOut(Schema):
    """The caller: user (null for an operator key), the workspaces and the current one."""

    user: UserOut | None
    workspaces: list[MembershipOut]
    workspace_id: str | None = Field(description="The workspace this request acted in.")
    role: Role | None
    via: str = Field(description="session, key or cli")
    csrf_token: str | None = Field(
        default=None, description="Only on sign-in: send it as X-CSRF-Token on every change."
    )


class SignIn(Request):
    email: str = Field(max_length=320)
    password: str = Field(max_length=1000)


class SignInMethods(Schema):
    password: bool
    oidc: bool = Field(
        description="An OpenID Connect provider is configured (GET /auth/oidc/start)."
    )


class PasswordChange(Request):
    current_password: str = Field(max_length=1000)
    new_password: str = Field(min_length=10, max_length=1000)


class ResetRequest(Request):
    email: str = Field(max_length=320)


class ResetConfirm(Request):
    token: str = Field(max_length=200)
    new_password: str = Field(min_length=10, max_length=1000)


class MemberIn(Request):
    """Add a person (created if new; an invitation link is mailed) with a role."""

    email: str = Field(max_length=320, pattern=EMAIL_PATTERN)
    role: Role


class RoleIn(Request):
    role: Role


class MemberOut(Schema):
    user_id: str
    email: str
    role: Role
    created_at: UTCDateTime


class MemberList(Schema):
    items: list[MemberOut]


class KeyIn(Request):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.\-]*$")
    role: Role | None = Field(default=None, description="At most your role (default: yours).")
    expires_in_days: int | None = Field(default=90, ge=1, le=3650)


class KeyOut(Schema):
    """A key as listed: never the key itself, only its first characters."""

    id: str
    prefix: str
    name: str
    role: Role
    user_email: str | None
    created_at: UTCDateTime
    expires_at: UTCDateTime | None
    revoked_at: UTCDateTime | None


class KeyCreated(KeyOut):
    key: str = Field(description="The key in clear: shown this once, store it now.")


class KeyList(Schema):
    items: list[KeyOut]


class FeatureOut(Schema):
    """A paid feature, its cost, and whether the workspace's tier includes it (and why not)."""

    name: str
    label: str
    credits: int
    tiers: list[str]
    included: bool
    reason: str | None = Field(description="Why it is locked; null when included.")


class PlanOut(Schema):
    tier: str | None = Field(description="The workspace's tier; null: unmetered.")
    tier_label: str | None
    metered: bool
    features: list[FeatureOut]


class CreditEntryOut(Schema):
    id: int
    kind: str
    amount: int
    feature: str | None
    ref: str | None
    note: str
    actor: str
    created_at: UTCDateTime


class CreditsOut(Schema):
    tier: str | None
    metered: bool
    balance: int = Field(description="Sum of every ledger entry of the workspace.")
    entries: list[CreditEntryOut] = Field(description="The newest entries first.")


class UsageRow(Schema):
    month: str = Field(description="YYYY-MM (UTC)")
    feature: str
    uses: int
    credits: int = Field(description="Credits used, net of refunds.")


class UsageOut(Schema):
    items: list[UsageRow]


class AuditOut(Schema):
    id: int
    at: UTCDateTime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    source: str


class AuditList(Schema):
    items: list[AuditOut]
