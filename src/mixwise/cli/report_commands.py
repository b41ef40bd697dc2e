"""``mixwise report``: the self-contained HTML report of a run, with table and figure exports."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mixwise.cli.base import app, console
from mixwise.cli.output import print_json
from mixwise.service.fitted import RunFolder
from mixwise.service.reports import write_report
from mixwise.service.timeline import load_calendar


class ExportFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


@app.command()
def report(
    run_dir: Annotated[Path, typer.Argument(help="Run folder written by `mixwise fit`.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "report.html"
    ),
    export: Annotated[
        ExportFormat | None,
        typer.Option("--export", help="Also write every table: xlsx (one sheet each) or csv."),
    ] = None,
    png: Annotated[
        Path | None, typer.Option("--png", help="Also write every figure as PNG to this folder.")
    ] = None,
    interval: Annotated[
        float, typer.Option(help="Interval level for every estimate (0.9 = 90%).")
    ] = 0.9,
    journeys: Annotated[
        str | None,
        typer.Option(
            "--journeys",
            help="Journeys (touchpoint events or paths): adds multi-touch attribution beside "
            "the run.",
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", "-m", help="Journeys mapping YAML (roles, channel renames)."),
    ] = None,
    campaigns: Annotated[
        Path | None,
        typer.Option("--campaigns", help="Campaign calendar: adds the campaigns section."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Write the report of a fitted run: one HTML file that opens anywhere, offline.

    Sections: executive summary, data, model fit, contribution, channel efficiency, response
    curves, budget, method; with --journeys also multi-touch attribution beside the MMM; with
    --campaigns each flight's contribution and ROAS (mixwise timeline).
    --export writes every table (report.xlsx, or a report-tables/
    folder of CSVs); --png writes every figure for slides (needs Chromium).

    Example: mixwise report runs/first -o report.html --export xlsx --png slides/
    """
    with console.status("Building the report (planning runs on every posterior draw)..."):
        files = write_report(
            RunFolder(run_dir),
            out,
            tables=export.value if export else None,
            figures=png,
            interval=interval,
            journeys=journeys,
            mapping=mapping,
            campaigns=load_calendar(campaigns) if campaigns else None,
        )
    if as_json:
        print_json(
            {
                "report": str(files.html),
                "approximate": files.approximate,
                "tables": str(files.tables) if files.tables else None,
                "figures": [str(p) for p in files.figures],
                "sections": files.sections,
            }
        )
        return
    if files.approximate:
        console.print("[bold red]Approximate run (quick mode):[/] the report says so throughout.")
    console.print(f"Report: [bold]{files.html}[/]")
    if files.tables:
        console.print(f"Tables: {files.tables} ({files.n_tables} tables)")
    if files.figures:
        console.print(f"Figures: {png} ({len(files.figures)} PNG files)")
