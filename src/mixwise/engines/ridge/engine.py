"""The ``ridge`` engine: Robyn's method (``--engine ridge``) as a :class:`FitResult`.

The spec maps onto the core (:mod:`.run`): ``adstock.kind`` (geometric, weibull_cdf,
weibull_pdf) and Hill saturation; ``ridge:`` (:class:`~mixwise.model.ridge_spec.RidgeSpec`) for
the search, ranges, window and bootstrap; ``seasonality.yearly_order``, ``trend.enabled``,
``controls``, ``events``, ``holidays`` and ``lift_tests`` (as MAPE.LIFT) for the design. The
FitResult's draws are block-bootstrap refits of the chosen Pareto model (``interval_kind:
bootstrap``); every Pareto model is kept (``extras["pareto"]``, :mod:`.documents`), and
:func:`select_model` makes another one the chosen model.
"""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Any

import numpy as np
import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.engines.base import CancellableEngine, package_versions
from mixwise.engines.holidays import holiday_dummies
from mixwise.engines.ridge.convergence import ObjectiveConvergence, search_convergence
from mixwise.engines.ridge.convert import FitArrays, bootstrap_refits, fit_arrays
from mixwise.engines.ridge.design import build_problem
from mixwise.engines.ridge.documents import (
    find_model,
    pareto_document,
    pareto_summary,
    problem_document,
    problem_from_document,
)
from mixwise.engines.ridge.evaluate import RidgeProblem
from mixwise.engines.ridge.hyperparameters import ADSTOCK_KINDS, HyperRanges, default_ranges
from mixwise.engines.ridge.run import solve
from mixwise.engines.ridge.search import Candidates, SearchSettings
from mixwise.errors import MixwiseError, SpecError
from mixwise.model.result import Diagnostics, FitResult
from mixwise.model.spec import AdstockSpec, ModelSpec, SaturationSpec, SpecFieldError
from mixwise.progress import Progress

ENGINE = "ridge"


def _versions() -> dict[str, str]:
    return package_versions("mixwise", "nevergrad", "numpy", "scikit-learn", "scipy")


def ridge_spec(spec: ModelSpec, dataset: MMMDataset) -> ModelSpec:
    """``spec`` resolved for ``dataset`` as the ridge engine fits it: Hill saturation, the
    adstock kind (geometric unless chosen), kernel over every period, ``ridge.seed`` set."""
    spec = spec.resolved(dataset.frequency, dataset.n_periods)
    chosen = "kind" in spec.adstock.model_fields_set and spec.adstock.kind in ADSTOCK_KINDS
    seed = spec.ridge.seed if spec.ridge.seed is not None else spec.sampler.seed
    return spec.model_copy(
        update={
            "adstock": AdstockSpec(
                kind=spec.adstock.kind if chosen else "geometric",
                l_max=min(dataset.n_periods, 365),
                normalize=False,
            ),
            "saturation": SaturationSpec(kind="hill"),
            "ridge": spec.ridge.model_copy(update={"seed": seed}),
        }
    )


def _ranges(spec: ModelSpec, channels: list[str]) -> HyperRanges:
    r = spec.ridge
    overrides = {c: dict(params) for c, params in r.ranges.items()}
    overrides["lambda"] = {"lambda": r.lambda_range}
    unknown = sorted(set(r.media_kinds) - set(channels))
    if unknown:
        raise SpecFieldError(
            f"ridge.media_kinds.{unknown[0]}: no channel {unknown[0]!r} in the dataset",
            [f"ridge.media_kinds.{unknown[0]}"],
            f"Use one of: {', '.join(channels)}.",
        )
    try:
        return default_ranges(channels, spec.adstock.kind, r.media_kinds, overrides)  # type: ignore[arg-type]
    except SpecFieldError:
        raise
    except SpecError as exc:
        raise SpecFieldError(f"ridge.ranges: {exc.message}", ["ridge.ranges"], exc.hint) from None


def build(dataset: MMMDataset, spec: ModelSpec) -> RidgeProblem:
    """The ridge problem of ``dataset`` under a :func:`ridge_spec` spec."""
    r = spec.ridge
    channels = [*dataset.channels, *dataset.mapping.organic]
    holidays = (
        holiday_dummies(dataset.dates, dataset.frequency, spec.holidays) if spec.holidays else None
    )
    lifts = [([t.channel], str(t.start), str(t.end), float(t.kpi_change)) for t in spec.lift_tests]
    use = [
        name
        for name, on in (
            ("trend", spec.trend.enabled),
            ("controls", spec.controls),
            ("events", spec.events),
        )
        if on
    ]
    window = (str(r.start) if r.start else None, str(r.end) if r.end else None)
    problem = build_problem(
        dataset,
        holidays,
        window,
        spec.adstock.kind,  # type: ignore[arg-type]
        ranges=_ranges(spec, channels),
        fourier_order=spec.seasonality.yearly_order or 0,
        lift_tests=lifts,
        inflexion=r.inflexion,
        use=use,
    )
    if not r.ts_validation:
        check_capacity(problem, len(problem.y), "ridge.start")
        return problem
    n = len(problem.y)
    n_train = math.floor(r.train_size * n)
    if n_train < 10 or (n - n_train) // 2 < 2:
        raise SpecFieldError(
            f"ridge.train_size: {r.train_size} of {n} periods leaves {n_train} to train and "
            f"{n - n_train} to validate and test",
            ["ridge.train_size"],
            "Use a longer window, or a train_size leaving at least 10 training periods and "
            "2 each for validation and test.",
        )
    check_capacity(problem, n_train, "ridge.train_size")
    return dataclasses.replace(problem, n_train=n_train)


def check_capacity(problem: RidgeProblem, n_obs: int, field: str) -> None:
    """Refuse a design the data cannot carry: the ridge fits ``k`` coefficients (media,
    baseline and context regressors, the intercept) and ``h`` hyperparameters from ``n_obs``
    periods; with ``n_obs <= k + h`` the search can fit noise exactly (Robyn asks for several
    observations per variable)."""
    k = len(problem.channels) + len(problem.fixed_names) + 1
    h = len(problem.ranges.names)
    if n_obs <= k + h:
        raise SpecFieldError(
            f"{field}: {n_obs} periods cannot carry {k} coefficients and {h} hyperparameters",
            [field],
            "Use a longer window (ridge.start / ridge.end), fewer controls, events or holidays, "
            "or a lower seasonality.yearly_order.",
        )


def split_periods(problem: RidgeProblem) -> dict[str, dict[str, Any]]:
    """``provenance["ts_validation"]``: each part's first and last date and its rows."""
    out: dict[str, dict[str, Any]] = {}
    for name, rows in problem.splits.items():
        dates = (
            pd.DatetimeIndex(problem.dates[problem.window][rows])
            if problem.dates is not None
            else None
        )
        out[name] = {
            "start": str(dates[0].date()) if dates is not None else None,
            "end": str(dates[-1].date()) if dates is not None else None,
            "rows": [rows.start, rows.stop],
        }
    return out


class RidgeEngine(CancellableEngine):
    """Robyn's method (see the module docstring)."""

    name = ENGINE

    def _fit(self, dataset: MMMDataset, spec: ModelSpec, progress: Progress) -> FitResult:
        t0 = time.perf_counter()
        progress("build", 0.0, "design and hyperparameter ranges")
        spec = ridge_spec(spec, dataset)
        r = spec.ridge
        problem = build(dataset, spec)
        settings = SearchSettings(
            iterations=r.iterations,
            trials=r.trials,
            optimizer=r.optimizer,
            batch_size=r.batch_size,
            seed=int(r.seed or 0),
        )
        run = solve(
            problem,
            settings,
            fronts=r.fronts,
            clusters=r.clusters,
            n_draws=min(r.bootstrap_draws, spec.max_draws),
            block=r.block,
            progress=progress,
        )
        pareto = pareto_document(run)
        provenance = {
            "engine": ENGINE,
            "versions": _versions(),
            "seed": r.seed,
            "spec": spec.to_dict(full=True),
            "data_fingerprint": dataset.fingerprint(),
            "findings": [f.to_dict() for f in dataset.findings],
            "search": {
                "optimizer": r.optimizer,
                "trials": r.trials,
                "iterations": r.iterations,
                "candidates": int(run.candidates.nrmse.size),
                "pareto_models": len(pareto["models"]),
                "clusters": int(run.selection.clusters.k),
                "seconds": {k: round(v, 3) for k, v in run.candidates.seconds.items()},
                "convergence": [c.to_dict() for c in _convergence(run.candidates)],
            },
            "regressors": list(problem.fixed_names),
            **({"ts_validation": split_periods(problem)} if problem.n_train is not None else {}),
            "created_at": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
            "timings": {"total": round(time.perf_counter() - t0, 3)},
        }
        extras = {"pareto": pareto, "ridge_problem": problem_document(problem)}
        return assemble(run.arrays, spec, provenance, extras, dataset.kpi_type, dataset.frequency)


def _convergence(c: Candidates) -> list[ObjectiveConvergence]:
    """Robyn's convergence verdict of each optimised objective over the iterations."""
    return search_convergence(
        c.iteration, {"NRMSE": c.nrmse, "DECOMP.RSSD": c.decomp_rssd, "MAPE.LIFT": c.mape}
    )


def assemble(
    arrays: FitArrays,
    spec: ModelSpec,
    provenance: dict[str, Any],
    extras: dict[str, dict[str, Any]],
    kpi_type: str,
    frequency: str,
) -> FitResult:
    """The FitResult of the chosen model's bootstrap draws (``extras["pareto"]`` names it)."""
    pareto = extras["pareto"]
    n = int(arrays.params.sizes["draw"])
    dates = pd.DatetimeIndex(arrays.observed["time"].values)
    provenance = {
        **provenance,
        "interval_kind": "bootstrap",
        "chosen_model": pareto["chosen_model"],
        "periods": {
            "start": str(dates[0].date()),
            "end": str(dates[-1].date()),
            "train_end": str(dates[-1].date()),
            "holdout": 0,
        },
        "summary": pareto_summary(pareto),
    }
    verdict = (
        f"ridge: {n} block-bootstrap refits of Pareto model {pareto['chosen_model']} "
        f"(intervals are bootstrap, not posterior; no sampler diagnostics)"
    )
    search = provenance.get("search", {}).get("convergence", [])
    if search:
        verdict += ". Search: " + "; ".join(str(c["message"]) for c in search)
    return FitResult(
        params=arrays.params,
        contributions=arrays.contributions,
        baseline=arrays.baseline,
        fitted=arrays.fitted,
        observed=arrays.observed,
        spend=arrays.spend,
        spec=spec,
        diagnostics=Diagnostics(approximate=False, converged=None, verdict=verdict),
        provenance=provenance,
        kpi_type=kpi_type,
        frequency=frequency,
        extras=extras,
    )


def select_model(result: FitResult, wanted: str) -> FitResult:
    """``result`` (a ridge fit) with Pareto model ``wanted`` as the chosen model: its bootstrap
    draws refitted (same seed, draws and blocks as the fit), every document updated."""
    if result.provenance.get("engine") != ENGINE or "pareto" not in result.extras:
        raise MixwiseError(
            f"this run was fitted with the {result.provenance.get('engine', '?')} engine; "
            "only ridge runs have Pareto models to choose from",
            "Fit with --engine ridge.",
        )
    pareto = result.extras["pareto"]
    try:
        model = find_model(pareto, wanted)
    except KeyError:
        ids = [m["id"] for m in pareto["models"]]
        best = [c["best_model"] for c in pareto["clusters"]]
        raise MixwiseError(
            f"no Pareto model {wanted!r} in this run ({len(ids)} models)",
            f"Pick an id from pareto.json or summary.json, e.g. a cluster's best: "
            f"{', '.join(best)}.",
        ) from None
    problem = problem_from_document(result.extras["ridge_problem"])
    r = result.spec.ridge
    hyper = np.array([model["hyperparameters"][k] for k in problem.ranges.names])
    draws = bootstrap_refits(problem, hyper, result.n_draws, int(r.seed or 0), r.block)
    extras = {**result.extras, "pareto": {**pareto, "chosen_model": wanted}}
    return assemble(
        fit_arrays(problem, draws),
        result.spec,
        result.provenance,
        extras,
        result.kpi_type,
        result.frequency,
    )


__all__ = ["RidgeEngine", "select_model"]
