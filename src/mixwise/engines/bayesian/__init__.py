"""The ``bayesian`` engine: PyMC-Marketing's MMM, sampled with nutpie, as a FitResult.

Stages (each reported through the progress callback): ``build`` (design and PyMC model),
``compile`` and ``sampling`` (nutpie NUTS, PyMC NUTS as fallback, or ADVI in quick mode),
``post-processing`` (thinning, deterministics, diagnostics, conversion).
"""

from __future__ import annotations

import time
from typing import Any

import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.engines.base import CancellableEngine, package_versions
from mixwise.engines.bayesian import convert
from mixwise.engines.bayesian.build import build_mmm
from mixwise.engines.bayesian.design import Design, build_design
from mixwise.engines.bayesian.prior_roas import prior_roas
from mixwise.engines.bayesian.sample import SAMPLING_SPAN, Draws, sample
from mixwise.engines.diagnostics import (
    approximate_diagnostics,
    mixing_shortfall,
    nuts_diagnostics,
)
from mixwise.engines.draws import thin
from mixwise.errors import SpecError
from mixwise.model.interactions import check_channels as check_interaction_channels
from mixwise.model.result import Diagnostics, FitResult
from mixwise.model.spec import ModelSpec, SamplerSpec
from mixwise.progress import Progress

ENGINE = "bayesian"


def _versions() -> dict[str, str]:
    return package_versions(
        "mixwise", "pymc-marketing", "pymc", "pytensor", "nutpie", "arviz", "numpy"
    )


def _check_channels(spec: ModelSpec, dataset: MMMDataset) -> None:
    unknown = sorted(set(spec.channels) - set(dataset.channels))
    if unknown:
        raise SpecError(
            f"channels.{unknown[0]}: no channel {unknown[0]!r} in the dataset "
            f"(channels: {', '.join(dataset.channels)})",
            "Use the channel names of the mapping.",
        )
    check_interaction_channels(spec.interactions, dataset.channels)


def _diagnose(draws: Draws, model: Any) -> Diagnostics:
    posterior = draws.idata["posterior"].to_dataset()
    free = [v.name for v in model.free_RVs if v.name in posterior]
    return nuts_diagnostics(convert.diagnosed(posterior, free, model), draws.idata)


class BayesianEngine(CancellableEngine):
    """PyMC-Marketing MMM (see the module docstring)."""

    name = ENGINE

    def _fit(self, dataset: MMMDataset, spec: ModelSpec, progress: Progress) -> FitResult:
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        progress("build", 0.0, "laying out the data and building the model")
        spec = spec.resolved(dataset.frequency, dataset.n_periods, geo=dataset.has_geo)
        _check_channels(spec, dataset)
        design = build_design(dataset, spec)
        mmm = build_mmm(design, spec, dataset.kpi_type)
        timings["build"] = time.perf_counter() - t0
        draws, diagnostics = self._sample(mmm.model, spec.sampler, progress)
        timings.update(draws.timings)
        t1 = time.perf_counter()
        progress("post-processing", 0.86, "computing contributions for the kept draws")
        result = self._convert(dataset, spec, design, mmm, draws, diagnostics, progress)
        timings["post-processing"] = time.perf_counter() - t1
        timings["total"] = time.perf_counter() - t0
        result.provenance["timings"] = {k: round(v, 3) for k, v in timings.items()}
        progress("post-processing", 1.0, "done")
        return result

    def _sample(
        self, model: Any, settings: SamplerSpec, progress: Progress
    ) -> tuple[Draws, Diagnostics]:
        """Sample ``model`` (dims and data frozen by the sampler as it needs), and sample again
        with twice the tuning steps and draws, ``target_accept`` halfway to 1 (smaller steps,
        for the ridges that leave a chain stuck) and the next seed, up to ``settings.reruns``
        times, while the chains have not mixed (:func:`.diagnostics.mixing_shortfall`).
        Returns the last run."""
        draws = sample(model, settings, progress)
        if draws.approximate:
            return draws, approximate_diagnostics()
        diagnostics = _diagnose(draws, model)
        spent, notes, source = dict(draws.timings), list(draws.notes), draws.compiled_model
        reruns = 0
        for rerun in range(1, (settings.reruns or 0) + 1):
            shortfall = mixing_shortfall(diagnostics, settings.chains)
            if shortfall is None:
                break
            settings = settings.model_copy(
                update={
                    "tune": 2 * settings.tune,
                    "draws": 2 * settings.draws,
                    "seed": (settings.seed + 1) % 2**32,
                    "target_accept": round((1 + settings.target_accept) / 2, 4),
                }
            )
            per_chain = (
                f"{settings.tune} tuning steps and {settings.draws} draws per chain, "
                f"target_accept {settings.target_accept:g}"
            )
            why = f"rerun {rerun} ({per_chain})"
            notes.append(
                f"the chains had not mixed: {shortfall}. Sampled again with {per_chain} and "
                f"seed {settings.seed}, and kept that run"
            )

            def prefixed(stage: str, fraction: float, message: str = "", why: str = why) -> None:
                progress(stage, fraction, f"{why}: {message}")

            draws = sample(model, settings, prefixed, span=(SAMPLING_SPAN[1], SAMPLING_SPAN[1]))
            for name, seconds in draws.timings.items():
                spent[name] = spent.get(name, 0.0) + seconds
            notes += draws.notes
            diagnostics = _diagnose(draws, model)
            reruns = rerun
        draws.timings, draws.notes, draws.compiled_model = spent, notes, source
        draws.reruns = reruns
        return draws, diagnostics

    def _convert(
        self,
        dataset: MMMDataset,
        spec: ModelSpec,
        design: Design,
        mmm: Any,
        draws: Draws,
        diagnostics: Diagnostics,
        progress: Progress,
    ) -> FitResult:
        posterior = draws.idata["posterior"].to_dataset()
        free = [v.name for v in mmm.model.free_RVs if v.name in posterior]
        thinned = thin(posterior[free], spec.max_draws, spec.sampler.seed)
        channel_scale = mmm.scalers["_channel"].astype(float)
        kpi_scale = mmm.scalers["_target"].astype(float)
        evaluation = mmm
        if design.n_holdout:
            evaluation = build_mmm(
                design, spec, dataset.kpi_type, full_window=True, scales=(channel_scale, kpi_scale)
            )
        det = convert.deterministics(thinned, evaluation.model)
        progress("post-processing", 0.95, "assembling the result")
        arrays = convert.series(det, design, kpi_scale)
        observed, spend = convert.observed_and_spend(design)
        params = convert.params_dataset(det, spec, channel_scale, kpi_scale, thinned, design.geos)
        mmm.idata = draws.idata
        provenance = self._provenance(dataset, spec, draws, design)
        provenance["prior_roas"] = prior_roas(
            mmm, spec, spend, channel_scale, kpi_scale, design.geos
        )
        return FitResult(
            params=params,
            contributions=arrays["contributions"],
            baseline=arrays["baseline"],
            fitted=arrays["fitted"],
            observed=observed,
            spend=spend,
            spec=spec,
            diagnostics=diagnostics,
            provenance=provenance,
            kpi_type=dataset.kpi_type,
            frequency=dataset.frequency,
            n_holdout=design.n_holdout,
            interactions=arrays.get("interactions"),
            native=mmm,
        )

    def _provenance(
        self, dataset: MMMDataset, spec: ModelSpec, draws: Draws, design: Design
    ) -> dict[str, Any]:
        return {
            "engine": ENGINE,
            "versions": _versions(),
            "sampler": draws.sampler,
            "mode": spec.sampler.mode,
            "approximate": draws.approximate,
            "notes": list(draws.notes),
            "compiled_model": draws.compiled_model,
            "reruns": draws.reruns,
            "sampler_settings": draws.settings,
            "seed": spec.sampler.seed,
            "spec": spec.to_dict(full=True),
            "data_fingerprint": dataset.fingerprint(),
            "findings": [f.to_dict() for f in dataset.findings],
            "periods": {
                "start": str(design.dates[0].date()),
                "end": str(design.dates[-1].date()),
                "train_end": str(design.train_dates[-1].date()),
                "holdout": design.n_holdout,
            },
            "regressors": list(design.regressors),
            "control_scale": dict(design.control_scale),
            "created_at": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        }


__all__ = ["BayesianEngine"]
