"""The bayesian engine on PyMC-Marketing's example data, whose true ROAS is known.

y = intercept + trend + yearly seasonality (order 2) + events + 3.0 * logistic(geometric(x1))
+ 2.0 * logistic(geometric(x2)) + noise; the default spec (geometric adstock, l_max 8, logistic
saturation, trend, yearly seasonality, events as regressors) matches that process.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pymc as pm
import pytest
import xarray as xr

import mixwise
from mixwise.data.dataset import MMMDataset
from mixwise.model.forward import forward_contributions
from mixwise.model.result import FitResult, load_result
from mixwise.model.spec import ModelSpec

pytestmark = pytest.mark.slow

PYMC_TRUE_ROAS = {"x1": 4967.8, "x2": 2274.9}
"""Ground truth of pymc_marketing_mmm_example.csv (shared/datasets/README.md)."""

SPEC = ModelSpec(sampler={"chains": 4, "tune": 1000, "draws": 1000, "seed": 11})


@pytest.fixture(scope="module")
def fitted(pymc_dataset: MMMDataset) -> tuple[FitResult, list[tuple[str, float, str]]]:
    calls: list[tuple[str, float, str]] = []

    def progress(stage: str, fraction: float, message: str = "") -> None:
        calls.append((stage, fraction, message))

    return mixwise.fit(pymc_dataset, SPEC, progress=progress), calls


def test_recovers_true_roas(fitted: tuple[FitResult, list]) -> None:
    result, _ = fitted
    summary = result.summary_dict()
    for channel, tolerance in (("x1", 0.20), ("x2", 0.30)):
        roas = summary["channels"][channel]["roas"]
        truth = PYMC_TRUE_ROAS[channel]
        assert abs(roas["mean"] / truth - 1) < tolerance, (channel, roas)
        assert roas["lo"] <= truth <= roas["hi"], (channel, roas)


def test_converged(fitted: tuple[FitResult, list]) -> None:
    d = fitted[0].diagnostics
    assert not d.approximate and d.converged, d.verdict
    assert d.rhat_max is not None and d.rhat_max <= 1.01
    assert d.ess_bulk_min is not None and d.ess_bulk_min >= 400
    assert d.divergences == 0
    assert d.verdict.startswith("converged")


def test_progress_reports_every_stage(fitted: tuple[FitResult, list]) -> None:
    calls = fitted[1]
    stages = [c[0] for c in calls]
    for stage in ("build", "compile", "sampling", "post-processing"):
        assert stage in stages
    fractions = [c[1] for c in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("chain 1:" in c[2] for c in calls if c[0] == "sampling")


def test_result_shape_and_contract(fitted: tuple[FitResult, list]) -> None:
    result = fitted[0]
    n = result.n_draws
    assert n == 1000  # 4 x 1000 thinned to max_draws
    assert result.params["beta"].dims == ("draw", "channel")
    assert set(result.params.data_vars) == {
        "adstock_alpha",
        "saturation_lam",
        "beta",
        "spend_scale",
        "kpi_scale",
        "noise_sd",  # the likelihood's sd in KPI units (the reviewer's predictive check)
    }
    assert result.params.attrs["adstock"] == "geometric" and result.params.attrs["l_max"] == 8
    assert result.contributions.dims == ("draw", "time", "channel")
    assert result.contributions.shape == (n, 179, 2)
    assert result.baseline.dims == ("draw", "time", "component")
    assert list(result.baseline["component"].values) == [
        "intercept",
        "trend",
        "seasonality",
        "events",
    ]
    assert result.fitted.dims == ("draw", "time") and result.observed.dims == ("time",)
    assert result.spend.dims == ("time", "channel")
    assert float(result.contributions.min()) >= 0
    # the decomposition adds up to the prediction
    total = result.contributions.sum("channel") + result.baseline.sum("component")
    np.testing.assert_allclose(total.values, result.fitted.values, rtol=1e-9, atol=1e-6)
    # KPI scale is PyMC-Marketing's max-abs scaling of the target
    assert float(result.params["kpi_scale"]) == pytest.approx(float(result.observed.max()))


def test_forward_model_reproduces_pymc_marketing(fitted: tuple[FitResult, list]) -> None:
    """numpy transforms + FitResult.params == PyMC-Marketing's own channel contributions."""
    result = fitted[0]
    ours = forward_contributions(result.params, result.spend)
    np.testing.assert_allclose(ours.values, result.contributions.values, rtol=1e-6, atol=1e-9)

    mmm = result.native  # PyMC-Marketing's model and posterior, same session
    posterior = mmm.idata["posterior"].to_dataset()
    free = [v.name for v in mmm.model.free_RVs]
    chain = xr.DataArray(result.params["chain"].values, dims="draw")
    draw = xr.DataArray(result.params["chain_draw"].values, dims="draw")
    kept = posterior[free].isel(chain=chain, draw=draw).drop_vars(["chain", "draw"])
    theirs = pm.compute_deterministics(
        kept,
        var_names=["channel_contribution"],
        model=mmm.model,
        sample_dims=("draw",),
        progressbar=False,
    )["channel_contribution"] * float(mmm.scalers["_target"])
    theirs = theirs.transpose("draw", "date", "channel").values
    np.testing.assert_allclose(ours.values, theirs, rtol=1e-6, atol=1e-9)


def test_save_load_round_trip(fitted: tuple[FitResult, list], tmp_path: Path) -> None:
    result = fitted[0]
    out = result.save(tmp_path / "fit")
    back = load_result(out)
    xr.testing.assert_allclose(back.contributions, result.contributions)
    xr.testing.assert_allclose(back.params, result.params)
    assert back.spec == result.spec
    assert back.diagnostics == result.diagnostics
    summary = json.loads((out / "summary.json").read_text())
    assert summary == json.loads(json.dumps(result.summary_dict()))
    provenance = json.loads((out / "provenance.json").read_text())
    assert provenance["engine"] == "bayesian"
    assert {"pymc-marketing", "pymc", "nutpie"} <= set(provenance["versions"])
    assert provenance["sampler"] in ("nutpie", "pymc")
    assert provenance["data_fingerprint"].startswith("sha256:")
    assert provenance["seed"] == 11 and provenance["mode"] == "full"
    assert {"build", "compile", "sample", "post-processing"} <= set(provenance["timings"])
    assert provenance["spec"]["adstock"]["l_max"] == 8


def test_summary_intervals_are_ordered(fitted: tuple[FitResult, list]) -> None:
    summary = fitted[0].summary_dict()
    assert set(summary) >= {"channels", "baseline", "fit", "diagnostics", "format_version"}
    for entry in summary["channels"].values():
        for metric, v in entry.items():
            if isinstance(v, dict) and v["median"] is not None:
                assert v["lo"] <= v["median"] <= v["hi"], (metric, v)
    assert summary["fit"]["in_sample"]["r2"] > 0.9
    share = summary["baseline"]["share"]["mean"]
    media = sum(e["share"]["mean"] for e in summary["channels"].values())
    assert share + media == pytest.approx(1.0, abs=0.02)
