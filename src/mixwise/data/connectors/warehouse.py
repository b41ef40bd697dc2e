"""A warehouse table holding Fivetran's or Airbyte's ad-reporting model, read through
:func:`mixwise.data.loaders_db.read_url` (PostgreSQL, a DuckDB/MotherDuck-style file, or any
SQLAlchemy URL).

The query must return Fivetran ``ad_reporting`` columns (``date_day``, ``platform``,
``campaign_name``, ``spend`` and optionally ``ad_group_name``, ``impressions``, ``clicks``,
``conversions``, ``conversions_value``, ``currency``, ``time_zone``); alias Airbyte's names in the
SQL. The model has no currency column: give ``currency`` / ``time_zone`` in the settings when the
table does not carry them. Only ``start..end`` is kept (the query runs whole; filter it in SQL
for large tables).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from mixwise.data.connectors.base import COLUMNS, NUMERIC, ConnectorError, frame
from mixwise.data.loaders_db import read_url, redact_url

DEFAULT_SQL = "SELECT * FROM ad_reporting__ad_report"
REQUIRED = ("date_day", "platform", "campaign_name", "spend")


@dataclass
class WarehouseConnector:
    url: str = field(repr=False)
    sql: str = DEFAULT_SQL
    currency: str | None = None
    time_zone: str | None = None
    platform: str = "Warehouse"

    def fetch(self, start: date, end: date) -> pd.DataFrame:
        raw = read_url(self.url, self.sql)
        missing = [c for c in REQUIRED if c not in raw.columns]
        if missing:
            raise ConnectorError(
                f"{redact_url(self.url)}: the query returns no column(s) "
                + ", ".join(f"'{c}'" for c in missing),
                "Select Fivetran ad_reporting columns (alias other names in the SQL, e.g. "
                "SELECT date AS date_day, ...).",
            )
        out = raw.copy()
        for col in COLUMNS:
            if col not in out.columns:
                out[col] = 0.0 if col in NUMERIC else None
        out["ad_group_name"] = out["ad_group_name"].fillna("")
        out["currency"] = (
            out["currency"].fillna(self.currency) if self.currency else out["currency"]
        )
        out["time_zone"] = (
            out["time_zone"].fillna(self.time_zone) if self.time_zone else out["time_zone"]
        )
        landed = frame(out[list(COLUMNS)])
        days = landed["date_day"].dt.date
        return landed[(days >= start) & (days <= end)].reset_index(drop=True)
