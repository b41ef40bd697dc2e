"""The campaign calendar: parsing, mapping, checks naming rows, and the consistency score."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from mixwise.data.campaigns import CalendarError, check_calendar, parse_calendar, read_calendar
from mixwise.data.consistency import consistency, window_score

DATES = pd.date_range("2024-01-01", periods=10, freq="W-MON")


def frame(**extra: list[object]) -> pd.DataFrame:
    base = {
        "campaign": ["Spring", "Spring", "Summer"],
        "channel": ["tv", "social", "tv"],
        "start": ["2024-01-01", "2024-01-08", "2024-02-05"],
        "end": ["2024-01-21", "2024-01-21", "2024-02-18"],
        "creative": ["Hero 30s", "Carousel A", "Beach"],
        "creative_type": ["TV Ad", "Social Carousel", "TV Ad"],
        "tags": ["#launch #brand", "#launch", "brand, summer"],
        "spend": [1000, 200, None],
    }
    base.update(extra)
    return pd.DataFrame(base)


def test_parse_reads_every_role_and_tags() -> None:
    cal = parse_calendar(frame())
    assert cal.ok and len(cal.flights) == 3
    first = cal.flights[0]
    assert (first.row, first.start, first.end, first.days) == (
        1,
        date(2024, 1, 1),
        date(2024, 1, 21),
        21,
    )
    assert first.tags == ("launch", "brand") and first.spend == 1000.0
    assert cal.flights[2].tags == ("brand", "summer") and cal.flights[2].spend is None


def test_mapping_renames_columns_and_unknown_mapped_column_is_named() -> None:
    f = frame().rename(columns={"start": "launch"})
    assert parse_calendar(f, {"start": "launch"}).ok
    with pytest.raises(CalendarError, match="no column 'go_live'"):
        parse_calendar(f, {"start": "go_live"})


def test_missing_required_column_is_a_finding() -> None:
    cal = parse_calendar(frame().drop(columns=["end"]))
    assert [x.code for x in cal.findings] == ["calendar_missing_column"]
    with pytest.raises(CalendarError, match="end"):
        cal.raise_if_errors()


def test_bad_rows_are_named_and_dropped() -> None:
    f = frame(start=["2024-01-01", "soon", "2024-02-20"], spend=[1000, -5, "x"])
    cal = parse_calendar(f)
    by_code = {x.code: x for x in cal.findings}
    assert by_code["calendar_bad_date"].rows == (2,)
    assert by_code["calendar_end_before_start"].rows == (3,)
    assert "row 3" in by_code["calendar_end_before_start"].message
    assert by_code["calendar_bad_spend"].rows == (2, 3)
    assert [x.row for x in cal.flights] == [1]
    assert not cal.ok


def test_checks_against_the_data() -> None:
    f = frame(channel=["tv", "radio", "tv"], end=["2024-01-21", "2024-01-21", "2024-04-01"])
    f.loc[3] = ["Spring", "tv", "2024-01-15", "2024-01-30", "", "", "", 10]
    cal = check_calendar(parse_calendar(f), list(DATES), ["tv", "social"])
    by_code = {x.code: x for x in cal.findings}
    assert by_code["calendar_unknown_channel"].rows == (2,)
    assert "'radio'" in by_code["calendar_unknown_channel"].message
    # data covers 2024-01-01 .. 2024-03-04 + 6 days; row 3 ends 2024-04-01
    assert by_code["calendar_outside_data"].rows == (3,)
    assert by_code["calendar_overlap"].rows == (1, 4)
    assert not cal.ok


def test_read_calendar_from_csv_and_excel(tmp_path) -> None:  # type: ignore[no-untyped-def]
    frame().to_csv(tmp_path / "c.csv", index=False)
    frame().to_excel(tmp_path / "c.xlsx", index=False)
    for name in ("c.csv", "c.xlsx"):
        cal = read_calendar(tmp_path / name)
        assert cal.ok and [f.creative for f in cal.flights] == ["Hero 30s", "Carousel A", "Beach"]


def test_consistency_counts_campaign_days() -> None:
    cal = parse_calendar(frame())
    # Spring: active Jan 1-21 (21 days), both channels live Jan 8-21 (14 days).
    s = window_score(cal.flights, date(2024, 1, 1), date(2024, 1, 31))
    assert (s.consistent_days, s.active_days) == (14, 21)
    # Summer (one channel) consistent on all its 14 days.
    out = consistency(cal.flights, end=date(2024, 2, 29), window_days=29)
    assert out["current"]["score"] == pytest.approx(14 / 14)
    # previous window Jan 3-31: Spring active 19 days, both live 14
    assert out["previous"]["score"] == pytest.approx(14 / 19)
    assert out["change"] == pytest.approx(1 - 14 / 19)
    empty = consistency(cal.flights, end=date(2025, 1, 1))
    assert empty["current"]["score"] is None and empty["change"] is None
