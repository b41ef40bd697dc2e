"""Workspaces and API keys.

A key is ``mw_`` + 32 random bytes (URL-safe base64); only its SHA-256 is stored (a fast hash is
right for high-entropy random keys: there is nothing to brute-force), plus an 8-character prefix
to tell keys apart in listings. The key itself is shown once, when it is created.

A key belongs to a workspace and to the user who made it, with a name, a role (at most the
user's) and an expiry. Its effective role is the lower of the key's and the user's current role,
so a demoted or removed member's keys lose their power with them. Keys made on the server's
command line (``mixwise keys create W``) belong to no user: operator keys, owner by default.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import select

from mixwise.errors import MixwiseError
from mixwise.service import audit
from mixwise.service.access import Principal, cli_principal, rank, require_role
from mixwise.service.errors import Forbidden, NotFound, Unauthorized
from mixwise.service.schemas.accounts import KeyCreated, KeyIn, KeyOut
from mixwise.service.schemas.datasets import WorkspaceOut
from mixwise.store.accounts import Membership, User
from mixwise.store.db import Store
from mixwise.store.models import ApiKey, Workspace, new_id, utcnow

KEY_PREFIX = "mw_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{0,99}$")
_NO_KEY = "Send 'Authorization: Bearer <key>'; create a key with `mixwise keys create WORKSPACE`."


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def ensure_workspace(store: Store, name: str) -> WorkspaceOut:
    """The workspace called ``name``, created if it does not exist (on the default tier)."""
    if not _NAME.match(name):
        raise MixwiseError(
            f"invalid workspace name {name!r}",
            "Use 1-100 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit.",
        )
    with store.session() as s:
        ws = s.scalars(select(Workspace).where(Workspace.name == name)).first()
        if ws is None:
            ws = Workspace(id=new_id("ws"), name=name, tier=store.settings.default_tier)
            s.add(ws)
            s.flush()
            audit.record(s, "operator", "workspace.create", ws.id, name, "cli")
        return WorkspaceOut.model_validate(ws)


def create_key(
    store: Store,
    workspace: str,
    role: str = "owner",
    name: str = "",
    expires_in_days: int | None = None,
) -> tuple[WorkspaceOut, str]:
    """A new operator key for ``workspace`` (created if needed); returns the key in clear, once."""
    rank(role)
    ws = ensure_workspace(store, workspace)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    with store.session() as s:
        s.add(_key_row(ws.id, None, key, name or "operator", role, expires))
        audit.record(s, "operator", "key.create", ws.id, key[:8], "cli", role=role)
    return ws, key


def create_user_key(store: Store, by: Principal, body: KeyIn, source: str = "") -> KeyCreated:
    """A key of the signed-in user in their workspace, with at most their role."""
    if by.user_id is None:
        raise Forbidden("operator keys cannot make keys", "Use `mixwise keys create` instead.")
    role = body.role or by.role
    if rank(role) > rank(by.role):
        raise Forbidden(f"a key cannot have the {role} role: above yours ({by.role})")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=body.expires_in_days) if body.expires_in_days else None
    with store.session() as s:
        row = _key_row(by.workspace_id, by.user_id, key, body.name, role, expires)
        s.add(row)
        s.flush()
        audit.record(s, by.actor, "key.create", by.workspace_id, key[:8], source, name=body.name)
        return KeyCreated(**_out(row, by.email).model_dump(), key=key)


def list_keys(store: Store, by: Principal) -> list[KeyOut]:
    """The workspace's keys (admins), or the caller's own (everyone else)."""
    with store.session() as s:
        q = (
            select(ApiKey, User.email)
            .outerjoin(User, User.id == ApiKey.user_id)
            .where(ApiKey.workspace_id == by.workspace_id)
            .order_by(ApiKey.created_at.desc())
        )
        if rank(by.role) < rank("admin"):
            q = q.where(ApiKey.user_id == (by.user_id or ""))
        return [_out(k, email) for k, email in s.execute(q).all()]


def revoke_key(store: Store, by: Principal, key_id: str, source: str = "") -> KeyOut:
    """Revoke one key: one's own, or any of the workspace as an admin."""
    with store.session() as s:
        row = s.get(ApiKey, key_id)
        if row is None or row.workspace_id != by.workspace_id:
            raise NotFound("key", key_id)
        if row.user_id != by.user_id or by.user_id is None:
            require_role(by, "admin")
        if row.revoked_at is None:
            row.revoked_at = utcnow()
            audit.record(s, by.actor, "key.revoke", by.workspace_id, row.prefix, source)
        email = s.get(User, row.user_id).email if row.user_id else None  # type: ignore[union-attr]
        return _out(row, email)


def revoke_keys(store: Store, workspace: str) -> int:
    """Revoke every key of ``workspace``; returns how many."""
    with store.session() as s:
        ws = s.scalars(select(Workspace).where(Workspace.name == workspace)).first()
        if ws is None:
            raise NotFound("workspace", workspace)
        keys = s.scalars(
            select(ApiKey).where(ApiKey.workspace_id == ws.id, ApiKey.revoked_at.is_(None))
        ).all()
        for k in keys:
            k.revoked_at = utcnow()
        audit.record(s, "operator", "key.revoke_all", ws.id, workspace, "cli", count=len(keys))
        return len(keys)


def authenticate_key(store: Store, key: str | None) -> Principal:
    """The principal of a valid key (not revoked, not expired, its user still a member)."""
    if not key:
        raise Unauthorized("an API key is required", _NO_KEY)
    invalid = Unauthorized(
        "the API key is not valid (unknown, revoked or expired)",
        "Check the key, or create a new one with `mixwise keys create WORKSPACE`.",
    )
    with store.session() as s:
        row = s.execute(
            select(ApiKey, Workspace)
            .join(Workspace, Workspace.id == ApiKey.workspace_id)
            .where(ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None))
        ).first()
        if row is None:
            raise invalid
        k, ws = row
        if k.expires_at is not None and k.expires_at <= utcnow():
            raise invalid
        role, email = k.role, None
        if k.user_id is not None:
            member = s.get(Membership, (ws.id, k.user_id))
            user = s.get(User, k.user_id)
            if member is None or user is None:
                raise invalid
            role = min(k.role, member.role, key=rank)
            email = user.email
        return Principal(
            ws.id,
            ws.name,
            role,
            via="key",
            user_id=k.user_id,
            email=email,
            key_id=k.id,
            key_prefix=k.prefix,
            tier=ws.tier,
        )


def authenticate(store: Store, key: str | None) -> WorkspaceOut:
    """The workspace of a valid key; :class:`Unauthorized` otherwise."""
    return get_workspace(store, authenticate_key(store, key).workspace_id)


def get_workspace(store: Store, workspace_id: str) -> WorkspaceOut:
    with store.session() as s:
        ws = s.get(Workspace, workspace_id)
        if ws is None:
            raise NotFound("workspace", workspace_id)
        return WorkspaceOut.model_validate(ws)


def workspace_named(store: Store, name: str) -> WorkspaceOut:
    """The workspace called ``name`` (:class:`NotFound` if there is none)."""
    with store.session() as s:
        ws = s.scalars(select(Workspace).where(Workspace.name == name)).first()
        if ws is None:
            raise NotFound("workspace", name)
        return WorkspaceOut.model_validate(ws)


def _key_row(
    workspace_id: str, user_id: str | None, key: str, name: str, role: str, expires: object
) -> ApiKey:
    return ApiKey(
        id=new_id("key"),
        workspace_id=workspace_id,
        user_id=user_id,
        key_hash=hash_key(key),
        prefix=key[:8],
        name=name,
        role=role,
        expires_at=expires,
    )


def _out(k: ApiKey, email: str | None) -> KeyOut:
    return KeyOut(
        id=k.id,
        prefix=k.prefix,
        name=k.name,
        role=k.role,  # type: ignore[arg-type]
        user_email=email,
        created_at=k.created_at,
        expires_at=k.expires_at,
        revoked_at=k.revoked_at,
    )


def operator(store: Store, workspace: str) -> Principal:
    """The operator at the server's command line acting in ``workspace`` (which must exist)."""
    ws = workspace_named(store, workspace)
    return cli_principal(ws.id, ws.name)
