"""Ridge engine speed on Robyn's demo: search, Pareto fronts and clustering, and where time goes.

    .venv/bin/python bench/ridge_speed.py [--iterations 2000] [--trials 5] [--batch-size 16]
                                          [--adstock geometric] [--seed 0]

Robyn's demo setup: ``robyn_dt_simulated_weekly.csv``, window 2016-01-04 .. 2018-12-31, paid
tv, ooh, print, facebook, search (spend), organic newsletter, control competitor_sales_B,
events, German holidays from ``robyn_dt_prophet_holidays.csv``; baseline trend + yearly Fourier
terms (order 2) instead of Prophet. Target: at most 60 s wall on 2 cores, Pareto and
clustering included. Prints the time per stage, the Pareto fronts, the clusters and the best
model's ROAS per channel.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "datasets"
WINDOW = ("2016-01-04", "2018-12-31")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--adstock", default="geometric")
    ap.add_argument("--optimizer", default="TwoPointsDE")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    t_start = time.perf_counter()
    import nevergrad  # noqa: F401  (imported here so its import time is reported on its own)

    import mixwise
    from mixwise.data.holidays import holiday_dummies
    from mixwise.data.mapping import HolidayTableMapping
    from mixwise.engines.ridge.design import build_problem
    from mixwise.engines.ridge.pareto import cluster_intervals, select_models
    from mixwise.engines.ridge.search import SearchSettings, run_search

    t_import = time.perf_counter()
    mapping = REPO / "examples" / "mappings" / "robyn_dt_simulated_weekly.yaml"
    dataset = mixwise.load_dataset(SHARED / "robyn_dt_simulated_weekly.csv", mapping)
    table = pd.read_csv(SHARED / "robyn_dt_prophet_holidays.csv")
    cols = HolidayTableMapping(kind="holidays", date="ds", holiday="holiday", country="country")
    hol = holiday_dummies(table, cols, "DE", dataset.dates, dataset.frequency)
    problem = build_problem(dataset, holidays=hol, window=WINDOW, adstock=args.adstock)
    t_data = time.perf_counter()

    settings = SearchSettings(
        iterations=args.iterations,
        trials=args.trials,
        optimizer=args.optimizer,
        batch_size=args.batch_size,
        seed=args.seed,
    )
    cands = run_search(problem, settings)
    t_search = time.perf_counter()

    roas = cands.roas(problem.spend)
    sel = select_models(cands.nrmse, cands.decomp_rssd, roas, fronts=3, seed=args.seed)
    ci = cluster_intervals(roas[sel.models], sel.clusters.labels, seed=args.seed)
    t_select = time.perf_counter()

    search_s = t_search - t_data
    parts = {k: round(v, 2) for k, v in cands.seconds.items()}
    parts["other (bookkeeping)"] = round(search_s - sum(cands.seconds.values()), 2)
    stages = {
        "imports": round(t_import - t_start, 2),
        "data + design": round(t_data - t_import, 2),
        "search": round(search_s, 2),
        "pareto + clusters + intervals": round(t_select - t_search, 2),
    }
    total = t_select - t_import
    n = len(cands.nrmse)
    print(
        f"{n} models ({args.trials} trials x {args.iterations}), batch {args.batch_size}, "
        f"{args.adstock}, {args.optimizer}, seed {args.seed}"
    )
    print(
        f"wall (after imports): {total:.1f} s  (target <= 60 s)  "
        f"= {1e3 * search_s / n:.2f} ms per model in the search"
    )
    print("stages:", json.dumps(stages))
    print("search:", json.dumps(parts))
    fronts = np.bincount(sel.front, minlength=4)[1:4]
    print(f"Pareto fronts 1-3: {fronts.tolist()} models; k-means k = {sel.clusters.k}")
    head = f"{'model':>8} {'NRMSE':>7} {'RSSD':>6} " + " ".join(
        f"{c:>9}" for c in problem.channels[: problem.n_paid]
    )
    print("best model per cluster (ROAS = effect / spend over the window):")
    print(head)
    for i in sel.best:
        row = " ".join(f"{v:9.3f}" for v in roas[i])
        print(f"{i:8d} {cands.nrmse[i]:7.4f} {cands.decomp_rssd[i]:6.3f} {row}")
    best = int(sel.best[0])
    paid = problem.channels[: problem.n_paid]
    cl = sel.clusters.labels[np.flatnonzero(sel.models == best)[0]]
    print(f"ROAS interval of the best model's cluster ({ci.n[cl, 0]} models):")
    for j, name in enumerate(paid):
        print(f"  {name:>9}: {roas[best, j]:.3f} [{ci.ci_low[cl, j]:.3f}, {ci.ci_up[cl, j]:.3f}]")
    print("RESULT " + json.dumps({
        "models": n, "wall_s": round(total, 2), "stages": stages, "search": parts,
        "fronts": fronts.tolist(), "k": sel.clusters.k,
        "best": {"nrmse": round(float(cands.nrmse[best]), 4),
                 "decomp_rssd": round(float(cands.decomp_rssd[best]), 4),
                 "roas": dict(zip(paid, np.round(roas[best], 3).tolist(), strict=True))},
    }))  # fmt: skip


if __name__ == "__main__":
    main()
