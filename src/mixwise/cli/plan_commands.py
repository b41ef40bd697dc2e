"""Planning commands: simulate a spend plan, optimize a budget, compare runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, cast

import pandas as pd
import typer
from rich.table import Table

from mixwise.cli.app import app, console
from mixwise.cli.output import print_json
from mixwise.errors import MixwiseError

RunArg = Annotated[Path, typer.Argument(help="A run folder written by `mixwise fit`.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
METRICS = ("total_kpi", "media_kpi", "spend", "roas", "roi", "mroas", "profit")


def _load(run: Path) -> Any:
    from mixwise.model.result import load_result

    return load_result(run)


def read_plan_csv(path: Path) -> pd.DataFrame:
    """A spend plan: one row per future period, one column per channel (amounts).

    A first column named ``period`` or ``date`` is used as the index. Only the file is read
    here: that the columns are the model's channels and every amount is >= 0 is checked by
    :func:`mixwise.plan.simulate` (one place, for the CLI, the API and Python).
    """
    if not path.is_file():
        raise MixwiseError(
            f"plan file not found: {path}", "Pass a CSV with one column per channel."
        )
    frame = pd.read_csv(path)
    if frame.columns[0] in ("period", "date"):
        frame = frame.set_index(frame.columns[0])
    amounts = frame.apply(pd.to_numeric, errors="coerce")
    bad = amounts.isna()  # empty or not a number
    if bad.any().any():
        row, col = next((r, c) for c in frame.columns for r in frame.index if bad.at[r, c])
        raise MixwiseError(
            f"plan {path}: period {row!r}, column {col!r} is {frame.at[row, col]!r}, "
            "not a spend amount",
            "Every cell must be a number (0 for no spend).",
        )
    return amounts.astype(float)


def _estimate_table(title: str, frame: pd.DataFrame, rows: tuple[str, ...]) -> Table:
    table = Table(title=title, header_style="bold")
    for col in ("metric", *frame.columns):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for metric in rows:
        if metric in frame.index:
            values = frame.loc[metric].to_numpy(dtype=float)
            table.add_row(metric, *[_fmt(metric, float(v)) for v in values])
    return table


def _delta_table(title: str, frame: pd.DataFrame, a: str, b: str) -> Table:
    """metric | a | b | change [90% interval, per draw] | P(b better)."""
    table = Table(title=title, header_style="bold")
    for col in ("metric", a, b, "change [90% interval]", "P(better)"):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for metric in METRICS:
        if metric not in frame.index:
            continue
        r = frame.loc[metric]
        change = (
            f"{_fmt(metric, r['delta_mean'])} "
            f"[{_fmt(metric, r['delta_lo'])}, {_fmt(metric, r['delta_hi'])}]"
        )
        table.add_row(
            metric,
            _fmt(metric, r[f"{a}_mean"]),
            _fmt(metric, r[f"{b}_mean"]),
            change,
            f"{r['p_better']:.0%}",
        )
    return table


def _fmt(metric: str, value: Any) -> str:
    if not isinstance(value, (int, float)):
        return str(value)
    if metric in ("roas", "roi", "mroas") or abs(value) < 10:
        return f"{value:,.3f}"
    return f"{value:,.0f}"


@app.command()
def simulate(
    run: RunArg,
    plan: Annotated[
        Path | None, typer.Option(help="CSV: one row per period, a column per channel.")
    ] = None,
    periods: Annotated[
        int, typer.Option(help="Periods, when no --plan: repeat recent spend.")
    ] = 13,
    as_json: JsonOpt = False,
) -> None:
    """What-if: the KPI, ROAS and mROAS of a spend plan, with intervals and the change against
    repeating the recent spend (computed draw by draw).

    Example: mixwise simulate runs/first --plan next_quarter.csv
    """
    import mixwise.plan as mp

    result = _load(run)
    base = mp.simulate(result, mp.baseline_plan(result, periods))
    sim = mp.simulate(result, read_plan_csv(plan)) if plan else base
    comparison = mp.compare(base, sim).summary()
    if as_json:
        print_json(
            {
                "summary": sim.summary().to_dict(orient="index"),
                "channels": sim.channel_summary().to_dict(orient="records"),
                "versus_recent_spend": comparison.to_dict(orient="index"),
            }
        )
        return
    console.print(_estimate_table("Plan (90% intervals)", sim.summary(), METRICS))
    if plan:
        console.print(_delta_table("Against repeating the recent spend", comparison, "a", "b"))


@app.command()
def optimize(
    run: RunArg,
    budget: Annotated[float | None, typer.Option(help="Total budget over the periods.")] = None,
    periods: Annotated[int, typer.Option(help="Plan length in periods.")] = 13,
    bounds: Annotated[Path | None, typer.Option(help="CSV with channel,min,max (amounts).")] = None,
    objective: Annotated[
        str, typer.Option(help="kpi, profit, roas_target, cpa_target, kpi_target.")
    ] = "kpi",
    target: Annotated[float | None, typer.Option(help="Target ROAS, CPA or KPI.")] = None,
    lock: Annotated[
        list[str] | None, typer.Option(help="Keep a channel at its recent spend.")
    ] = None,
    risk: Annotated[str, typer.Option(help="mean, mean_sd or quantile over draws.")] = "mean",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write plan.json here.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Find the best allocation of a budget across channels (with intervals vs the current one).

    Example: mixwise optimize runs/first --budget 1000000 --periods 13 --out plan.json
    """
    import mixwise.plan as mp

    result = _load(run)
    opt = mp.optimize(
        result,
        budget=budget,
        periods=periods,
        bounds=bounds,
        objective=cast(Any, objective),  # validated by optimize()
        target=target,
        locked=lock or None,
        risk=risk,
    )
    plan_json = opt.to_plan_json()
    if out:
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(json.dumps(plan_json, indent=2), encoding="utf-8")
        tmp.replace(out)
    if as_json:
        print_json(plan_json)
        return
    table = Table(title=f"Allocation over {periods} periods", header_style="bold")
    for col in ("channel", "current", "optimal", "change"):
        table.add_column(col, justify="left" if col == "channel" else "right")
    current = opt.current_allocation
    for ch, amount in opt.allocation.items():
        before = float(current[str(ch)])
        table.add_row(str(ch), f"{before:,.0f}", f"{amount:,.0f}", f"{amount - before:+,.0f}")
    console.print(table)
    console.print(_delta_table("Expected, optimal vs current", opt.summary(), "current", "optimal"))
    for line in (*[f"binding: {b}" for b in opt.binding], *opt.notes):
        console.print(f"  • {line}", highlight=False)
    if out:
        console.print(f"Wrote {out}")


@app.command()
def compare(
    runs: Annotated[list[Path], typer.Argument(help="Two or more run folders.")],
    as_json: JsonOpt = False,
) -> None:
    """Compare runs side by side: ROAS per channel with intervals, fit metrics, convergence.

    Example: mixwise compare runs/first runs/second
    """
    if len(runs) < 2:
        raise MixwiseError("compare needs at least two run folders", "Pass two or more runs.")
    summaries = {}
    for run in runs:
        path = run / "summary.json"
        if not path.is_file():
            raise MixwiseError(
                f"{run} is not a run folder (no summary.json)",
                "Pass folders written by `mixwise fit`.",
            )
        summaries[str(run)] = json.loads(path.read_text(encoding="utf-8"))
    if as_json:
        print_json(summaries)
        return
    channels = sorted({c for s in summaries.values() for c in s["channels"]})
    table = Table(title="ROAS per channel (90% intervals)", header_style="bold")
    table.add_column("channel")
    for name in summaries:
        table.add_column(name, justify="right")
    for ch in channels:
        cells = []
        for s in summaries.values():
            r = s["channels"].get(ch, {}).get("roas")
            cells.append(f"{r['mean']:.2f} [{r['lo']:.2f}, {r['hi']:.2f}]" if r else "—")
        table.add_row(ch, *cells)
    for label, key in (("R² in-sample", "r2"), ("MAPE in-sample", "mape")):
        table.add_row(label, *[_fit(s, key) for s in summaries.values()])
    table.add_row(
        "convergence", *[str(s["diagnostics"].get("verdict", "")) for s in summaries.values()]
    )
    console.print(table)


def _fit(summary: dict[str, Any], key: str) -> str:
    value = (summary.get("fit", {}).get("in_sample") or {}).get(key)
    return "—" if value is None else (f"{value:.1%}" if key == "mape" else f"{value:.3f}")
