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
    tv = json.loads(res.out)["plan"]["allocation"]["TV"]
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
    out = json.loads(res.out)  # the API's SimulationOut
    assert out["metrics"]["spend"]["mean"] == pytest.approx(1000.0 * 13 * len(channels))
    delta = out["vs_current"]["total_kpi"]
    assert delta["lo"] <= delta["mean"] <= delta["hi"]
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
    assert res.exit_code == 2 and "period 2 (" in text
    assert f"channel '{channels[0]}' has -5.0" in text
    negative.astype(object).assign(**{channels[-1]: ["1", "lots", "3"]}).to_csv(bad)
    res = run_cli("simulate", str(run_dir), "--plan", str(bad))
    text = " ".join(res.text.split())
    assert res.exit_code == 2 and f"row 2, column '{channels[-1]}' is 'lots'" in text
    assert "Traceback" not in res.text


def test_missing_channel_is_an_error_unless_a_fill_is_chosen(
    run_cli, run_dir: Path, tmp_path: Path
) -> None:
    from mixwise.model.result import load_result

    result = load_result(run_dir)
    channels, left_out = result.channels, result.channels[-1]
    plan = tmp_path / "partial.csv"
    pd.DataFrame({c: [1000.0] * 4 for c in channels[:-1]}).to_csv(plan, index=False)
    res = run_cli("simulate", str(run_dir), "--plan", str(plan))
    text = " ".join(res.text.split())
    assert res.exit_code == 2 and f"no spend for channel(s) {left_out}" in text
    assert "fill" in text and "Traceback" not in res.text
    zero = json.loads(
        run_cli("simulate", str(run_dir), "--plan", str(plan), "--fill", "zero", "--json").out
    )
    assert zero["allocation"][left_out] == 0.0
    assert zero["metrics"]["spend"]["mean"] == pytest.approx(1000.0 * 4 * (len(channels) - 1))
    recent = json.loads(
        run_cli("simulate", str(run_dir), "--plan", str(plan), "--fill", "recent", "--json").out
    )
    # 'recent' is the average spend per period over the last 13 weeks, for each of 4 periods
    weekly = float(result.spend.sel(channel=left_out).isel(time=slice(-13, None)).sum()) / 13
    assert recent["allocation"][left_out] == pytest.approx(4 * weekly, rel=1e-9)


def test_optimize_offers_the_api_options(run_cli, run_dir: Path, tmp_path: Path) -> None:
    from mixwise.model.result import load_result

    channels = load_result(run_dir).channels
    flighting = tmp_path / "flighting.csv"
    # all of each channel's budget in the first of 4 periods
    pd.DataFrame({c: [1.0, 0.0, 0.0, 0.0] for c in channels}).to_csv(flighting, index=False)
    args = ["optimize", str(run_dir), "--budget", "400000", "--periods", "4"]
    res = run_cli(
        *args,
        "--flighting",
        str(flighting),
        "--lock",
        f"{channels[0]}=50000",
        "--risk",
        "mean_sd",
        "--risk-lambda",
        "0.5",
        "--starts",
        "2",
        "--seed",
        "3",
        "--level",
        "0.8",
        "--json",
    )
    assert res.exit_code == 0, res.text
    out = json.loads(res.out)
    assert out["plan"]["allocation"][channels[0]] == pytest.approx(50000, rel=1e-6)
    assert sum(out["plan"]["allocation"].values()) == pytest.approx(400000, rel=1e-6)
    assert out["plan"]["interval_level"] == 0.8
    bad = run_cli(*args, "--risk-lambda", "-1")
    assert bad.exit_code == 2 and "--risk-lambda" in bad.text and "Traceback" not in bad.text


def test_compare_two_runs(run_cli, run_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "copy"
    shutil.copytree(run_dir, other)
    res = run_cli("compare", str(run_dir), str(other), "--json")
    assert res.exit_code == 0, res.text
    out = json.loads(res.out)
    assert [m["name"] for m in out["models"]] == [run_dir.name, "copy"]
    assert out["same_data"] and out["missing_channels"] == {}
    for ch in out["channels"]:  # the same fit twice: identical estimates, so they agree
        a, b = ch["estimates"]
        assert a["roas"] == b["roas"] and a["share"] == b["share"]
        assert ch["roas_agree"] is True and ch["reasons"] == []
    assert run_cli("compare", str(run_dir)).exit_code == 2


def test_recommend_and_frontier_call_the_api_use_cases(run_cli, run_dir: Path) -> None:
    rec = run_cli("recommend", str(run_dir), "--top", "3", "--json")
    assert rec.exit_code == 0, rec.text
    items = json.loads(rec.out)["items"]
    assert len([i for i in items if i["kind"] == "reallocate"]) <= 3  # --top caps the moves
    for item in items:
        e = item["estimate"]
        assert e["lo"] <= e["mean"] <= e["hi"]
    budgets = ["200000", "400000", "800000"]
    res = run_cli(
        "frontier",
        str(run_dir),
        "--periods",
        "13",
        *[a for b in budgets for a in ("--budget", b)],
        "--json",
    )
    assert res.exit_code == 0, res.text
    points = json.loads(res.out)["points"]
    assert [p["budget"] for p in points] == pytest.approx([float(b) for b in budgets], rel=1e-6)
    media = [p["media_kpi_mean"] for p in points]
    roas = [p["roas_mean"] for p in points]
    # more budget buys more media KPI, at a falling ROAS (saturation)
    assert media == sorted(media) and roas == sorted(roas, reverse=True)
    text = run_cli("frontier", str(run_dir), "--budget", "400000")
    assert text.exit_code == 0 and "Efficiency frontier" in text.out


def test_optimize_per_period_keeps_budget_and_caps(run_cli, run_dir: Path) -> None:
    res = run_cli(
        "optimize",
        str(run_dir),
        "--budget",
        "400000",
        "--periods",
        "6",
        "--per-period",
        "--max-per-period",
        "TV=30000",
        "--discount-rate",
        "0.01",
        "--json",
    )
    assert res.exit_code == 0, res.text
    out = json.loads(res.out)
    spend = [p["spend"] for p in out["periods"]]
    assert len(spend) == 6
    assert sum(sum(s.values()) for s in spend) == pytest.approx(400000, rel=1e-6)
    assert max(s["TV"] for s in spend) <= 30000 * (1 + 1e-6)
    assert out["objective_value"] >= out["fixed_value"] - 1e-9 * abs(out["fixed_value"])
    table = run_cli(
        "optimize", str(run_dir), "--budget", "400000", "--periods", "6", "--per-period"
    )
    assert table.exit_code == 0, table.text
    assert "best fixed (even) pattern" in table.out


def test_optimize_by_geo_on_a_national_model_says_why(run_cli, run_dir: Path) -> None:
    res = run_cli("optimize", str(run_dir), "--budget", "400000", "--by", "geo")
    assert res.exit_code != 0
    assert "no geos to plan per cell" in res.text


def test_optimize_by_geo_on_a_real_geo_fit(
    run_cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A quick fit of the geo preset planned per geo: the budget is kept over the geos, every
    geo has a row per channel with an interval, and marginal ROAS is equal (within 5%: ADVI
    draws, posterior mean) across the (geo, channel) pairs no bound holds."""
    from mixwise.cli.app import main
    from mixwise.data.synthetic import generate, preset

    generate(preset("geo"), seed=3).save(tmp_path)
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"sampler": {"mode": "quick", "advi_iterations": 3000}}))
    run = tmp_path / "run"
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "fit",
                str(tmp_path / "data.csv"),
                "--mapping",
                str(tmp_path / "mapping.yaml"),
                "--spec",
                str(spec),
                "--out",
                str(run),
            ]
        )
    assert exc.value.code == 0
    capsys.readouterr()  # the fit's own output, so that only optimize's JSON is read below
    res = run_cli(
        "optimize", str(run), "--budget", "600000", "--periods", "8", "--by", "geo", "--json"
    )
    assert res.exit_code == 0, res.text
    out = json.loads(res.out)
    rows = out["allocation"]
    assert len({r["cell"] for r in rows}) > 1
    assert sum(r["budget"] for r in rows) == pytest.approx(600000, rel=1e-6)
    for r in rows:
        assert r["kpi"]["lo"] <= r["kpi"]["mean"] <= r["kpi"]["hi"]
    free = [r["mroas"]["mean"] for r in rows if not r["bound"]]
    assert len(free) >= 2
    assert max(free) / min(free) - 1 < 0.05
