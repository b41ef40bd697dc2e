"""Connectors of a workspace: add (secrets encrypted), list, remove, sync.

A sync reads the connector's window (:func:`mixwise.data.connectors.incremental.sync_window`:
new days plus the lookback), merges the rows into what it landed before (the window's days are
replaced), checks the result (findings with codes) and writes it whole as the connector's
Parquet artifact; the row's ``last_day`` moves only when that write succeeded. A failed read
stores nothing and records the error (never a secret) on the connector.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import httpx
import pandas as pd
from sqlalchemy import select

from mixwise.data.connectors import SOURCES, build_connector, check_config
from mixwise.data.connectors.base import COLUMNS
from mixwise.data.connectors.checks import check_landed
from mixwise.data.connectors.incremental import merge, sync_window
from mixwise.data.findings import Finding
from mixwise.errors import MixwiseError
from mixwise.service import credentials
from mixwise.service.errors import Conflict, NotFound
from mixwise.service.schemas.connectors import ConnectorIn, ConnectorOut, SyncOut
from mixwise.store.connectors import Connector
from mixwise.store.db import Store
from mixwise.store.models import new_id, utcnow


def _out(row: Connector, rows: int | None = None) -> ConnectorOut:
    return ConnectorOut(
        id=row.id,
        name=row.name,
        kind=row.kind,
        label=SOURCES[row.kind].label,
        settings=row.settings,
        lookback_days=row.lookback_days,
        last_day=row.last_day,
        last_sync_at=row.last_sync_at,
        last_status=row.last_status,
        last_error=row.last_error,
        rows=rows,
    )


def add(store: Store, workspace_id: str, body: ConnectorIn) -> ConnectorOut:
    """Store a connector; its secrets encrypted. An existing name is refused unless
    ``replace`` (new settings and secrets, the landed rows kept)."""
    check_config(body.kind, body.settings, body.secrets)
    token = credentials.encrypt(body.secrets)
    with store.session() as s:
        row = s.scalars(
            select(Connector).where(
                Connector.workspace_id == workspace_id, Connector.name == body.name
            )
        ).first()
        if row is not None and not body.replace:
            raise Conflict(
                f"a connector named '{body.name}' exists",
                "Choose another name, or replace it (--replace) to enter new secrets.",
            )
        if row is None:
            row = Connector(id=new_id("con"), workspace_id=workspace_id, name=body.name)
            s.add(row)
        row.kind, row.settings, row.secret = body.kind, body.settings, token
        row.lookback_days = body.lookback_days
        s.flush()
        return _out(row)


def _row(store: Store, workspace_id: str, name: str) -> Connector:
    with store.session() as s:
        row = s.scalars(
            select(Connector).where(
                Connector.workspace_id == workspace_id,
                (Connector.name == name) | (Connector.id == name),
            )
        ).first()
        if row is None:
            raise NotFound("connector", name)
        s.expunge(row)
        return row


def list_connectors(store: Store, workspace_id: str) -> list[ConnectorOut]:
    with store.session() as s:
        rows = s.scalars(
            select(Connector).where(Connector.workspace_id == workspace_id).order_by(Connector.name)
        ).all()
        return [_out(r) for r in rows]


def remove(store: Store, workspace_id: str, name: str) -> None:
    row = _row(store, workspace_id, name)
    with store.session() as s:
        s.delete(s.get(Connector, row.id))
    store.artifacts.delete(row.artifact)


def landed(store: Store, row: Connector) -> pd.DataFrame | None:
    """The rows a connector landed so far (None before its first sync)."""
    if not row.artifact or not store.artifacts.exists(row.artifact):
        return None
    return pd.read_parquet(store.artifacts.path(row.artifact))


def workspace_rows(store: Store, workspace_id: str) -> pd.DataFrame:
    """Every connector's landed rows together, sorted by day (the refresh's data)."""
    with store.session() as s:
        rows = s.scalars(select(Connector).where(Connector.workspace_id == workspace_id)).all()
        s.expunge_all()
    parts = [p for r in rows if (p := landed(store, r)) is not None]
    if not parts:
        return pd.DataFrame(columns=list(COLUMNS))
    return pd.concat(parts, ignore_index=True).sort_values(
        ["date_day", "platform", "campaign_name", "ad_group_name"], kind="stable", ignore_index=True
    )


def proposed_mapping(store: Store, workspace_id: str) -> str:
    """The mapping (YAML) for the landed rows, for the user to review before a first fit: one
    channel per platform with its spend and impressions, the KPI ``conversions_value`` summed
    per day, ``source.format: fivetran_ad_reporting``."""
    from mixwise.data.fivetran import fivetran_mapping

    rows = workspace_rows(store, workspace_id)
    if rows.empty:
        raise MixwiseError(
            "no connector has landed rows yet", "Sync a connector first: mixwise connect sync."
        )
    return fivetran_mapping(rows, None).to_yaml()


def sync(
    store: Store,
    workspace_id: str,
    name: str,
    *,
    today: date | None = None,
    known_channels: list[str] | None = None,
    client: httpx.Client | None = None,
) -> tuple[SyncOut, list[Finding]]:
    """Sync one connector (module docstring); ``client`` replaces its HTTP client (tests)."""
    row = _row(store, workspace_id, name)
    window = sync_window(row.last_day, today or date.today(), row.lookback_days)
    previous = landed(store, row)
    if window.empty:
        rows = 0 if previous is None else len(previous)
        return SyncOut(
            connector=row.name,
            start=None,
            end=None,
            fetched_rows=0,
            landed_rows=rows,
            findings=[],
        ), []
    try:
        connector = build_connector(row.kind, row.settings, credentials.decrypt(row.secret), client)
        new = connector.fetch(window.start, window.end)
    except MixwiseError as exc:
        _record(store, row.id, status="failed", error=exc.message)
        raise
    merged = merge(previous, new, window)
    findings = check_landed(merged, known_channels)
    relative = f"connectors/{workspace_id}/{row.id}/rows.parquet"
    buffer = io.BytesIO()
    merged.to_parquet(buffer, index=False)
    store.artifacts.write_bytes(relative, buffer.getvalue())
    last = merged["date_day"].max().date() if len(merged) else row.last_day
    _record(store, row.id, status="ok", error=None, artifact=relative, last_day=last)
    out = SyncOut(
        connector=row.name,
        start=window.start,
        end=window.end,
        fetched_rows=len(new),
        landed_rows=len(merged),
        findings=[f.to_dict() for f in findings],
    )
    return out, findings


def _record(store: Store, connector_id: str, **values: Any) -> None:
    with store.session() as s:
        row = s.get(Connector, connector_id)
        if row is None:
            return
        row.last_status = values.pop("status")
        row.last_error = values.pop("error")
        row.last_sync_at = utcnow()
        for key, value in values.items():
            setattr(row, key, value)
