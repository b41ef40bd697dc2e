"""Fitting a model: the one orchestration of load -> fit -> save that ``mixwise fit``, the
API's fit job and the demo share, and the spec a fit runs with (the spec file plus sampler
options from the command line).

Progress runs 0..1 over the whole use case: loading the data takes the first
:data:`LOAD_SHARE`, saving the last :data:`SAVE_SHARE`, the engine the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.data.pipeline import load_dataset
from mixwise.engines.base import (
    available_engines,
    engine_capabilities,
    engine_names,
    require_engine,
)
from mixwise.errors import MixwiseError, SpecError
from mixwise.fitting import fit
from mixwise.model.crossval import CrossValidation, fold_scores, periods, plan_folds
from mixwise.model.result import FitResult
from mixwise.model.spec import ModelSpec
from mixwise.progress import Progress, no_progress
from mixwise.service.tracking import Track, log_cv, log_fit

LOAD_SHARE, SAVE_SHARE = 0.03, 0.04
"""Parts of the progress bar for loading the data and saving the result (the fit gets the rest)."""


def scaled(progress: Progress, start: float, width: float) -> Progress:
    """``progress`` seen through a window: fraction ``f`` reports ``start + width * f``."""

    def report(stage: str, fraction: float, message: str = "") -> None:
        progress(stage, start + width * max(0.0, min(1.0, fraction)), message)

    return report


def check_engine(
    engine: str, spec: ModelSpec | None = None, dataset: MMMDataset | None = None
) -> None:
    """Refuse an engine mixwise does not have, listing those it has, a spec (or dataset) the
    engine cannot honour, naming the field, and an engine whose environment is not installed,
    with the install command."""
    if engine not in engine_names():
        raise SpecError(
            f"unknown engine {engine!r}", f"Choose one of: {', '.join(engine_names())}."
        )
    if spec is not None:
        engine_capabilities(engine).check(engine, spec, dataset)
    require_engine(engine)


def spec_with_sampler(
    spec: ModelSpec | Path | None = None,
    *,
    draws: int | None = None,
    tune: int | None = None,
    chains: int | None = None,
    seed: int | None = None,
    quick: bool = False,
    trials: int | None = None,
    iterations: int | None = None,
) -> ModelSpec:
    """``spec`` (a spec, a spec file, or the defaults) with the sampler settings a user chose on
    top, and the ridge engine's search settings (``trials``, ``iterations``: ``ridge.trials``,
    ``ridge.iterations``).

    Only what the spec and the options set is pinned: settings left unset keep their defaults
    that depend on the data (geo sampler settings, reruns; :meth:`ModelSpec.resolved`).
    """
    if isinstance(spec, Path):
        spec = ModelSpec.load(spec)
    updates: dict[str, Any] = {
        k: v
        for k, v in (("seed", seed), ("draws", draws), ("tune", tune), ("chains", chains))
        if v is not None
    }
    if quick:
        updates["mode"] = "quick"
    ridge = {k: v for k, v in (("trials", trials), ("iterations", iterations)) if v is not None}
    data = (spec or ModelSpec()).to_dict()
    data["sampler"] = {**data.get("sampler", {}), **updates}
    if ridge:
        data["ridge"] = {**data.get("ridge", {}), **ridge}
    return ModelSpec.from_dict(data, origin="model spec with command-line options")


def fit_and_save[T](
    load: Callable[[], MMMDataset],
    spec: ModelSpec,
    save: Callable[[FitResult], T],
    *,
    engine: str = "bayesian",
    seed: int | None = None,
    progress: Progress = no_progress,
    log: Callable[[str], None] = lambda _: None,
    track: Track | None = None,
) -> tuple[FitResult, T]:
    """Load the data, fit it, save the result, log it to MLflow (:mod:`mixwise.service.tracking`;
    ``save`` returning the run folder's path logs the folder and its report too);
    ``(result, what save returned)``.

    Raises ``mixwise.progress.Cancelled`` when cancelled: then nothing is saved.
    """
    check_engine(engine)
    progress("loading", 0.0, "reading the data")
    dataset = load()
    log(
        f"fitting {dataset.n_periods} periods, channels {', '.join(dataset.channels)} "
        f"with the {engine} engine"
    )
    fit_width = 1 - LOAD_SHARE - SAVE_SHARE
    result = fit(
        dataset, spec, engine=engine, seed=seed, progress=scaled(progress, LOAD_SHARE, fit_width)
    )
    progress("saving", 1 - SAVE_SHARE, "saving the result")
    saved = save(result)
    run_dir = saved if isinstance(saved, Path) else None
    log_fit(result, engine=engine, seed=seed, run_dir=run_dir, track=track, log=log)
    progress("done", 1.0, "fitted")
    return result, saved


def check_run_target(out: Path, force: bool) -> None:
    """A run folder may be written to ``out`` (empty or absent, or ``force``)."""
    if out.exists() and not out.is_dir():
        raise MixwiseError(f"{out} is a file, not a folder", "Pick another --out.")
    if out.exists() and any(out.iterdir()) and not force:
        raise MixwiseError(f"{out} already exists and is not empty", "Pass --force or pick --out.")


def fit_run(
    data: str | Path,
    mapping: str | Path,
    out: Path,
    spec: ModelSpec | None = None,
    *,
    engine: str = "bayesian",
    seed: int | None = None,
    force: bool = False,
    progress: Progress = no_progress,
) -> FitResult:
    """``mixwise fit``: a data source and its mapping to a run folder ``out`` (written whole or
    not at all, :meth:`FitResult.save`)."""
    check_run_target(out, force)
    result, _ = fit_and_save(
        lambda: load_dataset(data, mapping),
        spec or ModelSpec(),
        lambda r: r.save(out),
        engine=engine,
        seed=seed,
        progress=progress,
    )
    return result


ALL_ENGINES = "all"


def resolve_engines(text: str) -> list[str]:
    """The engines of ``--engine``: one name, a comma list (``bayesian,ridge``) or ``all``
    (every engine this installation can run: one whose environment is not installed is left
    out, not an error); unknown or repeated names are refused."""
    if text.strip() == ALL_ENGINES:
        return available_engines()
    names = [t.strip() for t in text.split(",") if t.strip()]
    if not names:
        raise SpecError("no engine named", f"Choose from: {', '.join(engine_names())} or all.")
    for name in names:
        check_engine(name)
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SpecError(f"engine {repeated[0]!r} is named twice", "Name each engine once.")
    return names


def check_engines(engines: list[str], spec: ModelSpec, dataset: MMMDataset | None = None) -> None:
    """Every engine can fit ``spec`` (on ``dataset``), checked before any of them starts, so
    a multi-engine fit never stops half-way on a spec an engine refuses (the error names the
    engine and the field)."""
    for name in engines:
        check_engine(name, spec, dataset)


def fit_runs(
    data: str | Path,
    mapping: str | Path,
    out: Path,
    engines: list[str],
    spec: ModelSpec | None = None,
    *,
    seed: int | None = None,
    force: bool = False,
    progress: Callable[[str], Progress] = lambda _: no_progress,
) -> dict[str, Path]:
    """``mixwise fit --engine all`` (or a list): one run folder per engine, ``out/<engine>``,
    on the data loaded and checked once; ``progress(engine)`` gives each fit its callback.
    Engine name -> run folder."""
    spec = spec or ModelSpec()
    runs = {name: out / name for name in engines}
    for run in runs.values():
        check_run_target(run, force)
    dataset = load_dataset(data, mapping)
    check_engines(engines, spec, dataset)
    for name, run in runs.items():
        fit_and_save(
            lambda: dataset,
            spec,
            lambda r, run=run: r.save(run),  # type: ignore[misc]
            engine=name,
            seed=seed,
            progress=progress(name),
        )
    return runs


def cross_validate(
    dataset: MMMDataset,
    spec: ModelSpec | None = None,
    *,
    folds: int = 3,
    horizon: int | None = None,
    engine: str = "bayesian",
    window: str = "expanding",
    progress: Progress = no_progress,
    track: Track | None = None,
) -> CrossValidation:
    """Refit on ``folds`` windows (``expanding`` or ``sliding``; :mod:`mixwise.model.crossval`)
    and score each on the ``horizon`` periods after it; logged to MLflow as one ``cv`` run."""
    check_engine(engine)
    if not engine_capabilities(engine).holdout:
        raise SpecError(
            f"cross-validation scores held-out periods, which the {engine} engine cannot hold out",
            "Cross-validate with --engine bayesian.",
        )
    spec = spec or ModelSpec()
    plan = plan_folds(dataset, folds, horizon, window)
    rows = []
    for fold in plan:
        sub = periods(dataset, fold.start, fold.end)
        fold_spec = spec.model_copy(update={"holdout": fold.end - fold.start - fold.train})
        k = fold.number - 1

        def fold_progress(stage: str, fraction: float, message: str = "", k: int = k) -> None:
            progress(stage, (k + fraction) / len(plan), f"fold {k + 1}/{len(plan)}: {message}")

        result = fit(sub, fold_spec, engine=engine, progress=fold_progress)
        rows.append(fold_scores(fold, sub, result.summary_dict()["fit"]["holdout"]))
    cv = CrossValidation(folds=pd.DataFrame(rows))
    options = {"folds": folds, "horizon": horizon, "window": window}
    log_cv(cv, spec, engine=engine, options=options, track=track or Track(kind="cv"))
    return cv


def cross_validate_source(
    data: str | Path,
    mapping: str | Path,
    spec: ModelSpec | None = None,
    **options: Any,
) -> CrossValidation:
    """``mixwise cv``: :func:`cross_validate` on a data source and its mapping."""
    return cross_validate(load_dataset(data, mapping), spec, **options)
