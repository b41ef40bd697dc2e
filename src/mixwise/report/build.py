"""Assemble the report from a run folder, and the one-call ``build_report``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from mixwise.report import attribution, campaigns, executive, method, ridge, sections
from mixwise.report import format as fm
from mixwise.report.attribution import AttributionTables
from mixwise.report.html import write_html
from mixwise.report.inputs import ReportInputs, load_inputs
from mixwise.report.model import Report

if TYPE_CHECKING:
    from mixwise.plan import OptimizationResult


def assemble(
    inp: ReportInputs,
    journeys: AttributionTables | None = None,
    timeline: dict[str, Any] | None = None,
) -> Report:
    """The sections, in order, from loaded inputs (the ridge section only for ridge runs, the
    attribution section only with journey data, the campaigns section only with a calendar's
    ``timeline`` document)."""
    built = tuple(
        s
        for s in (
            executive.section(inp),
            sections.data(inp),
            sections.model_fit(inp),
            sections.contribution(inp),
            sections.efficiency(inp),
            sections.response(inp),
            ridge.section(inp),
            attribution.section(journeys),
            campaigns.section(timeline),
            sections.budget(inp),
            method.section(inp),
        )
        if s is not None
    )
    p = inp.summary["periods"]
    prov = inp.result.provenance
    subtitle = (
        f"{p['start']} to {p['end']} · {len(inp.result.channels)} channels · "
        f"{inp.kpi_type} KPI · engine {prov.get('engine', '?')} · "
        f"{fm.level(inp.interval)} {inp.interval_kind} intervals"
    )
    return Report(
        title="Marketing mix report",
        subtitle=subtitle,
        sections=built,
        approximate=inp.result.approximate,
        interval=inp.interval,
        generated_at=pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        meta={
            "run_dir": str(inp.run_dir),
            "engine": prov.get("engine"),
            "seed": prov.get("seed"),
            "data_fingerprint": prov.get("data_fingerprint"),
            "converged": inp.summary.get("diagnostics", {}).get("converged"),
        },
    )


def assemble_report(
    run_dir: str | Path,
    *,
    plan: OptimizationResult | None = None,
    interval: float = 0.9,
    journeys: AttributionTables | None = None,
    timeline: dict[str, Any] | None = None,
) -> Report:
    """Load the run at ``run_dir`` and build every section (no files written); ``journeys``:
    multi-touch credit beside this run (:mod:`mixwise.report.attribution`); ``timeline``: a
    campaign calendar's flights (:mod:`mixwise.report.campaigns`)."""
    return assemble(load_inputs(run_dir, plan=plan, interval=interval), journeys, timeline)


def build_report(
    run_dir: str | Path,
    out_path: str | Path,
    *,
    plan: OptimizationResult | None = None,
    interval: float = 0.9,
) -> Path:
    """Write the self-contained HTML report of the run at ``run_dir`` to ``out_path``.

    ``plan``: an :class:`~mixwise.plan.OptimizationResult` to show in the budget section and
    executive summary; by default the optimizer reallocates the budget of the last 13 weeks
    (90 days for daily data) over as many future periods. ``interval``: the level of every
    interval shown (0.9 = 90%). Returns ``out_path``.
    """
    return write_html(assemble_report(run_dir, plan=plan, interval=interval), out_path)
