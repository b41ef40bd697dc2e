"""MLflow tracking (service/tracking): a real ridge fit, a cv and a refresh logged to a local
SQLite store in a temporary MIXWISE_HOME, read back through MLflow's client. The cv runs on
the oracle stand-in of test_cross_validate (the ridge engine cannot hold out; the cv loop
itself is tested there): what is checked here is that its folds' scores reach MLflow."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.service.support import OracleEngine

from mixwise.data.pipeline import load_dataset
from mixwise.engines import base
from mixwise.model.spec import ModelSpec
from mixwise.service.fitting import cross_validate, fit_run
from mixwise.service.refresh import refresh_fit
from mixwise.service.tracking import EXPERIMENT, Track, log_fit, store_uris
from mixwise.store.settings import Settings

pytestmark = pytest.mark.slow  # real ridge fits and MLflow's store: about 30-60 s

mlflow = pytest.importorskip("mlflow")

RIDGE = ModelSpec.from_dict({"ridge": {"trials": 1, "iterations": 60, "bootstrap_draws": 20}})


@pytest.fixture(scope="module")
def tracked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from mixwise.data.synthetic import generate, preset

    root = tmp_path_factory.mktemp("track")
    generate(preset("small"), seed=5).save(root / "data")
    data, mapping = root / "data" / "data.csv", root / "data" / "mapping.yaml"
    mp = pytest.MonkeyPatch()
    mp.setenv("MIXWISE_HOME", str(root / "home"))
    mp.setenv("MIXWISE_TRACKING", "on")
    mp.delenv("MLFLOW_TRACKING_URI", raising=False)
    oracle = base.EngineEntry(
        "tests.service.support:OracleEngine", base.Capabilities(interval_kind="posterior")
    )
    mp.setitem(base._REGISTRY, "oracle", oracle)
    try:
        # the run is fitted without the last 8 weeks, so that a refresh on data.csv adds them
        first = root / "data" / "first.csv"
        pd.read_csv(data).iloc[:-8].to_csv(first, index=False)
        result = fit_run(first, mapping, root / "run", RIDGE, engine="ridge", seed=1)
        dataset = load_dataset(data, mapping)
        cv = cross_validate(dataset, ModelSpec(), folds=2, horizon=8, engine="oracle")
        OracleEngine.calls.clear()
    finally:
        mp.undo()
    settings = Settings.from_env({"MIXWISE_HOME": str(root / "home")})
    uri, _ = store_uris(settings)
    client = mlflow.MlflowClient(tracking_uri=uri)
    exp = client.get_experiment_by_name(EXPERIMENT)
    runs = client.search_runs([exp.experiment_id])
    return {"root": root, "result": result, "cv": cv, "client": client, "runs": runs}


def _by_kind(tracked: dict[str, object], kind: str) -> object:
    runs = [r for r in tracked["runs"] if r.data.tags.get("mixwise.kind") == kind]  # type: ignore[attr-defined]
    assert len(runs) == 1, f"expected one {kind} run, found {len(runs)}"
    return runs[0]


def test_a_fit_is_logged_with_spec_metrics_and_artifacts(tracked: dict[str, object]) -> None:
    run = _by_kind(tracked, "fit")
    result = tracked["result"]
    summary = result.summary_dict()  # type: ignore[attr-defined]
    assert run.info.status == "FINISHED"  # type: ignore[attr-defined]
    params = run.data.params  # type: ignore[attr-defined]
    assert params["engine"] == "ridge" and params["seed"] == "1" and params["kind"] == "fit"
    assert params["ridge.trials"] == "1" and params["ridge.iterations"] == "60"
    metrics = run.data.metrics  # type: ignore[attr-defined]
    assert metrics["in_sample.r2"] == pytest.approx(summary["fit"]["in_sample"]["r2"], rel=1e-12)
    for channel, row in summary["channels"].items():
        assert metrics[f"roas.{channel}.mean"] == pytest.approx(row["roas"]["mean"], rel=1e-12)
        assert metrics[f"roas.{channel}.lo"] <= metrics[f"roas.{channel}.hi"]
    client = tracked["client"]
    run_id = run.info.run_id  # type: ignore[attr-defined]
    top = {a.path for a in client.list_artifacts(run_id)}  # type: ignore[attr-defined]
    assert top == {"summary.json", "report.html", "run"}
    folder = {a.path for a in client.list_artifacts(run_id, "run")}  # type: ignore[attr-defined]
    saved = {f"run/{p.name}" for p in (tracked["root"] / "run").iterdir()}  # type: ignore[operator]
    assert folder == saved
    local = Path(client.download_artifacts(run_id, "summary.json"))  # type: ignore[attr-defined]
    assert json.loads(local.read_text())["fit"] == json.loads(json.dumps(summary["fit"]))


def test_a_cv_is_logged_fold_by_fold(tracked: dict[str, object]) -> None:
    run = _by_kind(tracked, "cv")
    cv = tracked["cv"]
    assert run.data.params["cv.folds"] == "2"  # type: ignore[attr-defined]
    assert run.data.metrics["cv.mean_mape"] == pytest.approx(cv.mean_mape, rel=1e-12)  # type: ignore[attr-defined]
    client = tracked["client"]
    history = client.get_metric_history(run.info.run_id, "cv.mape")  # type: ignore[attr-defined]
    assert sorted(m.step for m in history) == [1, 2]
    assert [m.value for m in sorted(history, key=lambda m: m.step)] == pytest.approx(
        list(cv.folds["mape"]),
        rel=1e-12,  # type: ignore[attr-defined]
    )


def test_a_refresh_is_logged_and_registered_versions_follow(
    tracked: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root: Path = tracked["root"]  # type: ignore[assignment]
    monkeypatch.setenv("MIXWISE_HOME", str(root / "home"))
    monkeypatch.setenv("MIXWISE_TRACKING", "on")
    data, mapping = root / "data" / "data.csv", root / "data" / "mapping.yaml"
    refresh_fit(root / "run", data, mapping, tmp_path / "r2", trials=1, iterations=40)
    client = tracked["client"]
    exp = client.get_experiment_by_name(EXPERIMENT)  # type: ignore[attr-defined]
    runs = client.search_runs([exp.experiment_id], "tags.`mixwise.kind` = 'refresh'")  # type: ignore[attr-defined]
    assert len(runs) == 1 and runs[0].data.tags["mixwise.previous_run"] == str(root / "run")
    # Two fits of one workspace model: the registered model gets versions 1 and 2.
    settings = Settings.from_env({"MIXWISE_HOME": str(root / "home")})
    result = tracked["result"]
    track = Track(register_as="mixwise-ws1-m1", settings=settings)
    ids = [log_fit(result, engine="ridge", track=track) for _ in range(2)]  # type: ignore[arg-type]
    versions = client.search_model_versions("name = 'mixwise-ws1-m1'")  # type: ignore[attr-defined]
    assert sorted((int(v.version), v.run_id) for v in versions) == [(1, ids[0]), (2, ids[1])]


def test_off_switch_logs_nothing(tmp_path: Path) -> None:
    settings = Settings.from_env({"MIXWISE_HOME": str(tmp_path), "MIXWISE_TRACKING": "off"})
    assert not settings.tracking
    assert log_fit(None, engine="ridge", track=Track(settings=settings)) is None  # type: ignore[arg-type]
    assert not (tmp_path / "mlruns").exists()


def test_a_workspace_fit_job_registers_a_version_of_its_model(tmp_path: Path) -> None:
    """The API's fit job (a real ridge fit run by a worker) logs into the store's home and
    registers ``mixwise-<workspace>-<model>`` version 1, whose source is the run folder;
    choosing another Pareto model (the workspace's current result changes) adds version 2."""
    import threading

    from tests.service.test_selection import SPEC, _dataset

    from mixwise.jobs import Worker
    from mixwise.service import jobs as _service_jobs  # noqa: F401  (registers the fit job)
    from mixwise.service import models, results, selection, workspaces
    from mixwise.service.schemas.models import ModelIn
    from mixwise.store.testing import temporary_store

    with temporary_store("sqlite", tmp_path, tracking=True) as store:
        ws = workspaces.ensure_workspace(store, "acme").id
        m = models.create_model(
            store, ws, ModelIn(dataset_id=_dataset(store, ws), engine="ridge", spec=SPEC)
        )
        Worker(store, poll_s=0.05).run(threading.Event(), max_jobs=1)
        assert models.get_model(store, ws, m.id).status == "succeeded"
        uri, _ = store_uris(store.settings)
        client = mlflow.MlflowClient(tracking_uri=uri, registry_uri=uri)
        name = f"mixwise-{ws}-{m.id}"
        (version,) = client.search_model_versions(f"name = '{name}'")
        assert int(version.version) == 1
        run = client.get_run(version.run_id)
        assert run.data.tags["mixwise.model"] == m.id and run.data.params["engine"] == "ridge"
        assert version.source.endswith("/run")
        summary = results.summary(store, ws, m.id)
        other = next(x.id for x in summary.pareto.models if x.id != summary.chosen_model)
        selection.select_stored_model(store, ws, m.id, other)
    versions = sorted(client.search_model_versions(f"name = '{name}'"), key=lambda v: v.version)
    assert [int(v.version) for v in versions] == [1, 2]
    latest = client.get_run(versions[-1].run_id)
    assert latest.data.tags["mixwise.pareto_model"] == other
