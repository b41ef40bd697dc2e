"""Drawing from the posterior: NUTS (nutpie, PyMC) against a conjugate posterior known in closed
form, progress within its span, ADVI's labels, and cancellation through a real fit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pymc as pm
import pytest

import mixwise
from mixwise.data.dataset import MMMDataset
from mixwise.engines.bayesian.sample import SAMPLING_SPAN, _sampling_fraction, sample
from mixwise.model.spec import ModelSpec, SamplerSpec
from mixwise.progress import Cancelled

SMALL = {"chains": 2, "tune": 300, "draws": 300}

# y_i ~ N(mu, 1), i = 1..50, mu ~ N(0, 10): the posterior of mu is normal with precision
# 1/100 + 50 and mean sum(y) / (1/100 + 50)
Y = np.random.default_rng(0).normal(3.0, 1.0, 50)
POST_PRECISION = 1 / 100 + Y.size
POST_MEAN, POST_SD = Y.sum() / POST_PRECISION, POST_PRECISION**-0.5


def conjugate_model() -> pm.Model:
    with pm.Model() as model:
        y = pm.Data("y", Y)
        mu = pm.Normal("mu", 0.0, 10.0)
        pm.Normal("obs", mu, 1.0, observed=y)
    return model


def test_sampling_fraction_maps_into_its_span() -> None:
    lo, hi = SAMPLING_SPAN
    assert [_sampling_fraction(d) for d in (-1.0, 0.0, 0.5, 1.0, 2.0)] == pytest.approx(
        [lo, lo, (lo + hi) / 2, hi, hi]
    )
    assert _sampling_fraction(0.25, (0.2, 0.6)) == pytest.approx(0.3)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["nutpie", "pymc"])
def test_nuts_draws_the_conjugate_posterior(backend: str, fresh_cache: Path) -> None:
    """1000 draws: the Monte Carlo error of the mean is about 0.03 posterior sd, so 0.25 sd
    leaves room for seeds while catching a wrong model or wrong draws."""
    seen: list[tuple[str, float, str]] = []
    settings = SamplerSpec(chains=2, tune=300, draws=500, seed=1, backend=backend)
    draws = sample(conjugate_model(), settings, lambda s, f, m="": seen.append((s, f, m)))
    mu = draws.idata["posterior"]["mu"].values
    assert mu.shape == (2, 500)
    assert abs(mu.mean() - POST_MEAN) < 0.25 * POST_SD
    assert mu.std() == pytest.approx(POST_SD, rel=0.1)
    assert (draws.sampler, draws.approximate) == (backend, False)
    assert draws.settings["draws"] == 500 and draws.settings["backend"] == backend
    assert seen[0][0] == "compile"
    fractions = [f for s, f, _ in seen if s == "sampling"]
    assert fractions and all(SAMPLING_SPAN[0] <= f <= SAMPLING_SPAN[1] for f in fractions)
    assert fractions == sorted(fractions)


@pytest.mark.slow
def test_quick_mode_is_one_approximate_chain() -> None:
    settings = SamplerSpec(mode="quick", advi_iterations=200, draws=50, seed=1)
    draws = sample(conjugate_model(), settings, lambda *a: None)
    assert (draws.sampler, draws.approximate) == ("advi", True)
    assert draws.idata["posterior"]["mu"].shape == (1, 50)
    assert draws.notes[0].startswith("ADVI")


@pytest.mark.slow
def test_keyboard_interrupt_during_sampling_cancels(pymc_dataset: MMMDataset) -> None:
    seen: list[str] = []

    def progress(stage: str, fraction: float, message: str = "") -> None:
        seen.append(stage)
        if stage == "sampling":
            raise KeyboardInterrupt

    spec = ModelSpec(sampler={**SMALL, "draws": 5000})
    with pytest.raises(Cancelled, match="cancelled during sampling"):
        mixwise.fit(pymc_dataset, spec, progress=progress)
    assert "post-processing" not in seen


@pytest.mark.slow
def test_cancel_from_the_progress_callback(pymc_dataset: MMMDataset) -> None:
    """A service cancels a job by raising Cancelled from its progress callback."""

    def progress(stage: str, fraction: float, message: str = "") -> None:
        if stage == "sampling":
            raise Cancelled("job cancelled")

    spec = ModelSpec(sampler={"mode": "quick", "advi_iterations": 5000, "draws": 100})
    with pytest.raises(Cancelled):
        mixwise.fit(pymc_dataset, spec, progress=progress)


@pytest.mark.slow
def test_pymc_sampler_backend(pymc_dataset: MMMDataset) -> None:
    """PyMC's own NUTS (the fallback when nutpie fails) gives the same kind of result."""
    calls: list[str] = []
    spec = ModelSpec(sampler={"chains": 2, "tune": 200, "draws": 200, "backend": "pymc"})
    result = mixwise.fit(pymc_dataset, spec, progress=lambda s, f, m="": calls.append(m))
    assert result.provenance["sampler"] == "pymc"
    assert any(m.startswith("chain 1: ") for m in calls)
    assert result.n_draws == 400 and result.diagnostics.rhat_max is not None
    roas = result.summary_dict()["channels"]["x1"]["roas"]["median"]
    assert abs(roas / 4967.8 - 1) < 0.2
