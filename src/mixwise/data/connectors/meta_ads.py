"""Meta (Facebook / Instagram) Ads: the Marketing API's ad-set insights, one row per day
(``time_increment=1``), paged by ``paging.next``.

Fields: ``date_start`` -> date_day, ``campaign_name``, ``adset_name``, ``spend`` (the ad
account's currency), ``impressions``, ``clicks``; conversions and their value are the
``actions`` / ``action_values`` entries of :attr:`MetaAdsConnector.action_type` (``purchase``
by default). The account's ``currency`` and ``timezone_name`` come from the account node; days
are that time zone's. Meta answers an expired token with 400 ``OAuthException`` code 190, and
rate limits with codes 4, 17, 32, 613 or 80000-80014 (or 429).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pandas as pd

from mixwise.data.connectors.base import frame
from mixwise.data.connectors.http import Verdict, request_json

API = "https://graph.facebook.com/v21.0"
FIELDS = "campaign_name,adset_name,spend,impressions,clicks,actions,action_values"
RATE_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
RECONNECT = (
    "Generate a new long-lived token (Business settings -> System users) and store it: "
    "`mixwise connect add meta_ads --name NAME --secret access_token=...` (or in Connectors)."
)


def classify(response: httpx.Response) -> Verdict:
    """Meta's error codes: 190 is an invalid or expired token; the rate-limit codes above."""
    if response.status_code < 400:
        return None
    try:
        error = response.json().get("error", {})
    except ValueError:
        return None
    code = error.get("code")
    if code == 190 or response.status_code == 401:
        return "auth"
    return "rate" if code in RATE_CODES else None


@dataclass
class MetaAdsConnector:
    account_id: str
    access_token: str = field(repr=False)
    action_type: str = "purchase"
    client: httpx.Client = field(default_factory=httpx.Client, repr=False)
    platform: str = "Meta Ads"

    def _get(self, url: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return request_json(
            self.client,
            "GET",
            url,
            platform=self.platform,
            reconnect=RECONNECT,
            classify=classify,
            params=params,
            # in a header, not the query: URLs end up in HTTP logs (httpx logs each at INFO)
            headers={"Authorization": f"Bearer {self.access_token}"},
        )

    def fetch(self, start: date, end: date) -> pd.DataFrame:
        account = f"act_{self.account_id.removeprefix('act_')}"
        info = self._get(f"{API}/{account}", {"fields": "currency,timezone_name"})
        params: dict[str, Any] = {
            "level": "adset",
            "time_increment": 1,
            "fields": FIELDS,
            "time_range": f'{{"since":"{start}","until":"{end}"}}',
            "limit": 500,
        }
        url = f"{API}/{account}/insights"
        rows: list[dict[str, Any]] = []
        while True:
            page = self._get(url, params)
            rows.extend(self._row(r, info) for r in page.get("data", []))
            nxt = page.get("paging", {}).get("next")
            if not nxt:
                return frame(rows)
            # the next link carries every parameter (Meta adds the token: dropped, it goes in
            # the header); httpx's ``params`` would replace its query, so it is split
            link = httpx.URL(nxt)
            url = str(link.copy_with(query=None))
            params = {k: v for k, v in link.params.items() if k != "access_token"}

    def _row(self, r: dict[str, Any], info: dict[str, Any]) -> dict[str, Any]:
        return {
            "date_day": r["date_start"],
            "platform": self.platform,
            "campaign_name": r.get("campaign_name", ""),
            "ad_group_name": r.get("adset_name", ""),
            "spend": float(r.get("spend", 0)),
            "impressions": float(r.get("impressions", 0)),
            "clicks": float(r.get("clicks", 0)),
            "conversions": _action(r.get("actions"), self.action_type),
            "conversions_value": _action(r.get("action_values"), self.action_type),
            "currency": info.get("currency"),
            "time_zone": info.get("timezone_name"),
        }


def _action(entries: list[dict[str, Any]] | None, action_type: str) -> float:
    return sum(float(e["value"]) for e in entries or [] if e.get("action_type") == action_type)
