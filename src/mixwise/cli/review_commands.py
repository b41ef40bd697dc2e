"""``mixwise review``: the model reviewer's verdict of a run, with the placebo check on
request; and the review lines ``mixwise fit`` prints."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from mixwise.cli.base import app, console
from mixwise.cli.output import cancellable_progress, print_json

STYLE = {"pass": "green", "warn": "yellow", "fail": "bold red"}


def print_review(review: dict[str, Any] | None, *, full: bool = False) -> None:
    """The verdict in a line; the checks that did not pass (every check with ``full``)."""
    if not review:
        console.print("Review: none (fitted before the model reviewer; refit to review it).")
        return
    status = str(review["verdict"])
    console.print(
        f"Review: [{STYLE[status]}]{status.upper()}[/] — {review['message']}", highlight=False
    )
    shown = [c for c in review["checks"] if full or c["status"] != "pass"]
    if not shown:
        return
    table = Table(header_style="bold", show_lines=False)
    for col in ("check", "status", "what to do"):
        table.add_column(col)
    for c in shown:
        table.add_row(c["name"], f"[{STYLE[c['status']]}]{c['status']}[/]", c["message"])
    console.print(table)
    if full:
        for s in review.get("skipped", []):
            console.print(f"  not checked: {s['name']} ({s['reason']})", highlight=False)


@app.command()
def review(
    run: Annotated[Path, typer.Argument(help="Run folder written by mixwise fit.")],
    placebo: Annotated[
        bool,
        typer.Option(
            "--placebo",
            help="Also refit with a fake channel (a real channel's spend shuffled in time) "
            "and require it to get no effect. Needs --data and --mapping.",
        ),
    ] = False,
    data: Annotated[
        str | None, typer.Option("--data", "-d", help="The data the run was fitted on.")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", "-m", help="The mapping of that data.")
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option(help="The channel whose spend the placebo shuffles (default: most spend)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the shuffle.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """The model reviewer's checks of a fit: convergence, baseline, posterior predictive
    check, fit in sample and on the holdout, residual autocorrelation, lift tests, ROAS priors,
    the priors' influence, implausible ROAS, intervals too wide to act on; --placebo adds a
    refit with a fake channel.

    Example: mixwise review runs/first
    Example: mixwise review runs/first --placebo --data sales.csv --mapping mapping.yaml
    """
    from mixwise.errors import MixwiseError
    from mixwise.service.fitted import RunFolder
    from mixwise.service.review import review_model

    if placebo and (data is None or mapping is None):
        raise MixwiseError(
            "--placebo refits the model: it needs the run's data and mapping",
            "Pass --data and --mapping (the ones the run was fitted with).",
        )
    if not placebo and (data is not None or mapping is not None):
        raise MixwiseError("--data and --mapping are for --placebo", "Add --placebo.")
    model = RunFolder(run)
    if placebo:
        with cancellable_progress("placebo refit") as progress:
            out = review_model(
                model, data=data, mapping=mapping, channel=channel, seed=seed, progress=progress
            )
    else:
        out = review_model(model)
    if as_json:
        print_json({"run": str(run), "review": out})
        return
    print_review(out, full=True)
