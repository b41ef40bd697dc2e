"""``mixwise portfolio fit``: one model per cell (brand x region) of a table, in this process or
as parallel Ray tasks (:mod:`mixwise.service.portfolio`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from mixwise.cli.base import app, console
from mixwise.cli.model_commands import DataArg, IterationsOpt, MappingOpt, TrialsOpt
from mixwise.cli.output import print_json

portfolio_app = typer.Typer(help="Portfolios of independent models (one per brand x region).")
app.add_typer(portfolio_app, name="portfolio")


@portfolio_app.command("fit")
def portfolio_fit(
    data: DataArg,
    mapping: MappingOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the cells' run folders.")],
    by: Annotated[str, typer.Option(help="Cell columns, comma-separated.")] = "brand,region",
    engine: Annotated[str, typer.Option(help="Estimation engine.")] = "ridge",
    executor: Annotated[
        str, typer.Option(help="local (one after the other) or ray (parallel Ray tasks).")
    ] = "local",
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the spec's).")] = None,
    trials: TrialsOpt = None,
    iterations: IterationsOpt = None,
    spec: Annotated[Path | None, typer.Option(help="Model spec YAML.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing folder.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Fit one model per cell of the --by columns; OUT/<col>=<value>/... per cell and
    OUT/portfolio.json.

    Example: mixwise portfolio fit sales.csv --mapping m.yaml --by brand,region --out runs/p
    """
    from mixwise.service.fitting import spec_with_sampler
    from mixwise.service.portfolio import fit_portfolio

    cols = [c.strip() for c in by.split(",") if c.strip()]
    s = spec_with_sampler(spec, seed=seed, trials=trials, iterations=iterations)
    doc = fit_portfolio(
        data, mapping, out, cols, s, engine=engine, seed=seed, executor=executor, force=force
    )
    if as_json:
        print_json(doc)
        return
    table = Table(header_style="bold")
    for col in cols:
        table.add_column(col)
    table.add_column("R² (in sample)", justify="right")
    table.add_column("run folder")
    for cell in doc["cells"]:
        r2 = (cell["fit"].get("in_sample") or {}).get("r2")
        table.add_row(*cell["labels"].values(), "" if r2 is None else f"{r2:.3f}", cell["run"])
    console.print(table)
