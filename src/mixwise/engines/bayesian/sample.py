"""Draw from the posterior: NUTS with nutpie (PyMC's sampler as fallback) or ADVI (quick mode).

Only the free random variables are sampled; deterministics are computed afterwards, on the
thinned draws (:mod:`mixwise.engines.bayesian.convert`). Progress goes to the callback as
``("compile" | "sampling", fraction, message)``; Ctrl-C, or a callback raising ``Cancelled``,
stops the sampler and raises ``Cancelled`` with nothing kept.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import pymc as pm
import xarray as xr
from pymc.model.transform.optimization import freeze_dims_and_data

from mixwise.engines.bayesian.compiled import compile_nutpie
from mixwise.model.spec import SamplerSpec
from mixwise.progress import Cancelled, Progress

SAMPLING_SPAN = (0.15, 0.85)
"""Overall progress fractions covered by sampling (build and compile come before)."""


@dataclass
class Draws:
    """What the sampler produced: ``idata`` has ``posterior`` (and ``sample_stats`` for NUTS)."""

    idata: xr.DataTree
    sampler: str
    approximate: bool
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    compiled_model: str | None = None
    """nutpie only: ``compiled``, or reused from ``memory`` / ``disk`` (see :mod:`.compiled`)."""
    reruns: int = 0
    """How many times the engine sampled again before keeping these draws."""
    settings: dict[str, Any] = field(default_factory=dict)
    """The sampler settings these draws were made with (a rerun's, where one was kept)."""


Span = tuple[float, float]


def _sampling_fraction(done: float, span: Span = SAMPLING_SPAN) -> float:
    lo, hi = span
    return lo + (hi - lo) * min(max(done, 0.0), 1.0)


def _cancelled() -> Cancelled:
    return Cancelled("The fit was cancelled during sampling; nothing was kept.")


def sample(
    model: pm.Model, settings: SamplerSpec, progress: Progress, span: Span = SAMPLING_SPAN
) -> Draws:
    """Sample ``model`` as ``settings`` say (mode, backend, chains, draws, tune, seed).

    ``model`` may have mutable dims and data (``mmm.model``): nutpie keeps the data as inputs
    so that its compiled code can be reused; ADVI and PyMC's NUTS sample the frozen model.
    NUTS progress is reported as overall fractions within ``span``. The draws record
    ``settings`` (``Draws.settings``).
    """
    out = _run(model, settings, progress, span)
    out.settings = settings.model_dump(mode="json")
    return out


def _run(model: pm.Model, settings: SamplerSpec, progress: Progress, span: Span) -> Draws:
    if settings.mode == "quick":
        return run_advi(freeze_dims_and_data(model), settings, progress)
    if settings.backend == "pymc":
        return run_pymc(freeze_dims_and_data(model), settings, progress, span)
    try:
        return run_nutpie(model, settings, progress, span)
    except Cancelled:
        raise
    except Exception as exc:  # nutpie missing or failing: PyMC's own NUTS still works
        if settings.backend == "nutpie":
            raise
        out = run_pymc(freeze_dims_and_data(model), settings, progress, span)
        out.notes.append(f"nutpie failed ({type(exc).__name__}: {exc}); used PyMC's NUTS sampler")
        return out


def _free_names(model: pm.Model) -> list[str]:
    return [v.name for v in model.free_RVs]


COMPILE_SOURCES = {"memory": "same structure, this process", "disk": "same structure, disk cache"}


def _compile(model: pm.Model) -> tuple[Any, str]:
    """nutpie's compiled model via the structure cache; nutpie's own compile if that fails."""
    import nutpie

    try:
        return compile_nutpie(model, _free_names(model))
    except (KeyboardInterrupt, Cancelled):
        raise
    except Exception:  # e.g. an input the cache cannot re-bind: compile the frozen model
        frozen = freeze_dims_and_data(model)
        return nutpie.compile_pymc_model(frozen, var_names=_free_names(frozen)), "compiled"


def run_nutpie(
    model: pm.Model, settings: SamplerSpec, progress: Progress, span: Span = SAMPLING_SPAN
) -> Draws:
    """NUTS in nutpie, polled every half second for progress and cancellation.

    The compiled model is reused across fits of the same structure (:mod:`.compiled`).
    """
    import nutpie

    t0 = time.perf_counter()
    progress("compile", 0.05, "compiling the model (nutpie, numba)")
    compiled, source = _compile(model)
    t1 = time.perf_counter()
    if source != "compiled":
        progress("compile", 0.1, f"reused the compiled model ({COMPILE_SOURCES[source]})")
    state: dict[str, Any] = {}

    def on_progress(chains: Any) -> None:  # runs on nutpie's thread: only record
        state["chains"] = [(c.finished_draws, c.total_draws, c.tuning) for c in chains]

    sampler = nutpie.sample(
        compiled,
        draws=settings.draws,
        tune=settings.tune,
        chains=settings.chains,
        seed=settings.seed,
        target_accept=settings.target_accept,
        save_warmup=False,
        progress_bar=False,
        blocking=False,
        progress_callback=on_progress,
    )
    try:
        start = f"sampling {settings.chains} chains (nutpie)"
        progress("sampling", _sampling_fraction(0, span), start)
        while True:
            try:
                idata = sampler.wait(timeout=0.5)
                break
            except TimeoutError:
                _report_chains(state.get("chains"), progress, span)
    except (KeyboardInterrupt, Cancelled):
        sampler.cancel()
        raise _cancelled() from None
    t2 = time.perf_counter()
    progress("sampling", _sampling_fraction(1, span), "sampling done")
    out = Draws(idata, "nutpie", False, {"compile": t1 - t0, "sample": t2 - t1})
    out.compiled_model = source
    return out


def _report_chains(
    chains: list[tuple[int, int, bool]] | None, progress: Progress, span: Span
) -> None:
    if not chains:
        return
    done = sum(c[0] for c in chains) / max(1, sum(c[1] for c in chains))
    parts = [
        f"chain {i + 1}: {n}/{m} {'warm-up' if tuning else 'draws'}"
        for i, (n, m, tuning) in enumerate(chains)
    ]
    progress("sampling", _sampling_fraction(done, span), "; ".join(parts))


def run_pymc(
    model: pm.Model, settings: SamplerSpec, progress: Progress, span: Span = SAMPLING_SPAN
) -> Draws:
    """PyMC's own NUTS; progress through its per-draw callback."""
    total = settings.chains * (settings.draws + settings.tune)
    counts: dict[int, int] = {}
    last = [0.0]

    def on_draw(trace: Any, draw: Any) -> None:
        counts[draw.chain] = counts.get(draw.chain, 0) + 1
        now = time.perf_counter()
        if now - last[0] > 0.5:
            last[0] = now
            per_chain = settings.draws + settings.tune
            msg = "; ".join(f"chain {c + 1}: {n}/{per_chain}" for c, n in sorted(counts.items()))
            progress("sampling", _sampling_fraction(sum(counts.values()) / total, span), msg)

    t0 = time.perf_counter()
    progress("compile", 0.05, "compiling the model (PyMC)")
    try:
        with model, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            idata = pm.sample(
                draws=settings.draws,
                tune=settings.tune,
                chains=settings.chains,
                cores=min(settings.chains, 4),
                random_seed=settings.seed,
                target_accept=settings.target_accept,
                var_names=_free_names(model),
                progressbar=False,
                compute_convergence_checks=False,
                quiet=True,
                callback=on_draw,
            )
    except KeyboardInterrupt:
        raise _cancelled() from None
    got = idata["posterior"].sizes
    if got.get("draw", 0) < settings.draws or got.get("chain", 0) < settings.chains:
        raise _cancelled()  # PyMC swallows Ctrl-C and returns what it had
    return Draws(idata, "pymc", False, {"sample": time.perf_counter() - t0})


class _Watch:
    """ADVI callback: reports progress and notes whether the convergence check stopped the fit."""

    def __init__(self, n: int, progress: Progress) -> None:
        from pymc.variational.callbacks import CheckParametersConvergence

        self.n, self.progress = n, progress
        self.check = CheckParametersConvergence(diff="absolute")
        self.converged_at: int | None = None
        self.last = 0

    def __call__(self, approx: Any, loss: Any, i: int) -> None:
        self.last = i
        if i % max(1, self.n // 50) == 0:
            self.progress("sampling", _sampling_fraction(i / self.n), f"ADVI step {i}/{self.n}")
        try:
            self.check(approx, loss, i)
        except StopIteration:
            self.converged_at = i
            raise


def run_advi(model: pm.Model, settings: SamplerSpec, progress: Progress) -> Draws:
    """Mean-field ADVI, then ``draws`` draws from the approximation (one 'chain')."""
    n = settings.advi_iterations
    watch = _Watch(n, progress)
    t0 = time.perf_counter()
    progress("compile", 0.05, "compiling the model (ADVI)")
    with model, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            approx = pm.fit(
                n=n, method="advi", random_seed=settings.seed, progressbar=False, callbacks=[watch]
            )
        except KeyboardInterrupt:
            raise _cancelled() from None
        if watch.converged_at is None and watch.last < n:
            raise _cancelled()  # PyMC stops quietly on Ctrl-C
        idata = approx.sample(settings.draws, random_seed=settings.seed)
    notes = [
        f"ADVI converged after {watch.converged_at} steps"
        if watch.converged_at is not None
        else f"ADVI ran all {n} steps without meeting its convergence check"
    ]
    return Draws(idata, "advi", True, {"sample": time.perf_counter() - t0}, notes)
