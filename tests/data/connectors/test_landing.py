"""Incremental windows and merges, the warehouse source, and the landed-row findings
(new channel, currency change, missing day, duplicated day after a re-sync)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from mixwise.data.connectors import build_connector
from mixwise.data.connectors.base import frame
from mixwise.data.connectors.checks import check_landed
from mixwise.data.connectors.incremental import Window, merge, sync_window
from mixwise.data.fivetran import aggregate_ad_reporting


def rows(days: list[str], platform: str = "Meta Ads", spend: float = 10.0, **kw: object):
    return frame(
        [
            {
                "date_day": d,
                "platform": platform,
                "campaign_name": "c",
                "ad_group_name": "a",
                "spend": spend,
                "impressions": 1,
                "clicks": 1,
                "conversions": 1,
                "conversions_value": 5,
                "currency": kw.get("currency", "EUR"),
                "time_zone": kw.get("time_zone", "Europe/Berlin"),
            }
            for d in days
        ]
    )


def test_window_reads_new_days_plus_the_lookback() -> None:
    assert sync_window(None, date(2024, 3, 10), history_days=30) == Window(
        date(2024, 2, 9), date(2024, 3, 9)
    )
    w = sync_window(date(2024, 3, 5), date(2024, 3, 10), lookback_days=3)
    assert w == Window(date(2024, 3, 3), date(2024, 3, 9))
    assert sync_window(date(2024, 3, 9), date(2024, 3, 10), lookback_days=0).empty


def test_merge_replaces_the_window_days_and_keeps_the_rest() -> None:
    landed = rows(["2024-03-01", "2024-03-02", "2024-03-03"], spend=10.0)
    late = rows(["2024-03-02", "2024-03-03", "2024-03-04"], spend=12.0)  # late conversions
    merged = merge(landed, late, Window(date(2024, 3, 2), date(2024, 3, 4)))
    assert merged["spend"].tolist() == [10.0, 12.0, 12.0, 12.0]
    assert not check_landed(merged)  # no duplicate after a re-sync of the same days


def test_findings_have_codes() -> None:
    landed = pd.concat(
        [
            rows(["2024-03-01", "2024-03-02"], currency="EUR"),
            rows(["2024-03-02", "2024-03-03", "2024-03-05"], currency="USD"),  # dup 03-02
            rows(["2024-03-01"], platform="Google Ads", currency="USD", time_zone="UTC"),
        ],
        ignore_index=True,
    ).sort_values("date_day", kind="stable", ignore_index=True)
    found = {f.code: f for f in check_landed(landed, known_channels=["Meta Ads"])}
    assert set(found) == {
        "connector_duplicate_day",
        "connector_currency_change",
        "connector_missing_day",
        "connector_new_channel",
        "connector_time_zones",
    }
    assert found["connector_duplicate_day"].severity == "error"
    assert found["connector_currency_change"].severity == "error"
    assert "from EUR to USD" in found["connector_currency_change"].message
    # rows are 1-based rows of the landed table: rows 4, 5 and 6 are Meta's USD days
    assert found["connector_currency_change"].rows == (4, 5, 6)
    assert "2024-03-04" in found["connector_missing_day"].message
    assert "'Google Ads' is a new channel" in found["connector_new_channel"].message


def test_warehouse_reads_fivetran_columns_and_keeps_the_window(tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE ad_reporting__ad_report AS SELECT * FROM (VALUES "
        "(DATE '2024-03-01', 'Google Ads', 'Brand', 5.0, 100, 3.0),"
        "(DATE '2024-03-02', 'Google Ads', 'Brand', 6.0, 110, 4.0),"
        "(DATE '2024-03-03', 'Meta Ads', 'Prospecting', 7.0, 120, 5.0)"
        ") t(date_day, platform, campaign_name, spend, impressions, conversions)"
    )
    con.close()
    connector = build_connector(
        "warehouse", {"currency": "USD", "time_zone": "UTC"}, {"url": f"duckdb:///{db}"}
    )
    landed = connector.fetch(date(2024, 3, 2), date(2024, 3, 3))
    assert landed["spend"].tolist() == [6.0, 7.0]
    assert set(landed["currency"]) == {"USD"}
    assert landed["clicks"].tolist() == [0.0, 0.0]  # absent column -> 0, as Fivetran writes
    wide = aggregate_ad_reporting(landed, None)
    assert wide.columns.tolist()[:2] == ["date_day", "google_ads_spend"]


def test_warehouse_query_without_the_columns_names_them(tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    duckdb.connect(str(db)).execute("CREATE TABLE t AS SELECT 1 AS x").close()
    connector = build_connector("warehouse", {"sql": "SELECT * FROM t"}, {"url": f"duckdb:///{db}"})
    with pytest.raises(Exception, match=r"no column.*'date_day'.*'spend'"):
        connector.fetch(date(2024, 3, 1), date(2024, 3, 2))
