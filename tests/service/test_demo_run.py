"""The main job (`make run`, `mixwise demo`): data, run, report and plan written, and the
recovery table set against the generator's truth (service/demo_run.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from mixwise.service.demo_run import run_demo

pytestmark = pytest.mark.slow


def test_demo_writes_everything_and_compares_with_the_truth(tmp_path: Path) -> None:
    sampler = {"chains": 2, "draws": 100, "tune": 100}
    outcome = run_demo(tmp_path / "demo", seed=11, sampler=sampler)
    for path in (outcome.data_dir / "data.csv", outcome.run_dir / "summary.json"):
        assert path.is_file(), path
    assert outcome.report.is_file() and "<html" in outcome.report.read_text()[:2000].lower()
    truth = json.loads((outcome.data_dir / "truth.json").read_text())["channels"]
    true_roas = {c["channel"]: c["roas"] for c in truth}
    table = outcome.recovery.set_index("channel")
    assert table["true_roas"].to_dict() == pytest.approx(true_roas, rel=1e-12)
    summary = outcome.summary["channels"]
    for ch, row in table.iterrows():
        assert row["estimated_roas"] == pytest.approx(summary[ch]["roas"]["mean"], rel=1e-12)
        assert row["relative_error"] == pytest.approx(row["estimated_roas"] / row["true_roas"] - 1)
        assert row["truth_inside"] == (row["lo"] <= row["true_roas"] <= row["hi"])
    # the plan spends the last quarter's budget (13 weeks of the data) over the next 13 weeks
    plan = json.loads(outcome.plan.read_text())
    data = pd.read_csv(outcome.data_dir / "data.csv")
    spend_columns = [c["spend_column"] for c in truth]
    recent = float(data[spend_columns].tail(13).to_numpy().sum())
    assert plan["periods"] == 13 and plan["budget"] == pytest.approx(recent, rel=1e-9)
    assert sum(plan["allocation"].values()) == pytest.approx(recent, rel=1e-6)
