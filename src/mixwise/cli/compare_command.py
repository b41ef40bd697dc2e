"""``mixwise compare``: fitted runs side by side, any mix of engines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from mixwise.cli.base import app, console
from mixwise.cli.output import print_json
from mixwise.service.comparison import compare_models
from mixwise.service.fitted import RunFolder
from mixwise.service.schemas.common import Interval
from mixwise.service.schemas.comparison import ComparisonOut
from mixwise.service.schemas.results import FitMetrics


@app.command()
def compare(
    runs: Annotated[list[Path], typer.Argument(help="Two or more run folders (any engines).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print machine-readable JSON (the API's schema).")
    ] = False,
) -> None:
    """Compare runs side by side: per channel ROAS and share of contribution with each run's
    interval, where the engines agree and why they may not, fit in sample and on a common
    holdout, the baselines.

    Example: mixwise compare runs/bayesian runs/ridge
    """
    names = {str(r): r.name for r in runs}
    unique = len(set(names.values())) == len(names)
    out = compare_models([RunFolder(r) for r in runs], names if unique else None)
    if as_json:
        print_json(out.model_dump(mode="json"))
        return
    print_comparison(out)


def _iv(i: Interval | None, fmt: str) -> str:
    if i is None or i.mean is None:
        return "n/a"
    lo = "n/a" if i.lo is None else fmt.format(i.lo)
    hi = "n/a" if i.hi is None else fmt.format(i.hi)
    return f"{fmt.format(i.mean)} [{lo}, {hi}]"


def _agree(flag: bool | None) -> str:
    return {True: "[green]agree[/]", False: "[red]differ[/]", None: "n/a"}[flag]


def _metric(m: FitMetrics | None, key: str) -> str:
    value = None if m is None else getattr(m, key)
    if value is None:
        return "n/a"
    return f"{value:.1%}" if key == "mape" else f"{value:.3f}"


def print_comparison(out: ComparisonOut) -> None:
    """The comparison as tables: models, channels (ROAS, share), fit, baseline, notes."""
    models = Table(title="Models", header_style="bold")
    for col in ("run", "engine", "intervals", "periods", "holdout"):
        models.add_column(col)
    for m in out.models:
        models.add_row(
            m.name, m.engine_label, m.interval_text, f"{m.start}..{m.end}", str(m.n_holdout)
        )
    console.print(models)
    ids = [m.model_id for m in out.models]
    names = {m.model_id: m.name for m in out.models}
    for metric, fmt in (("roas", "{:.2f}"), ("share", "{:.1%}")):
        table = Table(
            title=f"{metric.upper() if metric == 'roas' else 'Share'} per channel",
            header_style="bold",
        )
        table.add_column("channel")
        for i in ids:
            table.add_column(names[i], justify="right")
        table.add_column("engines")
        for ch in out.channels:
            cells = [_iv(getattr(e, metric), fmt) for e in ch.estimates]
            flag = ch.roas_agree if metric == "roas" else ch.share_agree
            table.add_row(ch.channel, *cells, _agree(flag))
        console.print(table)
    fit = Table(title="Fit", header_style="bold")
    fit.add_column("metric")
    for i in ids:
        fit.add_column(names[i], justify="right")
    for key, label in (("r2", "R²"), ("mape", "MAPE"), ("nrmse", "NRMSE")):
        fit.add_row(f"{label} in-sample", *[_metric(f.in_sample, key) for f in out.fit])
    if out.holdout_window is not None:
        w = out.holdout_window
        for key, label in (("r2", "R²"), ("mape", "MAPE"), ("nrmse", "NRMSE")):
            fit.add_row(
                f"{label} holdout {w.start}..{w.end}",
                *[
                    _metric(f.holdout, key) + ("" if f.holdout_out_of_sample else " (in-sample)")
                    for f in out.fit
                ],
            )
    fit.add_row("baseline share", *[_iv(b.share, "{:.1%}") for b in out.baseline])
    console.print(fit)
    reasons: dict[str, list[str]] = {}  # one line per reason, with the channels it is about
    for ch in out.channels:
        for r in ch.reasons:
            reasons.setdefault(r.message, []).append(ch.channel)
    for message, channels in reasons.items():
        console.print(f"  • [bold]{', '.join(channels)}[/]: {message}", highlight=False)
    for note in out.notes:
        console.print(f"  • {note}", highlight=False)
