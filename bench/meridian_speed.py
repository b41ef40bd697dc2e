"""Meridian vs mixwise's Bayesian engine on Meridian's national sample, side by side, one run.

    .venv/bin/python bench/meridian_speed.py [--chains 2] [--tune 300] [--draws 300]
                                             [--weeks 156] [--out /tmp/meridian_speed.json]

``meridian_national_all_channels.csv`` (156 weeks, 5 paid channels, 2 controls, the organic
channel; mapping ``examples/mappings/meridian_national_all_channels.yaml``) is fitted, in one
fresh process per engine (order: meridian, then bayesian), with the same chains, tuning or
adaptation steps and draws (Meridian: ``n_adapt = tune``, ``n_burnin = tune // 2``,
``n_keep = draws``). Each engine gets its own transforms: Meridian's geometric adstock and Hill
(its only kinds), the Bayesian engine's defaults (geometric adstock, logistic saturation,
Fourier seasonality, trend); both with controls. Reported per engine: the whole process (start,
imports, load, fit), the fit call, the sampling (Meridian: its ``sample_posterior``; for the
Bayesian engine: compile + sampling), max R-hat, min bulk and tail ESS, divergences.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "datasets" / "meridian_national_all_channels.csv"
MAPPING = REPO / "examples" / "mappings" / "meridian_national_all_channels.yaml"


def one_fit(engine: str, chains: int, tune: int, draws: int, weeks: int) -> dict[str, Any]:
    """Runs in the child process: load, fit, report timings and diagnostics."""
    t0 = time.perf_counter()
    import mixwise
    from mixwise.model.spec import ModelSpec

    dataset = mixwise.load_dataset(DATA, MAPPING)
    if weeks < dataset.n_periods:
        from mixwise.data.dataset import MMMDataset

        keep = dataset.dates[:weeks]
        frame = dataset.frame[dataset.frame[dataset.mapping.date].isin(keep)]
        dataset = MMMDataset(frame.reset_index(drop=True), dataset.mapping, dataset.frequency)
    sampler = {"chains": chains, "tune": tune, "draws": draws, "seed": 1}
    spec: dict[str, Any] = {"sampler": sampler}
    if engine == "meridian":
        spec["meridian"] = {"n_burnin": tune // 2}
    else:
        spec["sampler"] = {**sampler, "reruns": 0}
    t1 = time.perf_counter()
    result = mixwise.fit(dataset, ModelSpec.from_dict(spec), engine=engine)
    fit_s = time.perf_counter() - t1
    d = result.diagnostics
    timings = result.provenance.get("timings", {})
    return {
        "engine": engine,
        "fit_s": round(fit_s, 1),
        "sampling_s": round(
            float(timings.get("sampling", 0.0)) + float(timings.get("compile", 0.0)), 1
        ),
        "import_s": timings.get("import"),
        "process_s": round(time.perf_counter() - t0, 1),
        "rhat_max": d.rhat_max,
        "ess_bulk_min": d.ess_bulk_min,
        "ess_tail_min": d.ess_tail_min,
        "divergences": d.divergences,
        "verdict": d.verdict,
        "versions": result.provenance.get("versions"),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--chains", type=int, default=2)
    p.add_argument("--tune", type=int, default=300)
    p.add_argument("--draws", type=int, default=300)
    p.add_argument("--weeks", type=int, default=156)
    p.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "meridian_speed.json")
    p.add_argument("--child", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        print(json.dumps(one_fit(a.child, a.chains, a.tune, a.draws, a.weeks)))
        return
    rows = []
    for engine in ("meridian", "bayesian"):
        t0 = time.perf_counter()
        args = [
            f"--{k}={v}" for k, v in vars(a).items() if k in ("chains", "tune", "draws", "weeks")
        ]
        done = subprocess.run(
            [sys.executable, __file__, "--child", engine, *args],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        row["wall_s"] = round(time.perf_counter() - t0, 1)
        rows.append(row)
        print(json.dumps(row))
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(
        json.dumps({"settings": vars(a) | {"out": str(a.out)}, "rows": rows}, indent=2)
    )
    print(
        "| engine | whole process (s) | fit (s) | sampling (s) | R-hat max | ESS bulk min | "
        "ESS tail min | divergences |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['engine']} | {r['wall_s']} | {r['fit_s']} | {r['sampling_s']} | "
            f"{_num(r['rhat_max'], '.3f')} | {_num(r['ess_bulk_min'], '.0f')} | "
            f"{_num(r['ess_tail_min'], '.0f')} | {r['divergences']} |"
        )


def _num(x: float | None, fmt: str) -> str:
    return "n/a" if x is None else format(x, fmt)


if __name__ == "__main__":
    main()
