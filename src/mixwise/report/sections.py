"""Sections 2 to 7 of the report (data, fit, contribution, efficiency, curves, budget)."""

from __future__ import annotations

from mixwise.report import accuracy, figures, figures_plan, review, synergy, tables, tables_plan
from mixwise.report import format as fm
from mixwise.report.inputs import ReportInputs
from mixwise.report.model import Block, Callout, KeyFigure, KeyFigures, Paragraph, Section

TITLES = {
    "executive-summary": "Executive summary",
    "data": "Data",
    "model-fit": "Model fit",
    "contribution": "Contribution",
    "channel-efficiency": "Channel efficiency",
    "response-curves": "Response curves",
    "budget": "Budget",
    "method": "Method",
}


def _present(*blocks: Block | None) -> tuple[Block, ...]:
    return tuple(b for b in blocks if b is not None)


def _problems(inp: ReportInputs) -> Block | None:
    if not inp.plan.problems:
        return None
    return Callout(
        "warning", "Parts of this section could not be computed", " ".join(inp.plan.problems)
    )


def data(inp: ReportInputs) -> Section:
    p = inp.summary["periods"]
    facts = KeyFigures(
        (
            KeyFigure("First period", p["start"]),
            KeyFigure("Last period", p["end"]),
            KeyFigure("Periods", str(p["n"]), f"{inp.result.frequency}"),
            KeyFigure("Channels", str(len(inp.result.channels)), ", ".join(inp.result.channels)),
            KeyFigure("KPI", inp.kpi_type, f"total {fm.amount(float(inp.result.observed.sum()))}"),
        )
    )
    found = tables.findings(inp)
    text = Paragraph(
        "The data checks found nothing to report."
        if found.frame.empty
        else "What the data checks found when the data was loaded. Errors stop a fit, so only "
        "warnings and notes can appear here."
    )
    blocks = (
        facts,
        tables.data_channels(inp),
        figures.spend_shares(inp),
        figures.spend_over_time(inp),
        text,
        found,
    )
    return Section(
        "data",
        TITLES["data"],
        blocks,
        "What the model was fitted on: the period, the channels and their spend.",
    )


def model_fit(inp: ReportInputs) -> Section:
    diag = inp.summary.get("diagnostics", {})
    if inp.result.approximate:
        verdict = Callout(
            "danger", "Approximate fit: no convergence diagnostics", str(diag.get("verdict"))
        )
    elif diag.get("converged"):
        verdict = Callout("success", "Converged", str(diag.get("verdict")))
    elif diag.get("converged") is None:  # draws that are no sampler's (ridge: bootstrap refits)
        verdict = Callout("info", "No sampler: nothing to converge", str(diag.get("verdict")))
    else:
        verdict = Callout("danger", "Not converged", str(diag.get("verdict")))
    blocks = _present(
        figures.actual_vs_predicted(inp),
        figures.residuals(inp),
        tables.fit_metrics(inp),
        verdict,
        # no sampler (approximate fit, ridge refits): no sampler diagnostics; the verdict says so
        None
        if inp.result.approximate or diag.get("converged") is None
        else tables.diagnostics(inp),
        tables.fit_series(inp),
        review.checks_table(inp),
        accuracy.accuracy_over_time(inp),
        accuracy.backtest_series(inp),
    )
    return Section(
        "model-fit",
        TITLES["model-fit"],
        blocks,
        "How closely the model reproduces the KPI, in and out of sample"
        + ("." if inp.is_bootstrap else ", and whether the sampler can be trusted."),
    )


def contribution(inp: ReportInputs) -> Section:
    blocks = _present(
        figures.contributions_stacked(inp),
        figures.effectiveness_over_time(inp),
        figures.waterfall(inp),
        figures.share_kpi_vs_spend(inp),
        tables.contributions(inp),
        synergy.synergies(inp),
        tables.baseline_components(inp),
        tables.contributions_over_time(inp),
    )
    return Section(
        "contribution",
        TITLES["contribution"],
        blocks,
        "How much of the KPI each channel added on top of the baseline (what would "
        "have happened without media).",
    )


def efficiency(inp: ReportInputs) -> Section:
    blocks = (
        figures.ratio_intervals(inp),
        figures.mroas_intervals(inp),
        tables.efficiency(inp),
        figures.immediate_vs_carryover(inp),
    )
    return Section(
        "channel-efficiency",
        TITLES["channel-efficiency"],
        blocks,
        "What each unit of spend returned on average (ROAS / CPA), what the next unit "
        "returns (mROAS), and how much of the effect comes later (carryover).",
    )


def response(inp: ReportInputs) -> Section:
    blocks = _present(
        _problems(inp),
        figures_plan.response_curves(inp),
        tables_plan.response_markers(inp),
        figures_plan.adstock_decay(inp),
        tables_plan.response_curve_points(inp),
        tables_plan.adstock_weights(inp),
    )
    return Section(
        "response-curves",
        TITLES["response-curves"],
        blocks,
        "How the KPI responds to more or less spend per channel (diminishing "
        "returns), and how long the effect of spend lasts (adstock).",
    )


def budget(inp: ReportInputs) -> Section:
    opt = inp.plan.optimum
    intro = None
    if opt is not None:
        risk = inp.mean_word if opt.risk.kind == "mean" else opt.risk.describe()
        intro = Paragraph(
            f"The optimizer allocates {inp.budget_phrase()}, to maximise the expected KPI "
            f"(risk: {risk}). Binding constraints: "
            f"{', '.join(opt.binding) or 'none'}."
            + (f" Notes: {' '.join(opt.notes)}" if opt.notes else "")
        )
    blocks = _present(
        _problems(inp),
        intro,
        figures_plan.budget_allocation(inp),
        tables_plan.budget_allocation(inp),
        tables_plan.budget_outcome(inp),
        figures_plan.frontier(inp),
        tables_plan.frontier(inp),
        tables_plan.recommendations(inp),
    )
    return Section(
        "budget",
        TITLES["budget"],
        blocks,
        "Where the same money would do more: the current allocation against the "
        "optimal one, and what more or less budget would buy.",
    )
