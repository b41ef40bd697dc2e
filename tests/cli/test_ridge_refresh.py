"""``mixwise refresh`` on Robyn's demo: a ridge run on the first 2/3 of the weeks, refreshed
with all of them. The new run records its narrowed ranges (each inside the previous range,
around the previous chosen model), ``refresh.json`` holds ROAS before / after with intervals,
and a channel whose effect collapses is flagged with its reasons, never silently zeroed."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from mixwise.cli.app import main
from mixwise.engines.ridge.refresh import narrow
from mixwise.model.result import load_result
from mixwise.service.refresh import compare_runs

pytestmark = pytest.mark.slow

SPEC = {"ridge": {"bootstrap_draws": 20, "seed": 5}}


@pytest.fixture(scope="module")
def runs(
    tmp_path_factory: pytest.TempPathFactory, shared_datasets: Path, mappings_dir: Path
) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("refresh")
    full = pd.read_csv(shared_datasets / "robyn_dt_simulated_weekly.csv")
    first = base / "first.csv"
    full.iloc[: len(full) * 2 // 3].to_csv(first, index=False)
    spec = base / "spec.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    mapping = str(mappings_dir / "robyn_dt_simulated_weekly.yaml")
    common = ["--mapping", mapping, "--trials", "1", "--iterations", "100"]
    run1, run2 = base / "run1", base / "run2"
    with pytest.raises(SystemExit) as exc:
        main(
            ["fit", str(first), *common, "--spec", str(spec), "--engine", "ridge", "-o", str(run1)]
        )
    assert exc.value.code == 0
    data = str(shared_datasets / "robyn_dt_simulated_weekly.csv")
    with pytest.raises(SystemExit) as exc:
        main(["refresh", str(run1), data, *common, "--share", "0.2", "-o", str(run2)])
    assert exc.value.code == 0
    return run1, run2, base


def test_refresh_narrows_ranges_and_reports_roas_per_channel(
    runs: tuple[Path, Path, Path],
) -> None:
    run1, run2, _ = runs
    doc = json.loads((run2 / "refresh.json").read_text())
    assert doc["periods"]["before"]["end"] < doc["periods"]["after"]["end"]
    assert doc["periods"]["added"] == 208 - 208 * 2 // 3
    pareto1 = json.loads((run1 / "pareto.json").read_text())
    chosen = next(m for m in pareto1["models"] if m["id"] == pareto1["chosen_model"])
    assert doc["narrowed"]["from_model"] == chosen["id"]
    spec2 = yaml.safe_load((run2 / "spec.yaml").read_text())["ridge"]
    problem2 = json.loads((run2 / "ridge_problem.json").read_text())["ranges"]
    for channel, params in doc["narrowed"]["ranges"].items():
        for param, r in params.items():
            lo, hi = r["after"]
            b_lo, b_hi = r["before"]
            assert r["value"] == chosen["hyperparameters"][f"{channel}_{param}"]
            assert b_lo <= lo <= r["value"] <= hi <= b_hi
            assert hi - lo <= 0.4 * (b_hi - b_lo) + 1e-12  # +-0.2 of the width, or clipped
            assert (lo, hi) == pytest.approx(narrow(r["value"], b_lo, b_hi, 0.2))
            # the new run was searched within the narrowed range, and its spec records it
            assert problem2["channels"][channel][param] == pytest.approx([lo, hi])
            assert spec2["ranges"][channel][param] == pytest.approx([lo, hi])
    pareto2 = json.loads((run2 / "pareto.json").read_text())
    for m in pareto2["models"]:
        for channel, params in doc["narrowed"]["ranges"].items():
            for param, r in params.items():
                v = m["hyperparameters"][f"{channel}_{param}"]
                assert r["after"][0] - 1e-9 <= v <= r["after"][1] + 1e-9
    summary1 = json.loads((run1 / "summary.json").read_text())["channels"]
    summary2 = json.loads((run2 / "summary.json").read_text())["channels"]
    rows = {row["channel"]: row for row in doc["channels"]}
    assert set(rows) == set(summary1) == {"tv", "ooh", "print", "search", "facebook"}
    for channel, row in rows.items():
        before, after = summary1[channel]["roas"], summary2[channel]["roas"]
        assert row["roas_before"] == {k: before[k] for k in ("mean", "lo", "hi")}
        assert row["roas_after"] == {k: after[k] for k in ("mean", "lo", "hi")}
        assert row["change"] == pytest.approx((after["mean"] - before["mean"]) / before["mean"])
        collapsed = before["lo"] > 0 and after["mean"] < 0.1 * before["mean"]
        assert row["flagged"] == collapsed


def test_a_collapsed_channel_is_flagged_with_its_reasons(runs: tuple[Path, Path, Path]) -> None:
    """A refit where a channel with a clear effect got no spend in the added weeks and a zero
    coefficient (built from the real refresh by zeroing that channel) is flagged, not zeroed
    silently; the other channels are left as they were."""
    run1, run2, _ = runs
    previous, refreshed = load_result(run1), load_result(run2)
    before = previous.summary_dict()["channels"]
    channel = max(before, key=lambda c: before[c]["roas"]["lo"])
    assert before[channel]["roas"]["lo"] > 0  # a clear effect before
    is_c = refreshed.contributions["channel"] == channel
    added = refreshed.spend["time"] > np.datetime64(previous.dates[-1])
    pareto = json.loads(json.dumps(refreshed.extras["pareto"]))
    for m in pareto["models"]:
        m["coefficients"][channel] = 0.0
    collapsed = dataclasses.replace(
        refreshed,
        contributions=refreshed.contributions.where(~is_c, 0.0),
        params=refreshed.params.assign(beta=refreshed.params["beta"].where(~is_c, 0.0)),
        spend=refreshed.spend.where(~(is_c & added), 0.0),
        extras={**refreshed.extras, "pareto": pareto},
    )
    rows = {r["channel"]: r for r in compare_runs(previous, collapsed)}
    row = rows[channel]
    assert row["flagged"] and row["roas_after"]["mean"] == 0
    text = " ".join(row["reasons"])
    assert "no spend in the 70 added periods" in text
    assert "non-negativity bound" in text
    assert "100% of the bootstrap refits" in text
    honest = {r["channel"]: r for r in compare_runs(previous, refreshed)}
    for other in set(rows) - {channel}:
        assert rows[other]["flagged"] == honest[other]["flagged"]


def test_refresh_refuses_the_same_folder_and_a_bad_share(
    runs: tuple[Path, Path, Path],
    shared_datasets: Path,
    mappings_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run1, _, base = runs
    data = str(shared_datasets / "robyn_dt_simulated_weekly.csv")
    mapping = str(mappings_dir / "robyn_dt_simulated_weekly.yaml")
    for extra, needle in (
        (["-o", str(run1)], "is the run being refreshed"),
        (["--share", "1.5", "-o", str(base / "x")], "--share"),
        (["--trials", "0", "-o", str(base / "y")], "ridge.trials"),  # as `fit` refuses it
    ):
        with pytest.raises(SystemExit) as exc:
            main(["refresh", str(run1), data, "--mapping", mapping, *extra])
        assert exc.value.code == 2, extra
        captured = capsys.readouterr()
        assert needle in " ".join((captured.out + captured.err).split())


def test_a_channel_missing_from_the_new_data_is_an_error_naming_it(
    runs: tuple[Path, Path, Path],
    shared_datasets: Path,
    mappings_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    run1, _, base = runs
    mapping = yaml.safe_load((mappings_dir / "robyn_dt_simulated_weekly.yaml").read_text())
    mapping["channels"] = [c for c in mapping["channels"] if c["name"] != "facebook"]
    path = base / "no_facebook.yaml"
    path.write_text(yaml.safe_dump(mapping))
    out = base / "run_no_fb"
    data = str(shared_datasets / "robyn_dt_simulated_weekly.csv")
    with pytest.raises(SystemExit) as exc:
        main(["refresh", str(run1), data, "--mapping", str(path), "-o", str(out)])
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert "channel 'facebook' of the previous run is missing" in " ".join(
        (captured.out + captured.err).split()
    )
    assert not out.exists()


def test_the_refresh_backtests_the_previous_run_and_records_its_parent(
    runs: tuple[Path, Path, Path], shared_datasets: Path
) -> None:
    run1, run2, _ = runs
    summary = json.loads((run2 / "summary.json").read_text())
    backtest = summary["backtest"]
    assert backtest["periods"] == 208 - 208 * 2 // 3 == len(backtest["series"])
    # the previous run's forecast of the 70 weeks it never saw: a usable model, not a perfect one
    assert 0 < backtest["mape"] < 0.5
    assert 0.3 <= backtest["coverage"] <= 1.0
    assert backtest["crps"] > 0
    kpi = pd.read_csv(shared_datasets / "robyn_dt_simulated_weekly.csv")
    assert backtest["series"][0]["actual"] == pytest.approx(kpi["revenue"].iloc[208 * 2 // 3])
    assert json.loads((run2 / "provenance.json").read_text())["parent"] == str(run1)
    doc = json.loads((run2 / "refresh.json").read_text())
    assert doc["backtest"] == backtest
    for row in doc["changes"]:
        for metric in ("roas", "contribution"):
            m = row[metric]
            assert m["before"]["lo"] <= m["before"]["mean"] <= m["before"]["hi"]
            overlap = (
                m["before"]["lo"] <= m["after"]["hi"] and m["after"]["lo"] <= m["before"]["hi"]
            )
            assert m["beyond_intervals"] == (not overlap)
        assert row["flagged"] == bool(row["reasons"])
        assert [p["spend"] for p in row["curve"]] == sorted(p["spend"] for p in row["curve"])


def test_backtest_from_history_scores_each_horizon(
    runs: tuple[Path, Path, Path], mappings_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run1, _, base = runs
    mapping = str(mappings_dir / "robyn_dt_simulated_weekly.yaml")
    args = ["backtest", str(run1), str(base / "first.csv"), "--mapping", mapping]
    with pytest.raises(SystemExit) as exc:
        main([*args, "--horizons", "8,4", "--iterations", "50", "--trials", "1", "--json"])
    assert exc.value.code == 0
    doc = json.loads(capsys.readouterr().out)
    first = pd.read_csv(base / "first.csv")
    assert [h["horizon"] for h in doc["horizons"]] == [4, 8]
    for h in doc["horizons"]:
        n = h["horizon"]
        assert h["periods"] == n == len(h["series"])
        assert h["origin"] == first["DATE"].iloc[-n - 1]  # the last period the refit saw
        assert [p["actual"] for p in h["series"]] == pytest.approx(first["revenue"].iloc[-n:])
        # a 50-iteration search bounds no accuracy (tests/model/test_backtest.py does, on truth)
        assert h["mape"] > 0 and 0 <= h["coverage"] <= 1 and h["crps"] > 0
    with pytest.raises(SystemExit) as exc:
        main([*args, "--horizons", "4,x"])
    assert exc.value.code == 2
    assert "--horizons '4,x' is not a list" in capsys.readouterr().err


def test_the_report_of_a_refresh_shows_accuracy_over_time(runs: tuple[Path, Path, Path]) -> None:
    from mixwise.report.build import assemble_report, build_report
    from mixwise.report.model import Table

    run1, run2, base = runs
    html = build_report(run2, base / "report.html").read_text()
    assert "Model accuracy over time" in html and "Forecast (90% interval)" in html
    report = assemble_report(run2)
    tables = {b.key: b for s in report.sections for b in s.blocks if isinstance(b, Table)}
    summary = json.loads((run2 / "summary.json").read_text())["backtest"]
    chain = tables["accuracy_over_time"].frame
    assert chain["Run"].tolist() == [run2.name]  # run1 is no refresh: nothing to score
    assert chain["Coverage of the 90% interval"].iloc[0] == pytest.approx(summary["coverage"])
    assert len(tables["backtest"].frame) == summary["periods"]
    assert "accuracy_over_time" not in {
        b.key for s in assemble_report(run1).sections for b in s.blocks if isinstance(b, Table)
    }
