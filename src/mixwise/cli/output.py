"""Rendering helpers shared by CLI commands: findings tables, JSON output, progress bars."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer
from pydantic import BaseModel, ValidationError
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from mixwise.cli.base import console, err_console
from mixwise.data.findings import Finding, Severity
from mixwise.errors import MixwiseError
from mixwise.progress import Cancelled

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_json(data: Any) -> None:
    """Machine-readable output on stdout (for --json)."""
    console.print_json(json.dumps(data, default=str))


def request[R: BaseModel](schema: type[R], **fields: Any) -> R:
    """The service's request schema from command-line options; a value the schema refuses is
    a user error naming the option (``--risk-lambda``), as the API names the field."""
    try:
        return schema(**fields)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = [str(p) for p in err["loc"]]
            option = "--" + where[0].replace("_", "-") if where else "the options"
            detail = f" ({'.'.join(where[1:])})" if len(where) > 1 else ""
            problems.append(f"{option}{detail}: {err['msg']}")
        raise MixwiseError(
            "invalid option(s): " + "; ".join(problems), "See --help for the allowed values."
        ) from None


def print_findings(findings: Sequence[Finding]) -> None:
    """One block per finding: severity, code, column and rows, then message and hint."""
    for f in findings:
        style = SEVERITY_STYLE[f.severity]
        where = f" column '{f.column}'" if f.column else ""
        rows = f" rows {', '.join(str(r) for r in f.rows)}" if f.rows else ""
        console.print(
            f"[{style}]{f.severity.upper():7}[/] [bold]{f.code}[/]{where}{rows}", highlight=False
        )
        console.print(f"         {f.message}", highlight=False, soft_wrap=True)
        if f.hint:
            console.print(f"         [dim]→ {f.hint}[/]", highlight=False, soft_wrap=True)


@contextmanager
def progress_bar(description: str) -> Iterator[Any]:
    """A Rich progress bar driven by the mixwise ``progress(stage, fraction, message)`` callback."""
    with Progress(
        TextColumn("[bold blue]{task.fields[stage]:<16}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err_console,  # stdout stays clean for --json
        transient=False,
    ) as bar:
        task = bar.add_task(description, total=1.0, stage="start")

        def update(stage: str, fraction: float, message: str = "") -> None:
            bar.update(
                task,
                completed=max(0.0, min(1.0, fraction)),
                stage=stage,
                description=message or description,
            )

        yield update


@contextmanager
def cancellable_progress(description: str) -> Iterator[Any]:
    """:func:`progress_bar` for work that writes only when complete: Ctrl-C (or a cancel from
    the callback) says nothing was written and exits 130."""
    try:
        with progress_bar(description) as progress:
            yield progress
    except (KeyboardInterrupt, Cancelled):
        console.print("[yellow]Cancelled:[/] nothing was written.")
        raise typer.Exit(130) from None
