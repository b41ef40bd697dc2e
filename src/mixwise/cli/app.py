"""The console script: every command module registered on the Typer app, and the one place
where errors become exit codes.

Exit codes: 0 success; 2 a user mistake (bad input, bad mapping, data with errors), printed as a
message and a hint; 1 an internal error (a bug: please report it). Tracebacks only with --debug.
"""

from __future__ import annotations

import sys

# each command module registers its commands on ``app`` when imported
from mixwise.cli import (  # noqa: F401
    admin_commands,
    attribution_command,
    compare_command,
    connect_commands,
    data_commands,
    demo_command,
    engine_commands,
    export_command,
    model_commands,
    plan_commands,
    portfolio_commands,
    report_commands,
    review_commands,
    service_commands,
    timeline_command,
)
from mixwise.cli.base import app, console, err_console
from mixwise.errors import MixwiseError

__all__ = ["app", "console", "err_console", "main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script: run the app and map errors to exit codes."""
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
