"""Planning commands: simulate a spend plan, optimize a budget, recommendations, frontier."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from mixwise.cli.base import app, console
from mixwise.cli.output import print_json
from mixwise.cli.output import request as _request
from mixwise.errors import MixwiseError
from mixwise.files import write_json_atomic
from mixwise.service import planning
from mixwise.service.fitted import RunFolder
from mixwise.service.schemas.common import Interval
from mixwise.service.schemas.plans import (
    CellOptimizeIn,
    Delta,
    FrontierIn,
    OptimizeIn,
    PeriodOptimizeIn,
    SimulateIn,
)


class PlanFillChoice(StrEnum):
    zero = "zero"
    recent = "recent"


RunArg = Annotated[Path, typer.Argument(help="A run folder written by `mixwise fit`.")]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON (the API's response schema).")
]
LevelOpt = Annotated[
    float | None, typer.Option(help="Interval level, e.g. 0.8 (default: the model's).")
]
BoundsOpt = Annotated[Path | None, typer.Option(help="CSV with channel,min,max.")]
BoundsUnitOpt = Annotated[
    str, typer.Option(help="Unit of --bounds: amount, share (of the total), multiple.")
]
LockOpt = Annotated[
    list[str] | None,
    typer.Option(help="Fix a channel's spend: CHANNEL (recent level) or CHANNEL=AMOUNT."),
]
RiskOpt = Annotated[str, typer.Option(help="mean, mean_sd, quantile or cvar over draws.")]
FlightingOpt = Annotated[
    Path | None,
    typer.Option(help="CSV of weights: one row per period, a column per channel (even)."),
]
METRICS = ("total_kpi", "media_kpi", "spend", "roas", "roi", "mroas", "cpa", "profit")


def _fmt(metric: str, value: float | None) -> str:
    if value is None:
        return "—"
    if metric in ("roas", "roi", "mroas") or abs(value) < 10:
        return f"{value:,.3f}"
    return f"{value:,.0f}"


def _interval(metric: str, i: Interval | Delta) -> str:
    return f"{_fmt(metric, i.mean)} [{_fmt(metric, i.lo)}, {_fmt(metric, i.hi)}]"


def _treatments(items: list[str]) -> dict[str, float] | None:
    """``NAME=VALUE`` options as ``{name: value}`` (None when there are none)."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep or not name.strip():
            raise MixwiseError(
                f"--treatment {item!r}: expected NAME=VALUE with a number",
                "E.g. --treatment price=9.5",
            )
    return out or None


@app.command()
def simulate(
    run: RunArg,
    plan: Annotated[
        Path | None,
        typer.Option(
            help="CSV: one row per period, a column per channel (amounts); an optional first "
            "column `date` (consecutive periods) or `period`."
        ),
    ] = None,
    periods: Annotated[
        int | None, typer.Option(help="Periods, when no --plan: repeat recent spend (13).")
    ] = None,
    fill: Annotated[
        PlanFillChoice | None,
        typer.Option(
            help="Channels the plan leaves out: an error unless you choose zero (no spend) "
            "or recent (the recent average spend per period)."
        ),
    ] = None,
    level: LevelOpt = None,
    treatment: Annotated[
        list[str] | None,
        typer.Option(
            help="NAME=VALUE: a non-media treatment (e.g. price) at this level in every planned "
            "period (repeatable)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """What-if: the KPI, ROAS and mROAS of a spend plan, with intervals and the change against
    repeating the recent spend (computed draw by draw).

    Example: mixwise simulate runs/first --plan next_quarter.csv --treatment price=9.5
    """
    levels = _treatments(treatment or [])
    if plan is not None:
        spend, dates = planning.read_plan_table(plan)
        body = SimulateIn(
            spend=spend,
            dates=dates,
            fill=fill.value if fill else None,
            level=level,
            treatments=levels,
        )
    else:
        body = SimulateIn(periods=periods, level=level, treatments=levels)
    out = planning.simulate(RunFolder(run), body)
    if as_json:
        print_json(out.model_dump(mode="json"))
        return
    title = f"Plan over {out.periods} periods ({out.interval:.0%} intervals)"
    table = Table(title=title, header_style="bold")
    columns = (
        ("metric", "plan", "change vs recent spend", "P(better)") if plan else ("metric", "plan")
    )
    for col in columns:
        table.add_column(col, justify="left" if col == "metric" else "right")
    for metric in METRICS:
        if metric not in out.metrics:
            continue
        cells = [metric, _interval(metric, out.metrics[metric])]
        change = out.vs_current.get(metric)
        if plan and change is not None:
            p = change.p_better
            cells += [_interval(metric, change), "—" if p is None else f"{p:.0%}"]
        elif plan:
            cells += ["—", "—"]
        table.add_row(*cells)
    console.print(table)


def _locks(values: list[str] | None) -> dict[str, float] | list[str] | None:
    """``--lock TV`` (keep its recent spend) or ``--lock TV=50000`` (a fixed amount)."""
    if not values:
        return None
    amounts: dict[str, float] = {}
    names: list[str] = []
    for v in values:
        name, sep, amount = v.partition("=")
        if not sep:
            names.append(name.strip())
            continue
        try:
            amounts[name.strip()] = float(amount)
        except ValueError:
            raise MixwiseError(
                f"--lock {v!r}: {amount!r} is not an amount",
                "Write --lock CHANNEL (recent spend) or --lock CHANNEL=AMOUNT.",
            ) from None
    if amounts and names:
        raise MixwiseError(
            "--lock mixes channels with and without amounts",
            "Give every locked channel an amount (CHANNEL=AMOUNT), or none.",
        )
    return amounts or names


@app.command()
def optimize(
    run: RunArg,
    budget: Annotated[float | None, typer.Option(help="Total budget over the periods.")] = None,
    periods: Annotated[int, typer.Option(help="Plan length in periods.")] = 13,
    objective: Annotated[
        str, typer.Option(help="kpi, profit, roas_target, cpa_target, kpi_target.")
    ] = "kpi",
    target: Annotated[float | None, typer.Option(help="Target ROAS, CPA or KPI.")] = None,
    bounds: BoundsOpt = None,
    bounds_unit: BoundsUnitOpt = "amount",
    lock: LockOpt = None,
    risk: RiskOpt = "mean",
    risk_lambda: Annotated[
        float, typer.Option(help="With --risk mean_sd: maximise mean - lambda x sd.")
    ] = 1.0,
    quantile: Annotated[
        float, typer.Option(help="With --risk quantile: the lower quantile maximised.")
    ] = 0.1,
    flighting: FlightingOpt = None,
    starts: Annotated[int, typer.Option(help="Optimizer starts (more: slower, surer).")] = 4,
    seed: Annotated[int, typer.Option(help="Seed of the random starts.")] = 0,
    level: LevelOpt = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write plan.json here.")] = None,
    as_json: JsonOpt = False,
    by: Annotated[
        str | None, typer.Option(help="'geo': plan each geo of a geo model (a per-cell table).")
    ] = None,
    per_period: Annotated[
        bool, typer.Option(help="Choose the spend of every period and channel (kpi/profit/npv).")
    ] = False,
    discount_rate: Annotated[
        float, typer.Option(help="With --per-period: discount rate per period (NPV).")
    ] = 0.0,
    max_per_period: Annotated[
        list[str] | None,
        typer.Option(help="With --per-period: CHANNEL=AMOUNT, the most spent in one period."),
    ] = None,
) -> None:
    """Find the best allocation of a budget across channels (with intervals vs the current one).

    The options are the API's (POST /models/{id}/optimize), one for one; --by geo is POST
    /models/{id}/optimize/cells and --per-period POST /models/{id}/optimize/periods.

    Example: mixwise optimize runs/first --budget 1000000 --periods 13 --out plan.json
    """
    if by is not None:
        _optimize_cells(
            run, by, budget, periods, risk, risk_lambda, quantile, starts, seed, level, as_json
        )
        return
    if per_period:
        _optimize_periods(
            run,
            objective,
            budget,
            periods,
            discount_rate,
            max_per_period,
            risk,
            risk_lambda,
            quantile,
            level,
            as_json,
        )
        return
    body = _request(
        OptimizeIn,
        objective=objective,
        budget=budget,
        periods=periods,
        target=target,
        bounds=planning.read_bounds_table(bounds) if bounds else {},
        bounds_unit=bounds_unit,
        locked=_locks(lock),
        risk=risk,
        risk_lambda=risk_lambda,
        quantile=quantile,
        flighting=planning.read_plan_table(flighting, "flighting")[0] if flighting else None,
        n_starts=starts,
        seed=seed,
        level=level,
    )
    result = planning.optimize(RunFolder(run), body)
    if out:
        write_json_atomic(out, result.plan)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    table = Table(title=f"Allocation over {periods} periods", header_style="bold")
    for col in ("channel", "current", "optimal", "change"):
        table.add_column(col, justify="left" if col == "channel" else "right")
    for row in result.channels:
        table.add_row(
            row.channel,
            f"{row.current:,.0f}",
            f"{row.optimal:,.0f}",
            f"{row.change:+,.0f}",
        )
    console.print(table)
    level_text = f"{result.plan.interval_level:.0%}"
    delta = Table(
        title=f"Expected, optimal vs current ({level_text} intervals)", header_style="bold"
    )
    for col in ("metric", "current", "optimal", "change", "P(better)"):
        delta.add_column(col, justify="left" if col == "metric" else "right")
    for r in result.metrics:
        metric = r.metric
        if metric not in METRICS:
            continue
        delta.add_row(
            metric,
            _fmt(metric, r.current_mean),
            _fmt(metric, r.optimal_mean),
            f"{_fmt(metric, r.delta_mean)} "
            f"[{_fmt(metric, r.delta_lo)}, {_fmt(metric, r.delta_hi)}]",
            "—" if r.p_better is None else f"{r.p_better:.0%}",
        )
    console.print(delta)
    notes = [f"binding: {b}" for b in result.plan.binding_constraints] + result.plan.notes
    for line in notes:
        console.print(f"  • {line}", highlight=False)
    if out:
        console.print(f"Wrote {out}")


def _optimize_cells(
    run: Path,
    by: str,
    budget: float | None,
    periods: int,
    risk: str,
    risk_lambda: float,
    quantile: float,
    starts: int,
    seed: int,
    level: float | None,
    as_json: bool,
) -> None:
    """``mixwise optimize RUN --by geo``: the per-cell table with intervals."""
    body = _request(
        CellOptimizeIn,
        by=by,
        budget=budget,
        periods=periods,
        risk=risk,
        risk_lambda=risk_lambda,
        quantile=quantile,
        n_starts=starts,
        seed=seed,
        level=level,
    )
    result = planning.optimize_cells(RunFolder(run), body)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    table = Table(title=f"Allocation per {by} over {periods} periods", header_style="bold")
    for col in ("cell", "channel", "current", "optimal", "media KPI [interval]", "mROAS"):
        table.add_column(col, justify="left" if col in ("cell", "channel") else "right")
    for row in result.allocation:
        table.add_row(
            row.cell,
            row.channel,
            f"{row.recent:,.0f}",
            f"{row.budget:,.0f}" + (f" ({row.bound})" if row.bound else ""),
            _interval("kpi", row.kpi),
            _interval("mroas", row.mroas),
        )
    console.print(table)


def _optimize_periods(
    run: Path,
    objective: str,
    budget: float | None,
    periods: int,
    rate: float,
    caps: list[str] | None,
    risk: str,
    risk_lambda: float,
    quantile: float,
    level: float | None,
    as_json: bool,
) -> None:
    """``mixwise optimize RUN --per-period``: spend per period and channel."""
    amounts = _locks(caps)
    if isinstance(amounts, list):
        raise MixwiseError("--max-per-period needs CHANNEL=AMOUNT", "e.g. --max-per-period TV=5000")
    body = _request(
        PeriodOptimizeIn,
        objective=objective,
        budget=budget,
        periods=periods,
        discount_rate=rate,
        max_per_period=amounts or {},
        risk=risk,
        risk_lambda=risk_lambda,
        quantile=quantile,
        level=level,
    )
    result = planning.optimize_periods(RunFolder(run), body)
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    channels = list(result.periods[0].spend) if result.periods else []
    table = Table(
        title=f"Spend per period ({result.objective}, {result.risk})", header_style="bold"
    )
    for col in ("period", *channels, "media KPI [interval]"):
        table.add_column(col, justify="left" if col == "period" else "right")
    for p in result.periods:
        table.add_row(
            p.period, *(f"{p.spend[c]:,.0f}" for c in channels), _interval("kpi", p.media)
        )
    console.print(table)
    console.print(
        f"  • objective {result.objective_value:,.0f} vs {result.fixed_value:,.0f} at the best "
        f"fixed (even) pattern",
        highlight=False,
    )


@app.command()
def recommend(
    run: RunArg,
    periods: Annotated[
        int | None, typer.Option(help="Plan length (default: 13 weeks / 90 days).")
    ] = None,
    shift: Annotated[float, typer.Option(help="Share of a channel's budget a move shifts.")] = 0.10,
    threshold: Annotated[
        float | None, typer.Option(help="mROAS below which spend is flagged as waste.")
    ] = None,
    top: Annotated[int, typer.Option(help="At most this many reallocation moves.")] = 5,
    as_json: JsonOpt = False,
) -> None:
    """Reallocation moves, waste flags and saturation points, each with its interval.

    Example: mixwise recommend runs/first --top 3
    """
    out = planning.recommendations(RunFolder(run), periods, shift, threshold, top)
    if as_json:
        print_json(out.model_dump(mode="json"))
        return
    if not out.items:
        console.print("No recommendation: no move changes the KPI beyond its uncertainty.")
    for item in out.items:  # each message names its estimate and interval
        console.print(
            f"  • [bold]{item.kind}[/]: {item.message}",
            highlight=False,
            soft_wrap=True,
        )


@app.command()
def frontier(
    run: RunArg,
    periods: Annotated[int, typer.Option(help="Plan length in periods.")] = 13,
    budget: Annotated[
        list[float] | None,
        typer.Option(help="A budget to optimise (repeat; default: 8 from 0.25x to 2x recent)."),
    ] = None,
    bounds: BoundsOpt = None,
    bounds_unit: BoundsUnitOpt = "amount",
    lock: LockOpt = None,
    risk: RiskOpt = "mean",
    flighting: FlightingOpt = None,
    level: LevelOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Efficiency frontier: the optimal media KPI, ROAS and mROAS for each budget.

    Example: mixwise frontier runs/first --periods 13 --budget 500000 --budget 1000000
    """
    body = _request(
        FrontierIn,
        periods=periods,
        budgets=budget,
        bounds=planning.read_bounds_table(bounds) if bounds else {},
        bounds_unit=bounds_unit,
        locked=_locks(lock),
        risk=risk,
        flighting=planning.read_plan_table(flighting, "flighting")[0] if flighting else None,
        level=level,
    )
    out = planning.frontier(RunFolder(run), body)
    if as_json:
        print_json(out.model_dump(mode="json"))
        return
    table = Table(title=f"Efficiency frontier over {periods} periods", header_style="bold")
    for col in ("budget", "media KPI [interval]", "ROAS [interval]", "mROAS"):
        table.add_column(col, justify="right")
    for p in out.points:
        table.add_row(
            f"{p.budget:,.0f}",
            f"{p.media_kpi_mean:,.0f} [{p.media_kpi_lo:,.0f}, {p.media_kpi_hi:,.0f}]",
            f"{p.roas_mean:.3f} [{p.roas_lo:.3f}, {p.roas_hi:.3f}]",
            f"{p.mroas:.3f}",
        )
    console.print(table)
