"""``mixwise demo``: the main job (`make run`) on built-in synthetic data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from mixwise.cli.base import app, console
from mixwise.cli.model_commands import print_run_summary
from mixwise.cli.output import print_json, progress_bar
from mixwise.service.demo_run import DEMO_SEED, run_demo


@app.command()
def demo(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for data, run, report, plan.")
    ] = Path("demo-out"),
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the dashboard after.")
    ] = True,
    seed: Annotated[int, typer.Option(help="Seed for data and sampler.")] = DEMO_SEED,
    draws: Annotated[int | None, typer.Option(help="Posterior draws per chain.")] = None,
    tune: Annotated[int | None, typer.Option(help="Tuning steps per chain.")] = None,
    chains: Annotated[int | None, typer.Option(help="Number of chains.")] = None,
    port: Annotated[int, typer.Option(help="Port for the dashboard.")] = 8000,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Run the main job on built-in synthetic data (what `make run` does).

    Generates demo data (5 channels, 3 years weekly), checks it, fits it, writes the run, the
    report and a recommended budget, prints estimated vs true ROAS, then serves the dashboard at
    http://127.0.0.1:8000 until Ctrl-C (--no-serve stops after writing).

    Example: mixwise demo --no-serve --out demo-out
    """
    sampler = {k: v for k, v in (("draws", draws), ("tune", tune), ("chains", chains)) if v}
    with progress_bar("demo") as progress:
        outcome = run_demo(out, seed=seed, sampler=sampler, progress=progress)
    if as_json:
        print_json(
            {
                "out": str(outcome.out),
                "run": str(outcome.run_dir),
                "report": str(outcome.report),
                "plan": str(outcome.plan),
                "recovery": outcome.recovery.to_dict(orient="records"),
            }
        )
    else:
        print_run_summary(outcome.summary)
        table = Table(
            title="Estimated vs true ROAS (the data is synthetic: the truth is known)",
            header_style="bold",
        )
        for col in ("channel", "true ROAS", "estimated [90% interval]", "error", "truth inside"):
            table.add_column(col, justify="left" if col == "channel" else "right")
        for r in outcome.recovery.itertuples():
            table.add_row(
                str(r.channel),
                f"{r.true_roas:.2f}",
                f"{r.estimated_roas:.2f} [{r.lo:.2f}, {r.hi:.2f}]",
                f"{r.relative_error:+.0%}",
                "yes" if r.truth_inside else "[red]no[/]",
            )
        console.print(table)
        console.print(f"Data:   {outcome.data_dir}/data.csv (+ mapping.yaml, truth.json)")
        console.print(f"Run:    {outcome.run_dir} (summary.json, result.nc)")
        console.print(f"Report: {outcome.report}")
        console.print(f"Budget: {outcome.plan}")
    if serve:
        _serve(port, outcome.run_dir if seed == DEMO_SEED else None)


def _serve(port: int, run_dir: Path | None) -> None:
    """The API and dashboard with the demo workspace, until Ctrl-C."""
    from mixwise.api.server import serve as run_server

    console.print(f"Serving the dashboard at http://127.0.0.1:{port} (Ctrl-C to stop).")
    run_server(
        host="127.0.0.1",
        port=port,
        workers=1,
        open_browser=False,
        demo=True,
        demo_run=run_dir,
        say=lambda text: console.print(text, highlight=False, soft_wrap=True),
    )
