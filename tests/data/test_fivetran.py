"""Fivetran ad_reporting long rows -> one row per date with per-channel columns."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mixwise.data.fivetran import aggregate_ad_reporting, channel_slug, fivetran_mapping
from mixwise.data.loaders import read_table
from mixwise.data.mapping import FivetranSource
from mixwise.errors import InputFileError, MappingError

FILE = "fivetran_ad_reporting_example.csv"


@pytest.fixture(scope="module")
def raw(shared_datasets: Path) -> pd.DataFrame:
    return read_table(shared_datasets / FILE)  # strings, as the CSV reader delivers them


@pytest.fixture(scope="module")
def rows(shared_datasets: Path) -> list[dict[str, str]]:
    with (shared_datasets / FILE).open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _sums(rows: list[dict[str, str]], key: str, metric: str) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = defaultdict(float)
    for r in rows:
        out[(r["date_day"], r[key])] += float(r[metric])
    return out


def test_slug() -> None:
    assert channel_slug("Google Ads") == "google_ads"
    assert channel_slug("  TikTok-Ads (EU) ") == "tiktok_ads_eu"
    assert channel_slug("***") == "channel"


def test_per_platform_sums_match_the_raw_rows(raw: pd.DataFrame, rows: list[dict]) -> None:
    out = aggregate_ad_reporting(raw, None)
    dates = sorted({r["date_day"] for r in rows})
    platforms = sorted({r["platform"] for r in rows})
    assert out["date_day"].dt.strftime("%Y-%m-%d").tolist() == dates
    assert out["date_day"].dtype == "datetime64[ns]"
    for metric in ("spend", "impressions", "clicks"):
        expected = _sums(rows, "platform", metric)
        for platform in platforms:
            col = f"{channel_slug(platform)}_{metric}"
            got = out[col].tolist()
            want = [expected.get((d, platform), 0.0) for d in dates]
            np.testing.assert_allclose(got, want, err_msg=col)
    for kpi in ("conversions", "conversions_value"):
        want = [sum(float(r[kpi]) for r in rows if r["date_day"] == d) for d in dates]
        np.testing.assert_allclose(out[kpi].to_numpy(), want)
    total_spend = sum(float(r["spend"]) for r in rows)
    assert out.filter(like="_spend").to_numpy().sum() == pytest.approx(total_spend)


def test_channel_without_rows_on_a_date_gets_zero_spend(raw: pd.DataFrame) -> None:
    # TikTok has no rows on 2025-08-12 in the example: that is spend 0, not a gap
    out = aggregate_ad_reporting(raw, None).set_index("date_day")
    assert out.loc["2025-08-12", "tiktok_ads_spend"] == 0.0
    assert out.loc["2025-08-11", "tiktok_ads_spend"] == pytest.approx(142.50 + 100.10)


def test_missing_dates_stay_gaps(raw: pd.DataFrame) -> None:
    out = aggregate_ad_reporting(raw[raw["date_day"] != "2025-08-11"], None)
    assert out["date_day"].dt.day.tolist() == [10, 12]


def test_missing_cell_is_nan_not_zero(raw: pd.DataFrame) -> None:
    frame = raw.copy()
    frame.loc[0, "spend"] = np.nan  # a Google Ads row on 2025-08-10
    out = aggregate_ad_reporting(frame, None).set_index("date_day")
    assert np.isnan(out.loc["2025-08-10", "google_ads_spend"])
    assert out.loc["2025-08-11", "google_ads_spend"] == pytest.approx(112.50 + 85.00)


def test_regex_rules_first_match_wins(raw: pd.DataFrame, rows: list[dict]) -> None:
    rules = FivetranSource(
        channel_by="campaign_regex",
        rules={"Search": "School", "Social": "(?i)sale|awareness", "Other": ".*"},
    )
    out = aggregate_ad_reporting(raw, rules)
    assert [c for c in out.columns if c.endswith("_spend")] == [
        "search_spend",
        "social_spend",
        "other_spend",
    ]
    assert (out["other_spend"] == 0).all()  # every campaign matched an earlier rule
    by_campaign = _sums(rows, "campaign_name", "spend")
    dates = sorted({r["date_day"] for r in rows})
    social = [
        by_campaign.get((d, "Summer Sale"), 0) + by_campaign.get((d, "Awareness Push"), 0)
        for d in dates
    ]
    np.testing.assert_allclose(out["social_spend"], social)
    np.testing.assert_allclose(
        out["search_spend"], [by_campaign[(d, "Back to School")] for d in dates]
    )


def test_unmatched_campaigns_are_named(raw: pd.DataFrame) -> None:
    rules = FivetranSource(channel_by="campaign_regex", rules={"Search": "School"})
    with pytest.raises(MappingError, match=r"10 row.*'Summer Sale', 'Awareness Push'") as info:
        aggregate_ad_reporting(raw, rules)
    assert "Other: '.*'" in info.value.hint


def test_bad_rules() -> None:
    frame = pd.DataFrame({"date_day": ["2025-01-01"], "campaign_name": ["x"], "spend": ["1"]})
    frame["conversions_value"] = "2"
    bad_regex = FivetranSource(channel_by="campaign_regex", rules={"A": "("})
    with pytest.raises(MappingError, match="'A' is not a valid regular expression"):
        aggregate_ad_reporting(frame, bad_regex)
    clash = FivetranSource(
        channel_by="campaign_regex", rules={"Paid Social": "a", "paid-social": "b"}
    )
    with pytest.raises(MappingError, match="both become column prefix 'paid_social'"):
        aggregate_ad_reporting(frame, clash)


def test_missing_columns_are_named(raw: pd.DataFrame) -> None:
    with pytest.raises(MappingError, match=r"missing column.*'platform', 'spend'"):
        aggregate_ad_reporting(raw.drop(columns=["platform", "spend"]), None)
    rules = FivetranSource(kpi_column="conversions")
    out = aggregate_ad_reporting(raw.drop(columns=["conversions_value", "clicks"]), rules)
    assert "conversions_value" not in out.columns and "google_ads_clicks" not in out.columns
    assert "google_ads_impressions" in out.columns


def test_non_numeric_values_are_named(raw: pd.DataFrame) -> None:
    frame = raw.copy()
    frame.loc[3, "spend"] = "1,234.00"
    frame.loc[7, "spend"] = "n/a"
    with pytest.raises(InputFileError, match=r"'spend'.*rows 4, 8: '1,234.00', 'n/a'"):
        aggregate_ad_reporting(frame, None)


def test_bad_dates_and_platforms_are_named(raw: pd.DataFrame) -> None:
    frame = raw.copy()
    frame.loc[2, "date_day"] = "10/08/2025 maybe"
    with pytest.raises(InputFileError, match=r"'date_day'.*row 3"):
        aggregate_ad_reporting(frame, None)
    frame = raw.copy()
    frame.loc[5, "platform"] = " "
    with pytest.raises(InputFileError, match=r"'platform'.*row 6"):
        aggregate_ad_reporting(frame, None)


def test_typed_input_is_accepted(raw: pd.DataFrame) -> None:
    typed = raw.copy()
    typed["date_day"] = pd.to_datetime(typed["date_day"])
    for c in ("clicks", "impressions", "spend", "conversions", "conversions_value"):
        typed[c] = typed[c].astype(float)
    pd.testing.assert_frame_equal(
        aggregate_ad_reporting(typed, None), aggregate_ad_reporting(raw, None)
    )


def test_proposed_mapping_fits_the_aggregate(raw: pd.DataFrame) -> None:
    mapping = fivetran_mapping(raw, None)
    out = aggregate_ad_reporting(raw, mapping.source.fivetran)
    assert mapping.channel_names == ["Facebook Ads", "Google Ads", "TikTok Ads"]
    assert mapping.kpi.column == "conversions_value" and mapping.kpi.type == "revenue"
    assert mapping.source.format == "fivetran_ad_reporting"
    assert all(c in out.columns for _, c in mapping.role_columns())
    assert mapping.channels[1].exposure == "google_ads_impressions"
    conv = fivetran_mapping(raw, FivetranSource(kpi_column="conversions"))
    assert conv.kpi.column == "conversions" and conv.kpi.type == "conversions"
