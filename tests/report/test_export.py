"""Exports: every table to xlsx (one sheet each) or csv (one file each), figures to PNG."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from mixwise.errors import MixwiseError
from mixwise.report import Report, export_figures, export_tables

pytestmark = pytest.mark.slow  # every test here uses the session's real fit

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_xlsx_has_one_sheet_per_table(report: Report, tmp_path: Path) -> None:
    path = export_tables(report, tmp_path / "report.xlsx", "xlsx")
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == [t.key for t in report.tables]
    for table in report.tables:
        header = next(book[table.key].iter_rows(max_row=1, values_only=True), ())
        if not table.frame.columns.empty:
            assert list(header) == [str(c) for c in table.frame.columns]
    back = pd.read_excel(path, sheet_name="efficiency")
    expected = next(t.frame for t in report.tables if t.key == "efficiency")
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)


def test_csv_has_one_file_per_table(report: Report, tmp_path: Path) -> None:
    folder = export_tables(report, tmp_path / "tables", "csv")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t.key}.csv" for t in report.tables)
    back = pd.read_csv(folder / "contributions.csv")
    expected = next(t.frame for t in report.tables if t.key == "contributions")
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)


def test_unknown_export_format_is_a_user_error(report: Report, tmp_path: Path) -> None:
    with pytest.raises(MixwiseError, match="unknown export format"):
        export_tables(report, tmp_path / "x", "pdf")


def _two_figures(report: Report) -> Report:
    section = report.sections[2]  # model fit: actual vs predicted and residuals
    return replace(report, sections=(section,))


def test_png_export_writes_every_figure(report: Report, tmp_path: Path, chromium: Path) -> None:
    small = _two_figures(report)
    paths = export_figures(small, tmp_path / "png")
    assert [p.name for p in paths] == [f"{f.key}.png" for f in small.figures]
    for p in paths:
        data = p.read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 10_000


def test_png_export_without_a_browser_is_a_clear_error(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    with pytest.raises(MixwiseError) as exc:
        export_figures(_two_figures(report), tmp_path / "png")
    assert "no Chromium browser found" in exc.value.message
    assert "apt-get install chromium" in exc.value.hint
