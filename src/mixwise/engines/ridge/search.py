"""Nevergrad's multi-objective search over the ridge engine's hyperparameters (Robyn's loop).

Per trial, a fresh optimizer (``TwoPointsDE`` by default, any name of
``nevergrad.optimizers.registry``) on the unit cube ``[0, 1]^d``, seeded with ``seed + trial``,
told Robyn's reference point ``(1, 1[, 1])`` first. Candidates are asked ``batch_size`` at a time
(Nevergrad's ``num_workers``), evaluated together (:func:`.evaluate.evaluate`) and told back
their ``(NRMSE, DECOMP.RSSD[, MAPE.LIFT])``. Every candidate is recorded. Same seed, same
settings -> identical candidates and objectives.
"""

from __future__ import annotations

import difflib
import time
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from mixwise.engines.ridge.evaluate import Evaluation, RidgeProblem, evaluate
from mixwise.errors import SpecError
from mixwise.progress import Progress, no_progress

FloatArray = npt.NDArray[np.float64]

COMMON_OPTIMIZERS = (
    "TwoPointsDE",
    "DE",
    "OnePlusOne",
    "DiscreteOnePlusOne",
    "PortfolioDiscreteOnePlusOne",
    "NaiveTBPSA",
    "CMA",
    "PSO",
    "RandomSearch",
)
"""Shown when an unknown optimizer is asked for (Robyn's documented choices and a few more)."""

TELL_CAP = 1e3
"""Infinite objectives (no paid effect at all) are told to Nevergrad as this value."""


@dataclass(frozen=True)
class SearchSettings:
    """``iterations`` candidates per trial, ``trials`` independent optimizer runs."""

    iterations: int = 2000
    trials: int = 5
    optimizer: str = "TwoPointsDE"
    batch_size: int = 16
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("iterations", "trials", "batch_size"):
            if getattr(self, name) < 1:
                raise SpecError(f"search {name} must be >= 1", f"Set {name} to 1 or more.")


@dataclass(frozen=True)
class Candidates(Evaluation):
    """Every evaluated candidate, in order: an :class:`Evaluation` of them all, with
    ``hyper (N, d)`` in natural units (columns ``names``), ``trial`` and ``iteration`` (0-based
    within the trial)."""

    names: tuple[str, ...]
    hyper: FloatArray
    trial: npt.NDArray[np.int64]
    iteration: npt.NDArray[np.int64]

    def roas(self, spend: FloatArray) -> FloatArray:
        """Paid channels' ``effect / spend``, ``(N, n_paid)``."""
        return self.effect[:, : len(spend)] / spend


def make_optimizer(name: str, dim: int, budget: int, num_workers: int, seed: int) -> Any:
    """A seeded Nevergrad optimizer on ``[0, 1]^dim``; unknown names raise :class:`SpecError`."""
    import nevergrad as ng

    registry = ng.optimizers.registry
    if name not in registry:
        close = difflib.get_close_matches(name, list(registry), n=3)
        raise SpecError(
            f"unknown optimizer {name!r} for the ridge engine's search",
            (f"Did you mean {', '.join(close)}? " if close else "")
            + f"Common choices: {', '.join(COMMON_OPTIMIZERS)}; any of the {len(registry)} "
            "names in nevergrad.optimizers.registry works.",
        )
    param = ng.p.Array(shape=(dim,), lower=0.0, upper=1.0)
    param.random_state = np.random.RandomState(seed)
    try:
        return registry[name](param, budget=budget, num_workers=num_workers)
    except ImportError as exc:
        raise SpecError(
            f"optimizer {name!r} needs a package that is not installed ({exc.name})",
            f"Choose another optimizer, e.g. {', '.join(COMMON_OPTIMIZERS[:3])}.",
        ) from None


def run_search(
    problem: RidgeProblem, settings: SearchSettings, progress: Progress = no_progress
) -> Candidates:
    """Run ``settings.trials`` x ``settings.iterations`` candidates; see the module docstring."""
    import nevergrad as ng

    ranges = problem.ranges
    dim = len(ranges.names)
    n_obj = 3 if problem.lift_tests else 2
    total = settings.trials * settings.iterations
    hypers: list[FloatArray] = []
    evals: list[Evaluation] = []
    trials: list[npt.NDArray[np.int64]] = []
    iters: list[npt.NDArray[np.int64]] = []
    clock = {"ask_tell": 0.0, "transforms": 0.0, "solve": 0.0, "objectives": 0.0}
    done = 0
    for trial in range(settings.trials):
        opt = make_optimizer(
            settings.optimizer,
            dim,
            settings.iterations,
            settings.batch_size,
            settings.seed + trial,
        )
        opt.tell(ng.p.MultiobjectiveReference(), tuple([1.0] * n_obj))
        for start in range(0, settings.iterations, settings.batch_size):
            size = min(settings.batch_size, settings.iterations - start)
            t0 = time.perf_counter()
            asked = [opt.ask() for _ in range(size)]
            unit = np.array([a.value for a in asked])
            clock["ask_tell"] += time.perf_counter() - t0
            hyper = ranges.from_unit(unit)
            ev = evaluate(problem, hyper)
            for k, v in ev.seconds.items():
                clock[k] += v
            losses = np.column_stack([ev.nrmse, ev.decomp_rssd, ev.mape][:n_obj])
            losses = np.minimum(np.nan_to_num(losses, nan=TELL_CAP), TELL_CAP)
            t0 = time.perf_counter()
            for a, loss in zip(asked, losses, strict=True):
                opt.tell(a, tuple(float(v) for v in loss))
            clock["ask_tell"] += time.perf_counter() - t0
            hypers.append(hyper)
            evals.append(ev)
            trials.append(np.full(size, trial, dtype=np.int64))
            iters.append(np.arange(start, start + size, dtype=np.int64))
            done += size
            progress("search", done / total, f"trial {trial + 1}/{settings.trials}: {done} models")
    return _collect(ranges.names, hypers, evals, trials, iters, clock)


def _collect(
    names: list[str],
    hypers: list[FloatArray],
    evals: list[Evaluation],
    trials: list[npt.NDArray[np.int64]],
    iters: list[npt.NDArray[np.int64]],
    clock: dict[str, float],
) -> Candidates:
    arrays = {
        f.name: np.concatenate([getattr(e, f.name) for e in evals])
        for f in fields(Evaluation)
        if f.name != "seconds"
    }
    return Candidates(
        **arrays,
        seconds=clock,
        names=tuple(names),
        hyper=np.concatenate(hypers),
        trial=np.concatenate(trials),
        iteration=np.concatenate(iters),
    )
