"""``mixwise review`` end to end on a small ridge fit of Robyn's demo data (2 trials x 200
iterations, 40 bootstrap draws): the review printed and as JSON, the placebo refit (a fake
channel of shuffled spend must get no effect), and bad input exiting 2 with the field named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from tests.cli.support import robyn_ridge_fit

from mixwise.cli.app import main

pytestmark = pytest.mark.slow  # two small ridge fits, about 10 s each on 2 cores

SPEC = {
    "holidays": {"country": "DE"},
    "ridge": {"bootstrap_draws": 40, "start": "2016-01-04", "end": "2018-12-31", "seed": 7},
}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, shared_datasets: Path, mappings_dir: Path):
    spec = tmp_path_factory.mktemp("spec") / "ridge.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    out = tmp_path_factory.mktemp("runs") / "ridge"
    with pytest.raises(SystemExit) as exc:
        main(robyn_ridge_fit(shared_datasets, mappings_dir, spec, out))
    assert exc.value.code == 0
    return out


def test_review_is_in_the_summary_and_printed(run_cli, run: Path) -> None:
    summary = json.loads((run / "summary.json").read_text())
    review = summary["review"]
    assert review["verdict"] in ("pass", "warn", "fail")
    names = {c["name"] for c in review["checks"]}
    assert {"convergence", "baseline", "fit_in_sample", "residual_autocorrelation"} <= names
    skipped = {s["name"] for s in review["skipped"]}
    # ridge: no noise model and no priors, so these are not computed (and say why)
    assert {"posterior_predictive", "prior_influence"} <= skipped
    out = run_cli("review", str(run), "--json")
    assert out.exit_code == 0 and json.loads(out.out)["review"] == review
    text = run_cli("review", str(run))
    assert text.exit_code == 0 and f"Review: {review['verdict'].upper()}" in text.out
    assert "not checked: posterior_predictive" in text.out


def test_placebo_gets_no_effect(
    run_cli, run: Path, shared_datasets: Path, mappings_dir: Path
) -> None:
    data = str(shared_datasets / "robyn_dt_simulated_weekly.csv")
    mapping = str(mappings_dir / "robyn_dt_simulated_weekly.yaml")
    out = run_cli("review", str(run), "--placebo", "-d", data, "-m", mapping, "--json")
    assert out.exit_code == 0, out.text
    checks = {c["name"]: c for c in json.loads(out.out)["review"]["checks"]}
    placebo = checks["placebo"]
    n = placebo["numbers"]
    assert n["source"] == "ooh" and n["placebo"] == "placebo_ooh"  # the most spend
    # the fake channel's share is far below the real one's: the check's pass rule holds
    assert placebo["status"] == "pass"
    assert n["placebo_share"] <= max(0.02, 0.25 * n["source_share"])
    # saved with the run: summary.json's review (what every screen reads) and a plain review
    saved = json.loads((run / "summary.json").read_text())["review"]
    assert {c["name"]: c for c in saved["checks"]}["placebo"] == placebo
    again = run_cli("review", str(run), "--json")
    assert json.loads(again.out)["review"] == saved


def test_review_bad_input_exits_2(
    run_cli, run: Path, tmp_path: Path, shared_datasets: Path, mappings_dir: Path
) -> None:
    no_data = run_cli("review", str(run), "--placebo")
    assert no_data.exit_code == 2 and "--data and --mapping" in no_data.err
    missing = run_cli("review", str(tmp_path / "nothing"))
    assert missing.exit_code == 2 and "no fit result" in missing.err
    other = shared_datasets / "pymc_marketing_mmm_example.csv"
    wrong = run_cli(
        "review",
        str(run),
        "--placebo",
        "-d",
        str(other),
        "-m",
        str(mappings_dir / "pymc_marketing_mmm_example.yaml"),
    )
    assert wrong.exit_code == 2 and "fingerprint differs" in wrong.err
    mapping = str(mappings_dir / "robyn_dt_simulated_weekly.yaml")
    data = str(shared_datasets / "robyn_dt_simulated_weekly.csv")
    bad = run_cli("review", str(run), "--placebo", "-d", data, "-m", mapping, "--channel", "x")
    assert bad.exit_code == 2 and "no channel 'x'" in bad.err
