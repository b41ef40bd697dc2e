"""Every malformed input of the corpus yields its finding, through the whole load pipeline."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.data.malformed import (
    CASES,
    ERROR_CASES,
    WARNING_CASES,
    MalformedCase,
    base_frame,
    base_mapping,
    geo_frame,
    geo_mapping,
    with_cells,
)

from mixwise.data.findings import Finding, Severity
from mixwise.data.pipeline import load_dataset, validate
from mixwise.errors import InputFileError, ValidationFailed

CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def _matching(case: MalformedCase, findings: list[Finding]) -> list[Finding]:
    found = [f for f in findings if f.code == case.expected_code]
    assert found, f"{case.id}: expected {case.expected_code}, got {[f.code for f in findings]}"
    if case.column is not None:
        found = [f for f in found if f.column == case.column]
        assert found, f"{case.id}: no {case.expected_code} finding on column {case.column}"
    return found


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 45
    assert len({c.id for c in CASES}) == len(CASES)
    assert len(WARNING_CASES) >= 8


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_yields_its_finding(case: MalformedCase) -> None:
    report = validate(case.frame, case.mapping)
    found = _matching(case, report.findings)
    assert all(f.severity == case.severity for f in found)
    finding = found[0]
    if case.rows is not None:
        assert finding.rows == case.rows
    for text in case.in_message:
        assert text in finding.message, finding.message
    if finding.column is not None:
        assert finding.column in finding.message
    if finding.rows:
        assert re.search(rf"\b{finding.rows[0]}\b", finding.message), finding.message
    for f in report.findings:
        assert CODE.match(f.code) and f.message and f.hint, f
        assert len(f.rows) <= Finding.MAX_ROWS and all(r >= 1 for r in f.rows), f


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c.id for c in ERROR_CASES])
def test_error_case_blocks_loading(case: MalformedCase) -> None:
    assert not validate(case.frame, case.mapping).ok
    with pytest.raises(ValidationFailed) as info:
        load_dataset(case.frame, case.mapping)
    assert case.expected_code in {f.code for f in info.value.findings}
    assert info.value.message and info.value.hint


@pytest.mark.parametrize("case", WARNING_CASES, ids=[c.id for c in WARNING_CASES])
def test_warning_case_loads_and_keeps_the_warning(case: MalformedCase) -> None:
    report = validate(case.frame, case.mapping)
    assert report.ok, [f.message for f in report.errors]
    dataset = load_dataset(case.frame, case.mapping)
    assert case.expected_code in {f.code for f in dataset.findings}


@pytest.mark.parametrize(
    ("frame", "mapping"),
    [
        (base_frame(), base_mapping()),
        (base_frame(n=400, freq="D"), base_mapping()),
        (geo_frame(), geo_mapping()),
        (base_frame(), base_mapping(organic=["newsletter"], frequency="weekly")),
    ],
    ids=["weekly", "daily", "geo", "organic"],
)
def test_clean_base_has_no_findings(frame: pd.DataFrame, mapping: object) -> None:
    report = validate(frame, mapping)  # type: ignore[arg-type]
    assert report.findings == []


def test_missing_column_hint_suggests_the_closest_name() -> None:
    frame = base_frame().rename(columns={"tv_spend": "tv_spnd"})
    (finding,) = validate(frame, base_mapping()).findings
    assert "'tv_spend' -> 'tv_spnd'" in finding.hint
    assert "spend of channel 'TV'" in finding.message


def test_fill_zero_fills_and_reports() -> None:
    frame = with_cells(base_frame(), {(20, "tv_spend"): np.nan, (21, "search_clicks"): ""})
    dataset = load_dataset(frame, base_mapping(fill="zero"))
    assert dataset.frame.loc[19, "tv_spend"] == 0.0
    assert dataset.frame.loc[20, "search_clicks"] == 0.0
    filled = {f.column: f.rows for f in dataset.findings if f.code == "filled_zero"}
    assert filled == {"tv_spend": (20,), "search_clicks": (21,)}


def test_text_is_an_error_even_with_fill_zero() -> None:
    frame = with_cells(base_frame(), {(5, "tv_spend"): "n.a."})
    report = validate(frame, base_mapping(fill="zero"))
    assert "non_numeric" in {f.code for f in report.errors}


# -- CSV files: the loader reads every cell as text, the checks name the bad ones ----------------
def _write(tmp_path: Path, frame: pd.DataFrame, name: str = "data.csv", **kw: object) -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False, **kw)  # type: ignore[call-overload]
    return path


def test_csv_clean(tmp_path: Path) -> None:
    dataset = load_dataset(_write(tmp_path, base_frame()), base_mapping())
    assert dataset.n_periods == 120 and dataset.frequency == "weekly"


@pytest.mark.parametrize(
    ("cells", "code", "rows"),
    [
        ({(3, "tv_spend"): "abc"}, "non_numeric", (3,)),
        ({(10, "revenue"): "61,234.50"}, "non_numeric", (10,)),
        ({(15, "revenue"): ""}, "missing_kpi", (15,)),
        ({(20, "social_spend"): "NA"}, "missing_spend", (20,)),
        ({(8, "social_spend"): "-5"}, "negative_spend", (8,)),
        ({(5, "week"): "2021-13-01"}, "bad_date", (5,)),
        ({(6, "price_index"): "inf"}, "infinite_value", (6,)),
    ],
)
def test_csv_cells(
    tmp_path: Path, cells: dict[tuple[int, str], str], code: str, rows: tuple[int, ...]
) -> None:
    path = _write(tmp_path, with_cells(base_frame(), cells))
    report = validate(path, base_mapping())
    (finding,) = [f for f in report.findings if f.code == code]
    assert finding.rows == rows and finding.severity == Severity.ERROR


def test_csv_semicolon_with_decimal_commas(tmp_path: Path) -> None:
    frame = base_frame().assign(revenue=lambda f: f["revenue"].str.replace(".", ",", regex=False))
    report = validate(_write(tmp_path, frame, sep=";"), base_mapping())
    (finding,) = [f for f in report.findings if f.code == "non_numeric"]
    assert finding.column == "revenue" and finding.rows == tuple(range(1, 11))
    assert "thousands separators" in finding.hint


def test_csv_dropped_row_and_duplicate(tmp_path: Path) -> None:
    frame = base_frame()
    broken = pd.concat([frame.iloc[:10], frame.iloc[[9]], frame.iloc[11:]], ignore_index=True)
    report = validate(_write(tmp_path, broken), base_mapping())
    assert {"duplicate_date", "irregular_dates"} <= report.codes()
    dup = next(f for f in report.findings if f.code == "duplicate_date")
    assert dup.rows == (11,)
    gap = next(f for f in report.findings if f.code == "irregular_dates")
    assert f"no row for {frame['week'].iloc[10]}" in gap.message


def test_csv_missing_column(tmp_path: Path) -> None:
    path = _write(tmp_path, base_frame().drop(columns="price_index"))
    (finding,) = validate(path, base_mapping()).findings
    assert finding.code == "missing_column" and finding.column == "price_index"


def test_csv_header_only_is_an_input_error(tmp_path: Path) -> None:
    path = _write(tmp_path, base_frame().iloc[:0])
    with pytest.raises(InputFileError):
        validate(path, base_mapping())
