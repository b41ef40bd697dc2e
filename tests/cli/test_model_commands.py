"""fit and cv through the CLI, on small synthetic data with the quick (approximate) sampler."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mixwise.data.synthetic import generate, preset

    out = tmp_path_factory.mktemp("small")
    generate(preset("small"), seed=3).save(out)
    lift = {
        "channel": "TV",
        "start": "2022-06-06",
        "end": "2022-07-03",
        "spend_change": 50000.0,
        "kpi_change": 60000.0,
        "sigma": 20000.0,
    }
    spec = {"sampler": {"mode": "quick", "advi_iterations": 10000, "seed": 1}, "lift_tests": [lift]}
    (out / "spec.yaml").write_text(yaml.safe_dump(spec))
    return out


def test_fit_writes_a_complete_run(run_cli, small_data: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    res = run_cli(
        "fit",
        str(small_data / "data.csv"),
        "--mapping",
        str(small_data / "mapping.yaml"),
        "--spec",
        str(small_data / "spec.yaml"),
        "--out",
        str(run),
        "--json",
    )
    assert res.exit_code == 0, res.text
    for name in ("result.nc", "spec.yaml", "provenance.json", "summary.json"):
        assert (run / name).is_file(), name
    summary = json.loads((run / "summary.json").read_text())
    truth = json.loads((small_data / "truth.json").read_text())
    assert set(summary["channels"]) == {c["channel"] for c in truth["channels"]}
    assert summary["approximate"] is True
    # the printed summary: channels with intervals, the lift test next to its fit
    from mixwise.cli.app import console
    from mixwise.cli.model_commands import print_run_summary

    with console.capture() as captured:
        print_run_summary(summary)
    text = captured.get()
    (lift,) = summary["lift_tests"]
    assert "Channels (90% intervals)" in text and "TV" in text
    fitted = f"{lift['fitted']['mean']:,.0f}"
    assert f"Lift test TV 2022-06-06..2022-07-03: measured 60,000, fitted {fitted}" in text
    assert ("agrees" if lift["agrees"] else "disagrees") in text
    # refuses to overwrite a run without --force, exit 2 and no traceback
    again = run_cli(
        "fit",
        str(small_data / "data.csv"),
        "--mapping",
        str(small_data / "mapping.yaml"),
        "--out",
        str(run),
    )
    assert again.exit_code == 2 and "--force" in again.text and "Traceback" not in again.text


def run_cv(run_cli, small_data: Path, *options: str):
    """``mixwise cv`` on the small data set with ``options``."""
    data, mapping = str(small_data / "data.csv"), str(small_data / "mapping.yaml")
    return run_cli("cv", data, "--mapping", mapping, *options)


def test_cv_scores_every_fold_out_of_sample(run_cli, small_data: Path) -> None:
    spec = str(small_data / "spec.yaml")
    res = run_cv(run_cli, small_data, "--spec", spec, "--folds", "2", "--horizon", "8", "--json")
    assert res.exit_code == 0, res.text
    out = json.loads(res.out)
    assert [f["fold"] for f in out["folds"]] == [1, 2]
    dates = pd.read_csv(small_data / "data.csv")["date"]
    assert out["folds"][1]["test_end"] == str(pd.Timestamp(dates.iloc[-1]).date())
    assert out["folds"][0]["test_end"] < out["folds"][1]["test_start"]
    for f in out["folds"]:
        # plumbing check only: quick (ADVI) fits forecast loosely; accuracy is tested in engines/
        assert 0 <= f["mape"] < 1.0 and f["nrmse"] > 0


def test_cv_refuses_too_many_folds(run_cli, small_data: Path) -> None:
    res = run_cv(run_cli, small_data, "--folds", "10", "--horizon", "13")
    assert res.exit_code == 2 and "fewer folds" in res.text and "Traceback" not in res.text


def test_cv_refuses_an_unknown_window(run_cli, small_data: Path) -> None:
    res = run_cv(run_cli, small_data, "--window", "rolling")
    assert res.exit_code == 2 and "window" in res.text and "sliding" in res.text
    assert "Traceback" not in res.text


def test_fit_refuses_bad_targets_before_any_progress(
    run_cli, small_data: Path, tmp_path: Path
) -> None:
    args = ["fit", str(small_data / "data.csv"), "--mapping", str(small_data / "mapping.yaml")]
    bogus = run_cli(*args, "--out", str(tmp_path / "run"), "--engine", "bogus")
    assert bogus.exit_code == 2 and "unknown engine 'bogus'" in bogus.err
    assert "loading" not in bogus.text and "%" not in bogus.text  # no progress line first
    # A long path: the error must not be wrapped across lines (it failed in CI at 80 columns).
    a_file = tmp_path / ("x" * 90) / "taken.txt"
    a_file.parent.mkdir()
    a_file.write_text("not a folder")
    res = run_cli(*args, "--out", str(a_file))
    assert res.exit_code == 2 and "is a file, not a folder" in res.err
    assert f"{a_file} is a file, not a folder" in res.err  # one line, whole path
    assert "Internal error" not in res.text and a_file.read_text() == "not a folder"
