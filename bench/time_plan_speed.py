"""Planning in time: choose the spend of each of 52 weeks x 10 channels.

    .venv/bin/python bench/time_plan_speed.py [--reps 5] [--draws 1 200]

The model is bench/plan_speed.py's ten-channel synthetic truth (five hill/logistic channels and
five variants, geometric adstock, l_max 8), with 1 draw (the truth) and 200 jittered draws.
Prints a markdown table: wall-clock and CPU seconds (median and range over ``--reps`` runs),
SLSQP's iterations, and the objective against the best fixed (even) pattern.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np
from plan_speed import ten_channel_model

import mixwise.plan as plan

PERIODS = 52


def run(n_draws: int, reps: int, **kwargs: Any) -> dict[str, Any]:
    m = ten_channel_model(n_draws)
    budget = float(m.recent_spend().sum() * PERIODS)
    hi = 2.0 * m.recent_spend()  # per-period cap: twice the recent weekly spend
    wall, cpu = [], []
    out = None
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        out = plan.optimize_in_time(m, budget, PERIODS, max_per_period=hi, **kwargs)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert out is not None
    gain = out.objective_value / out.fixed_value - 1
    return {
        "draws": n_draws,
        "options": ", ".join(f"{k}={v}" for k, v in kwargs.items()) or "mean",
        "wall": np.array(wall),
        "cpu": np.array(cpu),
        "gain": gain,
        "message": out.message,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--draws", type=int, nargs="+", default=[1, 200])
    args = ap.parse_args()
    rows = [run(d, args.reps) for d in args.draws]
    rows.append(run(args.draws[-1], args.reps, discount_rate=0.002, risk="cvar"))
    print("| draws | objective | wall p50 (min-max) | CPU p50 | vs best fixed pattern | solver |")
    print("|---:|---|---:|---:|---:|---|")
    for r in rows:
        w, c = r["wall"], r["cpu"]
        print(
            f"| {r['draws']} | {r['options']} | {np.median(w):.2f} s ({w.min():.2f}-{w.max():.2f})"
            f" | {np.median(c):.2f} s | {r['gain']:+.2%} | {r['message']} |"
        )


if __name__ == "__main__":
    main()
