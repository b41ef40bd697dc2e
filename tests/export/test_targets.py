"""Export targets: close-match suggestions, folders written whole, the CLI and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from mixwise.errors import MixwiseError
from mixwise.export.targets import check_target, target_names


def test_unknown_target_suggests_close_matches() -> None:
    with pytest.raises(MixwiseError) as exc:
        check_target("robin")
    assert "unknown export target 'robin'" in exc.value.message
    assert "Did you mean robyn" in exc.value.hint
    assert set(target_names()) == {"pymc-marketing", "meridian", "robyn"}


def test_cli_export_and_bad_input(
    run_cli, shared_datasets: Path, mappings_dir: Path, tmp_path: Path
) -> None:
    data = str(shared_datasets / "pymc_marketing_mmm_example.csv")
    mapping = str(mappings_dir / "pymc_marketing_mmm_example.yaml")
    out = tmp_path / "pm"
    bad = run_cli("export", data, "--mapping", mapping, "--to", "pymc_marketing", "--out", str(out))
    assert bad.exit_code == 2 and "Did you mean pymc-marketing" in bad.text
    assert "Traceback" not in bad.text and not out.exists()
    ok = run_cli("export", data, "--mapping", mapping, "--to", "pymc-marketing", "--out", str(out))
    assert ok.exit_code == 0, ok.text
    assert sorted(p.name for p in out.iterdir()) == [
        "README.txt", "data.csv", "fit_pymc_marketing.py"
    ]  # fmt: skip
    again = run_cli("export", data, "--mapping", mapping, "--to", "robyn", "--out", str(out))
    assert again.exit_code == 2 and "not empty" in again.text
