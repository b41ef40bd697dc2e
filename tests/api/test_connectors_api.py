"""Connectors and schedules over the API: a secret goes in and never comes out (not in any
response, not in the OpenAPI schema of a response), errors are problem documents, and only an
admin adds or removes a connector (an analyst may sync)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from mixwise.api.app import create_app
from mixwise.service import credentials, workspaces
from mixwise.store.testing import temporary_store


def test_connectors_and_schedules_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(credentials.ENV, credentials.new_key())
    db = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE ad_reporting__ad_report AS SELECT current_date - 2 AS date_day, "
        "'Meta Ads' AS platform, 'Prospecting' AS campaign_name, 7.5 AS spend"
    )
    con.close()
    secret = f"duckdb:///{db}"
    with temporary_store("sqlite", tmp_path) as store:
        _, key = workspaces.create_key(store, "team")
        with TestClient(create_app(store=store)) as c:
            c.headers["Authorization"] = f"Bearer {key}"
            kinds = c.get("/api/v1/connector-kinds").json()
            assert {k["name"] for k in kinds} == {"google_ads", "meta_ads", "ga4", "warehouse"}
            body = {"name": "wh", "kind": "warehouse", "secrets": {"url": secret}}
            r = c.post("/api/v1/connectors", json={**body, "settings": {"currency": "EUR"}})
            assert r.status_code == 201, r.text
            dup = c.post("/api/v1/connectors", json=body)
            assert dup.status_code == 409 and dup.json()["code"] == "conflict"
            bad = c.post("/api/v1/connectors", json={**body, "name": "x", "kind": "tiktok"})
            assert bad.status_code == 422 and "unknown connector kind" in bad.json()["detail"]
            synced = c.post("/api/v1/connectors/wh/sync")
            assert synced.status_code == 200 and synced.json()["landed_rows"] == 1
            proposed = c.get("/api/v1/connectors/mapping").json()["mapping"]
            assert "meta_ads_spend" in proposed and "fivetran_ad_reporting" in proposed
            listed = c.get("/api/v1/connectors").json()
            assert listed[0]["last_status"] == "ok" and listed[0]["settings"]["currency"] == "EUR"
            everything = json.dumps([r.json(), synced.json(), listed])
            assert str(db) not in everything and "secret" not in everything
            schema = c.get("/api/openapi.json").json()["components"]["schemas"]
            assert "secrets" not in schema["ConnectorOut"]["properties"]

            none = c.post("/api/v1/schedules", json={"name": "nightly", "cron": "daily"})
            assert none.status_code == 422 and "no fitted model" in none.json()["detail"]
            cron = c.post("/api/v1/schedules", json={"name": "n", "cron": "soon"})
            assert cron.status_code == 422 and "cron" in cron.json()["detail"]
            assert c.get("/api/v1/schedules").json() == []
            _, analyst = workspaces.create_key(store, "team", role="analyst")
            auth = {"Authorization": f"Bearer {analyst}"}
            refused = c.post("/api/v1/connectors", json={**body, "name": "y"}, headers=auth)
            assert refused.status_code == 403, refused.text
            assert c.delete("/api/v1/connectors/wh", headers=auth).status_code == 403
            assert c.post("/api/v1/connectors/wh/sync", headers=auth).status_code == 200
            assert c.delete("/api/v1/connectors/wh").status_code == 200
            assert c.get("/api/v1/connectors").json() == []
