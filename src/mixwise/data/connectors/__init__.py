"""Connectors: ad platforms, analytics and warehouse tables that land rows in Fivetran's
``ad_reporting`` shape (:mod:`.base`), so they go through the same aggregation, mapping and
checks as an upload. The kinds are declared once in :data:`SOURCES`; :func:`build_connector`
makes one from its settings and secrets.
"""

from __future__ import annotations

from typing import Any

import httpx

from mixwise.data.connectors.base import (
    COLUMNS,
    Connector,
    ConnectorAuthError,
    ConnectorError,
    SourceKind,
)
from mixwise.errors import MixwiseError

_HTTPX = "httpx (REST, see data/connectors/http.py for why not the SDK)"

SOURCES: dict[str, SourceKind] = {
    k.name: k
    for k in (
        SourceKind(
            "google_ads",
            "Google Ads",
            ("customer_id", "login_customer_id"),
            ("access_token", "developer_token"),
            _HTTPX,
        ),
        SourceKind(
            "meta_ads", "Meta Ads", ("account_id", "action_type"), ("access_token",), _HTTPX
        ),
        SourceKind("ga4", "Google Analytics 4", ("property_id",), ("access_token",), _HTTPX),
        SourceKind(
            "warehouse",
            "Warehouse table (Fivetran / Airbyte ad reporting)",
            ("sql", "currency", "time_zone"),
            ("url",),
            "SQLAlchemy / DuckDB (mixwise.data.loaders_db)",
        ),
    )
}
"""Every kind of source, declared once: the CLI, the API, the store and the docs read it."""

REQUIRED_SETTINGS = {
    "google_ads": ("customer_id",),
    "meta_ads": ("account_id",),
    "ga4": ("property_id",),
    "warehouse": (),
}


def source_kind(kind: str) -> SourceKind:
    """The declared kind, or an error naming the known ones."""
    if kind not in SOURCES:
        raise MixwiseError(
            f"unknown connector kind '{kind}'", "Use one of: " + ", ".join(SOURCES) + "."
        )
    return SOURCES[kind]


def check_config(kind: str, settings: dict[str, Any], secrets: dict[str, str]) -> None:
    """Refuse unknown or missing settings and secrets, naming the field."""
    source = source_kind(kind)
    for name, allowed, what in (
        (settings, source.settings, "setting"),
        (secrets, source.secrets, "secret"),
    ):
        extra = sorted(set(name) - set(allowed))
        if extra:
            raise MixwiseError(
                f"{kind}: unknown {what}(s) " + ", ".join(f"'{e}'" for e in extra),
                f"{source.label} takes {what}s: " + ", ".join(allowed) + ".",
            )
    for field in REQUIRED_SETTINGS[kind]:
        if not settings.get(field):
            raise MixwiseError(f"{kind}: the setting '{field}' is required", "")
    for field in source.secrets:
        if field != "developer_token" and not secrets.get(field):
            raise MixwiseError(
                f"{kind}: the secret '{field}' is required",
                f"Give it with --secret {field}=... (it is stored encrypted).",
            )


def build_connector(
    kind: str,
    settings: dict[str, Any],
    secrets: dict[str, str],
    client: httpx.Client | None = None,
) -> Connector:
    """A connector of ``kind``; ``client`` replaces the HTTP client (tests replay recorded
    responses through ``httpx.MockTransport``)."""
    from mixwise.data.connectors.ga4 import GA4Connector
    from mixwise.data.connectors.google_ads import GoogleAdsConnector
    from mixwise.data.connectors.meta_ads import MetaAdsConnector
    from mixwise.data.connectors.warehouse import DEFAULT_SQL, WarehouseConnector

    check_config(kind, settings, secrets)
    http = client if client is not None else httpx.Client(timeout=60.0)
    if kind == "google_ads":
        return GoogleAdsConnector(
            customer_id=settings["customer_id"],
            login_customer_id=settings.get("login_customer_id"),
            access_token=secrets["access_token"],
            developer_token=secrets.get("developer_token", ""),
            client=http,
        )
    if kind == "meta_ads":
        return MetaAdsConnector(
            account_id=settings["account_id"],
            action_type=settings.get("action_type") or "purchase",
            access_token=secrets["access_token"],
            client=http,
        )
    if kind == "ga4":
        return GA4Connector(
            property_id=settings["property_id"], access_token=secrets["access_token"], client=http
        )
    return WarehouseConnector(
        url=secrets["url"],
        sql=settings.get("sql") or DEFAULT_SQL,
        currency=settings.get("currency"),
        time_zone=settings.get("time_zone"),
    )


__all__ = [
    "COLUMNS",
    "SOURCES",
    "Connector",
    "ConnectorAuthError",
    "ConnectorError",
    "SourceKind",
    "build_connector",
    "check_config",
    "source_kind",
]
