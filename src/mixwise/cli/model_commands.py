"""Model commands: fit, select (another Pareto model of a ridge run) and cv (rolling-origin
cross-validation)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from mixwise.cli.base import app, console
from mixwise.cli.compare_command import print_comparison
from mixwise.cli.output import cancellable_progress, print_json, progress_bar
from mixwise.cli.review_commands import print_review
from mixwise.model.spec import ModelSpec
from mixwise.progress import Progress
from mixwise.service.comparison import compare_models
from mixwise.service.fitted import RunFolder
from mixwise.service.fitting import (
    ALL_ENGINES,
    check_engine,
    check_engines,
    check_run_target,
    cross_validate_source,
    fit_run,
    fit_runs,
    resolve_engines,
    spec_with_sampler,
)

DataArg = Annotated[str, typer.Argument(help="CSV, Parquet, Excel, .duckdb, a glob, or a DB URL.")]
MappingOpt = Annotated[
    Path, typer.Option("--mapping", "-m", help="Mapping YAML (see init-mapping).")
]
TrialsOpt = Annotated[
    int | None, typer.Option(help="Ridge engine: independent search runs (ridge.trials).")
]
IterationsOpt = Annotated[
    int | None, typer.Option(help="Ridge engine: candidates per trial (ridge.iterations).")
]
SpecOpt = Annotated[Path | None, typer.Option("--spec", "-s", help="Model spec YAML (optional).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
DrawsOpt = Annotated[
    int | None,
    typer.Option(
        help="Posterior draws per chain (choosing it turns off the automatic rerun of a fit "
        "whose chains have not mixed, unless the spec sets sampler.reruns)."
    ),
]


@app.command()
def fit(
    data: DataArg,
    mapping: MappingOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Run folder to write.")],
    spec: SpecOpt = None,
    engine: Annotated[
        str,
        typer.Option(
            help="Estimation engine; several as a comma list (bayesian,ridge) or all: one run "
            "per engine in OUT/<engine>, then their comparison."
        ),
    ] = "bayesian",
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the spec's).")] = None,
    draws: DrawsOpt = None,
    tune: Annotated[int | None, typer.Option(help="Tuning steps per chain.")] = None,
    chains: Annotated[int | None, typer.Option(help="Number of chains.")] = None,
    quick: Annotated[
        bool, typer.Option("--quick", help="Approximate posterior in seconds.")
    ] = False,
    trials: TrialsOpt = None,
    iterations: IterationsOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing run folder.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Fit a marketing mix model and write the run folder.

    The folder holds result.nc, spec.yaml, provenance.json and summary.json (a ridge run also
    pareto.json and ridge_problem.json). Ctrl-C cancels cleanly: nothing is written.

    Example: mixwise fit sales.csv --mapping mapping.yaml --out runs/first --draws 500
    Example: mixwise fit sales.csv -m map.yaml --engine ridge --trials 5 --iterations 2000 -o r
    Example: mixwise fit sales.csv -m map.yaml --engine all -o runs/all   (then compared)
    """
    model_spec = spec_with_sampler(
        spec,
        draws=draws,
        tune=tune,
        chains=chains,
        quick=quick,
        trials=trials,
        iterations=iterations,
    )
    engines = resolve_engines(engine)
    if len(engines) > 1 or engine.strip() == ALL_ENGINES:
        _fit_engines(data, mapping, out, engines, model_spec, seed, force, as_json)
        return
    check_engine(engine, model_spec)  # user mistakes before the progress bar starts
    check_run_target(out, force)
    with cancellable_progress("fitting") as progress:
        result = fit_run(
            data,
            mapping,
            out,
            model_spec,
            engine=engine,
            seed=seed,
            force=force,
            progress=progress,
        )
    summary = result.summary_dict()
    if as_json:
        print_json({"run": str(out), "summary": summary})
        return
    print_run_summary(summary)
    console.print(f"Wrote [bold]{out}[/]. Next: mixwise report {out} -o report.html")


def _fit_engines(
    data: str,
    mapping: Path,
    out: Path,
    engines: list[str],
    spec: ModelSpec,
    seed: int | None,
    force: bool,
    as_json: bool,
) -> None:
    """``fit --engine all`` (or a list): a run per engine, then the comparison of the runs."""
    check_engines(engines, spec)  # before the data is read; again on the data in fit_runs
    with cancellable_progress("fitting") as bar:

        def progress(name: str) -> Progress:
            k = engines.index(name)

            def report(stage: str, fraction: float, message: str = "") -> None:
                bar(f"{name}: {stage}", (k + fraction) / len(engines), message)

            return report

        runs = fit_runs(
            data, mapping, out, engines, spec, seed=seed, force=force, progress=progress
        )
    names = {str(p): name for name, p in runs.items()}
    folders = [RunFolder(p) for p in runs.values()]
    comparison = compare_models(folders, names) if len(runs) > 1 else None
    if as_json:
        print_json(
            {
                "runs": {name: str(p) for name, p in runs.items()},
                "comparison": comparison.model_dump(mode="json") if comparison else None,
            }
        )
        return
    if comparison is not None:
        print_comparison(comparison)
    for name, p in runs.items():
        console.print(f"Wrote [bold]{p}[/] ({name})")


@app.command()
def select(
    run: Annotated[Path, typer.Argument(help="Run folder of a ridge fit.")],
    model_id: Annotated[str, typer.Argument(help="Pareto model id (pareto.json), e.g. 3_1207.")],
    as_json: JsonOpt = False,
) -> None:
    """Make another Pareto model of a ridge run the chosen model (its bootstrap draws are
    refitted and the run folder is rewritten whole).

    Example: mixwise select runs/r 3_1207
    """
    from mixwise.service.selection import select_run_model

    summary = select_run_model(run, model_id).summary_dict()
    if as_json:
        print_json({"run": str(run), "summary": summary})
        return
    print_run_summary(summary)
    console.print(f"Rewrote [bold]{run}[/] with model {model_id} chosen.")


def _num(value: Any, fmt: str) -> str:
    return "n/a" if value is None or value != value else fmt.format(value)


def print_run_summary(summary: dict[str, Any]) -> None:
    """ROAS per channel with intervals, fit quality and the convergence verdict."""
    level = f"{float(summary.get('interval', 0.9)):.0%}"
    kind = "bootstrap " if summary.get("interval_kind") == "bootstrap" else ""
    table = Table(header_style="bold", title=f"Channels ({level} {kind}intervals)")
    for col in ("channel", "spend", "contribution", "ROAS", "mROAS"):
        table.add_column(col, justify="left" if col == "channel" else "right")
    for name, ch in summary["channels"].items():
        roas, mroas = ch["roas"], ch["mroas"]
        table.add_row(
            name,
            f"{ch['spend']:,.0f}" if isinstance(ch["spend"], (int, float)) else str(ch["spend"]),
            _interval(ch["contribution"], "{:,.0f}"),
            _interval(roas, "{:.2f}"),
            _interval(mroas, "{:.2f}"),
        )
    console.print(table)
    for test in summary.get("lift_tests", []):
        where = f" in {test['geo']}" if test.get("geo") else ""
        verdict = "agrees" if test["agrees"] else "[red]disagrees[/]"
        console.print(
            f"Lift test {test['channel']}{where} {test['start']}..{test['end']}: measured "
            f"{test['measured']:,.0f}, fitted {_interval(test['fitted'], '{:,.0f}')} "
            f"(z {test['z']:+.1f}, {verdict})",
            highlight=False,
            soft_wrap=True,
        )
    fit_q = summary.get("fit", {}).get("in_sample", summary.get("fit", {}))
    diag = summary.get("diagnostics", {})
    console.print(
        f"Fit: R² {fit_q.get('r2', float('nan')):.3f}, MAPE {fit_q.get('mape', float('nan')):.1%}."
        f" {'Draws' if kind else 'Convergence'}: {diag.get('verdict', 'n/a')}",
        highlight=False,
    )
    fit_all = summary.get("fit", {})
    if "validation" in fit_all:  # ridge ts_validation: trained on the first part only
        for part in ("train", "validation", "test"):
            q = fit_all[part]
            console.print(
                f"  {part:<10} {q['start']} .. {q['end']} ({q['n']} periods): "
                f"NRMSE {_num(q['nrmse'], '{:.3f}')}, R² {_num(q['r2'], '{:.3f}')}, "
                f"MAPE {_num(q['mape'], '{:.1%}')}",
                highlight=False,
            )
    print_review(summary.get("review"))
    chosen = summary.get("chosen_model")
    if chosen:
        models = summary.get("pareto", {}).get("models", [])
        row: dict[str, Any] = next((m for m in models if m["id"] == chosen), {})
        console.print(
            f"Chosen model {chosen} of {len(models)} Pareto models (front {row.get('front')}, "
            f"cluster {row.get('cluster')}); choose another with: mixwise select RUN MODEL_ID",
            highlight=False,
        )


@app.command()
def refresh(
    run: Annotated[Path, typer.Argument(help="Run folder of a fit to refresh (any engine).")],
    data: DataArg,
    mapping: MappingOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Run folder to write.")],
    share: Annotated[
        float,
        typer.Option(help="Half-width of each narrowed range, as a share of the previous one."),
    ] = 0.2,
    trials: TrialsOpt = None,
    iterations: IterationsOpt = None,
    draws: DrawsOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing run folder.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Score a run on the new periods of new data (backtest), refit it with its engine and
    spec (a ridge run's ranges narrowed around its chosen model), and report what changed per
    channel (refresh.json; summary.json's backtest).

    Example: mixwise refresh runs/r sales_new.csv --mapping mapping.yaml --out runs/r2
    """
    from mixwise.service.refresh import check_refresh, refresh_fit

    check_refresh(run, out, share, force)  # user mistakes before the progress bar starts
    with cancellable_progress("refreshing") as progress:
        result, document = refresh_fit(
            run,
            data,
            mapping,
            out,
            share=share,
            trials=trials,
            iterations=iterations,
            draws=draws,
            force=force,
            progress=progress,
        )
    if as_json:
        print_json({"run": str(out), "refresh": document, "summary": result.summary_dict()})
        return
    print_run_summary(result.summary_dict())
    periods = document["periods"]
    table = Table(
        header_style="bold",
        title=f"ROAS before ({periods['before']['end']}) and after ({periods['added']} periods "
        f"added to {periods['after']['end']})",
    )
    for col in ("channel", "ROAS before", "ROAS after", "change", "flag"):
        table.add_column(col, justify="left" if col in ("channel", "flag") else "right")
    for row in document["channels"]:
        change = row["change"]
        table.add_row(
            row["channel"],
            _interval(row["roas_before"], "{:.2f}") if row["roas_before"] else "-",
            _interval(row["roas_after"], "{:.2f}") if row["roas_after"] else "-",
            "n/a" if change is None else f"{change:+.0%}",
            "[red]flagged[/]: " + "; ".join(row["reasons"]) if row["flagged"] else "",
        )
    console.print(table)
    if document["backtest"] is not None:
        title = f"Backtest of {run} on the {periods['added']} new periods"
        print_backtest(document["backtest"], title)
    else:
        console.print(f"No backtest: {document['backtest_skipped']}.", highlight=False)
    if document["narrowed"]:
        console.print(
            f"Ranges narrowed to ±{share:g} of their previous width around model "
            f"{document['narrowed']['from_model']}.",
            highlight=False,
        )
    for row in document["changes"]:
        if row["flagged"]:
            console.print(f"[yellow]{row['channel']}[/]: " + "; ".join(row["reasons"]))
    console.print(f"Wrote [bold]{out}[/] (refresh.json).", highlight=False)


def print_backtest(doc: dict[str, Any], title: str) -> None:
    """One line of backtest scores (MAPE, 90% coverage, CRPS)."""
    mape = "n/a" if doc["mape"] is None else f"{doc['mape']:.1%}"
    console.print(
        f"{title}: MAPE {mape}, {doc['coverage']:.0%} of actuals inside the forecast's "
        f"{doc['level']:.0%} interval, CRPS {doc['crps']:.4g} (KPI units, lower is better).",
        highlight=False,
    )


@app.command()
def backtest(
    run: Annotated[Path, typer.Argument(help="Run folder of a fit to backtest.")],
    data: DataArg,
    mapping: MappingOpt,
    horizons: Annotated[
        str, typer.Option(help="Periods ahead to forecast, one refit each: e.g. 4,8,13.")
    ] = "4,8,13",
    trials: TrialsOpt = None,
    iterations: IterationsOpt = None,
    draws: DrawsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Rolling-origin backtest: for each horizon h, refit the run's spec on the data up to h
    periods before its end and score the forecast of those h periods (MAPE, coverage, CRPS).

    Example: mixwise backtest runs/r sales.csv --mapping mapping.yaml --horizons 4,8,13
    """
    from mixwise.service.backtest import backtest_history, parse_horizons

    chosen = parse_horizons(horizons)
    with cancellable_progress("backtesting") as progress:
        document = backtest_history(
            run,
            data,
            mapping,
            chosen,
            draws=draws,
            iterations=iterations,
            trials=trials,
            progress=progress,
        )
    if as_json:
        print_json(document)
        return
    for row in document["horizons"]:
        print_backtest(row, f"{row['horizon']} periods after {row['origin']}")


def _interval(v: Any, fmt: str) -> str:
    if isinstance(v, dict):
        return f"{fmt.format(v['mean'])} [{fmt.format(v['lo'])}, {fmt.format(v['hi'])}]"
    return fmt.format(v) if isinstance(v, (int, float)) else str(v)


@app.command()
def cv(
    data: DataArg,
    mapping: MappingOpt,
    spec: SpecOpt = None,
    folds: Annotated[int, typer.Option(help="Number of rolling-origin folds.")] = 3,
    horizon: Annotated[int | None, typer.Option(help="Test periods per fold (13 weekly).")] = None,
    window: Annotated[
        str,
        typer.Option(
            help="expanding: every fold trains from the first period; sliding: every fold "
            "trains on the same number of periods (one compiled model for all folds: faster)."
        ),
    ] = "expanding",
    engine: Annotated[str, typer.Option(help="Estimation engine.")] = "bayesian",
    seed: Annotated[int | None, typer.Option(help="Random seed.")] = None,
    draws: DrawsOpt = None,
    tune: Annotated[int | None, typer.Option(help="Tuning steps per chain.")] = None,
    chains: Annotated[int | None, typer.Option(help="Number of chains.")] = None,
    quick: Annotated[
        bool, typer.Option("--quick", help="Approximate posterior in seconds.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Rolling-origin cross-validation: out-of-sample MAPE and NRMSE per fold.

    Example: mixwise cv sales.csv --mapping mapping.yaml --folds 3 --horizon 13 --quick
    """
    model_spec = spec_with_sampler(
        spec,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        quick=quick,
    )
    check_engine(engine)
    with progress_bar("cross-validation") as progress:
        result = cross_validate_source(
            data,
            mapping,
            model_spec,
            folds=folds,
            horizon=horizon,
            engine=engine,
            window=window,
            progress=progress,
        )
    if as_json:
        print_json(result.to_dict())
        return
    table = Table(header_style="bold", title="Out-of-sample accuracy per fold")
    for col in ("fold", "train", "test", "MAPE", "NRMSE"):
        table.add_column(col, justify="right")
    for r in result.folds.itertuples():
        table.add_row(
            str(r.fold),
            f"{r.train_start} .. {r.train_end}",
            f"{r.test_start} .. {r.test_end}",
            f"{r.mape:.1%}",
            f"{r.nrmse:.3f}",
        )
    console.print(table)
    console.print(f"Mean MAPE {result.mean_mape:.1%}, mean NRMSE {result.mean_nrmse:.3f}")
