"""Google Ads: one GAQL report through the REST ``googleAds:search`` method, paged by
``nextPageToken``.

Fields: ``segments.date`` -> date_day, ``campaign.name``, ``ad_group.name``,
``metrics.cost_micros / 1e6`` -> spend (the account's currency, ``customer.currency_code``),
``metrics.impressions``, ``metrics.clicks``, ``metrics.conversions``,
``metrics.conversions_value``; days are the account's time zone (``customer.time_zone``).
An expired OAuth token answers 401 ``UNAUTHENTICATED``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pandas as pd

from mixwise.data.connectors.base import frame
from mixwise.data.connectors.http import request_json

API = "https://googleads.googleapis.com/v18"
QUERY = (
    "SELECT segments.date, campaign.name, ad_group.name, metrics.cost_micros, "
    "metrics.impressions, metrics.clicks, metrics.conversions, metrics.conversions_value, "
    "customer.currency_code, customer.time_zone FROM ad_group "
    "WHERE segments.date BETWEEN '{start}' AND '{end}'"
)
RECONNECT = (
    "Sign in to Google again and store the new token: "
    "`mixwise connect add google_ads --name NAME --secret access_token=...` (or in Connectors)."
)


@dataclass
class GoogleAdsConnector:
    customer_id: str
    access_token: str = field(repr=False)
    developer_token: str = field(repr=False)
    login_customer_id: str | None = None
    client: httpx.Client = field(default_factory=httpx.Client, repr=False)
    platform: str = "Google Ads"

    def fetch(self, start: date, end: date) -> pd.DataFrame:
        headers = {
            "Authorization": f"Bearer {self.access_token}",
            "developer-token": self.developer_token,
        }
        if self.login_customer_id:
            headers["login-customer-id"] = self.login_customer_id.replace("-", "")
        url = f"{API}/customers/{self.customer_id.replace('-', '')}/googleAds:search"
        body: dict[str, Any] = {"query": QUERY.format(start=start, end=end)}
        rows: list[dict[str, Any]] = []
        while True:
            page = request_json(
                self.client,
                "POST",
                url,
                platform=self.platform,
                reconnect=RECONNECT,
                headers=headers,
                json=body,
            )
            rows.extend(_row(r, self.platform) for r in page.get("results", []))
            token = page.get("nextPageToken")
            if not token:
                return frame(rows)
            body = {**body, "pageToken": token}


def _row(r: dict[str, Any], platform: str) -> dict[str, Any]:
    metrics = r.get("metrics", {})
    customer = r.get("customer", {})
    return {
        "date_day": r["segments"]["date"],
        "platform": platform,
        "campaign_name": r.get("campaign", {}).get("name", ""),
        "ad_group_name": r.get("adGroup", {}).get("name", ""),
        # int64 fields arrive as JSON strings; absent metrics are zeros in GAQL results
        "spend": int(metrics.get("costMicros", 0)) / 1e6,
        "impressions": float(metrics.get("impressions", 0)),
        "clicks": float(metrics.get("clicks", 0)),
        "conversions": float(metrics.get("conversions", 0.0)),
        "conversions_value": float(metrics.get("conversionsValue", 0.0)),
        "currency": customer.get("currencyCode"),
        "time_zone": customer.get("timeZone"),
    }
