"""Recovery: does mixwise find the true ROAS of synthetic data, with honest intervals?

    .venv/bin/python bench/recovery.py [--seeds 8] [--tune 500] [--draws 1000]
        [--settings noise4,noise8,weeks156] [--write docs/benchmarks.md]
    .venv/bin/python bench/recovery.py --engine both [--bayesian-seeds 3] [--trials 5]
        [--iterations 2000] [--bootstrap-draws 200] [--json rows.json] [--write docs/benchmarks.md]

For each setting, the generator makes ``--seeds`` datasets (seeds 1..N) whose true ROAS per
channel is known, mixwise fits each with the default model (geometric adstock, logistic
saturation, trend, yearly seasonality, controls, events), and we report per setting: the mean
and the largest absolute relative ROAS error of the posterior mean, ``|mean / truth - 1|``
(pooled over channels and seeds), the coverage of the 90% intervals (the share of channel-fits
whose interval contains the truth; about 90% is honest), R-hat and ESS, and the fit time (fits
of one setting share a model structure, so after the first the compiled model is reused).

``--engine ridge`` or ``both`` fits the same datasets (same settings, same seeds) with the ridge
engine (Robyn's method: Hill saturation, whatever the generator's curve; ``--trials`` x
``--iterations`` candidates, ``--bootstrap-draws`` block-bootstrap refits of the chosen model),
and ``both`` also with the Bayesian engine (on seeds 1..``--bayesian-seeds`` only, when given);
the result is the ``### Ridge vs Bayesian`` subsection: median absolute relative ROAS error and
coverage of the true ROAS by each engine's interval (ridge: bootstrap intervals), per setting and
per channel. The ridge estimate is the summary's mean over bootstrap refits; the chosen Pareto
model's own ROAS (Robyn's point estimate) is reported alongside.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from fit_speed import invocation, log  # noqa: E402


def _small(update: dict[str, Any]) -> Callable[[], Any]:
    def make() -> Any:
        from mixwise.data.synthetic import preset

        return preset("small").model_copy(update=update)

    return make


PYMC_EXAMPLE = "pymc_example"
PYMC_TRUE_ROAS = {"x1": 4967.8, "x2": 2274.9}
"""The PyMC-Marketing example's true ROAS (its generating process; tests/engines/bayesian)."""


def pymc_example() -> Any:
    """The PyMC-Marketing example data set (179 weeks, 2 channels, 2 events, known truth),
    through the same pipeline and mapping as a user's file."""
    from mixwise.data.pipeline import load_dataset

    csv = REPO.parent / "shared" / "datasets" / "pymc_marketing_mmm_example.csv"
    return load_dataset(csv, REPO / "examples" / "mappings" / "pymc_marketing_mmm_example.yaml")


SETTINGS: dict[str, tuple[str, Callable[[], Any]]] = {
    "noise4": ("104 weeks x 5 channels, noise 4% (the `small` preset)", _small({})),
    "noise8": ("104 weeks x 5 channels, noise 8%", _small({"noise": 0.08})),
    "weeks156": ("156 weeks x 5 channels, noise 4%", _small({"n_periods": 156})),
    "pymc": ("PyMC-Marketing example (179 weeks x 2 channels; one fit)", lambda: PYMC_EXAMPLE),
}


def fit_ridge(config: Any, seed: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """One synthetic dataset fitted by the ridge engine; one row per channel."""
    import mixwise
    from mixwise.data.synthetic import generate
    from mixwise.model.spec import ModelSpec, RidgeSpec, SamplerSpec

    data = generate(config, seed=seed)
    ridge = RidgeSpec(
        trials=args.trials, iterations=args.iterations, bootstrap_draws=args.bootstrap_draws
    )
    spec = ModelSpec(sampler=SamplerSpec(seed=seed), ridge=ridge)
    t0 = time.perf_counter()
    result = mixwise.fit(data.to_dataset(), spec, engine="ridge")
    wall = time.perf_counter() - t0
    summary = result.summary_dict()
    channels = summary["channels"]
    chosen = result.provenance.get("chosen_model")
    models = (summary.get("pareto") or {}).get("models") or []
    point = next((m["roas"] for m in models if m.get("id") == chosen), {})
    # the best-fitting Pareto model: what the search finds without DECOMP.RSSD's pull
    best = min(models, key=lambda m: m["nrmse"])["roas"] if models else {}
    rows = []
    for name, truth in data.truth.channels.items():
        roas = channels[name]["roas"]
        rows.append(
            {
                "engine": "ridge",
                "seed": seed,
                "channel": name,
                "truth": truth.roas,
                "mean": roas["mean"],
                "lo": roas["lo"],
                "hi": roas["hi"],
                "point": point.get(name),
                "best_fit": best.get(name),
                "error": abs(roas["mean"] / truth.roas - 1),
                "covered": roas["lo"] <= truth.roas <= roas["hi"],
                "wall": wall,
            }
        )
    return rows


def fit_one(config: Any, seed: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    """One synthetic dataset and fit; one row per channel."""
    import mixwise
    from mixwise.data.synthetic import generate
    from mixwise.model.spec import ModelSpec, SamplerSpec

    sampler = SamplerSpec(tune=args.tune, draws=args.draws, chains=4, seed=seed, reruns=args.reruns)
    prior = {k: v for k, v in (("median", args.roas_median), ("sd", args.roas_sd)) if v}
    spec = ModelSpec(sampler=sampler, parametrisation=args.parametrisation, roas_prior=prior)
    if config == PYMC_EXAMPLE:
        dataset, truths = pymc_example(), PYMC_TRUE_ROAS
    else:
        data = generate(config, seed=seed)
        dataset = data.to_dataset()
        truths = {name: t.roas for name, t in data.truth.channels.items()}
    t0 = time.perf_counter()
    result = mixwise.fit(dataset, spec)
    wall = time.perf_counter() - t0
    channels = result.summary_dict()["channels"]
    d = result.diagnostics
    rows = []
    for name, true_roas in truths.items():
        roas = channels[name]["roas"]
        rows.append(
            {
                "engine": "bayesian",
                "seed": seed,
                "channel": name,
                "truth": true_roas,
                "mean": roas["mean"],
                "lo": roas["lo"],
                "hi": roas["hi"],
                "error": abs(roas["mean"] / true_roas - 1),
                "covered": roas["lo"] <= true_roas <= roas["hi"],
                "rhat": d.rhat_max,
                "ess": d.ess_bulk_min,
                "divergences": d.divergences,
                "wall": wall,
                "compiled_model": result.provenance.get("compiled_model"),
                "reruns": result.provenance.get("reruns", 0),
            }
        )
    return rows


def render(results: dict[str, list[dict]], args: argparse.Namespace, command: str) -> str:
    lines = [
        "## Recovery",
        "",
        command,
        "",
        f"Parametrisation: {args.parametrisation}. Seeds 1..{args.seeds} per setting (the "
        "PyMC-Marketing example: one fit, seed 1); "
        f"4 chains x ({args.tune} tune + {args.draws} draws), "
        f"up to {args.reruns} rerun(s) with twice the tune and draws while R-hat > 1.01 or "
        "ESS < 400 (diagnostics of the kept run). "
        "ROAS error = |posterior mean / truth - 1|, pooled over channels and seeds; coverage = "
        "share of channel-fits whose 90% interval contains the true ROAS.",
        "",
        "| setting | fits | mean ROAS error | median | max | 90% coverage | max R-hat "
        "| min bulk ESS | divergences | reruns | fit time (median) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, rows in results.items():
        errors = [r["error"] for r in rows]
        fits = {r["seed"]: r for r in rows}.values()
        lines.append(
            f"| {SETTINGS[key][0]} | {len(fits)} | {statistics.mean(errors):.1%} "
            f"| {statistics.median(errors):.1%} | {max(errors):.1%} "
            f"| {sum(r['covered'] for r in rows) / len(rows):.0%} "
            f"| {max(f['rhat'] for f in fits):.3f} | {min(f['ess'] for f in fits):.0f} "
            f"| {sum(f['divergences'] for f in fits)} | {sum(f['reruns'] for f in fits)} "
            f"| {statistics.median(f['wall'] for f in fits):.1f} s |"
        )
    lines += ["", "Per channel (mean over seeds of the relative error; coverage over seeds):", ""]
    channels = list(dict.fromkeys(r["channel"] for rows in results.values() for r in rows))
    lines += [
        "| setting | " + " | ".join(channels) + " |",
        "|---|" + "---:|" * len(channels),
    ]
    for key, rows in results.items():
        cells = []
        for ch in channels:
            mine = [r for r in rows if r["channel"] == ch]
            if not mine:
                cells.append("-")
                continue
            covered = sum(r["covered"] for r in mine)
            cells.append(
                f"{statistics.mean(r['error'] for r in mine):.0%} ({covered}/{len(mine)}; "
                f"true {mine[0]['truth']:.1f})"
            )
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join([*lines, ""])


def _cell(rows: list[dict]) -> str:
    """Median absolute relative error and coverage of a set of channel-fits."""
    if not rows:
        return "-"
    covered = sum(r["covered"] for r in rows)
    return f"{statistics.median(r['error'] for r in rows):.0%} ({covered}/{len(rows)})"


def render_comparison(rows: list[dict], args: argparse.Namespace, command: str) -> str:
    """The ``### Ridge vs Bayesian`` subsection from channel-fit rows of both engines."""
    ridge = [r for r in rows if r["engine"] == "ridge"]
    bayes = [r for r in rows if r["engine"] == "bayesian"]
    bayes_seeds = sorted({r["seed"] for r in bayes})
    lines = [
        "### Ridge vs Bayesian",
        "",
        command,
        "",
        f"The same synthetic datasets (settings above, seeds 1..{args.seeds}) fitted by the ridge "
        f"engine ({args.trials} trials x {args.iterations} candidates, {args.bootstrap_draws} "
        "block-bootstrap refits, Hill saturation left to its default while the generator uses "
        "logistic curves) and by the Bayesian engine "
        f"(4 chains x ({args.tune} tune + {args.draws} draws), up to {args.reruns} rerun(s); "
        + (
            f"seeds {bayes_seeds[0]}..{bayes_seeds[-1]} only"
            if bayes_seeds and len(bayes_seeds) < args.seeds
            else "every seed"
        )
        + "). Cells: median over channel-fits of |estimate / truth - 1|, and in brackets how "
        "many of the true ROAS lie inside the engine's 90% interval: a posterior interval for "
        "the Bayesian engine, a **bootstrap** interval (the chosen model's hyperparameters "
        "fixed) for ridge. Ridge's estimate is the mean of the bootstrap refits (what its "
        "summary shows); `ridge point` is the chosen Pareto model's own ROAS (Robyn's); "
        "`ridge, lowest NRMSE` the ROAS of the Pareto model (fronts 1-3) that fits best, "
        "whatever its DECOMP.RSSD.",
        "",
        "| setting | ridge, all seeds | ridge point | ridge, lowest NRMSE "
        "| ridge, Bayesian's seeds | Bayesian | ridge fit time (median) "
        "| Bayesian fit time (median) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def wall(rs: list[dict]) -> str:
        fits = {r["seed"]: r["wall"] for r in rs}.values()
        return f"{statistics.median(fits):.1f} s" if fits else "-"

    for key in dict.fromkeys(r["setting"] for r in rows):
        rk = [r for r in ridge if r["setting"] == key]
        bk = [r for r in bayes if r["setting"] == key]
        seeds = {r["seed"] for r in bk}

        def med(field: str, rs: list[dict] = rk) -> str:
            errs = [abs(r[field] / r["truth"] - 1) for r in rs if r.get(field) is not None]
            return f"{statistics.median(errs):.0%}" if errs else "-"

        point, best = med("point"), med("best_fit")
        same = [r for r in rk if r["seed"] in seeds]
        lines.append(
            f"| {SETTINGS[key][0]} | {_cell(rk)} | {point} | {best} | {_cell(same)} | {_cell(bk)} "
            f"| {wall(rk)} | {wall(bk)} |"
        )
    channels = list(dict.fromkeys(r["channel"] for r in rows))
    spend = {c.name: c.mean_spend for c in SETTINGS[rows[0]["setting"]][1]().channels}
    lines += [
        "",
        "Per channel, all settings pooled: median relative error (covered / fits), the "
        "median estimate against the truth:",
        "",
        "| channel | true ROAS | ridge error | ridge estimate | ridge 90% width "
        "| Bayesian error | Bayesian estimate | Bayesian 90% width "
        "| share of spend | share of effect: true / ridge / Bayesian |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def shares(estimate: Callable[[str], float | None]) -> dict[str, float]:
        effect = {ch: (estimate(ch) or 0.0) * spend[ch] for ch in channels}
        total = sum(effect.values()) or 1.0
        return {ch: v / total for ch, v in effect.items()}

    def median_of(rs: list[dict]) -> Callable[[str], float | None]:
        def get(ch: str) -> float | None:
            mine = [r["mean"] for r in rs if r["channel"] == ch]
            return statistics.median(mine) if mine else None

        return get

    true_share = shares(lambda ch: next(r["truth"] for r in rows if r["channel"] == ch))
    ridge_share, bayes_share = shares(median_of(ridge)), shares(median_of(bayes))
    spend_share = {ch: spend[ch] / sum(spend[c] for c in channels) for ch in channels}
    for ch in channels:
        cells = [f"{next(r['truth'] for r in rows if r['channel'] == ch):.1f}"]
        for rs in (ridge, bayes):
            mine = [r for r in rs if r["channel"] == ch]
            if not mine:
                cells += ["-", "-", "-"]
                continue
            cells += [
                _cell(mine),
                f"{statistics.median(r['mean'] for r in mine):.2f}",
                f"{statistics.median(r['hi'] - r['lo'] for r in mine):.2f}",
            ]
        cells += [
            f"{spend_share[ch]:.0%}",
            f"{true_share[ch]:.0%} / {ridge_share[ch]:.0%} / "
            + (f"{bayes_share[ch]:.0%}" if bayes else "-"),
        ]
        lines.append(f"| {ch} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Shares of the media effect from the median estimates and the generator's mean spend "
        "per channel (the same in every setting).",
    ]
    return "\n".join([*lines, ""])


def write_subsection(path: Path, header: str, text: str) -> None:
    """Replace the ``header`` subsection of a markdown file (up to the next ``#`` header)."""
    old = path.read_text(encoding="utf-8")
    lines = old.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == header), None)
    if start is None:
        new = old.rstrip("\n") + "\n\n" + text.rstrip("\n") + "\n"
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith(("## ", "### "))),
            len(lines),
        )
        new = "\n".join([*lines[:start], *text.rstrip("\n").splitlines(), "", *lines[end:]])
        new = new.rstrip("\n") + "\n"
    path.write_text(new, encoding="utf-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", type=int, default=8)
    p.add_argument("--tune", type=int, default=500)
    p.add_argument("--draws", type=int, default=1000)
    p.add_argument("--reruns", type=int, default=0, help="mixwise sampler.reruns")
    p.add_argument("--settings", default=",".join(SETTINGS))
    p.add_argument(
        "--parametrisation",
        choices=["coefficient", "roas"],
        default="coefficient",
        help="the Bayesian engine's media prior: on the coefficient or on ROAS",
    )
    p.add_argument("--roas-median", type=float, help="with roas: roas_prior.median")
    p.add_argument("--roas-sd", type=float, help="with roas: roas_prior.sd")
    p.add_argument("--write", type=Path, help="replace the '## Recovery' section of this file")
    p.add_argument("--engine", choices=["bayesian", "ridge", "both"], default="bayesian")
    p.add_argument("--bayesian-seeds", type=int, help="with --engine both: Bayesian on 1..N only")
    p.add_argument("--trials", type=int, default=5, help="ridge trials (Robyn: 5)")
    p.add_argument("--iterations", type=int, default=2000, help="ridge iterations (Robyn: 2000)")
    p.add_argument("--bootstrap-draws", type=int, default=200, help="ridge bootstrap refits")
    p.add_argument("--json", type=Path, help="write every channel-fit row here as it comes")
    p.add_argument("--from-json", type=Path, help="render rows saved by --json; fit nothing")
    args = p.parse_args()
    warnings.simplefilter("ignore")
    if args.engine != "bayesian":
        compare(args)
        return
    results: dict[str, list[dict]] = {}
    for key in args.settings.split(","):
        config = SETTINGS[key][1]()
        results[key] = []
        for seed in range(1, (1 if config == PYMC_EXAMPLE else args.seeds) + 1):
            rows = fit_one(config, seed, args)
            results[key] += rows
            if args.json:  # every row so far, so an interrupted run keeps what it measured
                args.json.write_text(json.dumps(results, indent=1, default=str))
            worst = max(r["error"] for r in rows)
            log(
                f"{key} seed {seed}: R-hat {rows[0]['rhat']:.3f}, worst ROAS error {worst:.0%}, "
                f"covered {sum(r['covered'] for r in rows)}/{len(rows)}, {rows[0]['wall']:.0f} s"
            )
    text = render(results, args, invocation("recovery.py"))
    print(text)
    if args.write:  # up to the next header, so '### Ridge vs Bayesian' stays
        write_subsection(args.write, "## Recovery", text)


def compare(args: argparse.Namespace) -> None:
    """Ridge (and with ``both`` the Bayesian engine) on the same datasets, side by side."""
    import json

    rows: list[dict] = json.loads(args.from_json.read_text()) if args.from_json else []
    for key in [] if args.from_json else args.settings.split(","):
        config = SETTINGS[key][1]()
        for seed in range(1, args.seeds + 1):
            fits = [("ridge", fit_ridge)]
            if args.engine == "both" and seed <= (args.bayesian_seeds or args.seeds):
                fits.append(("bayesian", fit_one))
            for engine, fit in fits:
                got = [{**r, "engine": engine, "setting": key} for r in fit(config, seed, args)]
                rows += got
                log(
                    f"{key} seed {seed} {engine}: median ROAS error "
                    f"{statistics.median(r['error'] for r in got):.0%}, covered "
                    f"{sum(r['covered'] for r in got)}/{len(got)}, {got[0]['wall']:.0f} s"
                )
                if args.json:
                    args.json.write_text(json.dumps(rows, indent=1, default=str))
    text = render_comparison(rows, args, invocation("recovery.py"))
    print(text)
    if args.write:
        write_subsection(args.write, "### Ridge vs Bayesian", text)


if __name__ == "__main__":
    main()
