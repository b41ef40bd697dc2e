"""Each platform's connector on recorded responses in the platform's documented shape: paging,
429 with Retry-After, an expired token (a clear error saying what to do) and a failure part-way
through the pages (nothing returned), all through the real client code (httpx MockTransport)."""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest
from tests.data.connectors.replay import Replay, recorded

from mixwise.data.connectors import ConnectorAuthError, ConnectorError, build_connector
from mixwise.data.connectors import ga4 as ga4_module
from mixwise.data.connectors import http as http_module

START, END = date(2024, 3, 1), date(2024, 3, 2)


@pytest.fixture(autouse=True)
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    seen: list[float] = []
    monkeypatch.setattr(http_module, "SLEEP", seen.append)
    return seen


def google(replay: Replay):
    return build_connector(
        "google_ads",
        {"customer_id": "123-456-7890", "login_customer_id": "111-222-3333"},
        {"access_token": "ya29.token", "developer_token": "dev"},
        client=replay.client(),
    )


def meta(replay: Replay):
    return build_connector(
        "meta_ads", {"account_id": "998877"}, {"access_token": "EAAB"}, client=replay.client()
    )


def test_google_ads_pages_and_maps_fields() -> None:
    replay = Replay(
        [(200, recorded("google_ads_page1.json")), (200, recorded("google_ads_page2.json"))]
    )
    rows = google(replay).fetch(START, END)
    assert len(replay.requests) == 2
    first, second = (json.loads(r.content) for r in replay.requests)
    assert "BETWEEN '2024-03-01' AND '2024-03-02'" in first["query"]
    assert "pageToken" not in first and second["pageToken"] == "CPjD8Z4GEAEYASoCCAE"
    req = replay.requests[0]
    assert req.url.path == "/v18/customers/1234567890/googleAds:search"
    assert req.headers["login-customer-id"] == "1112223333"
    assert req.headers["authorization"] == "Bearer ya29.token"
    assert rows["spend"].tolist() == [85.25, 120.0, 70.0]  # cost_micros / 1e6
    assert rows["conversions"].tolist() == [14.0, 3.5, 0.0]  # absent metric: zero in GAQL
    assert rows["campaign_name"].tolist() == ["Brand Search", "Generic Search", "Brand Search"]
    assert rows["ad_group_name"].iloc[0] == "Brand - Exact"
    assert set(rows["currency"]) == {"USD"} and set(rows["time_zone"]) == {"America/New_York"}
    assert [str(d.date()) for d in rows["date_day"]] == ["2024-03-01", "2024-03-01", "2024-03-02"]


def test_429_is_retried_after_retry_after(waits: list[float]) -> None:
    replay = Replay(
        [
            (429, recorded("google_resource_exhausted.json"), {"Retry-After": "7"}),
            (200, recorded("google_ads_page1.json")),
            (503, {"error": {"message": "backend unavailable"}}),
            (200, recorded("google_ads_page2.json")),
        ]
    )
    rows = google(replay).fetch(START, END)
    assert len(rows) == 3
    assert waits == [7.0, 1.0]  # Retry-After when given, else 1 s * 2**try (per request)


def test_rate_limit_that_never_clears_says_nothing_was_stored(waits: list[float]) -> None:
    replay = Replay([(429, recorded("google_resource_exhausted.json"))] * http_module.MAX_TRIES)
    with pytest.raises(ConnectorError, match="rate limited after 5 tries") as err:
        google(replay).fetch(START, END)
    assert "Resource has been exhausted" in err.value.message
    assert "Nothing of this sync was stored" in err.value.hint
    assert len(waits) == http_module.MAX_TRIES - 1


def test_google_expired_token_says_what_to_do() -> None:
    replay = Replay([(401, recorded("google_unauthenticated.json"))])
    with pytest.raises(ConnectorAuthError, match="Google Ads: the access token expired") as err:
        google(replay).fetch(START, END)
    assert "mixwise connect add google_ads" in err.value.hint
    assert "ya29.token" not in str(err.value)  # the secret is never in a message


def test_failure_on_a_later_page_returns_nothing() -> None:
    replay = Replay(
        [(200, recorded("google_ads_page1.json")), (400, {"error": {"message": "bad page"}})]
    )
    with pytest.raises(ConnectorError, match="HTTP 400: bad page"):
        google(replay).fetch(START, END)


def test_meta_pages_by_next_link_and_reads_actions() -> None:
    replay = Replay(
        [
            (200, recorded("meta_account.json")),
            (200, recorded("meta_insights_page1.json")),
            (200, recorded("meta_insights_page2.json")),
        ]
    )
    rows = meta(replay).fetch(START, END)
    insights, nxt = replay.requests[1], replay.requests[2]
    assert insights.url.params["time_range"] == '{"since":"2024-03-01","until":"2024-03-02"}'
    assert insights.url.params["level"] == "adset"
    assert nxt.url.params["after"] == "MQZDZD" and nxt.url.params["limit"] == "2"
    # the token travels in a header, never in a URL (URLs are logged), even when Meta's next
    # link carries it
    assert all("EAAB" not in str(r.url) for r in replay.requests)
    assert all(r.headers["authorization"] == "Bearer EAAB" for r in replay.requests)
    assert rows["spend"].tolist() == [42.17, 10.0, 39.5]
    assert rows["conversions"].tolist() == [4.0, 0.0, 2.0]  # purchase actions only
    assert rows["conversions_value"].tolist() == pytest.approx([212.4, 0.0, 99.0])
    assert set(rows["currency"]) == {"EUR"} and set(rows["time_zone"]) == {"Europe/Berlin"}
    assert rows["ad_group_name"].iloc[0] == "Lookalike 1%"


def test_meta_rate_limit_code_17_is_retried(waits: list[float]) -> None:
    replay = Replay(
        [
            (200, recorded("meta_account.json")),
            (400, recorded("meta_rate_limited.json")),
            (200, recorded("meta_insights_page2.json")),
        ]
    )
    rows = meta(replay).fetch(START, END)
    assert len(rows) == 1 and waits == [1.0]


def test_meta_expired_token_code_190() -> None:
    replay = Replay([(400, recorded("meta_expired.json"))])
    with pytest.raises(ConnectorAuthError, match="Session has expired") as err:
        meta(replay).fetch(START, END)
    assert "mixwise connect add meta_ads" in err.value.hint


def test_ga4_pages_by_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ga4_module, "PAGE", 2)
    replay = Replay([(200, recorded("ga4_page1.json")), (200, recorded("ga4_page2.json"))])
    connector = build_connector(
        "ga4", {"property_id": "3141592"}, {"access_token": "tok"}, client=replay.client()
    )
    rows = connector.fetch(START, END)
    offsets = [json.loads(r.content)["offset"] for r in replay.requests]
    assert offsets == [0, 2]
    assert replay.requests[0].url.path == "/v1beta/properties/3141592:runReport"
    assert rows["conversions_value"].tolist() == [1500.25, 2100.0, 800.0]
    assert rows["spend"].tolist() == [85.25, 0.0, 70.0]
    assert str(rows["date_day"].iloc[2].date()) == "2024-03-02"
    assert set(rows["time_zone"]) == {"America/Los_Angeles"}


def test_network_errors_are_retried_then_reported(waits: list[float]) -> None:
    failure = httpx.ConnectError("connection refused")
    replay = Replay([(0, failure)] * http_module.MAX_TRIES)
    with pytest.raises(ConnectorError, match="could not reach the API"):
        google(replay).fetch(START, END)


def test_unknown_settings_and_missing_secrets_name_the_field() -> None:
    with pytest.raises(Exception, match=r"unknown setting.*'acount_id'"):
        build_connector("meta_ads", {"acount_id": "1"}, {"access_token": "x"})
    with pytest.raises(Exception, match="the secret 'access_token' is required"):
        build_connector("meta_ads", {"account_id": "1"}, {})
    with pytest.raises(Exception, match="unknown connector kind 'tiktok'"):
        build_connector("tiktok", {}, {})
