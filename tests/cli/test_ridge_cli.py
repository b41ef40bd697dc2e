"""``--engine ridge`` end to end through the CLI on Robyn's demo data (2 trials x 200
iterations, 40 bootstrap draws): a complete run, planning on it, ``select``, determinism and
bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from tests.cli.support import robyn_ridge_fit

from mixwise.cli.app import main

pytestmark = pytest.mark.slow

SPEC = {
    "holidays": {"country": "DE"},
    "ridge": {"bootstrap_draws": 40, "start": "2016-01-04", "end": "2018-12-31", "seed": 7},
}


@pytest.fixture(scope="module")
def spec_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("spec") / "ridge.yaml"
    path.write_text(yaml.safe_dump(SPEC))
    return path


@pytest.fixture(scope="module")
def ridge_run(
    tmp_path_factory: pytest.TempPathFactory,
    shared_datasets: Path,
    mappings_dir: Path,
    spec_file: Path,
) -> Path:
    run = tmp_path_factory.mktemp("runs") / "ridge"
    with pytest.raises(SystemExit) as exc:
        main(robyn_ridge_fit(shared_datasets, mappings_dir, spec_file, run))
    assert exc.value.code == 0
    return run


def test_ridge_run_is_complete_and_labelled(ridge_run: Path) -> None:
    for name in ("result.nc", "spec.yaml", "provenance.json", "summary.json", "pareto.json"):
        assert (ridge_run / name).is_file(), name
    summary = json.loads((ridge_run / "summary.json").read_text())
    assert summary["interval_kind"] == "bootstrap"
    assert summary["n_draws"] == 40
    periods = {"start": "2016-01-04", "end": "2018-12-31", "n": 157, "holdout": 0}
    assert summary["periods"] == periods
    assert set(summary["channels"]) == {"tv", "ooh", "print", "search", "facebook"}
    for name, ch in summary["channels"].items():
        roas = ch["roas"]
        assert 0 <= roas["lo"] <= roas["mean"] <= roas["hi"], name
        assert roas["lo"] < roas["hi"], name  # the refits do vary
    assert summary["fit"]["in_sample"]["r2"] > 0.7
    assert {"organic", "holidays", "controls", "events"} <= set(summary["baseline"]["components"])
    # every Pareto model is kept; the chosen one is among them, on a front, with its cluster
    pareto = json.loads((ridge_run / "pareto.json").read_text())
    ids = [m["id"] for m in summary["pareto"]["models"]]
    assert ids == [m["id"] for m in pareto["models"]]
    assert summary["chosen_model"] == pareto["chosen_model"] in ids
    chosen = next(m for m in pareto["models"] if m["id"] == summary["chosen_model"])
    assert chosen["front"] in (1, 2, 3) and chosen["cluster"] >= 1
    assert set(chosen["hyperparameters"]) >= {"tv_theta", "tv_alpha", "tv_gamma", "lambda"}
    assert {c["best_model"] for c in pareto["clusters"]} <= set(ids)
    spec = yaml.safe_load((ridge_run / "spec.yaml").read_text())
    assert spec["saturation"]["kind"] == "hill" and spec["ridge"]["trials"] == 2
    prov = json.loads((ridge_run / "provenance.json").read_text())
    assert prov["engine"] == "ridge" and prov["search"]["candidates"] == 400


def test_simulate_and_optimize_work_on_a_ridge_run(run_cli, ridge_run: Path) -> None:
    sim = run_cli("simulate", str(ridge_run), "--periods", "13", "--json")
    assert sim.exit_code == 0, sim.text
    opt = run_cli("optimize", str(ridge_run), "--budget", "1000000", "--periods", "13", "--json")
    assert opt.exit_code == 0, opt.text
    assert "nan" not in opt.out.lower()


def test_same_seed_same_summary_and_select_round_trip(
    run_cli,
    ridge_run: Path,
    shared_datasets: Path,
    mappings_dir: Path,
    spec_file: Path,
    tmp_path: Path,
) -> None:
    again = tmp_path / "again"
    res = run_cli(*robyn_ridge_fit(shared_datasets, mappings_dir, spec_file, again))
    assert res.exit_code == 0, res.text
    original = (ridge_run / "summary.json").read_text()
    assert (again / "summary.json").read_text() == original
    summary = json.loads(original)
    other = next(m["id"] for m in summary["pareto"]["models"] if m["id"] != summary["chosen_model"])
    res = run_cli("select", str(again), other)
    assert res.exit_code == 0, res.text
    picked = json.loads((again / "summary.json").read_text())
    assert picked["chosen_model"] == other
    assert picked["channels"]["tv"]["roas"] != summary["channels"]["tv"]["roas"]
    assert json.loads((again / "pareto.json").read_text())["chosen_model"] == other
    # choosing the original model again gives back the fit's summary, byte for byte
    res = run_cli("select", str(again), summary["chosen_model"])
    assert res.exit_code == 0, res.text
    assert (again / "summary.json").read_text() == original
    assert run_cli("select", str(again), "9_9999").exit_code == 2


@pytest.mark.parametrize(
    ("ridge", "field"),
    [
        ({"optimizer": "TwoPointDE"}, "TwoPointsDE"),  # unknown: a close match is offered
        ({"ranges": {"tv": {"theta": [0.2, 1.5]}}}, "ridge.ranges.tv.theta"),
        ({"ranges": {"radio": {"alpha": [1, 2]}}}, "radio"),
        # 18 weeks cannot carry the demo's coefficients and hyperparameters
        ({"start": "2018-09-03", "end": "2018-12-31"}, "periods cannot carry"),
    ],
)
def test_bad_ridge_settings_exit_2_naming_the_field(
    run_cli, shared_datasets: Path, mappings_dir: Path, tmp_path: Path, ridge: dict, field: str
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(yaml.safe_dump({"ridge": ridge}))
    res = run_cli(*robyn_ridge_fit(shared_datasets, mappings_dir, spec, tmp_path / "out"))
    assert res.exit_code == 2, res.text
    assert field in res.text
    assert not (tmp_path / "out").exists()


def test_ridge_refuses_what_it_cannot_fit(
    run_cli, shared_datasets: Path, mappings_dir: Path, tmp_path: Path
) -> None:
    spec = tmp_path / "logistic.yaml"
    spec.write_text(yaml.safe_dump({"saturation": {"kind": "logistic"}}))
    res = run_cli(*robyn_ridge_fit(shared_datasets, mappings_dir, spec, tmp_path / "a"))
    assert res.exit_code == 2 and "saturation.kind" in res.text and "hill" in res.text
    res = run_cli(
        "fit",
        str(shared_datasets / "meridian_geo_all_channels.csv"),
        "--mapping",
        str(mappings_dir / "meridian_geo_all_channels.yaml"),
        "--engine",
        "ridge",
        "--out",
        str(tmp_path / "b"),
    )
    assert res.exit_code == 2, res.text
    assert "geos" in res.text and "engine" in res.text


def test_cv_with_ridge_is_refused_clearly(
    run_cli, shared_datasets: Path, mappings_dir: Path
) -> None:
    res = run_cli(
        "cv",
        str(shared_datasets / "robyn_dt_simulated_weekly.csv"),
        "--mapping",
        str(mappings_dir / "robyn_dt_simulated_weekly.yaml"),
        "--engine",
        "ridge",
    )
    assert res.exit_code == 2 and "hold out" in res.text and "bayesian" in res.text
