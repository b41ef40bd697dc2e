"""The malformed-input corpus through the real CLI: every error case exits 2, names the expected
finding code, and shows no traceback. Text cases travel as CSV (how users bring data), cases with
native types (inf, numbers) as Parquet, so the file carries exactly the defect."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.data.malformed import ERROR_CASES, MalformedCase


def _write(case: MalformedCase, folder: Path) -> Path:
    frame = case.frame
    text_only = all(
        frame.iloc[:, i].map(lambda v: v is None or isinstance(v, str) or pd.isna(v)).all()
        for i in range(frame.shape[1])
    )
    if text_only:
        path = folder / "data.csv"
        frame.to_csv(path, index=False)
        return path
    path = folder / "data.parquet"
    try:
        frame.to_parquet(path, index=False)
    except Exception:  # mixed text and numbers in one column: CSV keeps the text as written
        path = folder / "data.csv"
        frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("case", ERROR_CASES, ids=[c.id for c in ERROR_CASES])
def test_error_case_exits_2_with_code(run_cli, case: MalformedCase, tmp_path: Path) -> None:
    data = _write(case, tmp_path)
    mapping = tmp_path / "mapping.yaml"
    case.mapping.save(mapping)
    res = run_cli("validate", str(data), "--mapping", str(mapping), "--json")
    assert res.exit_code == 2, res.text
    assert "Traceback" not in res.text
    if res.out.strip().startswith("{"):
        codes = {f["code"] for f in json.loads(res.out)["findings"]}
        assert case.expected_code in codes, (case.id, codes)
    else:  # the file itself was refused before checks (e.g. a header-only CSV): message + hint
        assert "Error:" in res.err and "Hint:" in res.err


def test_corpus_is_large_enough() -> None:
    assert len(ERROR_CASES) >= 40


def test_a_decompression_bomb_exits_2_naming_the_limit(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.data.bombs import xlsx

    bomb = xlsx(tmp_path / "bomb.xlsx", sheet_rows=1_100_000)
    res = run_cli("init-mapping", str(bomb))
    assert res.exit_code == 2, res.text
    assert "1,000,000 rows" in res.text and "Traceback" not in res.text
