"""A corpus of malformed inputs, each with the finding code it must produce.

Every case starts from a small clean table (:func:`base_frame`: 120 weekly rows, 3 channels of
which one has an exposure column, 1 control and 1 categorical event, all cells as strings, the way
CSV files are read) and breaks one thing. ``CASES`` is importable by other tests (the CLI's
exit-code tests use it): ``from tests.data.malformed import CASES``.

Row numbers in ``rows`` are 1-based data rows (row 1 is the first row below the header).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from mixwise.data.findings import Severity
from mixwise.data.mapping import Mapping

N_ROWS = 120
START = "2021-01-04"  # a Monday
GEOS = ("north", "south")
POPULATION = {"north": "1200000", "south": "800000"}


@dataclass(frozen=True)
class MalformedCase:
    """One broken input and what validation must say about it.

    ``rows``, when given, are the exact rows the finding must name; ``column`` the column.
    """

    id: str
    frame: pd.DataFrame
    mapping: Mapping
    expected_code: str
    severity: Severity = Severity.ERROR
    column: str | None = None
    rows: tuple[int, ...] | None = None
    in_message: tuple[str, ...] = field(default_factory=tuple)


def _fmt(values: np.ndarray, digits: int = 2) -> list[str]:
    return [f"{v:.{digits}f}" for v in values]


def base_frame(
    n: int = N_ROWS, freq: str = "7D", start: str = START, seed: int = 7, geo: str | None = None
) -> pd.DataFrame:
    """A clean table of strings: week, revenue, tv_spend, search_spend, search_clicks,
    social_spend, price_index, event (categorical 'na'/'promo') and newsletter (organic, not
    mapped by default). Channels are independent and spend in most periods."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(start, periods=n, freq=freq)
    tv = np.where(rng.random(n) < 0.8, rng.gamma(4.0, 2500.0, n), 0.0)
    search = rng.lognormal(8.0, 0.3, n)
    cpc = 0.5 * np.exp(0.1 * rng.standard_normal(n))
    social = rng.uniform(1000.0, 5000.0, n)
    price = 1 + 0.05 * np.sin(np.arange(n) / 8) + 0.01 * rng.standard_normal(n)
    promo = np.isin(np.arange(n), np.arange(5, n, 15))
    newsletter = rng.poisson(3.0, n)
    revenue = (
        50_000
        + 2.0 * tv
        + 3.0 * search
        + 1.5 * social
        - 20_000 * (price - 1)
        + 5_000 * promo
        + rng.normal(0, 2_000, n)
    )
    frame = pd.DataFrame(
        {
            "week": dates.strftime("%Y-%m-%d"),
            "revenue": _fmt(revenue),
            "tv_spend": _fmt(tv),
            "search_spend": _fmt(search),
            "search_clicks": _fmt(search / cpc, 0),
            "social_spend": _fmt(social),
            "price_index": _fmt(price, 4),
            "event": np.where(promo, "promo", "na"),
            "newsletter": [str(v) for v in newsletter],
        },
        dtype="str",
    )
    if geo is not None:
        frame.insert(1, "region", geo)
        frame.insert(2, "population", POPULATION.get(geo, "1000000"))
    return frame


def geo_frame(n: int = N_ROWS) -> pd.DataFrame:
    """Two geos ('north', 'south') x ``n`` weeks, with a constant population per geo."""
    parts = [base_frame(n, seed=7 + i, geo=g) for i, g in enumerate(GEOS)]
    return pd.concat(parts, ignore_index=True)


def base_mapping(**changes: Any) -> Mapping:
    """The mapping of :func:`base_frame`; keyword arguments replace top-level roles."""
    data: dict[str, Any] = {
        "date": "week",
        "kpi": {"column": "revenue", "type": "revenue"},
        "channels": [
            {"name": "TV", "spend": "tv_spend"},
            {
                "name": "Search",
                "spend": "search_spend",
                "exposure": "search_clicks",
                "exposure_type": "clicks",
            },
            {"name": "Social", "spend": "social_spend"},
        ],
        "controls": ["price_index"],
        "events": ["event"],
    }
    data.update(changes)
    return Mapping.model_validate(data)


def geo_mapping(**changes: Any) -> Mapping:
    return base_mapping(geo="region", population="population", **changes)


def with_cells(frame: pd.DataFrame, cells: dict[tuple[int, str], object]) -> pd.DataFrame:
    """Copy of ``frame`` with cells replaced; keys are (1-based row, column)."""
    out = frame.copy()
    for (row, col), value in cells.items():
        try:
            out.loc[out.index[row - 1], col] = value
        except TypeError:  # a value the column's dtype cannot hold: make it an object column
            out[col] = out[col].astype(object)
            out.loc[out.index[row - 1], col] = value
    return out


def set_rows(frame: pd.DataFrame, rows: list[int], col: str, value: object) -> pd.DataFrame:
    return with_cells(frame, {(r, col): value for r in rows})


def drop_rows(frame: pd.DataFrame, rows: list[int]) -> pd.DataFrame:
    """Without the given 1-based rows, renumbered."""
    return frame.drop(index=frame.index[[r - 1 for r in rows]]).reset_index(drop=True)


def insert_copy(frame: pd.DataFrame, row: int) -> pd.DataFrame:
    """With a copy of 1-based ``row`` inserted right after it (the copy is row ``row + 1``)."""
    return pd.concat([frame.iloc[:row], frame.iloc[[row - 1]], frame.iloc[row:]], ignore_index=True)


def native_frame() -> pd.DataFrame:
    """:func:`base_frame` with native types (what Parquet or a DataFrame source gives)."""
    out = base_frame()
    out["week"] = pd.to_datetime(out["week"])
    for col in ("revenue", "tv_spend", "search_spend", "search_clicks", "social_spend"):
        out[col] = out[col].astype(float)
    out["price_index"] = out["price_index"].astype(float)
    return out


def _date(row: int, frame: pd.DataFrame | None = None) -> str:
    f = base_frame() if frame is None else frame
    return str(f["week"].iloc[row - 1])


def _case(
    id: str,
    frame: pd.DataFrame,
    code: str,
    mapping: Mapping | None = None,
    severity: Severity = Severity.ERROR,
    column: str | None = None,
    rows: tuple[int, ...] | None = None,
    in_message: tuple[str, ...] = (),
) -> MalformedCase:
    return MalformedCase(
        id=id,
        frame=frame,
        mapping=mapping or base_mapping(),
        expected_code=code,
        severity=severity,
        column=column,
        rows=rows,
        in_message=in_message,
    )


def _structure_cases(b: pd.DataFrame) -> list[MalformedCase]:
    return [
        _case("missing_kpi_column", b.drop(columns="revenue"), "missing_column", column="revenue"),
        _case(
            "typo_in_spend_column",
            b.rename(columns={"tv_spend": "tv_spnd"}),
            "missing_column",
            column="tv_spend",
            in_message=("tv_spend", "Available columns"),
        ),
        _case("missing_date_column", b.drop(columns="week"), "missing_column", column="week"),
        _case("missing_control", b.drop(columns="price_index"), "missing_column"),
        _case("missing_exposure", b.drop(columns="search_clicks"), "missing_column"),
        _case("case_mismatch", b.rename(columns={"revenue": "Revenue"}), "missing_column"),
        _case("integer_column_labels", pd.DataFrame(b.to_numpy()), "missing_column"),
        _case("header_only", b.iloc[:0], "empty_table"),
        _case("no_columns_no_rows", pd.DataFrame(), "empty_table"),
        _case(
            "duplicate_column",
            pd.concat([b, b[["tv_spend"]]], axis=1),
            "duplicate_column",
            column="tv_spend",
        ),
    ]


def _date_cases(b: pd.DataFrame) -> list[MalformedCase]:
    daily = base_frame(n=120, freq="D")
    monthly = base_frame(n=60, freq="MS")
    return [
        _case(
            "garbage_date",
            with_cells(b, {(5, "week"): "next monday"}),
            "bad_date",
            column="week",
            rows=(5,),
            in_message=("next monday",),
        ),
        _case("empty_date", with_cells(b, {(7, "week"): np.nan}), "bad_date", rows=(7,)),
        _case("blank_string_date", with_cells(b, {(9, "week"): "  "}), "bad_date", rows=(9,)),
        _case(
            "date_format_mismatch",
            b,
            "bad_date",
            mapping=base_mapping(date_format="%d/%m/%Y"),
            rows=tuple(range(1, 11)),
        ),
        _case("impossible_date", with_cells(b, {(8, "week"): "2021-02-30"}), "bad_date", rows=(8,)),
        _case(
            "other_date_format", with_cells(b, {(4, "week"): "01/25/2021"}), "bad_date", rows=(4,)
        ),
        _case("year_typo", with_cells(b, {(11, "week"): "0202-03-15"}), "bad_date", rows=(11,)),
        _case(
            "native_nat_date",
            with_cells(native_frame(), {(3, "week"): pd.NaT}),
            "bad_date",
            rows=(3,),
        ),
        _case("repeated_row", insert_copy(b, 30), "duplicate_date", column="week", rows=(31,)),
        _case(
            "same_date_twice",
            with_cells(b, {(50, "week"): _date(49)}),
            "duplicate_date",
            rows=(50,),
        ),
        _case(
            "duplicate_in_geo",
            insert_copy(geo_frame(), 130),
            "duplicate_date",
            mapping=geo_mapping(),
            rows=(131,),
            in_message=("south",),
        ),
        _case(
            "dropped_week",
            drop_rows(b, [40]),
            "irregular_dates",
            column="week",
            rows=(40,),
            in_message=(f"no row for {_date(40)}", "between rows 39 and 40"),
        ),
        _case(
            "three_weeks_missing",
            drop_rows(b, [60, 61, 62]),
            "irregular_dates",
            rows=(60,),
            in_message=(_date(60), "2 more"),
        ),
        _case(
            "shifted_date",
            with_cells(
                b, {(60, "week"): str((pd.Timestamp(_date(60)) + pd.Timedelta(days=2)).date())}
            ),
            "irregular_dates",
            rows=(60, 61),
            in_message=("9 days",),
        ),
        _case(
            "daily_frequency_on_weekly",
            b,
            "irregular_dates",
            mapping=base_mapping(frequency="daily"),
        ),
        _case(
            "weekly_frequency_on_daily",
            daily,
            "irregular_dates",
            mapping=base_mapping(frequency="weekly"),
        ),
        _case(
            "dropped_day",
            drop_rows(daily, [33]),
            "irregular_dates",
            rows=(33,),
            in_message=(_date(33, daily),),
        ),
        _case("monthly_data", monthly, "unsupported_frequency", column="week"),
        _case(
            "geo_missing_week",
            drop_rows(geo_frame(), [150]),
            "geo_missing_dates",
            mapping=geo_mapping(),
            column="region",
            in_message=("south",),
        ),
        _case(
            "geo_starts_late",
            drop_rows(geo_frame(), [121, 122, 123, 124, 125]),
            "geo_missing_dates",
            mapping=geo_mapping(),
            in_message=("south", "4 more"),
        ),
        _case(
            "missing_geo",
            with_cells(geo_frame(), {(17, "region"): np.nan}),
            "missing_geo",
            mapping=geo_mapping(),
            column="region",
            rows=(17,),
        ),
    ]


def _value_cases(b: pd.DataFrame) -> list[MalformedCase]:
    native = native_frame()
    many = list(range(3, 40, 3))  # 13 rows: only the first 10 are named
    return [
        _case(
            "text_in_spend",
            with_cells(b, {(3, "tv_spend"): "abc"}),
            "non_numeric",
            column="tv_spend",
            rows=(3,),
            in_message=("'abc'", "tv_spend"),
        ),
        _case(
            "thousands_separator_kpi",
            with_cells(b, {(10, "revenue"): "61,234.50"}),
            "non_numeric",
            column="revenue",
            rows=(10,),
            in_message=("61,234.50",),
        ),
        _case(
            "currency_in_control",
            with_cells(b, {(12, "price_index"): "$1.02"}),
            "non_numeric",
            column="price_index",
            rows=(12,),
        ),
        _case(
            "percent_in_exposure",
            with_cells(b, {(21, "search_clicks"): "12%"}),
            "non_numeric",
            column="search_clicks",
            rows=(21,),
        ),
        _case(
            "text_in_organic",
            with_cells(b, {(2, "newsletter"): "three"}),
            "non_numeric",
            mapping=base_mapping(organic=["newsletter"]),
            column="newsletter",
            rows=(2,),
        ),
        _case(
            "underscore_number",
            with_cells(b, {(6, "social_spend"): "1_000"}),
            "non_numeric",
            rows=(6,),
        ),
        _case(
            "text_in_native_float_column",
            with_cells(native, {(14, "tv_spend"): "n/a?"}),
            "non_numeric",
            rows=(14,),
        ),
        _case(
            "date_in_spend_column",
            with_cells(native, {(15, "social_spend"): pd.Timestamp("2021-01-01")}),
            "non_numeric",
            rows=(15,),
        ),
        _case(
            "negative_spend",
            with_cells(b, {(8, "social_spend"): "-120.5"}),
            "negative_spend",
            column="social_spend",
            rows=(8,),
        ),
        _case(
            "negative_exposure",
            with_cells(b, {(9, "search_clicks"): "-3"}),
            "negative_spend",
            column="search_clicks",
            rows=(9,),
        ),
        _case(
            "many_negative",
            set_rows(b, many, "search_spend", "-1"),
            "negative_spend",
            rows=tuple(r for r in many[:10]),
            in_message=("and 3 more",),
        ),
        _case(
            "nan_kpi",
            with_cells(b, {(15, "revenue"): np.nan}),
            "missing_kpi",
            column="revenue",
            rows=(15,),
        ),
        _case("empty_string_kpi", with_cells(b, {(16, "revenue"): ""}), "missing_kpi", rows=(16,)),
        _case("na_token_kpi", with_cells(b, {(17, "revenue"): "NA"}), "missing_kpi", rows=(17,)),
        _case(
            "native_nan_kpi",
            with_cells(native, {(18, "revenue"): np.nan}),
            "missing_kpi",
            rows=(18,),
        ),
        _case(
            "nan_spend",
            with_cells(b, {(20, "tv_spend"): np.nan}),
            "missing_spend",
            column="tv_spend",
            rows=(20,),
        ),
        _case(
            "nan_exposure",
            with_cells(b, {(22, "search_clicks"): np.nan}),
            "missing_spend",
            column="search_clicks",
            rows=(22,),
        ),
        _case(
            "null_token_spend",
            with_cells(b, {(23, "social_spend"): "null"}),
            "missing_spend",
            rows=(23,),
        ),
        _case(
            "nan_control",
            with_cells(b, {(24, "price_index"): np.nan}),
            "missing_value",
            column="price_index",
            rows=(24,),
        ),
        _case(
            "blank_numeric_event",
            with_cells(
                b.assign(promo=np.where(b["event"] == "promo", "1", "0")), {(25, "promo"): np.nan}
            ),
            "missing_value",
            mapping=base_mapping(events=["promo"]),
            column="promo",
            rows=(25,),
        ),
        _case(
            "inf_spend",
            with_cells(b, {(26, "tv_spend"): "inf"}),
            "infinite_value",
            column="tv_spend",
            rows=(26,),
        ),
        _case(
            "minus_inf_control",
            with_cells(b, {(27, "price_index"): "-inf"}),
            "infinite_value",
            column="price_index",
            rows=(27,),
        ),
        _case(
            "overflowing_kpi",
            with_cells(b, {(28, "revenue"): "1e400"}),
            "infinite_value",
            rows=(28,),
        ),
        _case(
            "native_inf",
            with_cells(native, {(29, "search_spend"): np.inf}),
            "infinite_value",
            rows=(29,),
        ),
        _case(
            "all_zero_channel",
            b.assign(social_spend="0"),
            "constant_channel",
            column="social_spend",
            in_message=("0 in every row",),
        ),
        _case(
            "constant_channel",
            b.assign(social_spend="1000"),
            "constant_channel",
            column="social_spend",
        ),
        _case(
            "constant_exposure",
            b.assign(search_clicks="500"),
            "constant_channel",
            column="search_clicks",
        ),
        _case("constant_kpi", b.assign(revenue="0"), "constant_kpi", column="revenue"),
        _case(
            "population_changes",
            set_rows(geo_frame(), [200, 201], "population", "810000"),
            "population_not_constant",
            mapping=geo_mapping(),
            column="population",
            rows=(200, 201),
            in_message=("south",),
        ),
        _case(
            "national_population_changes",
            with_cells(b.assign(pop="5000000"), {(90, "pop"): "5100000"}),
            "population_not_constant",
            mapping=base_mapping(population="pop"),
            rows=(90,),
        ),
        _case(
            "zero_population",
            set_rows(geo_frame(), list(range(1, 121)), "population", "0"),
            "non_positive_population",
            mapping=geo_mapping(),
            column="population",
        ),
    ]


def _dataset_cases(b: pd.DataFrame) -> list[MalformedCase]:
    rng = np.random.default_rng(11)
    tv = b["tv_spend"].astype(float).to_numpy()
    search = b["search_spend"].astype(float).to_numpy()
    extra = {f"c{i}": _fmt(rng.normal(size=N_ROWS)) for i in range(4)}
    sparse = np.zeros(N_ROWS)
    sparse[[10, 40, 70, 100]] = 2000.0
    clicks = b["search_clicks"].astype(float).to_numpy().copy()
    clicks[79] /= 100
    warn = Severity.WARNING
    return [
        _case("twenty_weeks", b.iloc[:20], "too_few_observations"),
        _case(
            "too_many_controls",
            b.iloc[:40].assign(**{k: v[:40] for k, v in extra.items()}),
            "too_few_observations",
            mapping=base_mapping(controls=["price_index", *extra]),
            in_message=("9 independent variables", "63"),
        ),
        _case("short_history", b.iloc[:45], "short_history", severity=warn),
        _case(
            "collinear_channels",
            b.assign(
                social_spend=_fmt(np.maximum(0.8 * tv + rng.normal(0, 300, N_ROWS) + 1000, 0))
            ),
            "collinear_channels",
            severity=warn,
            in_message=("'TV'", "'Social'"),
        ),
        _case(
            "high_vif",
            b.assign(social_spend=_fmt(0.5 * tv + 3 * search + rng.normal(0, 300, N_ROWS))),
            "high_vif",
            severity=warn,
        ),
        _case(
            "sparse_channel",
            b.assign(social_spend=_fmt(sparse)),
            "sparse_channel",
            severity=warn,
            column="social_spend",
            rows=(11, 41, 71, 101),
        ),
        _case(
            "kpi_outlier",
            with_cells(b, {(70, "revenue"): "900000.00"}),
            "kpi_outlier",
            severity=warn,
            column="revenue",
            rows=(70,),
            in_message=(_date(70),),
        ),
        _case(
            "cost_per_exposure_jump",
            b.assign(search_clicks=_fmt(clicks, 0)),
            "cost_per_exposure_jump",
            severity=warn,
            column="search_clicks",
            rows=(80, 81),
            in_message=(_date(79), _date(80)),
        ),
        _case(
            "constant_control",
            b.assign(price_index="1.0"),
            "constant_control",
            severity=warn,
            column="price_index",
        ),
        _case(
            "filled_zero",
            set_rows(b, [20, 21], "tv_spend", np.nan),
            "filled_zero",
            mapping=base_mapping(fill="zero"),
            severity=warn,
            column="tv_spend",
            rows=(20, 21),
        ),
    ]


def build_cases() -> list[MalformedCase]:
    """Every case of the corpus (built fresh; frames are not shared between cases)."""
    b = base_frame()
    return [*_structure_cases(b), *_date_cases(b), *_value_cases(b), *_dataset_cases(b)]


CASES: list[MalformedCase] = build_cases()
ERROR_CASES = [c for c in CASES if c.severity == Severity.ERROR]
WARNING_CASES = [c for c in CASES if c.severity != Severity.ERROR]

__all__ = [
    "CASES",
    "ERROR_CASES",
    "WARNING_CASES",
    "MalformedCase",
    "base_frame",
    "base_mapping",
    "build_cases",
    "geo_frame",
    "geo_mapping",
]
