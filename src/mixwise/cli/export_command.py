"""``mixwise export``: a dataset in another MMM tool's shape, with a script that fits it there."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mixwise.cli.base import app, console
from mixwise.cli.output import print_json
from mixwise.export import target_names
from mixwise.service.exports import export_source


@app.command()
def export(
    data: Annotated[str, typer.Argument(help="CSV, Parquet, Excel, .duckdb, a glob, or a DB URL.")],
    mapping: Annotated[Path, typer.Option("--mapping", "-m", help="Mapping YAML.")],
    to: Annotated[str, typer.Option("--to", help=f"Target tool: {', '.join(target_names())}.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write.")],
    spec: Annotated[
        Path | None,
        typer.Option("--spec", "-s", help="Model spec YAML (adstock, holidays, holdout ...)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing folder.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Write the data in another tool's shape plus a short script that fits it there, with the
    mapping's choices (channels, controls, events, holidays, date, KPI) carried over.

    Example: mixwise export sales.csv --mapping mapping.yaml --to robyn --out export/robyn
    """
    files = export_source(data, mapping, to, out, spec=spec, force=force)
    if as_json:
        print_json({"out": str(out), "to": to, "files": [str(f) for f in files]})
        return
    for f in files:
        console.print(f"Wrote [bold]{f}[/]")
    console.print(f"Next: see {out / 'README.txt'} for how to fit it.")
