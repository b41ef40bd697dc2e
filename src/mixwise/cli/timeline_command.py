"""``mixwise timeline RUN --campaigns FILE``: the Creative Launch Timeline of a fitted run."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from mixwise.cli.base import app, console
from mixwise.cli.output import print_findings, print_json


def _interval(doc: dict[str, Any] | None, digits: int = 0) -> str:
    if not doc or doc.get("mean") is None:
        return "-"
    return f"{doc['mean']:,.{digits}f} [{doc['lo']:,.{digits}f}, {doc['hi']:,.{digits}f}]"


@app.command()
def timeline(
    run: Annotated[Path, typer.Argument(help="Run folder written by mixwise fit.")],
    campaigns: Annotated[
        Path, typer.Option("--campaigns", "-c", help="Campaign calendar (CSV, Excel, Parquet).")
    ],
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column", help="ROLE=COLUMN for a calendar column of another name (repeatable)."
        ),
    ] = None,
    window_days: Annotated[
        int, typer.Option(min=1, help="Days of the consistency score's window.")
    ] = 30,
    end: Annotated[
        str | None, typer.Option(help="Last day of the window (default: the calendar's last).")
    ] = None,
    min_tag_flights: Annotated[
        int, typer.Option(min=1, help="Fewest flights carrying a tag to report it.")
    ] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Each flight of a campaign calendar with the model's contribution and ROAS during and
    after it (carry-over included, with intervals), the consistency score and tag performance.

    Example: mixwise timeline runs/first --campaigns campaigns.csv
    """
    from mixwise.errors import MixwiseError
    from mixwise.service.fitted import RunFolder
    from mixwise.service.timeline import load_calendar
    from mixwise.service.timeline import timeline as build

    mapping: dict[str, str] = {}
    for item in column or []:
        role, sep, name = item.partition("=")
        if not sep or not name:
            raise MixwiseError(
                f"--column {item!r} is not ROLE=COLUMN", "e.g. --column start=launch"
            )
        mapping[role.strip()] = name.strip()
    try:
        last = date.fromisoformat(end) if end else None
    except ValueError as exc:
        raise MixwiseError(f"--end {end!r} is not a date", "Write YYYY-MM-DD.") from exc
    out = build(
        RunFolder(run),
        load_calendar(campaigns, mapping),
        window_days=window_days,
        end=last,
        min_tag_flights=min_tag_flights,
    )
    if as_json:
        print_json(out.model_dump(mode="json"))
        return
    _print(out.model_dump(mode="json"))


def _print(doc: dict[str, Any]) -> None:
    from mixwise.data.findings import Finding

    pct = round(100 * doc["interval"])
    table = Table(header_style="bold", title="Flights (contribution with carry-over)")
    for name in ("campaign", "channel", "creative", "start", "end", "during", "after"):
        table.add_column(name)
    table.add_column(f"ROAS ({pct}% interval)")
    for f in doc["flights"]:
        table.add_row(
            f["campaign"],
            f["channel"],
            f["creative"] or "-",
            f["start"],
            f["end"],
            _interval(f["contribution_during"]),
            _interval(f["contribution_after"]),
            _interval(f["roas"], 2) if f["roas"] else f["why_no_roas"],
        )
    console.print(table)
    console.print(f"[dim]{doc['method']}[/]", highlight=False)
    c = doc["consistency"]
    now = c["current"]
    score = "-" if now["score"] is None else f"{100 * now['score']:.0f}%"
    change = "" if c["change"] is None else f" ({100 * c['change']:+.0f} points vs the previous)"
    console.print(
        f"Consistency {now['start']} to {now['end']}: {score}{change}. {c['definition']}",
        highlight=False,
    )
    tags = Table(header_style="bold", title="Tags: contribution per unit of spend")
    for name in ("tag", "flights", "spend", f"per unit ({pct}% interval)"):
        tags.add_column(name)
    for t in doc["tags"]:
        shown = _interval(t["per_spend"], 2) if t["per_spend"] else t["why"]
        tags.add_row(f"#{t['tag']}", str(t["flights"]), f"{t['spend']:,.0f}", shown)
    if doc["tags"]:
        console.print(tags)
    else:
        console.print("Tags: no flight carries a tag.")
    print_findings([Finding.from_dict(f) for f in doc["findings"]])
