"""The Typer application and the one place where errors become exit codes.

Exit codes: 0 success; 2 a user mistake (bad input, bad mapping, data with errors), printed as a
message and a hint; 1 an internal error (a bug: please report it). Tracebacks only with --debug.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer
from rich.console import Console

from mixwise import __version__
from mixwise.errors import MixwiseError

app = typer.Typer(
    name="mixwise",
    help="Marketing mix modeling, end to end: check data, fit, plan budgets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
console = Console()
err_console = Console(stderr=True)
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


def _register() -> None:
    """Import the command modules; each registers its commands on ``app``."""
    from mixwise.cli import (  # noqa: F401
        data_commands,
        demo_command,
        model_commands,
        plan_commands,
        report_commands,
        service_commands,
    )


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script: run the app and map errors to exit codes."""
    _register()
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        app(args=args, prog_name="mixwise")  # standalone: exits itself on success/usage errors
    except MixwiseError as exc:
        if debug:
            console.print_exception()
        err_console.print(f"[bold red]Error:[/] {exc.message}", highlight=False)
        if exc.hint:
            err_console.print(f"[yellow]Hint:[/] {exc.hint}", highlight=False)
        sys.exit(2)
    except Exception as exc:  # a bug, not a user mistake
        if debug:
            console.print_exception()
        err_console.print(
            f"[bold red]Internal error:[/] {type(exc).__name__}: {exc}\n"
            "This is a bug in mixwise. Run again with --debug for the traceback and report it.",
            highlight=False,
        )
        sys.exit(1)
