"""init-mapping, validate, describe, synth through the real CLI entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from mixwise.data.mapping import Mapping

ROBYN = "robyn_dt_simulated_weekly"


def test_help_lists_data_commands(run_cli) -> None:
    res = run_cli("--help")
    assert res.exit_code == 0
    for cmd in ("init-mapping", "validate", "describe", "synth"):
        assert cmd in res.out


def test_init_mapping_proposes_robyn_roles(run_cli, shared_datasets: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.yaml"
    res = run_cli("init-mapping", str(shared_datasets / f"{ROBYN}.csv"), "-o", str(out))
    assert res.exit_code == 0, res.text
    m = Mapping.load(out)
    assert m.date == "DATE" and m.kpi.column == "revenue"
    assert {c.spend for c in m.channels} == {"tv_S", "ooh_S", "print_S", "facebook_S", "search_S"}
    fb = next(c for c in m.channels if c.spend == "facebook_S")
    assert fb.exposure == "facebook_I" and fb.exposure_type == "impressions"
    assert m.controls == ["competitor_sales_B"]
    assert m.events == ["events"] and m.organic == ["newsletter"]
    assert "channel" in res.out  # says what it guessed


def test_init_mapping_refuses_to_overwrite(run_cli, shared_datasets: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.yaml"
    out.write_text("keep me")
    res = run_cli("init-mapping", str(shared_datasets / f"{ROBYN}.csv"), "-o", str(out))
    assert res.exit_code == 2
    assert "--force" in res.text and "Traceback" not in res.text
    assert out.read_text() == "keep me"


@pytest.mark.parametrize(
    "name",
    [
        "pymc_marketing_mmm_example",
        "robyn_dt_simulated_weekly",
        "robyn_dt_prophet_holidays",
        "meridian_national_all_channels",
        "meridian_national_media_rf",
        "meridian_geo_all_channels",
        "meridian_geo_media_rf",
    ],
)
def test_every_reference_dataset_validates_with_its_mapping(
    run_cli, shared_datasets: Path, mappings_dir: Path, name: str
) -> None:
    res = run_cli(
        "validate",
        str(shared_datasets / f"{name}.csv"),
        "--mapping",
        str(mappings_dir / f"{name}.yaml"),
        "--json",
    )
    assert res.exit_code == 0, res.text
    report = json.loads(res.out)
    assert report["ok"] is True
    assert not [f for f in report["findings"] if f["severity"] == "error"]


def test_fivetran_example_validates_but_is_too_short_to_fit(
    run_cli, shared_datasets: Path, mappings_dir: Path
) -> None:
    """The Fivetran example is a format sample: 16 ad rows over 3 days. Every row-level check
    passes; the only error is the honest one: 3 periods cannot support 3 channels."""
    name = "fivetran_ad_reporting_example"
    res = run_cli(
        "validate",
        str(shared_datasets / f"{name}.csv"),
        "--mapping",
        str(mappings_dir / f"{name}.yaml"),
        "--json",
    )
    report = json.loads(res.out)
    errors = {f["code"] for f in report["findings"] if f["severity"] == "error"}
    assert errors == {"too_few_observations"}
    assert res.exit_code == 2 and "Traceback" not in res.text


def test_every_reference_dataset_has_a_mapping(shared_datasets: Path, mappings_dir: Path) -> None:
    for csv in shared_datasets.glob("*.csv"):
        assert (mappings_dir / f"{csv.stem}.yaml").is_file(), f"no mapping for {csv.name}"


def test_validate_bad_data_exits_2_with_finding(
    run_cli, shared_datasets: Path, mappings_dir: Path, tmp_path: Path
) -> None:
    df = pd.read_csv(shared_datasets / f"{ROBYN}.csv")
    df.loc[5, "tv_S"] = -10.0
    bad = tmp_path / "bad.csv"
    df.to_csv(bad, index=False)
    res = run_cli("validate", str(bad), "--mapping", str(mappings_dir / f"{ROBYN}.yaml"))
    assert res.exit_code == 2
    assert "negative_spend" in res.text and "tv_S" in res.text
    assert "Traceback" not in res.text


def test_missing_file_and_bad_mapping_exit_2(run_cli, tmp_path: Path, mappings_dir: Path) -> None:
    res = run_cli(
        "validate", str(tmp_path / "nope.csv"), "--mapping", str(mappings_dir / f"{ROBYN}.yaml")
    )
    assert res.exit_code == 2 and "Traceback" not in res.text and "Hint" in res.err
    bad_map = tmp_path / "m.yaml"
    bad_map.write_text(yaml.safe_dump({"date": "DATE", "kpi": {"column": "revenue"}}))
    res = run_cli("validate", str(tmp_path / "nope.csv"), "--mapping", str(bad_map))
    assert res.exit_code == 2 and "channels" in res.err and "Traceback" not in res.text


def test_describe_reports_spend_shares(run_cli, shared_datasets: Path, mappings_dir: Path) -> None:
    res = run_cli(
        "describe",
        str(shared_datasets / f"{ROBYN}.csv"),
        "--mapping",
        str(mappings_dir / f"{ROBYN}.yaml"),
        "--json",
    )
    assert res.exit_code == 0, res.text
    data = json.loads(res.out)
    df = pd.read_csv(shared_datasets / f"{ROBYN}.csv")
    spends = {c["channel"]: c["spend"] for c in data["channels"]}
    assert spends["tv"] == pytest.approx(df["tv_S"].sum(), rel=1e-9)
    shares = sum(c["spend_share"] for c in data["channels"])
    assert shares == pytest.approx(1.0)
    assert data["period"]["periods"] == 208


def test_synth_writes_data_that_validates(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "syn"
    res = run_cli("synth", "--preset", "demo", "--seed", "7", "--out", str(out))
    assert res.exit_code == 0, res.text
    res = run_cli("validate", str(out / "data.csv"), "--mapping", str(out / "mapping.yaml"))
    assert res.exit_code == 0, res.text
    truth = json.loads((out / "truth.json").read_text())
    assert truth  # truth travels with the data


def test_console_script_debug_shows_traceback_only_on_request(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("mixwise")
    args = [str(exe), "validate", str(tmp_path / "nope.csv"), "--mapping", str(tmp_path / "m.yaml")]
    plain = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert plain.returncode == 2 and "Traceback" not in plain.stdout + plain.stderr
    debug = subprocess.run(
        [args[0], "--debug", *args[1:]], capture_output=True, text=True, timeout=120
    )
    assert debug.returncode == 2 and "Traceback" in debug.stdout + debug.stderr
