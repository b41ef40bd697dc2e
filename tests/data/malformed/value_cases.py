"""Malformed cases about cell values and the dataset as a whole (including warnings)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from tests.data.malformed.builders import (
    N_ROWS,
    MalformedCase,
    base_mapping,
    case,
    date_of,
    fmt,
    geo_frame,
    geo_mapping,
    native_frame,
    set_rows,
    with_cells,
)

from mixwise.data.findings import Severity


def value_cases(b: pd.DataFrame) -> list[MalformedCase]:
    native = native_frame()
    many = list(range(3, 40, 3))  # 13 rows: only the first 10 are named
    return [
        case(
            "text_in_spend",
            with_cells(b, {(3, "tv_spend"): "abc"}),
            "non_numeric",
            column="tv_spend",
            rows=(3,),
            in_message=("'abc'", "tv_spend"),
        ),
        case(
            "thousands_separator_kpi",
            with_cells(b, {(10, "revenue"): "61,234.50"}),
            "non_numeric",
            column="revenue",
            rows=(10,),
            in_message=("61,234.50",),
        ),
        case(
            "currency_in_control",
            with_cells(b, {(12, "price_index"): "$1.02"}),
            "non_numeric",
            column="price_index",
            rows=(12,),
        ),
        case(
            "percent_in_exposure",
            with_cells(b, {(21, "search_clicks"): "12%"}),
            "non_numeric",
            column="search_clicks",
            rows=(21,),
        ),
        case(
            "text_in_organic",
            with_cells(b, {(2, "newsletter"): "three"}),
            "non_numeric",
            mapping=base_mapping(organic=["newsletter"]),
            column="newsletter",
            rows=(2,),
        ),
        case(
            "underscore_number",
            with_cells(b, {(6, "social_spend"): "1_000"}),
            "non_numeric",
            rows=(6,),
        ),
        case(
            "text_in_native_float_column",
            with_cells(native, {(14, "tv_spend"): "n/a?"}),
            "non_numeric",
            rows=(14,),
        ),
        case(
            "date_in_spend_column",
            with_cells(native, {(15, "social_spend"): pd.Timestamp("2021-01-01")}),
            "non_numeric",
            rows=(15,),
        ),
        case(
            "negative_spend",
            with_cells(b, {(8, "social_spend"): "-120.5"}),
            "negative_spend",
            column="social_spend",
            rows=(8,),
        ),
        case(
            "negative_exposure",
            with_cells(b, {(9, "search_clicks"): "-3"}),
            "negative_spend",
            column="search_clicks",
            rows=(9,),
        ),
        case(
            "many_negative",
            set_rows(b, many, "search_spend", "-1"),
            "negative_spend",
            rows=tuple(r for r in many[:10]),
            in_message=("and 3 more",),
        ),
        case(
            "nan_kpi",
            with_cells(b, {(15, "revenue"): np.nan}),
            "missing_kpi",
            column="revenue",
            rows=(15,),
        ),
        case("empty_string_kpi", with_cells(b, {(16, "revenue"): ""}), "missing_kpi", rows=(16,)),
        case("na_token_kpi", with_cells(b, {(17, "revenue"): "NA"}), "missing_kpi", rows=(17,)),
        case(
            "native_nan_kpi",
            with_cells(native, {(18, "revenue"): np.nan}),
            "missing_kpi",
            rows=(18,),
        ),
        case(
            "nan_spend",
            with_cells(b, {(20, "tv_spend"): np.nan}),
            "missing_spend",
            column="tv_spend",
            rows=(20,),
        ),
        case(
            "nan_exposure",
            with_cells(b, {(22, "search_clicks"): np.nan}),
            "missing_spend",
            column="search_clicks",
            rows=(22,),
        ),
        case(
            "null_token_spend",
            with_cells(b, {(23, "social_spend"): "null"}),
            "missing_spend",
            rows=(23,),
        ),
        case(
            "nan_control",
            with_cells(b, {(24, "price_index"): np.nan}),
            "missing_value",
            column="price_index",
            rows=(24,),
        ),
        case(
            "blank_numeric_event",
            with_cells(
                b.assign(promo=np.where(b["event"] == "promo", "1", "0")), {(25, "promo"): np.nan}
            ),
            "missing_value",
            mapping=base_mapping(events=["promo"]),
            column="promo",
            rows=(25,),
        ),
        case(
            "inf_spend",
            with_cells(b, {(26, "tv_spend"): "inf"}),
            "infinite_value",
            column="tv_spend",
            rows=(26,),
        ),
        case(
            "minus_inf_control",
            with_cells(b, {(27, "price_index"): "-inf"}),
            "infinite_value",
            column="price_index",
            rows=(27,),
        ),
        case(
            "overflowing_kpi",
            with_cells(b, {(28, "revenue"): "1e400"}),
            "infinite_value",
            rows=(28,),
        ),
        case(
            "native_inf",
            with_cells(native, {(29, "search_spend"): np.inf}),
            "infinite_value",
            rows=(29,),
        ),
        case(
            "all_zero_channel",
            b.assign(social_spend="0"),
            "constant_channel",
            column="social_spend",
            in_message=("0 in every row",),
        ),
        case(
            "constant_channel",
            b.assign(social_spend="1000"),
            "constant_channel",
            column="social_spend",
        ),
        case(
            "constant_exposure",
            b.assign(search_clicks="500"),
            "constant_channel",
            column="search_clicks",
        ),
        case("constant_kpi", b.assign(revenue="0"), "constant_kpi", column="revenue"),
        case(
            "population_changes",
            set_rows(geo_frame(), [200, 201], "population", "810000"),
            "population_not_constant",
            mapping=geo_mapping(),
            column="population",
            rows=(200, 201),
            in_message=("south",),
        ),
        case(
            "national_population_changes",
            with_cells(b.assign(pop="5000000"), {(90, "pop"): "5100000"}),
            "population_not_constant",
            mapping=base_mapping(population="pop"),
            rows=(90,),
        ),
        case(
            "zero_population",
            set_rows(geo_frame(), list(range(1, 121)), "population", "0"),
            "non_positive_population",
            mapping=geo_mapping(),
            column="population",
        ),
    ]


def dataset_cases(b: pd.DataFrame) -> list[MalformedCase]:
    rng = np.random.default_rng(11)
    tv = b["tv_spend"].astype(float).to_numpy()
    search = b["search_spend"].astype(float).to_numpy()
    extra = {f"c{i}": fmt(rng.normal(size=N_ROWS)) for i in range(4)}
    sparse = np.zeros(N_ROWS)
    sparse[[10, 40, 70, 100]] = 2000.0
    clicks = b["search_clicks"].astype(float).to_numpy().copy()
    clicks[79] /= 100
    warn = Severity.WARNING
    return [
        case("twenty_weeks", b.iloc[:20], "too_few_observations"),
        case(
            "too_many_controls",
            b.iloc[:40].assign(**{k: v[:40] for k, v in extra.items()}),
            "too_few_observations",
            mapping=base_mapping(controls=["price_index", *extra]),
            in_message=("9 independent variables", "63"),
        ),
        case("short_history", b.iloc[:45], "short_history", severity=warn),
        case(
            "collinear_channels",
            b.assign(social_spend=fmt(np.maximum(0.8 * tv + rng.normal(0, 300, N_ROWS) + 1000, 0))),
            "collinear_channels",
            severity=warn,
            in_message=("'TV'", "'Social'"),
        ),
        case(
            "high_vif",
            b.assign(social_spend=fmt(0.5 * tv + 3 * search + rng.normal(0, 300, N_ROWS))),
            "high_vif",
            severity=warn,
        ),
        case(
            "sparse_channel",
            b.assign(social_spend=fmt(sparse)),
            "sparse_channel",
            severity=warn,
            column="social_spend",
            rows=(11, 41, 71, 101),
        ),
        case(
            "kpi_outlier",
            with_cells(b, {(70, "revenue"): "900000.00"}),
            "kpi_outlier",
            severity=warn,
            column="revenue",
            rows=(70,),
            in_message=(date_of(70),),
        ),
        case(
            "cost_per_exposure_jump",
            b.assign(search_clicks=fmt(clicks, 0)),
            "cost_per_exposure_jump",
            severity=warn,
            column="search_clicks",
            rows=(80, 81),
            in_message=(date_of(79), date_of(80)),
        ),
        case(
            "constant_control",
            b.assign(price_index="1.0"),
            "constant_control",
            severity=warn,
            column="price_index",
        ),
        case(
            "filled_zero",
            set_rows(b, [20, 21], "tv_spend", np.nan),
            "filled_zero",
            mapping=base_mapping(fill="zero"),
            severity=warn,
            column="tv_spend",
            rows=(20, 21),
        ),
    ]
