"""``mixwise report``: the self-contained HTML report of a run, with table and figure exports."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mixwise.cli.app import app, console
from mixwise.cli.output import print_json


class ExportFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


def tables_path(out: Path, fmt: ExportFormat) -> Path:
    """Where ``--export`` writes: ``report.xlsx`` next to ``report.html``, or the folder
    ``report-tables/`` with one CSV per table."""
    if fmt == ExportFormat.xlsx:
        return out.with_suffix(".xlsx")
    return out.with_name(f"{out.stem}-tables")


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
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Write the report of a fitted run: one HTML file that opens anywhere, offline.

    Sections: executive summary, data, model fit, contribution, channel efficiency, response
    curves, budget, method. --export writes every table (report.xlsx, or a report-tables/
    folder of CSVs); --png writes every figure for slides (needs Chromium).

    Example: mixwise report runs/first -o report.html --export xlsx --png slides/
    """
    from mixwise.report import assemble_report, export_figures, export_tables, write_html

    with console.status("Building the report (planning runs on every posterior draw)..."):
        built = assemble_report(run_dir, interval=interval)
        html = write_html(built, out)
        tables = export_tables(built, tables_path(out, export), export) if export else None
    figures = export_figures(built, png) if png else []
    if as_json:
        print_json(
            {
                "report": str(html),
                "approximate": built.approximate,
                "tables": str(tables) if tables else None,
                "figures": [str(p) for p in figures],
                "sections": [s.title for s in built.sections],
            }
        )
        return
    if built.approximate:
        console.print("[bold red]Approximate run (quick mode):[/] the report says so throughout.")
    console.print(f"Report: [bold]{html}[/]")
    if tables:
        console.print(f"Tables: {tables} ({len(built.tables)} tables)")
    if figures:
        console.print(f"Figures: {png} ({len(figures)} PNG files)")
