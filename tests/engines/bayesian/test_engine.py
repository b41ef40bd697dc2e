"""The bayesian engine: spec errors at fit time, holdout, determinism, quick mode,
calibration inputs, geo panels and reruns. Sampling tests use small draws (the samplers
themselves and cancellation: test_sample.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import mixwise
import mixwise.plan as plan
from mixwise.data.dataset import MMMDataset
from mixwise.errors import SpecError
from mixwise.model.forward import forward_contributions
from mixwise.model.lift import fitted_lift_draws
from mixwise.model.result import FitResult
from mixwise.model.spec import ModelSpec

SMALL = {"chains": 2, "tune": 300, "draws": 300}


BAD_AT_FIT: list[tuple[str, dict, str]] = [
    ("pymc", {"channels": {"tv": {"roas": {"mean": 2, "sigma": 1}}}}, r"channels\.tv: no channel"),
    ("pymc", {"holdout": 170}, r"holdout: 170 held-out periods leave 9 of 179"),
    ("pymc", {"channels": {"x1": {"cpa": {"mean": 2, "sigma": 1}}}}, r"x1\.cpa: a CPA prior needs"),
    (
        "pymc",
        {
            "lift_tests": [
                {
                    "channel": "x3",
                    "start": "2019-01-07",
                    "end": "2019-02-03",
                    "spend_change": 1,
                    "kpi_change": 100,
                    "sigma": 50,
                }
            ]
        },
        r"lift_tests\.0\.channel: no channel 'x3'",
    ),
    (
        "pymc",
        {
            "lift_tests": [
                {
                    "channel": "x1",
                    "start": "2030-01-07",
                    "end": "2030-02-03",
                    "spend_change": 1,
                    "kpi_change": 100,
                    "sigma": 50,
                }
            ]
        },
        r"lift_tests\.0: the window 2030-01-07\.\.2030-02-03 is outside the data",
    ),
    (
        "geo",
        {
            "lift_tests": [
                {
                    "channel": "Channel0",
                    "start": "2022-01-03",
                    "end": "2022-01-30",
                    "spend_change": 1,
                    "kpi_change": 100,
                    "sigma": 50,
                }
            ]
        },
        r"lift_tests\.0\.geo: a geo model needs the geo",
    ),
    (
        "geo",
        {"channels": {"Channel0": {"priors": {"saturation_beta": {"dist": "HalfNormal"}}}}},
        r"per-channel coefficient priors are not supported for geo models",
    ),
    (
        "pymc",
        {
            "priors": {"saturation_lam": {"dist": "Gamma", "kwargs": {"alpha": 3, "beta": 1}}},
            "channels": {
                "x1": {
                    "priors": {"saturation_lam": {"dist": "Gamma", "kwargs": {"mu": 3, "sigma": 1}}}
                }
            },
        },
        r"channels\.x1\.priors\.saturation_lam: per-channel priors must use the distribution",
    ),
]


@pytest.mark.parametrize(("which", "spec", "error"), BAD_AT_FIT)
def test_spec_errors_found_before_sampling(
    which: str, spec: dict, error: str, pymc_dataset: MMMDataset, geo_dataset: MMMDataset
) -> None:
    dataset = pymc_dataset if which == "pymc" else geo_dataset
    with pytest.raises(SpecError, match=error):
        mixwise.fit(dataset, ModelSpec.from_dict(spec))


@pytest.mark.slow
def test_same_seed_same_summary_with_holdout(pymc_dataset: MMMDataset, tmp_path: Path) -> None:
    spec = ModelSpec(sampler={**SMALL, "seed": 3}, holdout=12, max_draws=400)
    first = mixwise.fit(pymc_dataset, spec)
    second = mixwise.fit(pymc_dataset, spec)
    a = first.save(tmp_path / "a") / "summary.json"
    b = second.save(tmp_path / "b") / "summary.json"
    assert a.read_bytes() == b.read_bytes()

    assert first.n_holdout == 12 and int(first.is_holdout.sum()) == 12
    fit = first.summary_dict()["fit"]
    assert fit["holdout"] is not None and fit["holdout"]["r2"] > 0.5, fit
    assert first.provenance["periods"]["train_end"] == str(first.train_dates[-1].date())
    # held-out periods are predictions of the same model: forward formula and additivity hold
    ours = forward_contributions(first.params, first.spend)
    np.testing.assert_allclose(ours.values, first.contributions.values, rtol=1e-6, atol=1e-9)
    total = first.contributions.sum("channel") + first.baseline.sum("component")
    np.testing.assert_allclose(total.values, first.fitted.values, rtol=1e-9, atol=1e-6)
    # the trend continues past the training window instead of restarting
    trend = first.baseline.sel(component="trend").mean("draw").values
    assert np.all(np.isfinite(trend)) and trend[-1] != 0


QUICK_LIFT_TEST = {
    "channel": "x2",
    "start": "2019-06-03",
    "end": "2019-06-30",
    "spend_change": 1.0,
    "kpi_change": 2300.0,
    "sigma": 800.0,
}


@pytest.fixture(scope="module")
def quick_result(pymc_dataset: MMMDataset) -> FitResult:
    """Quick mode with every calibration input: holidays, a ROAS prior, a lift test."""
    spec = ModelSpec.from_dict(
        {
            "sampler": {"mode": "quick", "advi_iterations": 20000, "draws": 300, "seed": 5},
            "holidays": {"country": "US"},
            "channels": {"x1": {"roas": {"mean": 5000, "sigma": 1500}}},
            "lift_tests": [QUICK_LIFT_TEST],
        }
    )
    return mixwise.fit(pymc_dataset, spec)


@pytest.mark.slow
def test_quick_mode_is_labelled_approximate(quick_result: FitResult) -> None:
    result = quick_result
    assert result.approximate
    assert result.diagnostics.converged is None
    assert result.diagnostics.verdict == (
        "approximate posterior (quick mode): no convergence diagnostics"
    )
    summary = result.summary_dict()
    assert summary["approximate"] is True
    assert summary["diagnostics"]["rhat_max"] is None
    assert result.provenance["sampler"] == "advi" and result.provenance["mode"] == "quick"
    assert result.n_draws == 300
    assert "holidays" in result.baseline["component"].values
    assert any(r.startswith("holiday:") for r in result.provenance["regressors"])
    mmm = result.native
    names = set(mmm.model.named_vars)
    assert "lift_measurements" in names and "roas_prior" in names
    roas = summary["channels"]["x1"]["roas"]["mean"]
    assert 2500 < roas < 7500


def likelihood_mean(result: FitResult) -> np.ndarray:
    """``(draw, test)`` mean of PyMC-Marketing's lift likelihood in KPI units per period,
    evaluated by PyMC itself on the result's stored draws (the likelihood is in scaled KPI
    units: times the test geo's ``kpi_scale``)."""
    import pymc as pm

    model = result.native.model
    node = model["lift_measurements"].owner
    mu, _sigma = node.op.dist_params(node)
    if "lift_mu_check" not in model.named_vars:
        with model:
            pm.Deterministic("lift_mu_check", mu)
    params = result.params
    posterior = (
        result.native.idata["posterior"]
        .to_dataset()
        .isel(
            chain=xr.DataArray(params["chain"].values, dims="draw"),
            draw=xr.DataArray(params["chain_draw"].values, dims="draw"),
        )
    )
    posterior = posterior.drop_vars(["chain", "draw"], errors="ignore").expand_dims(chain=1)
    ppc = pm.sample_posterior_predictive(
        posterior, model=model, var_names=["lift_mu_check"], progressbar=False
    )
    mu_draws = ppc.posterior_predictive["lift_mu_check"].values.reshape(result.n_draws, -1)
    kpi_scale = params["kpi_scale"]
    scales = [
        float(kpi_scale.sel(geo=t.geo)) if t.geo is not None else float(kpi_scale)
        for t in result.spec.lift_tests
    ]
    return mu_draws * np.array(scales)


@pytest.mark.slow
def test_fitted_lift_is_what_the_likelihood_compares(quick_result: FitResult) -> None:
    """summary.json's fitted lift, from the numpy forward model, equals n periods x the mean of
    PyMC-Marketing's own lift likelihood (evaluated by PyMC on the same draws)."""
    (row,) = quick_result.summary_dict()["lift_tests"]
    assert row["channel"] == "x2" and row["measured"] == 2300.0 and row["sigma"] == 800.0
    fitted = row["fitted"]
    assert fitted["lo"] <= fitted["median"] <= fitted["hi"]
    assert row["z"] == pytest.approx((fitted["mean"] - 2300.0) / 800.0, rel=1e-3)
    assert row["agrees"] == (abs(row["z"]) <= 2)

    ours = fitted_lift_draws(quick_result, 0)
    n_periods = 4  # 2019-06-03 .. 2019-06-30, weekly
    np.testing.assert_allclose(ours, n_periods * likelihood_mean(quick_result)[:, 0], rtol=1e-6)
    assert np.all(ours > 0)


@pytest.mark.slow
def test_geo_panel_fit(geo_dataset: MMMDataset) -> None:
    lift = {
        "channel": "Channel0",
        "geo": "Geo1",
        "start": "2022-03-07",
        "end": "2022-03-28",
        "spend_change": 4000.0,
        "kpi_change": 400000.0,
        "sigma": 200000.0,
    }
    spec = ModelSpec(sampler={**SMALL, "seed": 2}, max_draws=300, lift_tests=[lift])
    result = mixwise.fit(geo_dataset, spec)
    geos = ["Geo0", "Geo1", "Geo10"]
    assert result.geos == geos and result.has_geo
    assert result.contributions.dims == ("draw", "time", "geo", "channel")
    assert result.baseline.dims == ("draw", "time", "geo", "component")
    assert result.fitted.dims == ("draw", "time", "geo")
    assert result.observed.dims == ("time", "geo")
    assert result.params["beta"].dims == ("draw", "channel", "geo")
    assert result.params["spend_scale"].dims == ("channel", "geo")
    # hierarchical coefficient: one level per geo; transform shapes shared across geos
    beta = result.params["beta"].values
    assert not np.allclose(beta[:, :, 0], beta[:, :, 1])
    alpha = result.params["adstock_alpha"].values
    np.testing.assert_array_equal(alpha[:, :, 0], alpha[:, :, 2])
    ours = forward_contributions(result.params, result.spend)
    np.testing.assert_allclose(ours.values, result.contributions.values, rtol=1e-6, atol=1e-9)
    total = result.contributions.sum("channel") + result.baseline.sum("component")
    np.testing.assert_allclose(total.values, result.fitted.values, rtol=1e-9, atol=1e-6)
    summary = result.summary_dict()
    assert summary["kpi_type"] == "conversions"
    assert "cpa" in summary["channels"]["Channel0"]
    assert summary["fit"]["in_sample"]["r2"] > 0.8
    assert result.diagnostics.rhat_max is not None and result.diagnostics.rhat_max < 1.1
    # the lift test in one geo: fitted lift from that geo's coefficient and scales
    (row,) = summary["lift_tests"]
    assert row["geo"] == "Geo1" and row["measured"] == 400000.0
    np.testing.assert_allclose(
        fitted_lift_draws(result, 0), 4 * likelihood_mean(result)[:, 0], rtol=1e-6
    )


def test_fit_result_is_exported() -> None:
    assert mixwise.FitResult is FitResult


@pytest.mark.slow
def test_reruns_with_twice_the_draws_while_chains_have_not_mixed(
    pymc_dataset: MMMDataset,
) -> None:
    """20 draws per chain cannot reach ESS 100 per chain: each rerun doubles the tuning steps and
    draws, moves target_accept halfway to 1 and takes the next seed; the last run is kept, its
    diagnostics reported, the reruns noted."""
    messages: list[str] = []
    spec = ModelSpec(sampler={"chains": 2, "tune": 100, "draws": 20, "reruns": 2, "seed": 3})
    result = mixwise.fit(pymc_dataset, spec, progress=lambda s, f, m="": messages.append(m))
    assert result.n_draws == 2 * 80  # 20 -> 40 -> 80 draws per chain
    notes = [n for n in result.provenance["notes"] if "had not mixed" in n]
    assert len(notes) == 2 and result.provenance["reruns"] == 2
    assert "400 tuning steps and 80 draws per chain, target_accept 0.975 and seed 5" in notes[1]
    kept = result.provenance["sampler_settings"]
    assert (kept["tune"], kept["draws"], kept["target_accept"], kept["seed"]) == (400, 80, 0.975, 5)
    assert result.diagnostics.ess_bulk_min is not None and result.diagnostics.ess_bulk_min < 200
    assert result.diagnostics.converged is False
    assert "too few effective draws (ESS" in notes[0]
    assert any(m.startswith("rerun 2 (400 tuning steps and 80 draws") for m in messages)

    once = ModelSpec(sampler={"chains": 2, "tune": 100, "draws": 20, "seed": 3})
    assert once.resolved("weekly", 179).sampler.reruns == 0  # draws chosen: run as asked
    single = mixwise.fit(pymc_dataset, once)
    assert single.n_draws == 2 * 20
    assert not [n for n in single.provenance["notes"] if "had not mixed" in n]
    assert single.provenance["reruns"] == 0
    assert single.provenance["sampler_settings"]["draws"] == 20


@pytest.mark.slow
def test_a_tanh_fit_replays_through_the_forward_model(pymc_dataset: MMMDataset) -> None:
    """A small quick (ADVI) fit with tanh saturation: the stored parameters (``beta = b``,
    ``saturation_c``) reproduce the engine's own contributions through the numpy forward model
    (``b tanh(x / (b c))``) and through planning (``plan.simulate`` of the history)."""
    spec = ModelSpec.from_dict(
        {
            "saturation": {"kind": "tanh"},
            "sampler": {"mode": "quick", "advi_iterations": 3000, "draws": 100, "seed": 2},
        }
    )
    result = mixwise.fit(pymc_dataset, spec)
    assert result.params.attrs["saturation"] == "tanh"
    assert result.params.attrs["saturation_params"] == "c"
    ours = forward_contributions(result.params, result.spend)
    np.testing.assert_allclose(ours.values, result.contributions.values, rtol=1e-6, atol=1e-9)
    m = plan.as_response_model(result)
    history = pd.DataFrame(m.spend, index=m.dates, columns=list(m.channels))
    planned = plan.simulate(result, history).contributions
    expected = result.contributions.transpose("draw", "time", "channel").values
    np.testing.assert_allclose(planned, expected, rtol=1e-6, atol=1e-6)
