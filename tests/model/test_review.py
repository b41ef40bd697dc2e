"""The model reviewer: every check on a FitResult built to pass it and one built with the
problem the check is there to find (no sampling; results from tests.model.support)."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
import xarray as xr
from tests.model.support import make_result

from mixwise.model.result import Diagnostics, FitResult
from mixwise.model.review import fit_checks, review, roas_checks
from mixwise.model.review.base import Check, Skipped, verdict
from mixwise.model.review.placebo import placebo_check
from mixwise.model.review.thresholds import THRESHOLDS as T
from mixwise.model.spec import ModelSpec


def _check(outcome: Check | Skipped) -> Check:
    assert isinstance(outcome, Check), outcome
    return outcome


def _with_residuals(result: FitResult, resid: np.ndarray) -> FitResult:
    """``result`` whose observed KPI is the posterior-mean fit plus ``resid`` (time,)."""
    mean = result.fitted.mean("draw")
    result.observed = (mean + xr.DataArray(resid, dims=("time",))).rename("observed")
    return result


def _summary(result: FitResult) -> dict:
    return result.summary_dict()


# -- convergence --------------------------------------------------------------------------------
def test_convergence_pass_fail_and_approximate() -> None:
    result = make_result()
    assert _check(fit_checks.convergence(result)).status == "pass"
    result.diagnostics = Diagnostics(
        False, False, "did not converge: chains disagree (R-hat 1.050 > 1.01)", 1.05, 80.0, 60.0
    )
    bad = _check(fit_checks.convergence(result))
    assert bad.status == "fail" and "R-hat 1.050" in bad.message
    assert bad.numbers["rhat_max"] == 1.05
    result.diagnostics = Diagnostics(True, None, "approximate posterior")
    assert _check(fit_checks.convergence(result)).status == "warn"


def test_convergence_reads_the_ridge_search_verdict() -> None:
    result = make_result()
    result.diagnostics = Diagnostics(False, None, "ridge: 200 block-bootstrap refits")
    search = [
        {"objective": "NRMSE", "converged": True, "message": "NRMSE converged"},
        {"objective": "DECOMP.RSSD", "converged": False, "message": "DECOMP.RSSD did not"},
    ]
    result.provenance["search"] = {"convergence": search}
    check = _check(fit_checks.convergence(result))
    assert check.status == "warn" and "DECOMP.RSSD did not" in check.message
    search[1]["converged"] = True
    assert _check(fit_checks.convergence(result)).status == "pass"
    result.provenance.pop("search")
    assert isinstance(fit_checks.convergence(result), Skipped)


# -- baseline -----------------------------------------------------------------------------------
def test_baseline_pass_and_negative() -> None:
    result = make_result()
    assert fit_checks.baseline(result).status == "pass"
    # intercept 500 + trend 50 per period: push 10 of 60 periods below zero
    shift = np.zeros(result.baseline.sizes["time"])
    shift[:10] = -1000.0
    result.baseline = result.baseline + xr.DataArray(shift, dims=("time",)) * xr.DataArray(
        [1.0, 0.0], dims=("component",), coords={"component": ["intercept", "trend"]}
    )
    check = fit_checks.baseline(result)
    assert check.status == "fail"  # 10 / 60 > 5 % of periods
    assert check.numbers["negative_periods"] == 10 and check.numbers["min"] == pytest.approx(-450)
    shift[2:10] = 0.0  # 2 of 60 periods: 3.3 % -> warn
    result.baseline = make_result().baseline + xr.DataArray(shift, dims=("time",)) * (
        xr.DataArray([1.0, 0.0], dims=("component",), coords={"component": ["intercept", "trend"]})
    )
    assert fit_checks.baseline(result).status == "warn"


# -- posterior predictive check -------------------------------------------------------------------
def test_ppc_pass_fail_and_skipped_without_noise_draws() -> None:
    rng = np.random.default_rng(1)
    result = _with_residuals(make_result(), rng.normal(0, 30, 60))
    assert isinstance(fit_checks.ppc(result), Skipped)  # no noise model: nothing to replicate
    result.params = result.params.assign(noise_sd=("draw", np.full(result.n_draws, 30.0)))
    ok = _check(fit_checks.ppc(result))
    assert ok.status == "pass" and 0.05 < ok.numbers["p_sd"] < 0.95
    # the engine's noise draws say sd 1 where the residuals have sd 400: replicated data are
    # far less spread than the KPI
    result = _with_residuals(result, rng.normal(0, 400, 60))
    result.params = result.params.assign(noise_sd=("draw", np.full(result.n_draws, 1.0)))
    bad = _check(fit_checks.ppc(result))
    assert bad.status == "fail" and bad.numbers["p_sd"] < T.ppc_fail and "sd" in bad.message
    assert 0.05 < bad.numbers["p_mean"] < 0.95  # the mean is still reproduced


# -- fit ----------------------------------------------------------------------------------------
def test_fit_in_sample_and_holdout() -> None:
    rng = np.random.default_rng(2)
    result = _with_residuals(make_result(n_holdout=10), rng.normal(0, 5, 60))
    s = _summary(result)
    assert fit_checks.fit_in_sample(s).status == "pass"
    assert _check(fit_checks.fit_holdout(s)).status == "pass"
    resid = rng.normal(0, 5, 60)
    resid[50:] += float(result.fitted.mean().values)  # the holdout's KPI doubles: 50 % off
    s = _summary(_with_residuals(result, resid))
    hold = _check(fit_checks.fit_holdout(s))
    assert hold.status == "fail" and hold.numbers["mape"] > T.holdout_mape_fail
    s = _summary(_with_residuals(result, rng.normal(0, 400, 60)))  # noise swamps the signal
    weak = fit_checks.fit_in_sample(s)
    assert weak.status == "fail" and weak.numbers["r2"] < T.r2_fail
    assert isinstance(fit_checks.fit_holdout(_summary(make_result())), Skipped)


# -- residual autocorrelation ---------------------------------------------------------------------
def test_durbin_watson_closed_forms() -> None:
    alternating = np.array([1.0, -1.0] * 10)
    assert fit_checks.durbin_watson(alternating) == pytest.approx(4 * 19 / 20)
    assert fit_checks.durbin_watson(np.ones(10)) == 0.0


def test_autocorrelation_white_and_ar1() -> None:
    rng = np.random.default_rng(3)
    result = _with_residuals(make_result(), rng.normal(0, 20, 60))
    assert fit_checks.autocorrelation(result).status == "pass"
    ar = np.zeros(60)
    for t in range(1, 60):
        ar[t] = 0.9 * ar[t - 1] + rng.normal(0, 20)
    check = fit_checks.autocorrelation(_with_residuals(result, ar))
    assert check.status == "fail" and check.numbers["durbin_watson"] < 1.0
    assert "positively autocorrelated" in check.message


# -- ROAS against lift tests and priors -----------------------------------------------------------
def test_lift_tests_agree_and_disagree() -> None:
    test = {"channel": "tv", "geo": None, "start": "2022-03-07", "z": 0.5}
    assert isinstance(roas_checks.lift_tests({"lift_tests": []}), Skipped)
    assert _check(roas_checks.lift_tests({"lift_tests": [test]})).status == "pass"
    warn = _check(roas_checks.lift_tests({"lift_tests": [{**test, "z": -2.5}]}))
    assert warn.status == "warn" and "tv 2022-03-07" in warn.message
    assert _check(roas_checks.lift_tests({"lift_tests": [{**test, "z": 4.0}]})).status == "fail"


def test_roas_prior_consistent_and_pulled_away() -> None:
    result = make_result()
    s = _summary(result)
    post = s["channels"]["tv"]["roas"]["mean"]
    assert isinstance(roas_checks.roas_priors(result, s), Skipped)
    result.spec = ModelSpec(channels={"tv": {"roas": {"mean": post * 1.05, "sigma": post * 0.1}}})
    ok = _check(roas_checks.roas_priors(result, s))
    assert ok.status == "pass" and ok.numbers["z"]["tv"] == pytest.approx(-0.5, abs=1e-6)
    result.spec = ModelSpec(channels={"tv": {"roas": {"mean": post * 2, "sigma": post * 0.25}}})
    bad = _check(roas_checks.roas_priors(result, s))
    assert bad.status == "fail" and bad.numbers["z"]["tv"] == pytest.approx(-4.0, abs=1e-6)


def test_prior_influence_flags_a_channel_whose_prior_dominates() -> None:
    result = make_result()
    s = _summary(result)
    assert isinstance(roas_checks.prior_influence(result, s), Skipped)
    tv, search = s["channels"]["tv"]["roas"], s["channels"]["search"]["roas"]
    wide = {"mean": 5.0, "median": 3.0, "lo": 0.0, "hi": 20.0 * search["hi"]}
    # tv: the prior is what the posterior is (no contraction); search: a far wider prior
    result.provenance["prior_roas"] = {"tv": dict(tv), "search": wide}
    check = _check(roas_checks.prior_influence(result, s))
    shrunk = roas_checks.shrinkage(result, s)
    assert shrunk["tv"]["contraction"] == pytest.approx(0.0, abs=1e-9)
    assert shrunk["search"]["contraction"] > 0.9
    assert check.status == "warn" and "tv" in check.message and "search" not in check.message
    result.provenance["prior_roas"] = {"tv": wide, "search": wide}
    assert _check(roas_checks.prior_influence(result, s)).status == "pass"
    summary = result.summary_dict()  # the summary carries the same numbers
    assert summary["prior_shrinkage"]["search"]["contraction"] > 0.9


# -- plausibility and precision -------------------------------------------------------------------
def _roas_summary(**roas: dict[str, float]) -> dict:
    return {"kpi_type": "revenue", "channels": {c: {"roas": r} for c, r in roas.items()}}


def test_plausible_roas() -> None:
    fine = {"mean": 2.0, "median": 2.0, "lo": 1.0, "hi": 3.0}
    assert _check(roas_checks.plausible_roas(_roas_summary(tv=fine))).status == "pass"
    high = {"mean": 80.0, "median": 80.0, "lo": 60.0, "hi": 100.0}
    check = _check(roas_checks.plausible_roas(_roas_summary(tv=fine, radio=high)))
    assert check.status == "warn" and "radio" in check.message and "tv" not in check.message
    span = {"mean": 2.0, "median": 1.0, "lo": 0.01, "hi": 5.0}  # hi / lo = 500
    assert _check(roas_checks.plausible_roas(_roas_summary(tv=span))).status == "warn"
    conversions = {**_roas_summary(tv=high), "kpi_type": "conversions"}
    assert isinstance(roas_checks.plausible_roas(conversions), Skipped)


def test_precision() -> None:
    narrow = {"mean": 2.0, "median": 2.0, "lo": 1.5, "hi": 2.5}
    wide = {"mean": 2.0, "median": 1.0, "lo": 0.2, "hi": 3.0}  # width 2.8 / median 1
    assert _check(roas_checks.precision(_roas_summary(tv=narrow))).status == "pass"
    check = _check(roas_checks.precision(_roas_summary(tv=narrow, radio=wide)))
    assert check.status == "warn" and check.numbers["relative_width"]["radio"] == pytest.approx(2.8)


# -- verdict, summary.json, placebo ---------------------------------------------------------------
def test_verdict_is_the_worst_status() -> None:
    checks = [Check("a", "pass", "ok"), Check("b", "warn", "look"), Check("c", "pass", "ok")]
    assert verdict(checks, [])["verdict"] == "warn"
    out = verdict([*checks, Check("d", "fail", "fix")], [Skipped("e", "why")])
    assert out["verdict"] == "fail" and "d failed" in out["message"]
    assert out["skipped"] == [{"name": "e", "reason": "why"}]
    assert verdict([], [])["verdict"] == "pass"


def test_summary_carries_the_review() -> None:
    rng = np.random.default_rng(4)
    result = _with_residuals(make_result(n_holdout=8), rng.normal(0, 5, 60))
    s = result.summary_dict()
    doc = s["review"]
    names = {c["name"] for c in doc["checks"]} | {x["name"] for x in doc["skipped"]}
    assert names == {
        "convergence",
        "baseline",
        "posterior_predictive",
        "fit_in_sample",
        "fit_holdout",
        "residual_autocorrelation",
        "lift_tests",
        "roas_priors",
        "prior_influence",
        "plausible_roas",
        "roas_precision",
    }
    assert doc["verdict"] == "pass", doc
    assert all(c["status"] in ("pass", "warn", "fail") and c["message"] for c in doc["checks"])
    json.dumps(s, allow_nan=False)
    assert s == result.summary_dict()  # seeded: the same result gives the same review
    result.diagnostics = replace(result.diagnostics, converged=False, verdict="did not converge")
    assert review(result, s)["verdict"] == "fail"


def _placebo_summary(fake_share: float, real_share: float) -> dict:
    roas = {"mean": 1.0, "median": 1.0, "lo": 0.5, "hi": 1.5}
    return {
        "channels": {
            "placebo_tv": {"share": {"mean": fake_share}, "roas": roas},
            "tv": {"share": {"mean": real_share}, "roas": roas},
        }
    }


@pytest.mark.parametrize(
    ("fake", "real", "status"),
    [(0.01, 0.02, "pass"), (0.03, 0.2, "pass"), (0.08, 0.2, "warn"), (0.15, 0.2, "fail")],
)
def test_placebo_check(fake: float, real: float, status: str) -> None:
    check = placebo_check(_placebo_summary(fake, real), "placebo_tv", "tv")
    assert check.status == status
    assert check.numbers["placebo_share"] == fake and check.numbers["source"] == "tv"


def test_ppc_on_geo_results_with_one_or_per_geo_noise() -> None:
    result = make_result(geos=["a", "b"])
    resid = result.observed - result.fitted.mean("draw")
    sd = float(resid.std())
    result.params = result.params.assign(noise_sd=("draw", np.full(result.n_draws, sd)))
    assert _check(fit_checks.ppc(result)).status in ("pass", "warn")  # one level for all geos
    per_geo = xr.DataArray(np.full((result.n_draws, 2), sd), dims=("draw", "geo"))
    result.params = result.params.assign(noise_sd=per_geo)
    assert "p_sd" in _check(fit_checks.ppc(result)).numbers
