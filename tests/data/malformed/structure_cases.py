"""Malformed cases about the table's shape and its dates."""

from __future__ import annotations

import numpy as np
import pandas as pd
from tests.data.malformed.builders import (
    MalformedCase,
    base_frame,
    base_mapping,
    case,
    date_of,
    drop_rows,
    geo_frame,
    geo_mapping,
    insert_copy,
    native_frame,
    with_cells,
)


def structure_cases(b: pd.DataFrame) -> list[MalformedCase]:
    return [
        case("missing_kpi_column", b.drop(columns="revenue"), "missing_column", column="revenue"),
        case(
            "typo_in_spend_column",
            b.rename(columns={"tv_spend": "tv_spnd"}),
            "missing_column",
            column="tv_spend",
            in_message=("tv_spend", "Available columns"),
        ),
        case("missing_date_column", b.drop(columns="week"), "missing_column", column="week"),
        case("missing_control", b.drop(columns="price_index"), "missing_column"),
        case("missing_exposure", b.drop(columns="search_clicks"), "missing_column"),
        case("case_mismatch", b.rename(columns={"revenue": "Revenue"}), "missing_column"),
        case("integer_column_labels", pd.DataFrame(b.to_numpy()), "missing_column"),
        case("header_only", b.iloc[:0], "empty_table"),
        case("no_columns_no_rows", pd.DataFrame(), "empty_table"),
        case(
            "duplicate_column",
            pd.concat([b, b[["tv_spend"]]], axis=1),
            "duplicate_column",
            column="tv_spend",
        ),
    ]


def date_cases(b: pd.DataFrame) -> list[MalformedCase]:
    daily = base_frame(n=120, freq="D")
    monthly = base_frame(n=60, freq="MS")
    return [
        case(
            "garbage_date",
            with_cells(b, {(5, "week"): "next monday"}),
            "bad_date",
            column="week",
            rows=(5,),
            in_message=("next monday",),
        ),
        case("empty_date", with_cells(b, {(7, "week"): np.nan}), "bad_date", rows=(7,)),
        case("blank_string_date", with_cells(b, {(9, "week"): "  "}), "bad_date", rows=(9,)),
        case(
            "date_format_mismatch",
            b,
            "bad_date",
            mapping=base_mapping(date_format="%d/%m/%Y"),
            rows=tuple(range(1, 11)),
        ),
        case("impossible_date", with_cells(b, {(8, "week"): "2021-02-30"}), "bad_date", rows=(8,)),
        case(
            "other_date_format", with_cells(b, {(4, "week"): "01/25/2021"}), "bad_date", rows=(4,)
        ),
        case("year_typo", with_cells(b, {(11, "week"): "0202-03-15"}), "bad_date", rows=(11,)),
        case(
            "native_nat_date",
            with_cells(native_frame(), {(3, "week"): pd.NaT}),
            "bad_date",
            rows=(3,),
        ),
        case("repeated_row", insert_copy(b, 30), "duplicate_date", column="week", rows=(31,)),
        case(
            "same_date_twice",
            with_cells(b, {(50, "week"): date_of(49)}),
            "duplicate_date",
            rows=(50,),
        ),
        case(
            "duplicate_in_geo",
            insert_copy(geo_frame(), 130),
            "duplicate_date",
            mapping=geo_mapping(),
            rows=(131,),
            in_message=("south",),
        ),
        case(
            "dropped_week",
            drop_rows(b, [40]),
            "irregular_dates",
            column="week",
            rows=(40,),
            in_message=(f"no row for {date_of(40)}", "between rows 39 and 40"),
        ),
        case(
            "three_weeks_missing",
            drop_rows(b, [60, 61, 62]),
            "irregular_dates",
            rows=(60,),
            in_message=(date_of(60), "2 more"),
        ),
        case(
            "shifted_date",
            with_cells(
                b, {(60, "week"): str((pd.Timestamp(date_of(60)) + pd.Timedelta(days=2)).date())}
            ),
            "irregular_dates",
            rows=(60, 61),
            in_message=("9 days",),
        ),
        case(
            "daily_frequency_on_weekly",
            b,
            "irregular_dates",
            mapping=base_mapping(frequency="daily"),
        ),
        case(
            "weekly_frequency_on_daily",
            daily,
            "irregular_dates",
            mapping=base_mapping(frequency="weekly"),
        ),
        case(
            "dropped_day",
            drop_rows(daily, [33]),
            "irregular_dates",
            rows=(33,),
            in_message=(date_of(33, daily),),
        ),
        case("monthly_data", monthly, "unsupported_frequency", column="week"),
        case(
            "geo_missing_week",
            drop_rows(geo_frame(), [150]),
            "geo_missing_dates",
            mapping=geo_mapping(),
            column="region",
            in_message=("south",),
        ),
        case(
            "geo_starts_late",
            drop_rows(geo_frame(), [121, 122, 123, 124, 125]),
            "geo_missing_dates",
            mapping=geo_mapping(),
            in_message=("south", "4 more"),
        ),
        case(
            "missing_geo",
            with_cells(geo_frame(), {(17, "region"): np.nan}),
            "missing_geo",
            mapping=geo_mapping(),
            column="region",
            rows=(17,),
        ),
    ]
