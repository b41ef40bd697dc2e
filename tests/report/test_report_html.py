"""The HTML report: every section, numbers that match the run's summary.json, self-contained."""

from __future__ import annotations

import json
import math
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import mixwise.plan as mp
from mixwise.model.result import FitResult
from mixwise.report import Report, build_report
from mixwise.report import format as fm
from mixwise.report.html import plotly_js

pytestmark = pytest.mark.slow  # every test here uses the session's real fit

TITLES = [
    "Executive summary",
    "Data",
    "Model fit",
    "Contribution",
    "Channel efficiency",
    "Response curves",
    "Budget",
    "Method",
]


class Tables(HTMLParser):
    """Collects ``<table data-table=KEY>`` cells: key -> rows -> {column: (text, attrs)}."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[dict[str, tuple[str, dict[str, str]]]]] = {}
        self._key: str | None = None
        self._cell: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "table" and "data-table" in a:
            self._key = a["data-table"]
            self.tables[self._key] = []
        elif tag == "tr" and self._key:
            self.tables[self._key].append({})
        elif tag == "td" and self._key:
            self._cell, self._text = a, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._key and self._cell is not None:
            row = self.tables[self._key][-1]
            row[self._cell["data-column"]] = ("".join(self._text).strip(), self._cell)
            self._cell = None
        elif tag == "table":
            self._key = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._text.append(data)


def parse_tables(html: str) -> dict[str, dict[str, dict[str, tuple[str, dict[str, str]]]]]:
    """key -> first cell text of each row -> row (header rows dropped)."""
    p = Tables()
    p.feed(html)
    out = {}
    for key, rows in p.tables.items():
        body = [r for r in rows if r]
        out[key] = {next(iter(r.values()))[0]: r for r in body}
    return out


@pytest.fixture(scope="module")
def html(report_html: Path) -> str:
    return report_html.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def summary(run_dir: Path) -> dict[str, Any]:
    return json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cells(html: str) -> dict[str, dict[str, dict[str, tuple[str, dict[str, str]]]]]:
    return parse_tables(html)


def assert_estimate(cell: tuple[str, dict[str, str]], stats: dict[str, Any], kind: str) -> None:
    """The cell's raw mean/low/high equal summary.json's, and its text shows them formatted."""
    text, attrs = cell
    for attr, key in (("data-value", "mean"), ("data-low", "lo"), ("data-high", "hi")):
        assert math.isclose(float(attrs[attr]), stats[key], rel_tol=1e-12), (attr, stats)
    assert text == fm.interval(stats["mean"], stats["lo"], stats["hi"], kind)


def test_every_section_is_present_in_order(html: str, report: Report) -> None:
    assert [s.title for s in report.sections] == TITLES
    positions = [html.index(f"</span>{title}</h2>") for title in TITLES]
    assert positions == sorted(positions)


def test_channel_efficiency_matches_summary_json(
    cells: dict[str, Any], summary: dict[str, Any]
) -> None:
    table = cells["efficiency"]
    assert set(table) == set(summary["channels"])
    for channel, metrics in summary["channels"].items():
        row = table[channel]
        assert_estimate(row["ROAS mean"], metrics["roas"], "ratio")
        assert_estimate(row["mROAS mean"], metrics["mroas"], "ratio")
        assert_estimate(row["Carryover share mean"], metrics["carryover_share"], "pct")
        assert_estimate(row["Half-life mean"], metrics["half_life"], "periods")
        assert float(row["Spend"][1]["data-value"]) == pytest.approx(metrics["spend"])


def test_contributions_and_baseline_match_summary_json(
    cells: dict[str, Any], summary: dict[str, Any], result: FitResult
) -> None:
    table = cells["contributions"]
    for channel, metrics in summary["channels"].items():
        assert_estimate(table[channel]["Contribution mean"], metrics["contribution"], "kpi")
        assert_estimate(table[channel]["Share of KPI mean"], metrics["share"], "pct")
    base = table["Baseline (non-media)"]
    assert_estimate(base["Share of KPI mean"], summary["baseline"]["share"], "pct")
    total = float(result.baseline.sum(("time", "component")).mean())
    assert float(base["Contribution mean"][1]["data-value"]) == pytest.approx(total)
    for comp, entry in summary["baseline"]["components"].items():
        assert_estimate(
            cells["baseline_components"][comp]["Share of KPI mean"], entry["share"], "pct"
        )


def test_fit_metrics_and_verdict_match_summary_json(
    html: str, cells: dict[str, Any], summary: dict[str, Any]
) -> None:
    table = cells["fit_metrics"]
    for label, key in (("In-sample", "in_sample"), ("Holdout", "holdout")):
        for column, kind in (("R2", "num"), ("MAPE", "pct"), ("NRMSE", "num")):
            text, attrs = table[label][column]
            value = summary["fit"][key][column.lower()]
            assert float(attrs["data-value"]) == pytest.approx(value, rel=1e-12)
            assert text == fm.fmt(value, kind)
    assert escape(summary["diagnostics"]["verdict"], quote=False) in html
    rhat = cells["diagnostics"]["R-hat (max)"]["Value"]
    assert float(rhat[1]["data-value"]) == pytest.approx(summary["diagnostics"]["rhat_max"])


def test_headline_numbers_come_from_the_run(html: str, summary: dict[str, Any]) -> None:
    base = summary["baseline"]["share"]
    assert f'<div class="value">{fm.pct(base["mean"])}</div>' in html
    assert f"90% interval {fm.pct(base['lo'])} to {fm.pct(base['hi'])}" in html
    period = summary["periods"]
    assert f"{period['start']} to {period['end']}" in html


def test_reallocation_matches_the_optimizer(
    result: FitResult, cells: dict[str, Any], html: str
) -> None:
    """Same budget as the last 13 weeks, over 13 weeks: the optimizer's own numbers."""
    spent = float(result.spend.isel(time=slice(-13, None)).sum())
    opt = mp.optimize(result, spent, 13)
    doc = opt.to_plan_json()
    assert doc["budget"] == pytest.approx(spent)
    change = doc["kpi_change"]
    assert (
        f"change the KPI by {fm.amount(change['mean'])} (90% interval "
        f"{fm.amount(change['lo'])} to {fm.amount(change['hi'])})"
    ) in html
    for channel, amount in doc["allocation"].items():
        cell = cells["exec_reallocation"][channel]["Recommended"]
        assert float(cell[1]["data-value"]) == pytest.approx(amount, rel=1e-9, abs=1e-6)
        assert float(cells["budget_allocation"][channel]["Optimal"][1]["data-value"]) == (
            pytest.approx(amount, rel=1e-9, abs=1e-6)
        )


def test_data_quality_warnings_reach_the_summary(html: str, result: FitResult) -> None:
    codes = [f["code"] for f in result.provenance["findings"]]
    assert "short_history" in codes  # 48 weeks: the real checks warn
    summary_part = html[html.index('id="executive-summary"') : html.index('id="data"')]
    assert "[short_history]" in summary_part
    assert "Data-quality warnings that matter" in summary_part


def test_not_converged_is_said_plainly(html: str, summary: dict[str, Any]) -> None:
    assert summary["diagnostics"]["converged"] is False  # 60 draws: by design
    assert "The sampler did not converge" in html


def test_method_has_what_reproduces_the_run(html: str, result: FitResult) -> None:
    prov = result.provenance
    method = html[html.index('id="method"') :]
    assert prov["data_fingerprint"] in method
    assert f"--seed {prov['seed']}" in method
    assert prov["versions"]["pymc-marketing"] in method
    assert "adstock:" in method and "kind: geometric" in method  # the spec YAML


def test_a_bayesian_report_says_posterior_and_has_no_ridge_section(
    html: str, report: Report
) -> None:
    assert "90% posterior intervals" in report.subtitle
    assert "posterior mean" in report.sections[0].lead
    run = next(t for t in report.tables if t.key == "run").frame.set_index("Item")["Value"]
    assert run["Interval kind"] == "posterior"
    assert "Stored posterior draws" in run.index
    assert 'id="pareto-models"' not in html and 'data-figure="pareto_front"' not in html


def test_method_shows_fitted_vs_measured_lift(html: str, summary: dict[str, Any]) -> None:
    (row,) = summary["lift_tests"]
    method = html[html.index('id="method"') :]
    table = method[method.index("Lift tests: measured vs fitted") :]
    table = table[: table.index("</table>")]
    assert "30,000" in table  # measured
    assert f"{row['fitted']['mean']:,.0f}" in table
    assert ("yes" if row["agrees"] else "no: the model and the test disagree") in table


def test_self_contained_plotly_inlined_once(html: str, report: Report) -> None:
    assert html.count(plotly_js()[:300]) == 1
    assert "<script src=" not in html and "<link " not in html
    assert "cdn.plot.ly" not in html.replace(plotly_js(), "")
    for fig in report.figures:
        assert html.count(f'id="fig-{fig.key}"') == 1


def test_approximate_runs_say_so_prominently(approximate_run: Path, tmp_path: Path) -> None:
    html = build_report(approximate_run, tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="approximate-banner"' in html
    assert "<title>Marketing mix report (approximate)</title>" in html
    assert "Approximate results (quick mode)" in html
    assert "The sampler did not converge" not in html


def test_conversion_kpis_report_cpa(conversions_run: Path, tmp_path: Path) -> None:
    html = build_report(conversions_run, tmp_path / "r.html").read_text(encoding="utf-8")
    summary = json.loads((conversions_run / "summary.json").read_text(encoding="utf-8"))
    table = parse_tables(html)["efficiency"]
    for channel, metrics in summary["channels"].items():
        assert_estimate(table[channel]["CPA mean"], metrics["cpa"], "ratio")
        assert "ROAS mean" not in table[channel]
    assert "Media CPA" in html and "CPA by channel" in html
    assert "Clearly paid back" not in html  # ROAS break-even is a revenue notion
    assert "Could not compute" not in html  # the optimizer plans conversions too


def test_geo_models_report_national_totals(
    geo_run: Path, summary: dict[str, Any], tmp_path: Path
) -> None:
    """Two half-size geos add up to the national run; planning (national only) is explained."""
    html = build_report(geo_run, tmp_path / "r.html").read_text(encoding="utf-8")
    table = parse_tables(html)["contributions"]
    for channel, metrics in summary["channels"].items():
        value = float(table[channel]["Contribution mean"][1]["data-value"])
        assert value == pytest.approx(metrics["contribution"]["mean"], rel=1e-6)
    assert "Budget planning is not available for this model" in html
    for title in TITLES:
        assert f"</span>{title}</h2>" in html
    # the lift test run in one half-size geo: half the national fitted lift, same z
    (national,) = summary["lift_tests"]
    (north,) = json.loads((geo_run / "summary.json").read_text(encoding="utf-8"))["lift_tests"]
    assert north["geo"] == "north"
    assert north["fitted"]["mean"] == pytest.approx(national["fitted"]["mean"] / 2, rel=1e-6)
    assert north["z"] == pytest.approx(national["z"], rel=1e-3)


def test_interval_level_is_honoured(run_dir: Path, result: FitResult, tmp_path: Path) -> None:
    html = build_report(run_dir, tmp_path / "r.html", interval=0.5).read_text(encoding="utf-8")
    ch = result.channels[0]
    roas = result.summary_dict(0.5)["channels"][ch]["roas"]
    row = parse_tables(html)["efficiency"][ch]
    assert_estimate(row["ROAS mean"], roas, "ratio")
    assert "50% interval" in html


def test_a_given_plan_is_used(run_dir: Path, result: FitResult, tmp_path: Path) -> None:
    opt = mp.optimize(result, budget=1_000_000, periods=8)
    html = build_report(run_dir, tmp_path / "r.html", plan=opt).read_text(encoding="utf-8")
    assert "the plan passed in: a budget of 1,000,000 over the next 8 weeks" in html


def test_planning_failure_is_reported_not_raised(
    run_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def infeasible(*args: Any, **kwargs: Any) -> Any:
        raise mp.PlanInfeasible("the bounds leave no feasible allocation")

    monkeypatch.setattr(mp, "optimize", infeasible)
    html = build_report(run_dir, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Could not compute the budget optimizer: the bounds leave no feasible" in html
    assert "No budget recommendation" in html
    for title in TITLES:
        assert f"</span>{title}</h2>" in html
