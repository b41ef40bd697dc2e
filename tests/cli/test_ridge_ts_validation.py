"""``ridge.ts_validation`` (Robyn's time-series validation) through ``mixwise fit`` on Robyn's
demo data: the train / validation / test parts cover the window without overlap, their metrics
are those of the run's fitted vs observed on the right rows, the regression sees only the
training rows, and a train_size leaving too few periods is refused naming the field."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from tests.cli.support import robyn_ridge_fit

from mixwise.cli.app import main
from mixwise.engines.ridge.documents import problem_from_document
from mixwise.engines.ridge.evaluate import evaluate
from mixwise.model.result import load_result
from mixwise.model.summary import fit_metrics

pytestmark = pytest.mark.slow

SPEC = {
    "ridge": {
        "bootstrap_draws": 20,
        "start": "2016-01-04",
        "end": "2018-12-31",
        "seed": 3,
        "ts_validation": True,
        "train_size": 0.7,
    },
}


@pytest.fixture(scope="module")
def tsv_run(
    tmp_path_factory: pytest.TempPathFactory, shared_datasets: Path, mappings_dir: Path
) -> tuple[Path, str]:
    base = tmp_path_factory.mktemp("tsv")
    spec = base / "spec.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    run = base / "run"
    with pytest.raises(SystemExit) as exc:
        main(robyn_ridge_fit(shared_datasets, mappings_dir, spec, run, trials=1, iterations=100))
    assert exc.value.code == 0
    return run, spec.read_text()


def test_parts_cover_the_window_and_metrics_match_a_recomputation(
    tsv_run: tuple[Path, str],
) -> None:
    run, _ = tsv_run
    summary = json.loads((run / "summary.json").read_text())
    fit = summary["fit"]
    n = summary["periods"]["n"]
    assert n == 157
    n_train = int(np.floor(0.7 * n))
    n_val = (n - n_train) // 2
    parts = [fit["train"], fit["validation"], fit["test"]]
    assert [p["n"] for p in parts] == [n_train, n_val, n - n_train - n_val]
    result = load_result(run)
    dates = [str(d.date()) for d in result.dates]
    assert fit["train"]["start"] == dates[0] and fit["test"]["end"] == dates[-1]
    assert fit["train"]["end"] == dates[n_train - 1]
    assert fit["validation"]["start"] == dates[n_train]  # contiguous, no overlap
    assert fit["validation"]["end"] == dates[n_train + n_val - 1]
    assert fit["test"]["start"] == dates[n_train + n_val]
    obs = result.observed.values
    pred = result.fitted.mean("draw").values
    bounds = {
        "train": (0, n_train),
        "validation": (n_train, n_train + n_val),
        "test": (n_train + n_val, n),
    }
    for name, (lo, hi) in bounds.items():
        y, yhat = obs[lo:hi], pred[lo:hi]
        nrmse = np.sqrt(np.mean((y - yhat) ** 2)) / (y.max() - y.min())
        assert fit[name]["nrmse"] == pytest.approx(nrmse, rel=1e-3), name
        assert fit[name]["r2"] == pytest.approx(fit_metrics(y, yhat)["r2"], rel=1e-6), name
    # out-of-sample parts fit worse than the part the model was trained on
    assert fit["train"]["nrmse"] < min(fit["validation"]["nrmse"], fit["test"]["nrmse"]) * 1.5


def test_regression_sees_only_training_rows_and_search_scores_validation(
    tsv_run: tuple[Path, str],
) -> None:
    run, _ = tsv_run
    problem = problem_from_document(json.loads((run / "ridge_problem.json").read_text()))
    assert problem.n_train == 109
    pareto = json.loads((run / "pareto.json").read_text())
    model = pareto["models"][0]
    hyper = np.array([[model["hyperparameters"][k] for k in problem.ranges.names]])
    base = evaluate(problem, hyper)
    # changing the KPI after the training rows leaves the coefficients as they are ...
    y = problem.y.copy()
    y[problem.n_train :] *= 1.5
    later = evaluate(dataclasses.replace(problem, y=y), hyper)
    np.testing.assert_allclose(later.coef, base.coef)
    assert later.nrmse[0] != pytest.approx(base.nrmse[0])  # ... but not the validation NRMSE
    # ... changing it inside them does not
    y = problem.y.copy()
    y[: problem.n_train] *= 1.5
    earlier = evaluate(dataclasses.replace(problem, y=y), hyper)
    assert not np.allclose(earlier.coef, base.coef)
    # the search objective is the validation NRMSE of the candidate's own fit
    val = problem.splits["validation"]
    sat = problem.saturated(hyper)[0]
    m = sat.shape[1]
    yhat = base.intercept[0] + sat @ base.coef[0, :m] + problem.fixed.z @ base.coef[0, m:]
    yv = problem.y[val]
    expected = np.sqrt(np.mean((yv - yhat[val]) ** 2)) / (yv.max() - yv.min())
    assert base.nrmse[0] == pytest.approx(expected, rel=1e-9)
    assert model["nrmse"] == pytest.approx(expected, rel=1e-6)


def test_too_small_train_size_is_refused_naming_the_field(
    tmp_path: Path, shared_datasets: Path, mappings_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.yaml"
    window = {"start": "2018-01-01", "end": "2018-04-01"}  # 14 weeks: 0.5 leaves 7 to train
    spec.write_text(yaml.safe_dump({"ridge": {**window, "ts_validation": True, "train_size": 0.5}}))
    with pytest.raises(SystemExit) as exc:
        main(
            robyn_ridge_fit(
                shared_datasets, mappings_dir, spec, tmp_path / "run", trials=1, iterations=100
            )
        )
    assert exc.value.code == 2
    text = capsys.readouterr()
    assert "ridge.train_size" in text.out + text.err
