"""Data commands: init-mapping, validate, describe, synth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from mixwise.cli.base import app, console
from mixwise.cli.output import print_findings, print_json
from mixwise.service import tables

DataArg = Annotated[str, typer.Argument(help="CSV, Parquet, Excel, .duckdb, a glob, or a DB URL.")]
MappingOpt = Annotated[
    Path, typer.Option("--mapping", "-m", help="Mapping YAML (see init-mapping).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


@app.command("init-mapping")
def init_mapping(
    data: DataArg,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the mapping.")] = Path(
        "mapping.yaml"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Propose a mapping (which column is date, KPI, spend, ...) from names and contents.

    Example: mixwise init-mapping sales.csv -o mapping.yaml
    """
    proposal = tables.write_proposed_mapping(data, out, force)
    if as_json:
        print_json({"mapping": str(out), "notes": proposal.notes})
        return
    console.print(f"Wrote [bold]{out}[/]. What I guessed (review and edit the file):")
    for note in proposal.notes:
        console.print(f"  • {note}", highlight=False)
    console.print(f"Next: mixwise validate {data} --mapping {out}")


@app.command()
def validate(data: DataArg, mapping: MappingOpt, as_json: JsonOpt = False) -> None:
    """Check data against a mapping. Exit 0 when usable (warnings allowed), 2 on errors.

    Example: mixwise validate sales.csv --mapping mapping.yaml
    """
    report = tables.check(data, mapping)
    if as_json:
        print_json(report.to_dict())
    else:
        if report.findings:
            print_findings(report.findings)
        n_err, n_warn = len(report.errors), len(report.warnings)
        verdict = "[bold green]usable[/]" if report.ok else "[bold red]not usable[/]"
        console.print(f"{data}: {verdict} — {n_err} error(s), {n_warn} warning(s).")
    if not report.ok:
        raise typer.Exit(2)


@app.command()
def describe(data: DataArg, mapping: MappingOpt, as_json: JsonOpt = False) -> None:
    """Summarise the data: period, spend per channel, active periods, correlations.

    Example: mixwise describe sales.csv --mapping mapping.yaml
    """
    summary = tables.describe_source(data, mapping)
    if as_json:
        print_json(summary.to_dict())
        return
    p = summary.period
    console.print(
        f"[bold]{p['periods']} {p['frequency']} periods[/] {p['start']} .. {p['end']}, "
        f"{p['geos']} geo(s); KPI '{p['kpi']}' ({p['kpi_type']}) total {p['kpi_total']:,.0f}; "
        f"spend total {p['spend_total']:,.0f}"
    )
    table = Table(header_style="bold")
    for col in ("channel", "spend", "share", "active periods", "mean when active", "corr. w/ KPI"):
        table.add_column(col, justify="right" if col != "channel" else "left")
    corr = summary.correlation["KPI"]
    for ch, row in summary.channels.iterrows():
        table.add_row(
            str(ch),
            f"{row['spend']:,.0f}",
            f"{row['spend_share']:.1%}",
            f"{row['active_periods']} ({row['active_share']:.0%})",
            f"{row['mean_active_spend']:,.0f}",
            f"{corr[str(ch)]:+.2f}",
        )
    console.print(table)


@app.command()
def synth(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for data.csv, mapping.yaml, truth.json.")
    ],
    preset: Annotated[
        str, typer.Option(help="demo (5 channels, 3 years weekly), small, geo.")
    ] = "demo",
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same data).")] = 20240601,
    as_json: JsonOpt = False,
) -> None:
    """Generate synthetic data with known ground truth (for trying mixwise and testing recovery).

    Example: mixwise synth --preset demo --out demo-data
    """
    data = tables.synthesize(preset, seed, out)
    truth = data.truth_frame()
    if as_json:
        print_json(
            {"out": str(out), "rows": len(data.frame), "truth": truth.to_dict(orient="records")}
        )
        return
    console.print(f"Wrote {out}/data.csv ({len(data.frame)} rows), mapping.yaml and truth.json.")
    console.print(truth.to_string(), highlight=False)
