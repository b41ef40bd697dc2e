"""`mixwise demo` hands its finished run to the service: the demo workspace shows that model at
once instead of fitting the same data again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mixwise.service import results
from mixwise.service.demo import ensure_demo
from mixwise.store.db import open_store
from mixwise.store.settings import Settings

pytestmark = pytest.mark.slow


def test_finished_run_becomes_the_demo_model(tmp_path: Path) -> None:
    import mixwise
    from mixwise.data.synthetic import generate, preset
    from mixwise.service.demo_run import DEMO_SEED

    data = generate(preset("demo"), seed=DEMO_SEED).to_dataset()
    spec = mixwise.ModelSpec.from_dict({"sampler": {"mode": "quick", "advi_iterations": 2000}})
    run_dir = mixwise.fit(data, spec).save(tmp_path / "run")
    store = open_store(Settings.from_env(env={"MIXWISE_HOME": str(tmp_path / "home")}))

    demo = ensure_demo(store, run_dir=run_dir)
    assert demo.status == "succeeded"
    served = results.summary(store, demo.workspace_id, demo.model_id).model_dump()
    written = json.loads((run_dir / "summary.json").read_text())
    assert served["channels"].keys() == written["channels"].keys()
    tv_served, tv_written = served["channels"]["TV"]["roas"], written["channels"]["TV"]["roas"]
    assert tv_served["mean"] == pytest.approx(tv_written["mean"])
    again = ensure_demo(store, run_dir=run_dir)
    assert again.model_id == demo.model_id  # idempotent: no second import, no fit queued

    # The demo data is the generator's: its truth sits next to the estimates.
    from mixwise.service.truth import estimate_vs_truth

    vs = estimate_vs_truth(store, demo.workspace_id, demo.model_id)
    assert vs.known and vs.source == f"synthetic preset 'demo', seed {DEMO_SEED}"
    truth = {c.channel: c for c in vs.channels}
    assert set(truth) == set(written["channels"])
    assert truth["Paid Search"].true_roas == pytest.approx(4.0)  # the demo preset's truth
    assert truth["Print"].true_roas == pytest.approx(0.6)
    assert truth["TV"].roas.mean == pytest.approx(tv_written["mean"])
    assert truth["TV"].half_life.mean == pytest.approx(
        written["channels"]["TV"]["half_life"]["mean"]
    )
