"""``mixwise report``: exit codes, files written, JSON output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow  # every test here uses the session's real fit


def test_report_command_writes_html_and_csv_tables(
    run_cli: Any, run_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "report.html"
    r = run_cli("report", str(run_dir), "-o", str(out), "--export", "csv", "--json")
    assert r.exit_code == 0, r.err
    doc = json.loads(r.out)
    assert doc["report"] == str(out) and out.is_file()
    assert doc["tables"] == str(tmp_path / "out" / "report-tables")
    assert (tmp_path / "out" / "report-tables" / "efficiency.csv").is_file()
    assert doc["sections"][0] == "Executive summary" and len(doc["sections"]) == 8
    assert doc["approximate"] is False


def test_report_command_on_a_missing_run_exits_2(run_cli: Any, tmp_path: Path) -> None:
    r = run_cli("report", str(tmp_path / "nothing"), "-o", str(tmp_path / "r.html"))
    assert r.exit_code == 2
    assert "no fit result" in r.err and "Hint:" in r.err
    assert "Traceback" not in r.err


def test_report_command_rejects_a_bad_interval(run_cli: Any, run_dir: Path, tmp_path: Path) -> None:
    r = run_cli("report", str(run_dir), "-o", str(tmp_path / "r.html"), "--interval", "90")
    assert r.exit_code == 2
    assert "interval must be between 0 and 1" in r.err


def test_report_help_has_an_example(run_cli: Any) -> None:
    r = run_cli("report", "--help")
    assert r.exit_code == 0
    assert "Example: mixwise report" in r.out
