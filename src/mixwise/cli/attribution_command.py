"""``mixwise attribute``: multi-touch attribution of journeys, side by side with MMM runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from mixwise.attribution.models import MODELS
from mixwise.cli.base import app, console
from mixwise.cli.output import print_findings, print_json, request
from mixwise.data.findings import Finding
from mixwise.service import attribution
from mixwise.service.fitted import RunFolder
from mixwise.service.schemas.attribution import AttributionOptions, AttributionOut


@app.command()
def attribute(
    journeys: Annotated[
        str, typer.Argument(help="Touchpoint events or aggregated paths: CSV, Parquet, DuckDB.")
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for credits.csv, sequences.csv, JSON.")
    ],
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", "-m", help="YAML: roles, channel renames (journey -> MMM)."),
    ] = None,
    models: Annotated[
        str, typer.Option(help=f"Comma-separated, from: {', '.join(MODELS)}.")
    ] = ",".join(MODELS),
    compare: Annotated[
        list[Path] | None, typer.Option("--compare", help="An MMM run folder (repeatable).")
    ] = None,
    half_life: Annotated[float, typer.Option(help="Time decay half-life (days).")] = 7.0,
    position: Annotated[
        tuple[float, float], typer.Option(help="Position-based first and last shares.")
    ] = (0.4, 0.4),
    target: Annotated[str, typer.Option(help="Attribute 'conversions' or 'value'.")] = (
        "conversions"
    ),
    replicates: Annotated[int, typer.Option(help="Bootstrap replicates (journeys).")] = 100,
    interval: Annotated[
        float, typer.Option(help="Width of the bootstrap intervals (sequences: 95%).")
    ] = 0.9,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same intervals).")] = 0,
    lookback_days: Annotated[
        float | None, typer.Option(help="Drop touches older than this before the conversion.")
    ] = None,
    min_support: Annotated[
        int, typer.Option(help="Sequences: journeys needed on each side.")
    ] = 100,
    sql: Annotated[
        str | None,
        typer.Option(help="Query for a DuckDB or SQLite file (or `sql:` in the mapping)."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            help="Also credit each 'campaign' or 'creative' within its channel "
            "(credits_by_<by>.csv; rule-based and Markov models)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the whole result as JSON.")
    ] = False,
) -> None:
    """Credit each channel by first/last touch, linear, time decay, position-based, Markov
    (order 1-4) and Shapley, with bootstrap intervals; compare with MMM runs.

    Example: mixwise attribute journeys.csv --compare runs/mmm --out attribution
    """
    options = request(
        AttributionOptions,
        models=[m.strip() for m in models.split(",") if m.strip()],
        half_life=half_life,
        first_share=position[0],
        last_share=position[1],
        target=target,
        replicates=replicates,
        interval=interval,
        seed=seed,
        lookback_days=lookback_days,
        min_support=min_support,
        by=by,
    )
    runs = [RunFolder(p) for p in compare or []]
    result = attribution.attribute_journeys(journeys, options, mapping, runs, sql)
    files = attribution.write_outputs(result, out)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    _print(result)
    console.print(f"Wrote {', '.join(str(f) for f in files)}.", highlight=False)


def _print(result: AttributionOut) -> None:
    print_findings([Finding.from_dict(f.model_dump()) for f in result.findings])
    console.print(
        f"{result.journeys:,.0f} journeys, {result.unique_paths:,} unique paths, "
        f"{result.total:,.0f} {result.target} attributed over {len(result.channels)} channels."
    )
    table = Table(header_style="bold", title="Share of credit (interval of the credit)")
    names = list(dict.fromkeys(c.model for c in result.credits))
    table.add_column("channel")
    for name in names:
        table.add_column(name, justify="right")
    for ch in dict.fromkeys(c.channel for c in result.credits):
        cells = []
        for name in names:
            row = next(c for c in result.credits if c.channel == ch and c.model == name)
            cells.append(row.note if row.share is None else f"{row.share:.0%}")
        table.add_row(ch, *cells)
    console.print(table)
    for line in result.notes:
        console.print(f"  • {line}", highlight=False)
    for x in result.lift:
        console.print(
            f"  Lift tests of {x.run}: {x.channel} measured iROAS {x.iroas:.2f} "
            f"({x.lo:.2f} .. {x.hi:.2f}, {x.tests} test{'s' if x.tests > 1 else ''})",
            highlight=False,
        )
    if result.sequences:
        console.print(
            "[bold]Sequences that convert better or worse[/] (association, not causation: "
            "journeys that see more channels differ in other ways)"
        )
        for s in result.sequences[:5]:
            console.print(
                f"  {s.first} before {s.then}: {s.rate_first_then:.2%} vs {s.then} without "
                f"{s.first}: {s.rate_then_only:.2%} (difference {s.difference:+.2%}, "
                f"{s.lo:+.2%} .. {s.hi:+.2%})",
                highlight=False,
            )
    if result.by is not None:
        console.print(
            f"Credits by {result.by}: {len(result.unit_credits)} rows (credits_by_{result.by}.csv)."
        )
    console.print("[bold]Where the models disagree[/]")
    for line in result.recommendations:
        console.print(f"  → {line}", highlight=False)
