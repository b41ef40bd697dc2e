"""Unit tests of the checks: parsing, messages, thresholds and the typed frame from coerce."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.data.malformed import base_frame, base_mapping, drop_rows, geo_frame, geo_mapping

from mixwise.data import checks
from mixwise.data.checks._parse import parse_dates, parse_numbers
from mixwise.data.checks.statistics import robust_z, vif
from mixwise.data.dataset import MMMDataset
from mixwise.data.findings import Severity
from mixwise.data.mapping import Mapping
from mixwise.data.pipeline import load_dataset, validate


def _codes(findings: list) -> set[str]:
    return {f.code for f in findings}


# -- parsing -----------------------------------------------------------------------------------
def test_parse_numbers_from_text() -> None:
    p = parse_numbers(pd.Series([" 12 ", "1e3", "abc", "", None, "NA", "inf", "1,5"], dtype="str"))
    assert p.values.iloc[:2].tolist() == [12.0, 1000.0]
    assert p.missing.tolist() == [False, False, False, True, True, True, False, False]
    assert p.bad.tolist() == [False, False, True, False, False, False, False, True]
    assert np.isinf(p.values.iloc[6])


@pytest.mark.parametrize(
    ("series", "bad"),
    [
        (pd.Series([1, 2], dtype="Int64"), [False, False]),
        (pd.Series([True, False]), [False, False]),
        (pd.Series([1.5, "x", [1], {"a": 1}, b"7", 3j], dtype=object), [0, 1, 1, 1, 1, 1]),
        (pd.Series(pd.to_datetime(["2021-01-04", "2021-01-11"])), [True, True]),
        (pd.Series(pd.Categorical(["1", "two"])), [False, True]),
    ],
)
def test_parse_numbers_native_types(series: pd.Series, bad: list[bool]) -> None:
    assert parse_numbers(series).bad.tolist() == [bool(b) for b in bad]


def test_parse_dates_guesses_day_first() -> None:
    p = parse_dates(pd.Series(["04/01/2021", "11/01/2021", "18/01/2021"]))
    assert p.format == "%d/%m/%Y" and p.ok.all()
    assert p.values.iloc[2] == pd.Timestamp("2021-01-18")


def test_parse_dates_respects_the_format_and_flags_other_rows() -> None:
    p = parse_dates(pd.Series(["04.01.2021", "2021-01-11"]), "%d.%m.%Y")
    assert p.bad.tolist() == [False, True]


@pytest.mark.parametrize(
    "series",
    [
        pd.Series([20210104, 20210111]),
        pd.Series([dt.date(2021, 1, 4), dt.date(2021, 1, 11)], dtype=object),
        pd.Series(pd.to_datetime(["2021-01-04", "2021-01-11"]).tz_localize("Europe/Paris")),
        pd.Series(["2021-01-04T00:00:00", "2021-01-11T00:00:00"]),
    ],
)
def test_parse_dates_native_and_odd_inputs(series: pd.Series) -> None:
    p = parse_dates(series)
    assert p.ok.all() and p.values.dtype == "datetime64[ns]"
    assert p.values.iloc[1] == pd.Timestamp("2021-01-11")


# -- messages named in the brief ---------------------------------------------------------------
def test_gap_message_names_the_missing_date_and_rows() -> None:
    frame = drop_rows(base_frame(n=60, start="2020-01-06"), [11])  # 2020-03-16
    (f,) = checks.check_table(frame, base_mapping())
    assert f.code == "irregular_dates" and f.rows == (11,)
    assert "no row for 2020-03-16 (between rows 10 and 11)" in f.message


def test_unsorted_clean_table_is_fine_and_coerce_sorts() -> None:
    frame = base_frame().sample(frac=1.0, random_state=3).reset_index(drop=True)
    assert checks.check_table(frame, base_mapping()) == []
    typed, frequency, fills = checks.coerce(frame, base_mapping())
    assert frequency == "weekly" and fills == []
    assert typed["week"].is_monotonic_increasing and list(typed.index) == list(range(120))


def test_coerce_types() -> None:
    frame = geo_frame().iloc[::-1].assign(promo=lambda f: (f["event"] == "promo").astype(int))
    mapping = geo_mapping(events=["event", "promo"], organic=["newsletter"])
    typed, frequency, _ = checks.coerce(frame, mapping)
    assert frequency == "weekly"
    assert typed["week"].dtype == "datetime64[ns]"
    assert all(typed[c].dtype == float for c in ["revenue", "tv_spend", "population", "promo"])
    assert pd.api.types.is_string_dtype(typed["region"]) and pd.api.types.is_string_dtype(
        typed["event"]
    )
    assert typed[["region", "week"]].equals(
        typed[["region", "week"]].sort_values(["region", "week"]).reset_index(drop=True)
    )
    assert set(typed.columns) == {c for _, c in mapping.role_columns()}


@pytest.mark.parametrize(("freq", "expected"), [("D", "daily"), ("7D", "weekly")])
def test_coerce_detects_frequency(freq: str, expected: str) -> None:
    _, frequency, _ = checks.coerce(base_frame(n=30, freq=freq), base_mapping())
    assert frequency == expected


def test_unsupported_types_in_every_role_do_not_raise() -> None:
    frame = base_frame(n=12)
    weird = [[1], {"a": 2}, 3j, b"x", object(), dt.time(1, 2), pd.Timedelta(days=1)]
    for col in frame.columns:
        broken = frame.astype(object)
        broken.loc[: len(weird) - 1, col] = pd.Series(weird, dtype=object)
        findings = checks.check_table(broken, base_mapping(organic=["newsletter"]))
        assert all(f.message for f in findings)


def test_non_string_labels_and_empty_frames() -> None:
    assert _codes(checks.check_table(pd.DataFrame({0: [1], 1: [2]}), base_mapping())) == {
        "missing_column"
    }
    assert "empty_table" in _codes(checks.check_table(pd.DataFrame(), base_mapping()))


def test_blank_rows_skipped_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    text = base_frame().to_csv(index=False).splitlines()
    path.write_text("\n".join([*text[:5], ",,,,,,,,", *text[5:]]) + "\n")
    report = validate(path, base_mapping())
    assert report.ok and "blank_rows_skipped" in report.codes()


# -- dataset statistics ------------------------------------------------------------------------
def _dataset(frame: pd.DataFrame, mapping: Mapping | None = None) -> MMMDataset:
    m = mapping or base_mapping()
    typed, frequency, _ = checks.coerce(frame, m)
    return MMMDataset(typed, m, frequency)


def test_vif_matches_the_two_variable_formula() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=500)
    b = 0.8 * a + 0.6 * rng.normal(size=500)
    r = np.corrcoef(a, b)[0, 1]
    v = vif(pd.DataFrame({"a": a, "b": b}))
    assert v["a"] == pytest.approx(1 / (1 - r**2)) and v["b"] == pytest.approx(v["a"])


def test_robust_z() -> None:
    z = robust_z(np.array([1.0, 2.0, 3.0, 4.0, 100.0]))
    assert z[2] == 0 and z[4] == pytest.approx(0.6745 * 97 / 1)
    assert robust_z(np.array([5.0, 5.0, 5.0, 5.0, 9.0]))[4] == pytest.approx(4 / (1.2533 * 0.8))


def test_too_few_observations_gives_the_numbers() -> None:
    findings = checks.check_dataset(_dataset(base_frame(n=30)))
    (f,) = [f for f in findings if f.code == "too_few_observations"]
    assert f.severity == Severity.ERROR
    assert "30 weekly periods for 5 independent variables" in f.message and "35" in f.message


@pytest.mark.parametrize(("n", "warned"), [(51, True), (52, False)])
def test_short_history_threshold(n: int, warned: bool) -> None:
    findings = checks.check_dataset(_dataset(base_frame(n=n)))
    assert ("short_history" in _codes(findings)) is warned


@pytest.mark.parametrize(("active", "warned"), [(4, True), (11, True), (12, False)])
def test_sparse_channel_threshold(active: int, warned: bool) -> None:
    spend = np.zeros(120)
    spend[np.linspace(0, 119, active).astype(int)] = 1000.0
    frame = base_frame().assign(social_spend=[f"{v:.2f}" for v in spend])
    assert ("sparse_channel" in _codes(checks.check_dataset(_dataset(frame)))) is warned


def test_collinear_pair_is_named_with_r() -> None:
    frame = base_frame()
    frame["social_spend"] = frame["search_spend"]
    (f,) = [f for f in checks.check_dataset(_dataset(frame)) if f.code == "collinear_channels"]
    assert "'Search'" in f.message and "'Social'" in f.message and "r = 1.00" in f.message
    assert {"high_vif"} <= _codes(checks.check_dataset(_dataset(frame)))


def test_kpi_outlier_per_geo_names_geo() -> None:
    frame = geo_frame()
    frame.loc[150, "revenue"] = "5000000"
    (f,) = [
        f for f in checks.check_dataset(_dataset(frame, geo_mapping())) if f.code == "kpi_outlier"
    ]
    assert f.rows == (151,) and "south" in f.message


# -- reference datasets ------------------------------------------------------------------------
def test_reference_datasets_load(shared_datasets: Path) -> None:
    robyn = Mapping.model_validate(
        {
            "date": "DATE",
            "kpi": {"column": "revenue"},
            "channels": [
                {"name": "tv", "spend": "tv_S"},
                {"name": "facebook", "spend": "facebook_S", "exposure": "facebook_I"},
                {"name": "search", "spend": "search_S", "exposure": "search_clicks_P"},
            ],
            "controls": ["competitor_sales_B"],
            "organic": ["newsletter"],
            "events": ["events"],
        }
    )
    ds = load_dataset(shared_datasets / "robyn_dt_simulated_weekly.csv", robyn)
    assert ds.n_periods == 208 and ds.frame["events"].dtype != float
    assert _codes(list(ds.findings)) <= {"cost_per_exposure_jump"}
    geo = Mapping.model_validate(
        {
            "date": "time",
            "geo": "geo",
            "population": "population",
            "kpi": {"column": "conversions", "type": "conversions"},
            "channels": [{"name": f"c{i}", "spend": f"Channel{i}_spend"} for i in range(5)],
            "events": ["Promo"],
        }
    )
    report = validate(shared_datasets / "meridian_geo_all_channels.csv", geo)
    assert report.ok and not report.warnings
