"""Portfolio fits: parallel Ray tasks against one after the other in this process.

    .venv/bin/python bench/portfolio_speed.py --cells 4 --iterations 150
    RAY_ADDRESS=ray://head:10001 .venv/bin/python bench/portfolio_speed.py --cells 64

Builds a table of ``--cells`` synthetic series (brand x region), fits one ridge model per cell
with ``executor="local"`` and with ``executor="ray"`` (a local cluster over this machine's CPUs
unless RAY_ADDRESS is set), and prints the wall times and the speed-up; the Ray cluster is
started before timing (its start-up, ~10-30 s, is reported apart). MLflow tracking is off.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import pandas as pd


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=4)
    parser.add_argument("--iterations", type=int, default=150)
    parser.add_argument("--trials", type=int, default=1)
    args = parser.parse_args()
    os.environ["MIXWISE_TRACKING"] = "off"

    import ray

    from mixwise.data.synthetic import generate, preset
    from mixwise.model.spec import ModelSpec
    from mixwise.service.portfolio import fit_portfolio

    root = Path(tempfile.mkdtemp(prefix="mixwise-portfolio-bench-"))
    frames = []
    for i in range(args.cells):
        syn = generate(preset("small"), seed=i + 1)
        frames.append(syn.frame.assign(brand=f"b{i // 2}", region=f"r{i % 2}"))
        if i == 0:
            syn.save(root / "cell0")
    pd.concat(frames).to_csv(root / "all.csv", index=False)
    spec = ModelSpec.from_dict(
        {"ridge": {"trials": args.trials, "iterations": args.iterations, "bootstrap_draws": 20}}
    )
    mapping = root / "cell0" / "mapping.yaml"

    t = time.perf_counter()
    ray.init(address=os.environ.get("RAY_ADDRESS") or None, log_to_driver=False)
    start_s = time.perf_counter() - t
    cpus = ray.cluster_resources().get("CPU", 0)
    times = {}
    for executor in ("local", "ray"):
        t = time.perf_counter()
        fit_portfolio(
            root / "all.csv", mapping, root / executor, ["brand", "region"], spec,
            engine="ridge", seed=1, executor=executor,
        )  # fmt: skip
        times[executor] = time.perf_counter() - t
    print(f"{args.cells} cells, ridge trials={args.trials} iterations={args.iterations}")
    print(f"Ray cluster: {cpus:g} CPUs, start-up {start_s:.1f} s (not counted)")
    for executor, s in times.items():
        print(f"  {executor:<5} {s:7.1f} s  ({s / args.cells:.1f} s per cell)")
    print(f"speed-up (local / ray): {times['local'] / times['ray']:.2f}x")


if __name__ == "__main__":
    main()
