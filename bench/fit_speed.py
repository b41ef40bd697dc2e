"""Fit speed: mixwise vs plain PyMC-Marketing ``MMM.fit``, side by side, same machine, same run.

    .venv/bin/python bench/fit_speed.py [--reps 3] [--warm 2] [--datasets small,pymc]
                                        [--tune 1000] [--draws 1000] [--data-seed N]
                                        [--write docs/benchmarks.md]

Each repetition starts one fresh process per tool (order alternating between repetitions). In it:
a **cold** fit (the first fit in the process; compile caches on disk as earlier runs left them),
then ``--warm`` **warm** refits of the same model structure. Every fit gets new data: the KPI
perturbed by 2% multiplicative noise, seeded from ``--data-seed`` (random unless given, and
printed), as a refresh or a bootstrap would see it. New data matter for the comparison:
PyMC-Marketing's own compile caches on disk make a fit of data it has fitted before about 5 s
faster on the synthetic set (10 s instead of 15 s, measured 2026-12-03), which a refit on new
data never sees; earlier runs of this bench reused the same seeds from run to run. Reported per fit:
wall time of the fit call, sampling time, bulk-ESS-min per second of sampling, max R-hat over the
free parameters, divergences. ``--fresh-caches`` gives every process an empty PyTensor compile
directory (the first fit after installing).

PyMC-Marketing runs with its defaults (nutpie, 4 chains x 1000 tune + 1000 draws, target_accept
0.8), progress bar off, on the same design table that mixwise builds (same scaled controls, event
dummies), with the same adstock/saturation, Fourier order and a ``LinearTrendEffect`` of the
same number of changepoints.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "datasets"
DATASETS = {
    "small": "synthetic `small` preset (104 weeks x 5 channels)",
    "pymc": "PyMC-Marketing example (179 weeks x 2 channels)",
}


def load_dataset(name: str) -> Any:
    """The benchmark dataset as an MMMDataset."""
    if name == "small":
        from mixwise.data.synthetic import generate, preset

        return generate(preset("small")).to_dataset()
    import mixwise

    mapping = REPO / "examples" / "mappings" / "pymc_marketing_mmm_example.yaml"
    return mixwise.load_dataset(SHARED / "pymc_marketing_mmm_example.csv", mapping)


def perturbed(dataset: Any, seed: int) -> Any:
    """Same structure, new data: the KPI times exp(N(0, 0.02))."""
    import numpy as np

    frame = dataset.frame.copy()
    col = dataset.mapping.kpi.column
    rng = np.random.default_rng(seed)
    frame[col] = frame[col].to_numpy(float) * np.exp(rng.normal(0.0, 0.02, len(frame)))
    return type(dataset)(frame=frame, mapping=dataset.mapping, frequency=dataset.frequency)


def _diagnostics(idata: Any, names: list[str]) -> dict[str, float]:
    import arviz as az

    post = idata["posterior"].to_dataset()[names]
    ess = min(float(v.min()) for v in az.ess(post, method="bulk").data_vars.values())
    rhat = max(float(v.max()) for v in az.rhat(post).data_vars.values())
    stats = idata["sample_stats"].to_dataset()
    return {"ess_bulk_min": ess, "rhat_max": rhat, "divergences": int(stats["diverging"].sum())}


def fit_mixwise(dataset: Any, args: argparse.Namespace, seed: int) -> dict[str, Any]:
    import mixwise
    from mixwise.model.spec import ModelSpec, SamplerSpec

    sampler = SamplerSpec(tune=args.tune, draws=args.draws, chains=4, seed=seed, reruns=args.reruns)
    spec = ModelSpec(sampler=sampler)
    t0 = time.perf_counter()
    result = mixwise.fit(dataset, spec)
    wall = time.perf_counter() - t0
    d, timings = result.diagnostics, result.provenance["timings"]
    return {
        "wall": wall,
        "compile": timings.get("compile", 0.0),
        "sample": timings["sample"],
        "ess_bulk_min": d.ess_bulk_min,
        "rhat_max": d.rhat_max,
        "divergences": d.divergences,
        "compiled_model": result.provenance.get("compiled_model"),
        "reruns": result.provenance.get("reruns", 0),
    }


def pymc_marketing_mmm(dataset: Any) -> tuple[Any, Any, Any]:
    """(MMM, X, y): PyMC-Marketing's MMM on mixwise's design table, its default sampler."""
    from pymc_marketing.mmm import MMM, GeometricAdstock, LogisticSaturation
    from pymc_marketing.mmm.additive_effect import LinearTrendEffect
    from pymc_marketing.mmm.linear_trend import LinearTrend

    from mixwise.engines.bayesian.design import DATE, KPI, build_design
    from mixwise.model.spec import ModelSpec

    spec = ModelSpec().resolved(dataset.frequency, dataset.n_periods)
    design = build_design(dataset, spec)
    mmm = MMM(
        date_column=DATE,
        channel_columns=design.channels,
        target_column=KPI,
        adstock=GeometricAdstock(l_max=int(spec.adstock.l_max or 8)),
        saturation=LogisticSaturation(),
        control_columns=design.regressors or None,
        yearly_seasonality=spec.seasonality.yearly_order,
    )
    trend = LinearTrend.model_validate({"n_changepoints": int(spec.trend.n_changepoints or 2)})
    mmm.add_mu_effect(LinearTrendEffect.model_validate({"trend": trend, "prefix": "trend"}))
    X, y = design.train()
    return mmm, X, y


def fit_pymc_marketing(dataset: Any, args: argparse.Namespace, seed: int) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        mmm, X, y = pymc_marketing_mmm(dataset)
        idata = mmm.fit(X, y, progressbar=False, random_seed=seed)
        wall = time.perf_counter() - t0
    names = [v.name for v in mmm.model.free_RVs]
    sample = float(idata["posterior"].attrs.get("sampling_time", float("nan")))
    return {"wall": wall, "compile": None, "sample": sample, **_diagnostics(idata, names)}


def worker(tool: str, dataset_name: str, args: argparse.Namespace, rep: int) -> None:
    """One process: a cold fit, then ``args.warm`` warm refits; one JSON line per fit."""
    t0 = time.perf_counter()
    fit = fit_mixwise if tool == "mixwise" else fit_pymc_marketing
    dataset = load_dataset(dataset_name)
    import pymc_marketing.mmm  # noqa: F401  (PyMC, PyMC-Marketing, nutpie: both tools pay it)

    import mixwise.engines.bayesian  # noqa: F401

    imports = time.perf_counter() - t0
    for i in range(args.warm + 1):
        data = perturbed(dataset, args.data_seed + 1000 * rep + i)
        out = fit(data, args, seed=rep * 10 + i)
        out.update(tool=tool, dataset=dataset_name, rep=rep, kind="cold" if i == 0 else "warm")
        out["imports"] = imports if i == 0 else 0.0
        print("RESULT " + json.dumps(out), flush=True)


def run_process(tool: str, dataset: str, args: argparse.Namespace, rep: int) -> list[dict]:
    cmd = [sys.executable, __file__, "--worker", tool, "--dataset", dataset, "--rep", str(rep)]
    cmd += ["--warm", str(args.warm), "--tune", str(args.tune), "--draws", str(args.draws)]
    cmd += ["--reruns", str(args.reruns), "--data-seed", str(args.data_seed)]
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        if args.fresh_caches:
            env["PYTENSOR_FLAGS"] = f"base_compiledir={tmp}"
            env["MIXWISE_COMPILE_CACHE"] = str(Path(tmp) / "mixwise")
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
        process_wall = time.perf_counter() - t0
    rows = [json.loads(line[7:]) for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode or not rows:
        raise RuntimeError(f"{tool} on {dataset} failed:\n{proc.stderr[-3000:]}")
    rows[0]["process_wall"] = process_wall
    return rows


# -- report ---------------------------------------------------------------------------------------
TARGETS = {"cold": 0.5, "warm": 0.2}


def _key(row: dict) -> tuple[str, str, str]:
    return row["dataset"], row["kind"], row["tool"]


def _ess_rate(row: dict) -> float:
    return row["ess_bulk_min"] / row["sample"] if row["sample"] else float("nan")


def summary_table(rows: list[dict], datasets: dict[str, str]) -> list[str]:
    """Medians per dataset and fit kind, with the mixwise / PyMC-Marketing ratio."""
    med = statistics.median
    out = [
        "| data | fit | PyMC-Marketing wall | mixwise wall | ratio (target) | ESS/s PMM / mixwise "
        "| max R-hat PMM / mixwise | min bulk ESS PMM / mixwise |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in dict.fromkeys(r["dataset"] for r in rows):
        for kind in ("cold", "warm"):
            by = {
                tool: [r for r in rows if _key(r) == (name, kind, tool)]
                for tool in ("pymc-marketing", "mixwise")
            }
            if not all(by.values()):
                continue
            pm_, mw = (med(r["wall"] for r in by[t]) for t in ("pymc-marketing", "mixwise"))
            ratio = mw / pm_
            met = "met" if ratio <= TARGETS[kind] else "missed"
            rates = " / ".join(f"{med(_ess_rate(r) for r in by[t]):.0f}" for t in by)
            rhats = " / ".join(f"{max(r['rhat_max'] for r in by[t]):.3f}" for t in by)
            ess = " / ".join(f"{min(r['ess_bulk_min'] for r in by[t]):.0f}" for t in by)
            out.append(
                f"| {datasets.get(name, name)} | {kind} (n={len(by['mixwise'])}) | {pm_:.1f} s "
                f"| {mw:.1f} s | {ratio:.2f} (<= {TARGETS[kind]}: {met}) | {rates} | {rhats} "
                f"| {ess} |"
            )
    return out


def runs_table(rows: list[dict]) -> list[str]:
    out = [
        "| data | rep | tool | fit | wall | compile | sampling | ESS/s | R-hat max | bulk ESS min "
        "| divergences | reruns | compiled model |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        compile_s = "–" if r.get("compile") is None else f"{r['compile']:.1f} s"
        out.append(
            f"| {r['dataset']} | {r['rep']} | {r['tool']} | {r['kind']} | {r['wall']:.1f} s "
            f"| {compile_s} | {r['sample']:.1f} s | {_ess_rate(r):.0f} | {r['rhat_max']:.3f} "
            f"| {r['ess_bulk_min']:.0f} | {r['divergences']} | {r.get('reruns', '–')} "
            f"| {r.get('compiled_model') or '–'} |"
        )
    return out


def render(rows: list[dict], args: argparse.Namespace, command: str, load: float) -> str:
    imports = statistics.median(r["imports"] for r in rows if r["kind"] == "cold")
    lines = [
        "## Fit speed",
        "",
        command,
        "",
        f"mixwise: 4 chains x ({args.tune} tune + {args.draws} draws), target_accept 0.9, "
        f"up to {args.reruns} rerun(s) with twice the tune and draws at target_accept 0.95 "
        "while R-hat > 1.01 or ESS < 400; "
        "PyMC-Marketing: `MMM.fit` defaults (nutpie, 4 x (1000 + 1000), target_accept 0.8). "
        f"{args.reps} repetitions, each a fresh process per tool (alternating order): one cold "
        f"fit, then {args.warm} warm refits on the same structure, each fit on new data "
        f"(data seed {args.data_seed}). Wall time is "
        "the fit call (model building, compiling, sampling, post-processing); both tools also "
        f"pay the same imports per process (median {imports:.1f} s, not included). "
        f"Load average at the end of the run: {load:.1f} on 2 CPUs.",
        "",
        *summary_table(rows, DATASETS),
        "",
        "Every fit:",
        "",
        *runs_table(rows),
        "",
    ]
    return "\n".join(lines)


def log(message: str) -> None:
    """Progress on stderr (stdout carries the markdown section)."""
    print(message, file=sys.stderr, flush=True)


def invocation(script: str) -> str:
    """The command line that ran ``script`` (indented as a markdown code block)."""
    return "    .venv/bin/python " + " ".join([f"bench/{script}", *sys.argv[1:]])


def publish(text: str, header: str, path: Path | None) -> None:
    """Print a section and, when ``path`` is given, replace its ``header`` section there."""
    print(text)
    if path:
        write_section(path, header, text)


def write_section(path: Path, header: str, text: str) -> None:
    """Replace the ``header`` section of a markdown file (up to the next ``## ``), or append."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    lines = old.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == header), None)
    if start is None:
        new = old.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n"
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        body = [*lines[:start], *text.rstrip("\n").splitlines(), "", *lines[end:]]
        new = "\n".join(body).rstrip("\n") + "\n"
    path.write_text(new, encoding="utf-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--warm", type=int, default=2, help="warm refits per process")
    p.add_argument("--datasets", default="small,pymc")
    p.add_argument("--tune", type=int, default=1000, help="mixwise tune (PyMC-Marketing: 1000)")
    p.add_argument("--draws", type=int, default=1000, help="mixwise draws (PyMC-Marketing: 1000)")
    p.add_argument("--reruns", type=int, default=1, help="mixwise sampler.reruns (default 1)")
    p.add_argument("--fresh-caches", action="store_true")
    p.add_argument("--data-seed", type=int, default=None, help="seeds the data (random if unset)")
    p.add_argument("--write", type=Path, help="replace the '## Fit speed' section of this file")
    p.add_argument("--json", type=Path, help="also save every fit as JSON here")
    p.add_argument("--worker", choices=["mixwise", "pymc-marketing"], help=argparse.SUPPRESS)
    p.add_argument("--dataset", help=argparse.SUPPRESS)
    p.add_argument("--rep", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.data_seed is None:
        args.data_seed = secrets.randbelow(10**9)
    if args.worker:
        worker(args.worker, args.dataset, args, args.rep)
        return
    rows: list[dict] = []
    for dataset in args.datasets.split(","):
        for rep in range(args.reps):
            tools = ["mixwise", "pymc-marketing"]
            for tool in tools if rep % 2 == 0 else tools[::-1]:
                log(f"[{dataset} rep {rep}] {tool} ...")
                rows += run_process(tool, dataset, args, rep)
    load = os.getloadavg()[0]
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    publish(render(rows, args, invocation("fit_speed.py"), load), "## Fit speed", args.write)


if __name__ == "__main__":
    main()
