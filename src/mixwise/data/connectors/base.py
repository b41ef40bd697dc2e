"""What every connector returns: rows in Fivetran's ``ad_reporting`` long shape.

One row per day x platform x campaign x ad set with ``spend``, ``impressions``, ``clicks``,
``conversions``, ``conversions_value`` and the account's ``currency`` and ``time_zone``, so
that :func:`mixwise.data.fivetran.aggregate_ad_reporting` turns the landed rows of every source
into one row per day with a spend column per platform (the upload path, same mapping, same
checks).

Currency: spend stays in the currency the platform reports it in (the ad account's currency);
nothing is converted. A source whose currency changes mid-series is an error finding
(``connector_currency_change``): convert upstream or start a new series.
Time zone: a day is the platform's reporting day in the account's (GA4: the property's) time
zone; daily totals cannot be shifted to another zone, so the zone is recorded per row and
sources in different zones get an info finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import pandas as pd

from mixwise.errors import MixwiseError

COLUMNS = (
    "date_day",
    "platform",
    "campaign_name",
    "ad_group_name",
    "spend",
    "impressions",
    "clicks",
    "conversions",
    "conversions_value",
    "currency",
    "time_zone",
)
"""The landed table's columns (Fivetran ``ad_reporting`` names, plus currency and time zone)."""

NUMERIC = ("spend", "impressions", "clicks", "conversions", "conversions_value")


class ConnectorError(MixwiseError):
    """A source could not be read (after retries); nothing of this sync was stored."""

    code = "connector"


class ConnectorAuthError(ConnectorError):
    """The source refused the credentials: the token expired or was revoked."""

    code = "connector_auth"


class Connector(Protocol):
    """A source of ad-reporting rows. ``fetch`` returns :data:`COLUMNS` for ``start..end``
    (inclusive, reporting days) or raises :class:`ConnectorError`; it never returns part of a
    window."""

    platform: str

    def fetch(self, start: date, end: date) -> pd.DataFrame: ...


@dataclass(frozen=True)
class SourceKind:
    """One kind of source, declared once (:data:`mixwise.data.connectors.SOURCES`): its
    name, label, the settings it needs (not secret) and the secrets it needs."""

    name: str
    label: str
    settings: tuple[str, ...]
    secrets: tuple[str, ...]
    client: str
    """Which client reads it, and why (shown in the docs and the CLI)."""


def frame(rows: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Rows -> the landed table: :data:`COLUMNS` in order, numbers as float, dates as
    ``datetime64``."""
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in NUMERIC:
        out[col] = pd.to_numeric(out[col], errors="raise").astype(float)
    out["date_day"] = pd.to_datetime(out["date_day"], format="ISO8601")
    return out
