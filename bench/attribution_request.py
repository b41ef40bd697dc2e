"""How long one synchronous ``POST /attribution`` takes: the use case with the API's defaults
(all ten models, 100 bootstrap replicates, sequences) on synthetic events, per size (not a test;
the numbers behind ``SYNC_MAX_ROWS``, docs/attribution.md "API").

    PYTHONPATH=src python bench/attribution_request.py [--journeys 27000 50000 67000]
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")

from mixwise.attribution.synthetic import generate_journeys
from mixwise.service.attribution import attribute_journeys
from mixwise.service.schemas.attribution import AttributionOptions


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--journeys", type=int, nargs="+", default=[27_000, 50_000, 67_000])
    args = ap.parse_args()
    for n in args.journeys:
        events = generate_journeys(n, seed=1).events
        start = time.perf_counter()
        out = attribute_journeys(events, AttributionOptions())
        seconds = time.perf_counter() - start
        print(f"{len(events):>9,} rows {out.unique_paths:>7,} paths {seconds:6.1f} s", flush=True)


if __name__ == "__main__":
    main()
