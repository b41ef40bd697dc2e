"""simulate, optimize and compare through the CLI on a real (small, quick) fit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mixwise.cli.app import main
    from mixwise.data.synthetic import generate, preset

    data = tmp_path_factory.mktemp("data")
    generate(preset("small"), seed=5).save(data)
    spec = data / "spec.yaml"
    spec.write_text(yaml.safe_dump({"sampler": {"mode": "quick", "advi_iterations": 5000}}))
    run = tmp_path_factory.mktemp("runs") / "run"
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "fit",
                str(data / "data.csv"),
                "--mapping",
                str(data / "mapping.yaml"),
                "--spec",
                str(spec),
                "--out",
                str(run),
            ]
        )
    assert exc.value.code == 0
    return run


def test_optimize_writes_plan_json_within_budget(run_cli, run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    res = run_cli(
        "optimize", str(run_dir), "--budget", "500000", "--periods", "13", "--out", str(out)
    )
    assert res.exit_code == 0, res.text
    plan = json.loads(out.read_text())
    assert sum(plan["allocation"].values()) == pytest.approx(500000, rel=1e-6)
    assert plan["expected_kpi"]["lo"] <= plan["expected_kpi"]["mean"] <= plan["expected_kpi"]["hi"]
    assert set(plan["current"]) >= {"allocation", "expected_kpi"}


def test_optimize_bounds_csv_is_respected(run_cli, run_dir: Path, tmp_path: Path) -> None:
    bounds = tmp_path / "bounds.csv"
    bounds.write_text("channel,min,max\nTV,200000,250000\n")
    res = run_cli("optimize", str(run_dir), "--budget", "500000", "--bounds", str(bounds), "--json")
    assert res.exit_code == 0, res.text
    tv = json.loads(res.out)["allocation"]["TV"]
    assert 200000 - 1e-3 <= tv <= 250000 + 1e-3


def test_infeasible_budget_is_a_clear_error(run_cli, run_dir: Path, tmp_path: Path) -> None:
    bounds = tmp_path / "bounds.csv"
    bounds.write_text("channel,min,max\nTV,900000,1000000\n")
    res = run_cli("optimize", str(run_dir), "--budget", "500000", "--bounds", str(bounds))
    assert res.exit_code == 2 and "Traceback" not in res.text


def test_simulate_plan_against_recent_spend(run_cli, run_dir: Path, tmp_path: Path) -> None:
    from mixwise.model.result import load_result

    channels = load_result(run_dir).channels
    plan = tmp_path / "plan.csv"
    pd.DataFrame({c: [1000.0] * 13 for c in channels}).rename_axis("period").to_csv(plan)
    res = run_cli("simulate", str(run_dir), "--plan", str(plan), "--json")
    assert res.exit_code == 0, res.text
    out = json.loads(res.out)
    assert out["summary"]["spend"]["mean"] == pytest.approx(1000.0 * 13 * len(channels))
    delta = out["versus_recent_spend"]["total_kpi"]
    assert delta["delta_lo"] <= delta["delta_mean"] <= delta["delta_hi"]
    bad = tmp_path / "bad.csv"
    bad.write_text("period,Nope\n0,1\n")
    res = run_cli("simulate", str(run_dir), "--plan", str(bad))
    assert res.exit_code == 2 and "Nope" in res.text
    # amounts: the plan layer names the period and channel of a negative one; the reader
    # names a cell that is not a number; no traceback either way
    negative = pd.DataFrame({c: [1000.0] * 3 for c in channels}).rename_axis("period")
    negative.loc[1, channels[0]] = -5.0
    negative.to_csv(bad)
    res = run_cli("simulate", str(run_dir), "--plan", str(bad))
    text = " ".join(res.text.split())
    assert res.exit_code == 2 and f"period 1, channel '{channels[0]}' has -5.0" in text
    negative.astype(object).assign(**{channels[-1]: ["1", "lots", "3"]}).to_csv(bad)
    res = run_cli("simulate", str(run_dir), "--plan", str(bad))
    text = " ".join(res.text.split())
    assert res.exit_code == 2 and f"period 1, column '{channels[-1]}' is 'lots'" in text
    assert "Traceback" not in res.text


def test_compare_two_runs(run_cli, run_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "copy"
    shutil.copytree(run_dir, other)
    res = run_cli("compare", str(run_dir), str(other), "--json")
    assert res.exit_code == 0, res.text
    both = json.loads(res.out)
    a, b = both.values()
    assert a["channels"] == b["channels"]
    assert run_cli("compare", str(run_dir)).exit_code == 2
