"""The audit log: every change, who made it, when, what and from where (append-only).

Account, key, tier and credit use cases record their own entries (with details); every other
state-changing API request is recorded by the API's authorization dependency (method, route,
path parameters). Owners and admins read it (``GET /api/v1/audit``, ``mixwise admin audit W``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mixwise.service.schemas.accounts import AuditOut
from mixwise.store.accounts import AuditEntry
from mixwise.store.db import Store


def record(
    s: Session,
    actor: str,
    action: str,
    workspace_id: str | None = None,
    target: str = "",
    source: str = "",
    **detail: Any,
) -> None:
    """Add an entry in the caller's transaction (so a change and its record commit together)."""
    s.add(
        AuditEntry(
            workspace_id=workspace_id,
            actor=actor[:400],
            action=action[:100],
            target=target[:400],
            source=source[:400],
            detail=detail,
        )
    )


def entries(store: Store, workspace_id: str, limit: int = 200) -> list[AuditOut]:
    """The workspace's newest entries first (at most ``limit``)."""
    with store.session() as s:
        rows = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.workspace_id == workspace_id)
            .order_by(AuditEntry.id.desc())
            .limit(max(1, min(limit, 1000)))
        ).all()
        return [AuditOut.model_validate(r) for r in rows]
