"""The ridge engine end to end, short of building the FitResult (the engine class does that).

``build`` (:func:`.design.build_problem`) -> ``search`` (:func:`.search.run_search`) ->
``pareto`` (:func:`.pareto.select_models`: fronts, error scores, ROAS clusters, the chosen model
being the cluster winner with the lowest error score; :func:`.pareto.cluster_intervals`) ->
``bootstrap`` (:func:`.convert.bootstrap_refits` of the chosen model) -> FitResult arrays
(:func:`.convert.fit_arrays`). Every random step is seeded from ``settings.seed``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.engines.ridge.convert import Draws, FitArrays, bootstrap_refits, fit_arrays
from mixwise.engines.ridge.design import build_problem
from mixwise.engines.ridge.evaluate import RidgeProblem
from mixwise.engines.ridge.hyperparameters import AdstockKind, HyperRanges
from mixwise.engines.ridge.pareto import (
    ClusterIntervals,
    Selection,
    cluster_intervals,
    select_models,
)
from mixwise.engines.ridge.search import Candidates, SearchSettings, run_search
from mixwise.progress import Progress, no_progress

SEARCH_SHARE = 0.85
"""Share of the progress bar for the search (the rest: Pareto, clusters, bootstrap)."""


@dataclass(frozen=True)
class RidgeRun:
    """Everything one ridge fit produced; ``chosen`` indexes ``candidates``; ``intervals`` are
    Robyn's per-cluster ROAS intervals of the front models."""

    problem: RidgeProblem
    candidates: Candidates
    selection: Selection
    chosen: int
    draws: Draws
    arrays: FitArrays
    intervals: ClusterIntervals


def run_ridge(
    dataset: MMMDataset,
    holidays: pd.DataFrame | None = None,
    window: tuple[str | None, str | None] = (None, None),
    adstock: AdstockKind = "geometric",
    ranges: HyperRanges | None = None,
    settings: SearchSettings | None = None,
    lift_tests: Sequence[tuple[Sequence[str], str, str, float]] = (),
    fronts: int | Literal["auto"] = 3,
    clusters: int | Literal["auto"] = "auto",
    n_draws: int = 200,
    block: int = 4,
    progress: Progress = no_progress,
) -> RidgeRun:
    """Fit Robyn's model to ``dataset`` (see the module docstring)."""
    progress("build", 0.0, "design and hyperparameter ranges")
    problem = build_problem(
        dataset, holidays, window, adstock, ranges=ranges, lift_tests=lift_tests
    )
    return solve(problem, settings, fronts, clusters, n_draws, block, progress)


def solve(
    problem: RidgeProblem,
    settings: SearchSettings | None = None,
    fronts: int | Literal["auto"] = 3,
    clusters: int | Literal["auto"] = "auto",
    n_draws: int = 200,
    block: int = 4,
    progress: Progress = no_progress,
) -> RidgeRun:
    """Search, select and bootstrap a built ``problem`` (:func:`run_ridge` after the build)."""
    cfg = settings or SearchSettings()

    def searching(stage: str, fraction: float, message: str = "") -> None:
        progress(stage, SEARCH_SHARE * fraction, message)

    cands = run_search(problem, cfg, searching)
    progress("pareto", SEARCH_SHARE, "Pareto fronts and ROAS clusters")
    roas = cands.roas(problem.spend)
    selection = select_models(
        cands.nrmse,
        cands.decomp_rssd,
        roas,
        mape=cands.mape if problem.lift_tests else None,
        fronts=fronts,
        k=clusters,
        seed=cfg.seed,
    )
    intervals = cluster_intervals(roas[selection.models], selection.clusters.labels, seed=cfg.seed)
    chosen = int(selection.best[0])
    progress("bootstrap", 0.9, f"{n_draws} bootstrap refits of model {chosen}")
    draws = bootstrap_refits(problem, cands.hyper[chosen], n_draws, cfg.seed, block)
    arrays = fit_arrays(problem, draws)
    progress("bootstrap", 1.0, "done")
    return RidgeRun(problem, cands, selection, chosen, draws, arrays, intervals)
