"""``mixwise refresh`` of a Bayesian run (the quick sampler) on the generator's small data: the
previous run, fitted on the first 78 weeks, is scored on the 26 it never saw before the refit.
The quick (ADVI) posterior of 78 weeks is too rough to hold its forecast to an accuracy bound
(its fitted KPI is off by up to 80% in places), so this test checks the chain: the backtest's
periods and actuals are the data's, the parent is recorded, the report covers every channel with
the previous run's own ROAS. Accuracy against known truth is tested in
tests/model/test_backtest.py."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    from mixwise.cli.app import main
    from mixwise.data.synthetic import generate, preset

    out = tmp_path_factory.mktemp("refresh_bayes")
    generate(preset("small"), seed=3).save(out)
    full = pd.read_csv(out / "data.csv")
    full.iloc[:78].to_csv(out / "first.csv", index=False)
    spec = {"sampler": {"mode": "quick", "advi_iterations": 5000, "seed": 1}}
    (out / "spec.yaml").write_text(yaml.safe_dump(spec))
    mapping = str(out / "mapping.yaml")
    run1, run2 = out / "run1", out / "run2"
    for args in (
        ["fit", str(out / "first.csv"), "-m", mapping, "--spec", str(out / "spec.yaml")],
        ["refresh", str(run1), str(out / "data.csv"), "-m", mapping],
    ):
        with pytest.raises(SystemExit) as exc:
            main([*args, "-o", str(run1 if args[0] == "fit" else run2)])
        assert exc.value.code == 0
    return run1, run2, out


def test_a_bayesian_refresh_is_backtested_and_reported(chain: tuple[Path, Path, Path]) -> None:
    run1, run2, out = chain
    summary = json.loads((run2 / "summary.json").read_text())
    backtest = summary["backtest"]
    assert backtest["periods"] == 26 == len(backtest["series"])
    kpi = pd.read_csv(out / "data.csv")["revenue"].to_numpy()
    assert [p["actual"] for p in backtest["series"]] == pytest.approx(kpi[78:])
    assert backtest["mape"] > 0 and 0 <= backtest["coverage"] <= 1 and backtest["crps"] > 0
    for p in backtest["series"]:
        assert p["forecast"]["lo"] <= p["forecast"]["mean"] <= p["forecast"]["hi"]
    provenance = json.loads((run2 / "provenance.json").read_text())
    assert provenance["parent"] == str(run1) and provenance["engine"] == "bayesian"
    doc = json.loads((run2 / "refresh.json").read_text())
    assert doc["engine"] == "bayesian" and doc["narrowed"] is None
    before = json.loads((run1 / "summary.json").read_text())["channels"]
    assert [r["channel"] for r in doc["changes"]] == list(before)
    for row in doc["changes"]:
        assert row["roas"]["before"]["mean"] == pytest.approx(
            before[row["channel"]]["roas"]["mean"], rel=1e-3
        )
