"""Cross-validation speed: expanding against sliding windows, first run on a machine and later.

    .venv/bin/python bench/cv_speed.py [--datasets small,pymc] [--folds 3] [--horizon 13]

For each data set and window, one fresh process runs ``cross_validate`` twice with mixwise's
default sampler: first with empty compile caches (a temporary PyTensor compile directory and
mixwise plan directory: the first ``mixwise cv`` of a data set on a machine), then again in the
same process on new data (the KPI perturbed by 2% noise: a later ``cv`` after a refresh). Prints
wall times and how each fold got its compiled model (compiled, memory, disk).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from fit_speed import load_dataset, perturbed  # noqa: E402


def worker(dataset_name: str, window: str, folds: int, horizon: int) -> None:
    import warnings

    warnings.simplefilter("ignore")
    from mixwise.engines.bayesian import compiled
    from mixwise.model.crossval import cross_validate

    dataset = load_dataset(dataset_name)
    for run, data in (("first", dataset), ("again", perturbed(dataset, 1))):
        before = compiled.cache_stats()
        t0 = time.perf_counter()
        cv = cross_validate(data, folds=folds, horizon=horizon, window=window)
        wall = time.perf_counter() - t0
        after = compiled.cache_stats()
        sources = {
            s: getattr(after, s) - getattr(before, s) for s in ("compiled", "disk", "memory")
        }
        row = {"dataset": dataset_name, "window": window, "run": run, "wall": wall}
        row.update(sources, mape=cv.mean_mape, train=cv.folds["train_periods"].tolist())
        print("RESULT " + json.dumps(row), flush=True)


def run(dataset: str, window: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    cmd = [sys.executable, __file__, "--worker", dataset, "--window", window]
    cmd += ["--folds", str(args.folds), "--horizon", str(args.horizon)]
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, PYTENSOR_FLAGS=f"base_compiledir={tmp}")
        env["MIXWISE_COMPILE_CACHE"] = str(Path(tmp) / "mixwise")
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
    rows = [json.loads(line[7:]) for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode or not rows:
        raise RuntimeError(f"cv on {dataset} ({window}) failed:\n{proc.stderr[-3000:]}")
    return rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--datasets", default="small,pymc")
    p.add_argument("--folds", type=int, default=3)
    p.add_argument("--horizon", type=int, default=13)
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--window", default="expanding", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(args.worker, args.window, args.folds, args.horizon)
        return
    print("| data | window | run | wall | compiled / disk / memory | training periods | MAPE |")
    print("|---|---|---|---:|---|---|---:|")
    for dataset in args.datasets.split(","):
        for window in ("expanding", "sliding"):
            for r in run(dataset, window, args):
                print(
                    f"| {r['dataset']} | {r['window']} | {r['run']} | {r['wall']:.1f} s "
                    f"| {r['compiled']} / {r['disk']} / {r['memory']} "
                    f"| {', '.join(map(str, r['train']))} | {r['mape']:.1%} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
