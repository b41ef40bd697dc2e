"""The report of a ridge run: Robyn's one-pager for the chosen model, the Pareto front, the
clusters, and bootstrap (not posterior) wording. One small ridge run on Robyn's demo data
(2 trials x 200 iterations, 40 bootstrap refits) for the module."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from tests.cli.support import robyn_ridge_fit

from mixwise.cli.app import main
from mixwise.model.result import load_result
from mixwise.report import Report, assemble_report, write_html
from mixwise.report.model import Figure, Section, Table
from mixwise.report.ridge import TITLE
from mixwise.report.series import national

pytestmark = pytest.mark.slow

SPEC = {
    "holidays": {"country": "DE"},
    "ridge": {"bootstrap_draws": 40, "start": "2016-01-04", "end": "2018-12-31", "seed": 7},
}


@pytest.fixture(scope="module")
def ridge_run(
    tmp_path_factory: pytest.TempPathFactory, shared_datasets: Path, mappings_dir: Path
) -> Path:
    root = tmp_path_factory.mktemp("ridge-report")
    spec = root / "ridge.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    args = robyn_ridge_fit(shared_datasets, mappings_dir, spec, root / "run")
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 0
    return root / "run"


@pytest.fixture(scope="module")
def ridge_report(ridge_run: Path) -> Report:
    return assemble_report(ridge_run)


@pytest.fixture(scope="module")
def pareto(ridge_run: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((ridge_run / "pareto.json").read_text())
    return doc


@pytest.fixture(scope="module")
def summary(ridge_run: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((ridge_run / "summary.json").read_text())
    return doc


def _section(report: Report, key: str) -> Section:
    return next(s for s in report.sections if s.key == key)


def _table(report: Report, key: str) -> Table:
    return next(t for t in report.tables if t.key == key)


def _figure(report: Report, key: str) -> Figure:
    return next(f for f in report.figures if f.key == key)


def test_the_ridge_section_follows_the_response_curves(ridge_report: Report) -> None:
    keys = [s.key for s in ridge_report.sections]
    assert keys.index("pareto-models") == keys.index("response-curves") + 1
    assert _section(ridge_report, "pareto-models").title == TITLE
    # the one-pager parts the report already had are there for the chosen model
    figures = {f.key for f in ridge_report.figures}
    assert {
        "actual_vs_predicted",
        "residuals",
        "waterfall",
        "share_effect_vs_spend",
        "response_curves",
        "adstock_decay",
        "pareto_front",
    } <= figures


def test_the_pareto_table_lists_exactly_the_models_with_the_chosen_one_marked(
    ridge_report: Report, pareto: dict[str, Any]
) -> None:
    f = _table(ridge_report, "pareto_models").frame
    assert list(f["Model"]) == [m["id"] for m in pareto["models"]]
    chosen = f.loc[f["Chosen"] == "chosen", "Model"]
    assert list(chosen) == [pareto["chosen_model"]]
    by_id = {m["id"]: m for m in pareto["models"]}
    for row in f.to_dict("records"):
        m = by_id[row["Model"]]
        assert (row["Front"], row["Cluster"]) == (m["front"], m["cluster"])
        assert row["NRMSE"] == m["nrmse"] and row["DECOMP.RSSD"] == m["decomp_rssd"]
        for ch, roas in m["roas"].items():
            assert row[f"ROAS {ch}"] == roas


def test_the_front_figure_shows_every_model_by_front_and_marks_the_chosen(
    ridge_report: Report, pareto: dict[str, Any]
) -> None:
    traces = _figure(ridge_report, "pareto_front").figure.data
    fronts = [t for t in traces if t.name.startswith("Front ")]
    shown = sorted(i for t in fronts for i in t.text)
    assert shown == sorted(m["id"] for m in pareto["models"])
    for t in fronts:
        front = int(t.name.split()[1])
        assert all(m["front"] == front for m in pareto["models"] if m["id"] in t.text)
    (star,) = [t for t in traces if t.name.startswith("Chosen")]
    chosen = next(m for m in pareto["models"] if m["id"] == pareto["chosen_model"])
    assert (star.x[0], star.y[0]) == (chosen["nrmse"], chosen["decomp_rssd"])


def test_the_clusters_table_has_robyns_best_models_and_roas_intervals(
    ridge_report: Report, pareto: dict[str, Any]
) -> None:
    f = _table(ridge_report, "pareto_clusters").frame
    assert len(f) == len(pareto["clusters"])
    for row, c in zip(f.to_dict("records"), pareto["clusters"], strict=True):
        assert (row["Cluster"], row["Models"], row["Best model"]) == (
            c["cluster"],
            c["n"],
            c["best_model"],
        )
        for ch, iv in c["roas_interval"].items():
            for end, col in (("lo", "low"), ("hi", "high")):
                got = row[f"ROAS {ch} {col}"]
                assert (iv[end] is None and (got is None or math.isnan(got))) or got == iv[end]
    assert sum(f["Models"]) == len(pareto["models"])


def test_shares_of_spend_and_effect_each_sum_to_one_with_bootstrap_roas(
    ridge_report: Report, summary: dict[str, Any]
) -> None:
    table = _table(ridge_report, "share_effect_vs_spend")
    f = table.frame
    assert math.isclose(f["Share of spend"].sum(), 1.0, rel_tol=1e-9)
    assert math.isclose(f["Share of effect mean"].sum(), 1.0, rel_tol=1e-9)
    assert (f["Share of effect low"] <= f["Share of effect mean"]).all()
    assert (f["Share of effect mean"] <= f["Share of effect high"]).all()
    assert (f["Share of effect low"] < f["Share of effect high"]).all()  # refits vary
    for row in f.to_dict("records"):
        roas = summary["channels"][row["Channel"]]["roas"]
        assert (row["ROAS mean"], row["ROAS low"], row["ROAS high"]) == (
            roas["mean"],
            roas["lo"],
            roas["hi"],
        )
    assert "bootstrap" in table.note


def test_the_waterfall_parts_sum_to_the_fitted_total(ridge_report: Report, ridge_run: Path) -> None:
    trace = _figure(ridge_report, "waterfall").figure.data[0]
    parts = np.asarray(trace.y[:-1], dtype=float)
    assert list(trace.measure).count("total") == 1 and trace.measure[-1] == "total"
    fitted = national(load_result(ridge_run).fitted).sum("time").mean("draw")
    assert math.isclose(parts.sum(), float(fitted), rel_tol=1e-6)


def test_a_ridge_report_says_bootstrap_not_posterior(ridge_report: Report, tmp_path: Path) -> None:
    html = write_html(ridge_report, tmp_path / "report.html").read_text(encoding="utf-8")
    # the engine's verdict says "bootstrap, not posterior"; the reviewer lists its posterior
    # predictive check as not run (no noise model); nothing else says posterior
    text = html.lower().replace("not posterior", "").replace("posterior predictive", "")
    assert "posterior" not in text.replace("posterior_predictive", "")
    assert 'data-table="diagnostics"' not in html  # no sampler, no sampler diagnostics
    assert "90% bootstrap intervals" in ridge_report.subtitle
    assert "bootstrap mean" in _section(ridge_report, "executive-summary").lead
    assert "sampler" not in _section(ridge_report, "model-fit").lead
    run = _table(ridge_report, "run").frame.set_index("Item")["Value"]
    assert run["Interval kind"] == "bootstrap"
    assert run["Stored bootstrap refits"] == "40"
    assert 'id="pareto-models"' in html and 'data-table="pareto_clusters"' in html
