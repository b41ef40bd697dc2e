"""``mixwise fit --engine meridian`` without its environment, and ``mixwise engines list``."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_fit_without_the_meridian_environment_says_how_to_install_it(
    run_cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    shared_datasets: Path,
    mappings_dir: Path,
) -> None:
    monkeypatch.setenv("MIXWISE_MERIDIAN_ENV", str(tmp_path / "none"))
    out = tmp_path / "run"
    data = shared_datasets / "meridian_national_all_channels.csv"
    mapping = mappings_dir / "meridian_national_all_channels.yaml"
    res = run_cli("fit", str(data), "-m", str(mapping), "--engine", "meridian", "-o", str(out))
    assert res.exit_code == 2 and "Traceback" not in res.text
    assert "mixwise engines install meridian" in res.text
    assert not out.exists()
    listed = run_cli("engines", "list")
    assert listed.exit_code == 0
    assert "meridian" in listed.out and "not installed" in listed.out
