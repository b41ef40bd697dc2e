"""The Typer application and the consoles every command module prints to (the commands
register themselves on ``app``; :mod:`mixwise.cli.app` imports them all and runs it)."""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console

from mixwise import __version__

app = typer.Typer(
    name="mixwise",
    help="Marketing mix modeling, end to end: check data, fit, plan budgets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
console = Console()
# Errors are not wrapped by Rich: a path or a column name stays on one line (copyable, greppable);
# the terminal wraps long lines itself.
err_console = Console(stderr=True, soft_wrap=True)
_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        console.print(f"mixwise {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print version.")
    ] = False,
) -> None:
    """mixwise: what each channel added, where the next dollar should go, what a budget move does.

    Start with `mixwise demo`, or with your own CSV: `mixwise init-mapping data.csv -o m.yaml`,
    then `mixwise validate data.csv --mapping m.yaml` and `mixwise fit ...`.
    """
    _state["debug"] = debug
    if debug:  # worker processes started from here log libraries' INFO lines too
        os.environ["MIXWISE_DEBUG"] = "1"
