"""Google Analytics 4: the Data API's ``runReport``, paged by ``offset`` / ``limit`` up to
``rowCount``.

Dimensions ``date`` (``YYYYMMDD``), ``sessionCampaignName``, ``sessionSourceMedium`` (-> ad set);
metrics ``advertiserAdCost`` (spend of linked Google Ads campaigns, 0 for others),
``advertiserAdImpressions``, ``advertiserAdClicks``, ``keyEvents`` (conversions) and
``totalRevenue`` (their value). Currency and time zone are the property's (``metadata``). GA4
is mostly the KPI's source: its spend covers linked Google Ads only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pandas as pd

from mixwise.data.connectors.base import frame
from mixwise.data.connectors.http import request_json

API = "https://analyticsdata.googleapis.com/v1beta"
DIMENSIONS = ("date", "sessionCampaignName", "sessionSourceMedium")
METRICS = (
    "advertiserAdCost",
    "advertiserAdImpressions",
    "advertiserAdClicks",
    "keyEvents",
    "totalRevenue",
)
PAGE = 10_000
RECONNECT = (
    "Sign in to Google again and store the new token: "
    "`mixwise connect add ga4 --name NAME --secret access_token=...` (or in Connectors)."
)


@dataclass
class GA4Connector:
    property_id: str
    access_token: str = field(repr=False)
    client: httpx.Client = field(default_factory=httpx.Client, repr=False)
    platform: str = "Google Analytics 4"

    def fetch(self, start: date, end: date) -> pd.DataFrame:
        url = f"{API}/properties/{self.property_id}:runReport"
        body: dict[str, Any] = {
            "dateRanges": [{"startDate": str(start), "endDate": str(end)}],
            "dimensions": [{"name": d} for d in DIMENSIONS],
            "metrics": [{"name": m} for m in METRICS],
            "limit": PAGE,
            "offset": 0,
        }
        rows: list[dict[str, Any]] = []
        while True:
            page = request_json(
                self.client,
                "POST",
                url,
                platform=self.platform,
                reconnect=RECONNECT,
                headers={"Authorization": f"Bearer {self.access_token}"},
                json=body,
            )
            meta = page.get("metadata", {})
            rows.extend(_row(r, meta, self.platform) for r in page.get("rows", []))
            body["offset"] += PAGE
            if body["offset"] >= int(page.get("rowCount", 0)):
                return frame(rows)


def _row(r: dict[str, Any], meta: dict[str, Any], platform: str) -> dict[str, Any]:
    day, campaign, source = (v["value"] for v in r["dimensionValues"])
    cost, impressions, clicks, events, revenue = (float(v["value"]) for v in r["metricValues"])
    return {
        "date_day": f"{day[:4]}-{day[4:6]}-{day[6:]}",
        "platform": platform,
        "campaign_name": campaign,
        "ad_group_name": source,
        "spend": cost,
        "impressions": impressions,
        "clicks": clicks,
        "conversions": events,
        "conversions_value": revenue,
        "currency": meta.get("currencyCode"),
        "time_zone": meta.get("timeZone"),
    }
