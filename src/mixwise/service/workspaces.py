"""Workspaces and API keys.

A key is ``mw_`` + 32 random bytes (URL-safe base64); only its SHA-256 is stored (a fast hash is
right for high-entropy random keys: there is nothing to brute-force), plus an 8-character prefix
to tell keys apart in listings. The key itself is shown once, when it is created.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select

from mixwise.errors import MixwiseError
from mixwise.service.errors import NotFound, Unauthorized
from mixwise.service.schemas.datasets import WorkspaceOut
from mixwise.store.db import Store
from mixwise.store.models import ApiKey, Workspace, new_id, utcnow

KEY_PREFIX = "mw_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{0,99}$")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def ensure_workspace(store: Store, name: str) -> WorkspaceOut:
    """The workspace called ``name``, created if it does not exist."""
    if not _NAME.match(name):
        raise MixwiseError(
            f"invalid workspace name {name!r}",
            "Use 1-100 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit.",
        )
    with store.session() as s:
        ws = s.scalars(select(Workspace).where(Workspace.name == name)).first()
        if ws is None:
            ws = Workspace(id=new_id("ws"), name=name)
            s.add(ws)
            s.flush()
        return WorkspaceOut.model_validate(ws)


def create_key(store: Store, workspace: str) -> tuple[WorkspaceOut, str]:
    """A new API key for ``workspace`` (created if needed); returns the key in clear, once."""
    ws = ensure_workspace(store, workspace)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with store.session() as s:
        s.add(ApiKey(id=new_id("key"), workspace_id=ws.id, key_hash=hash_key(key), prefix=key[:8]))
    return ws, key


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
        return len(keys)


def authenticate(store: Store, key: str | None) -> WorkspaceOut:
    """The workspace of a valid, unrevoked key; :class:`Unauthorized` otherwise."""
    if not key:
        raise Unauthorized(
            "an API key is required",
            "Send 'Authorization: Bearer <key>'; "
            "create a key with `mixwise keys create WORKSPACE`.",
        )
    with store.session() as s:
        row = (
            s.execute(
                select(Workspace)
                .join(ApiKey, ApiKey.workspace_id == Workspace.id)
                .where(ApiKey.key_hash == hash_key(key), ApiKey.revoked_at.is_(None))
            )
            .scalars()
            .first()
        )
        if row is None:
            raise Unauthorized(
                "the API key is not valid",
                "Check the key, or create a new one with `mixwise keys create WORKSPACE`.",
            )
        return WorkspaceOut.model_validate(row)


def get_workspace(store: Store, workspace_id: str) -> WorkspaceOut:
    with store.session() as s:
        ws = s.get(Workspace, workspace_id)
        if ws is None:
            raise NotFound("workspace", workspace_id)
        return WorkspaceOut.model_validate(ws)
