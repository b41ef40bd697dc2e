"""Planning speed: simulate a plan over posterior draws, and optimise budgets.

    .venv/bin/python bench/plan_speed.py            # planning only (a few seconds)
    .venv/bin/python bench/plan_speed.py --pymc     # + PyMC-Marketing side by side (a fit)

Targets (issue 4): simulating a 52-week plan for 5 channels over 1,000 draws p50 <= 10 ms; the
optimizer for 10 channels <= 1 s on the posterior mean, <= 5 s risk-adjusted over 500 draws.
Models are synthetic truths with jittered parameters standing in for posterior draws (planning
cost depends on the draws' count and shape, not on where they came from). Prints a markdown
table: wall-clock p50/p90 and the process's CPU time p50 over repetitions (CPU time is the
fairer number on a shared, busy machine).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import mixwise.data.synthetic as syn
import mixwise.plan as plan

PERIODS = 52


def timed(fn: Callable[[], Any], reps: int, warmup: int = 2) -> tuple[np.ndarray, np.ndarray, Any]:
    """Wall-clock and CPU seconds (this process, all threads) per call, and the last result.

    CPU time shows the cost without waiting for a busy machine's other processes."""
    out = None
    for _ in range(warmup):
        out = fn()
    wall, cpu = [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return np.array(wall), np.array(cpu), out


def mixed_channels() -> list[Any]:
    """Five channels mixing hill (S-shaped TV) and logistic saturation, carry-over 0.1-0.7
    (fixed here so that preset changes do not move the benchmark)."""

    def geo(alpha: float) -> Any:
        return syn.AdstockTruth(kind="geometric", params={"alpha": alpha}, l_max=8)

    def hill(slope: float, kappa: float) -> Any:
        return syn.SaturationTruth(kind="hill", params={"slope": slope, "kappa": kappa})

    def logistic(lam: float) -> Any:
        return syn.SaturationTruth(kind="logistic", params={"lam": lam})

    rows: list[tuple[str, Any, float, Any, Any, float]] = [
        ("Social Media", "always_on", 20_000, geo(0.3), hill(1.2, 0.6), 2.4),
        ("TV", "bursts", 60_000, geo(0.7), hill(2.0, 0.45), 1.4),
        ("Print", "seasonal", 8_000, geo(0.2), logistic(2.0), 0.6),
        ("Paid Search", "always_on", 25_000, geo(0.1), hill(1.0, 0.35), 4.0),
        ("OOH", "bursts", 12_000, geo(0.5), logistic(1.5), 0.9),
    ]
    return [
        syn.ChannelConfig(name=n, flighting=f, mean_spend=sp, adstock=a, saturation=sat, roas=r)
        for n, f, sp, a, sat, r in rows
    ]


def mixed_model(n_draws: int, channels: list[Any] | None = None) -> plan.ResponseModel:
    config = syn.SyntheticConfig(
        n_periods=156, intercept=600_000.0, channels=channels or mixed_channels(), seed=11
    )
    return plan.response_model_from_truth(syn.generate(config), n_draws=n_draws, jitter=0.1)


def ten_channel_model(n_draws: int) -> plan.ResponseModel:
    """The five mixed channels plus five variants (other carry-over, spend and ROAS)."""
    base = mixed_channels()
    variants = [
        ch.model_copy(
            update={
                "name": f"{ch.name} 2",
                "mean_spend": ch.mean_spend * 0.6,
                "adstock": syn.AdstockTruth(kind="geometric", params={"alpha": 0.45}, l_max=8),
                "roas": (ch.roas or 1.0) * 1.3,
            }
        )
        for ch in base
    ]
    return mixed_model(n_draws, base + variants)


def bench_simulate(reps: int) -> list[dict[str, Any]]:
    m = mixed_model(1000)
    even = plan.baseline_plan(m, PERIODS)
    rng = np.random.default_rng(0)
    varying = even * rng.uniform(0.0, 2.0, size=even.shape)  # every week different
    rows = []
    for name, p in (("even", even), ("varying weekly", varying)):

        def run(p: pd.DataFrame = p) -> plan.Simulation:
            return plan.simulate(m, p)

        t, c, _ = timed(run, reps)
        rows.append(
            {
                "task": f"simulate 52-week plan ({name} spend), 5 channels, 1,000 draws",
                "p50": np.median(t),
                "cpu": np.median(c),
                "p90": np.quantile(t, 0.9),
                "target": 0.010,
            }
        )
    t, c, _ = timed(lambda: plan.simulate(m, varying).summary(), max(reps // 4, 5))
    rows.append(
        {
            "task": "simulate + summary with intervals (varying plan)",
            "p50": np.median(t),
            "cpu": np.median(c),
            "p90": np.quantile(t, 0.9),
            "target": None,
        }
    )
    return rows


def bench_optimize(reps: int) -> list[dict[str, Any]]:
    rows = []
    full = ten_channel_model(1000)
    budget = float(full.recent_spend().sum() * PERIODS)
    cases: list[tuple[str, plan.ResponseModel, dict[str, Any], float]] = [
        ("posterior mean, 1,000 draws", full, {}, 1.0),
        ("mean - 1 x sd, 500 draws", full.thin(500), {"risk": "mean_sd"}, 5.0),
        ("10% quantile, 500 draws", full.thin(500), {"risk": "quantile", "quantile": 0.1}, 5.0),
    ]
    for label, m, kw, target in cases:

        def run(m: plan.ResponseModel = m, kw: dict[str, Any] = kw) -> plan.OptimizationResult:
            return plan.optimize(m, budget, PERIODS, **kw)

        t, c, res = timed(run, reps, warmup=1)
        gain = res.comparison.delta("media_kpi")
        rows.append(
            {
                "task": f"optimize 10 channels, 52 weeks, {label} (4 starts)",
                "p50": np.median(t),
                "cpu": np.median(c),
                "p90": np.quantile(t, 0.9),
                "target": target,
                "note": f"KPI +{gain.mean:,.0f} vs recent allocation",
            }
        )
    t, c, _ = timed(lambda: plan.efficiency_frontier(full.thin(500), PERIODS), 1, warmup=0)
    rows.append(
        {
            "task": "efficiency frontier, 8 budgets, 10 channels, 500 draws",
            "p50": float(t[0]),
            "cpu": float(c[0]),
            "p90": float(t[0]),
            "target": None,
        }
    )
    return rows


def bench_pymc_marketing(draws: int) -> list[dict[str, Any]]:
    """Fit the 'small' preset with the Bayesian engine (quick mode: ADVI), then time
    PyMC-Marketing's posterior predictive and BudgetOptimizer against ours on the same fit."""
    import warnings

    from mixwise.fitting import fit
    from mixwise.model.spec import ModelSpec

    data = syn.generate(syn.preset("small"))
    spec = ModelSpec.from_dict(
        {"sampler": {"mode": "quick", "draws": draws, "seed": 1}, "max_draws": draws}
    )
    t0, c0 = time.perf_counter(), time.process_time()
    result = fit(data.to_dataset(), spec)
    fit_s, fit_c = time.perf_counter() - t0, time.process_time() - c0
    m = plan.as_response_model(result)
    mmm = result.native
    rows: list[dict[str, Any]] = [
        {
            "task": f"(setup) quick fit of the 'small' preset, {m.n_draws} draws kept",
            "p50": fit_s,
            "p90": fit_s,
            "cpu": fit_c,
            "target": None,
        }
    ]
    even = plan.baseline_plan(m, PERIODS)
    t, c, _ = timed(lambda: plan.simulate(m, even), 20)
    rows.append(
        {
            "task": f"mixwise simulate 52 weeks, {m.n_draws} draws (same fit)",
            "p50": np.median(t),
            "cpu": np.median(c),
            "p90": np.quantile(t, 0.9),
            "target": None,
        }
    )
    x_new = even.reset_index(names="date")
    spend_cols = {c.name: c.spend_column for c in data.truth.channels.values()}
    x_new = x_new.rename(columns=spend_cols)
    for col in data.mapping.controls:
        x_new[col] = float(data.frame[col].iloc[-13:].mean())
    for col in data.mapping.events:
        x_new[col] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t, c, _ = timed(
            lambda: mmm.sample_posterior_predictive(
                x_new, extend_idata=False, include_last_observations=True, progressbar=False
            ),
            3,
            warmup=1,
        )
    rows.append(
        {
            "task": "PyMC-Marketing sample_posterior_predictive, same plan",
            "p50": np.median(t),
            "cpu": np.median(c),
            "p90": np.quantile(t, 0.9),
            "target": None,
        }
    )
    budget_per_period = float(m.recent_spend().sum())
    start = m.dates[-1] + m.step
    end = start + m.step * (PERIODS - 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0, c0 = time.perf_counter(), time.process_time()
        optimizer = mmm.budget_optimizer(start_date=start, end_date=end)
        build_s, build_c = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        theirs = optimizer.allocate_budget(total_budget=budget_per_period)
        their_s, their_c = time.perf_counter() - t0, time.process_time() - c0
    budgets = theirs[0] if isinstance(theirs, tuple) else theirs.budgets
    their_alloc = budgets.to_series().reindex(list(m.channels)).to_numpy() * PERIODS
    t, c, ours = timed(lambda: plan.optimize(m, budget_per_period * PERIODS, PERIODS), 3, 1)
    problem = plan.objectives.AllocationProblem(m, PERIODS)
    k_ours = float(problem.media(ours.allocation.to_numpy()).sum(1).mean())
    k_theirs = float(problem.media(their_alloc).sum(1).mean())
    note = (
        f"expected media KPI: ours {k_ours:,.0f} vs theirs {k_theirs:,.0f} "
        f"({(k_ours / k_theirs - 1):+.4%})"
    )
    rows.append(
        {
            "task": "PyMC-Marketing budget_optimizer() build (compile)",
            "p50": build_s,
            "p90": build_s,
            "cpu": build_c,
            "target": None,
        }
    )
    rows.append(
        {
            "task": "PyMC-Marketing allocate_budget, 5 channels, 52 weeks",
            "p50": their_s,
            "p90": their_s,
            "cpu": their_c,
            "target": None,
            "note": note,
        }
    )
    rows.append(
        {
            "task": "mixwise optimize, same fit and budget",
            "p50": np.median(t),
            "cpu": np.median(c),
            "p90": np.quantile(t, 0.9),
            "target": None,
            "note": note,
        }
    )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    def ms(x: float) -> str:
        return f"{x * 1000:,.1f} ms" if x < 1 else f"{x:,.2f} s"

    lines = [
        "| task | wall p50 | wall p90 | CPU p50 | target | ok | note |",
        "|---|---:|---:|---:|---:|:-:|---|",
    ]
    for r in rows:
        target = r.get("target")
        ok = "" if target is None else ("yes" if r["p50"] <= target else "NO")
        cpu = ms(r["cpu"]) if r.get("cpu") is not None else ""
        lines.append(
            f"| {r['task']} | {ms(r['p50'])} | {ms(r['p90'])} | {cpu} | "
            f"{'' if target is None else ms(target)} | {ok} | {r.get('note', '')} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=100, help="simulate repetitions")
    parser.add_argument("--opt-reps", type=int, default=5, help="optimizer repetitions")
    parser.add_argument("--pymc", action="store_true", help="add PyMC-Marketing side by side")
    parser.add_argument("--pymc-draws", type=int, default=500)
    args = parser.parse_args()
    rows = bench_simulate(args.reps) + bench_optimize(args.opt_reps)
    if args.pymc:
        rows += bench_pymc_marketing(args.pymc_draws)
    cpu = platform.processor() or platform.machine()
    print(f"numpy {np.__version__}, pandas {pd.__version__}, {cpu}, {os.cpu_count()} CPUs")
    print(table(rows))


if __name__ == "__main__":
    main()
