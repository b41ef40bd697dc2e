"""``mixwise engines list`` / ``mixwise engines install NAME``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from mixwise.cli.base import app, console
from mixwise.service.engines import install_engine, list_engines

engines_app = typer.Typer(help="Estimation engines and their environments.", no_args_is_help=True)
app.add_typer(engines_app, name="engines")


@engines_app.command("list")
def list_command() -> None:
    """The engines, and whether each can fit now (Meridian needs its own environment)."""
    table = Table("engine", "label", "intervals", "geo", "status")
    for e in list_engines():
        table.add_row(e.name, e.label, e.interval_kind, "yes" if e.geo else "no", e.status)
    console.print(table)


@engines_app.command("install")
def install_command(
    name: Annotated[str, typer.Argument(help="The engine, e.g. meridian.")],
) -> None:
    """Create the engine's own environment from its committed lock (Meridian: TensorFlow and
    Google Meridian, a few minutes and about 2 GB the first time)."""
    with console.status(f"installing the {name} engine's environment"):
        seconds = install_engine(name)
    console.print(f"Installed the {name} engine in {seconds:.0f} s. Fit with --engine {name}.")
