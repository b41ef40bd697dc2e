"""Trust: the default model recovers the true ROAS of synthetic data with honest intervals.

Three datasets from the generator (the ``small`` preset: 104 weeks x 5 channels, geometric adstock
and logistic saturation, trend, a control, an event) at different seeds, one of them with twice
the noise, each fitted with the default model and sampler. Pooled over the 15 channel-fits, the
true ROAS must lie inside the 90% interval at least 80% of the time, every kept fit must converge
(R-hat <= 1.01, bulk ESS >= 400), and no posterior mean may be further off than its interval is
wide.
bench/recovery.py runs more seeds and settings (docs/benchmarks.md, "Recovery"). The three
fits share one model structure, so the model is compiled once (see test_compiled.py).
"""

from __future__ import annotations

from typing import Any

import pytest

import mixwise
from mixwise.data.synthetic import generate, preset
from mixwise.model.spec import ModelSpec

pytestmark = pytest.mark.slow

SETTINGS = [(1, 0.04), (2, 0.04), (3, 0.08)]
"""(seed, noise as a fraction of the mean KPI)."""

SAMPLER: dict[str, int] = {}
"""The engine's defaults (4 x (1000 + 1000), and a rerun with 2000 + 2000 at target_accept 0.95
when the chains have not mixed): what a user gets. The bar is on the kept fit. On this
project's CI machine seed 3 (noise 8%) misses it on the first run (R-hat 1.017 after 1000 + 1000,
1.014 after 1000 + 2000: the intercept and the control trade off) and meets it after the
rerun; the previous machine's floating point met it at 1000 + 2000."""
COVERAGE_MIN = 0.8


@pytest.fixture(scope="module")
def fits() -> list[dict[str, Any]]:
    out = []
    for seed, noise in SETTINGS:
        data = generate(preset("small").model_copy(update={"noise": noise}), seed=seed)
        spec = ModelSpec(sampler={**SAMPLER, "seed": seed})
        result = mixwise.fit(data.to_dataset(), spec)
        out.append({"seed": seed, "noise": noise, "data": data, "result": result})
    return out


def roas_rows(fits: list[dict[str, Any]]) -> list[tuple[int, str, float, dict[str, float]]]:
    rows = []
    for fit in fits:
        channels = fit["result"].summary_dict()["channels"]
        for name, truth in fit["data"].truth.channels.items():
            rows.append((fit["seed"], name, truth.roas, channels[name]["roas"]))
    return rows


def test_truth_inside_90_percent_intervals(fits: list[dict[str, Any]]) -> None:
    rows = roas_rows(fits)
    assert len(rows) == 15
    covered = [lo_hi["lo"] <= truth <= lo_hi["hi"] for _, _, truth, lo_hi in rows]
    missed = [(s, n, t, r) for (s, n, t, r), c in zip(rows, covered, strict=True) if not c]
    assert sum(covered) / len(rows) >= COVERAGE_MIN, missed


def test_roas_errors_within_the_stated_uncertainty(fits: list[dict[str, Any]]) -> None:
    """No posterior mean further from the truth than its interval is wide, and the channels
    that carry most of the media effect (TV, Paid Search: 10-16% of the KPI) within 25%.

    Small channels (Print, OOH: 1-3% of the KPI) are weakly identified: their posterior mean is
    pulled towards the prior, and their wide intervals say so."""
    for seed, name, truth, roas in roas_rows(fits):
        assert abs(roas["mean"] - truth) <= roas["hi"] - roas["lo"], (seed, name, truth, roas)
        if name in ("TV", "Paid Search"):
            assert abs(roas["mean"] / truth - 1) < 0.25, (seed, name, truth, roas)


def test_every_fit_converged(fits: list[dict[str, Any]]) -> None:
    for fit in fits:
        d = fit["result"].diagnostics
        assert d.rhat_max is not None and d.rhat_max <= 1.01, (fit["seed"], d.verdict)
        assert d.ess_bulk_min is not None and d.ess_bulk_min >= 400, (fit["seed"], d.verdict)
        assert d.divergences <= 10, (fit["seed"], d.verdict)
