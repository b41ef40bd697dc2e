"""Attribution speed: every model on 1,000,000 journeys over 10 channels (target: 30 s on 2
cores for all models, 5 s for Markov order 1), measured and printed (not a test).

    PYTHONPATH=src python bench/attribution_speed.py [--journeys 1000000] [--replicates 0]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")

from mixwise.attribution.load import read_journeys
from mixwise.attribution.models import MODELS, Settings, attribute
from mixwise.attribution.sequences import sequences
from mixwise.attribution.synthetic import ChannelTruth, generate_journeys

WORLD = tuple(
    ChannelTruth(
        f"ch{i:02d}",
        reach=0.12 + 0.03 * i,
        lift=0.004 * (i % 4),
        late=i == 9,
        after="ch01" if i == 5 else None,
    )
    for i in range(10)
)


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn()
    print(f"{label:38s} {time.perf_counter() - start:7.2f} s", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--journeys", type=int, default=1_000_000)
    ap.add_argument("--replicates", type=int, default=0, help="bootstrap replicates to time")
    args = ap.parse_args()
    data = timed("generate", lambda: generate_journeys(int(args.journeys * 1.14), 1, WORLD))
    n_j = data.events["journey_id"].nunique()
    print(f"{n_j:,} journeys, {len(data.events):,} touches", flush=True)
    journeys = timed("read + check + unique paths (DuckDB)", lambda: read_journeys(data.events))
    paths = journeys.paths
    print(f"{paths.n_paths:,} unique paths", flush=True)
    total = 0.0
    for model in MODELS:
        start = time.perf_counter()
        attribute(paths, [model], Settings(replicates=1))
        total += time.perf_counter() - start
        print(f"  {model:36s} {time.perf_counter() - start:7.2f} s", flush=True)
    print(f"{'all models (point + 1 replicate)':38s} {total:7.2f} s")
    timed("sequences", lambda: sequences(paths))
    if args.replicates:
        timed(
            f"all models, {args.replicates} replicates",
            lambda: attribute(paths, MODELS, Settings(replicates=args.replicates)),
        )


if __name__ == "__main__":
    main()
