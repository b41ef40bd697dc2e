"""summary.json without sampling: every metric against its definition or closed form, fit
metrics by hand, and the tidy frame (the forward formula itself: test_forward.py)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.optimize import brentq
from tests.model.support import (
    CHANNELS,
    DATES,
    N_TIME,
    make_params,
    make_result,
    make_spend,
)

from mixwise.model import summary as sm
from mixwise.model.forward import forward_contributions


# -- summary math ---------------------------------------------------------------------------------
def test_summary_keys_and_interval_order() -> None:
    result = make_result()
    s = result.summary_dict()
    assert s["format_version"] == 1 and s["kpi_type"] == "revenue" and s["interval"] == 0.9
    metrics = {"contribution", "share", "roas", "mroas", "carryover_share", "half_life"}
    for ch in CHANNELS:
        entry = s["channels"][ch]
        assert metrics | {"spend", "saturation_point"} == set(entry)
        for m in metrics:
            v = entry[m]
            assert v["lo"] <= v["median"] <= v["hi"], (ch, m, v)
            assert v["lo"] <= v["mean"] <= v["hi"], (ch, m, v)
    assert set(s["baseline"]["components"]) == {"intercept", "trend"}
    assert set(s["fit"]) == {"in_sample", "holdout"} and s["fit"]["holdout"] is None
    assert set(s["fit"]["in_sample"]) == {"r2", "mape", "nrmse"}
    assert s["diagnostics"]["verdict"] == "converged"
    frame = result.summary()
    assert list(frame.columns) == ["mean", "median", "lo", "hi"]
    assert ("tv", "roas") in frame.index and ("baseline", "share") in frame.index
    json.dumps(s, allow_nan=False)


def test_roas_share_and_cpa_definitions() -> None:
    result = make_result()
    s = result.summary_dict(interval=0.5)
    contrib = result.contributions.sum("time")
    spend = result.spend.sum("time")
    roas = (contrib / spend).sel(channel="tv").values
    assert s["channels"]["tv"]["roas"]["mean"] == pytest.approx(roas.mean(), rel=1e-9)
    assert s["channels"]["tv"]["roas"]["lo"] == pytest.approx(np.quantile(roas, 0.25), rel=1e-9)
    share = contrib.sel(channel="search").values / float(result.observed.sum())
    assert s["channels"]["search"]["share"]["median"] == pytest.approx(np.median(share))
    result.kpi_type = "conversions"
    conv = result.summary_dict()["channels"]["tv"]
    assert "cpa" in conv and "saturation_point" not in conv
    assert conv["cpa"]["median"] == pytest.approx(np.median(1 / roas), rel=1e-9)


def test_mroas_is_the_derivative_of_total_contribution() -> None:
    params, spend = make_params(), make_spend()
    got = sm.mroas(params, spend)
    h = 1e-3
    total = spend.sum("time").values

    def contribution(scale: float) -> np.ndarray:
        return forward_contributions(params, spend * scale).sum("time").values

    expected = (contribution(1 + h) - contribution(1 - h)) / (2 * h * total)
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_half_life_and_carryover_closed_forms() -> None:
    params = make_params()
    alpha = params["adstock_alpha"].values
    np.testing.assert_allclose(sm.half_life(params), np.log(0.5) / np.log(alpha))
    no_carry = make_params(alpha=0.0)
    np.testing.assert_allclose(sm.carryover_share(no_carry, make_spend()), 0.0, atol=1e-12)
    share = sm.carryover_share(params, make_spend())
    assert np.all((share > 0) & (share < 1))


def test_saturation_point_solves_marginal_roas_equals_one() -> None:
    params, spend = make_params(), make_spend()
    got = sm.saturation_point(params, spend)
    kpi, scale = 1000.0, 100.0
    for d in (0, 5, 33):
        for c in range(2):
            lam, beta = float(params["saturation_lam"][d, c]), float(params["beta"][d, c])

            def marginal(s: float, lam: float = lam, beta: float = beta) -> float:
                e = math.exp(-lam * s / scale)
                return kpi * beta * 2 * lam * e / (1 + e) ** 2 / scale - 1.0

            top = 10 * float(spend.isel(channel=c).max())
            expected = brentq(marginal, 0.0, top) if marginal(top) < 0 < marginal(0) else None
            if expected is None:
                continue
            assert got[d, c] == pytest.approx(expected, rel=1e-6)


def test_holdout_fit_metrics_split() -> None:
    result = make_result(n_holdout=10)
    fit = result.summary_dict()["fit"]
    assert fit["holdout"] is not None and set(fit["holdout"]) == {"r2", "mape", "nrmse"}
    assert int(result.is_holdout.sum()) == 10
    assert len(result.train_dates) == N_TIME - 10 and result.holdout_dates[0] == DATES[-10]


def test_geo_summary_runs() -> None:
    result = make_result(geos=["a", "b"])
    s = result.summary_dict()
    assert s["channels"]["tv"]["saturation_point"]["median"] is not None


def test_fit_metrics_by_hand() -> None:
    """y = (1, 2, 3, 4), prediction (1, 2, 3, 5): SSE 1, SST 5, so r2 = 0.8; MAPE = 0.25 / 4;
    NRMSE = sqrt(1 / 4) / (4 - 1)."""
    y = np.array([1.0, 2.0, 3.0, 4.0])
    got = sm.fit_metrics(y, np.array([1.0, 2.0, 3.0, 5.0]))
    assert got == pytest.approx({"r2": 0.8, "mape": 0.0625, "nrmse": 0.5 / 3})
    with_zero = sm.fit_metrics(np.array([0.0, 2.0]), np.array([1.0, 3.0]))  # y = 0 left out of MAPE
    assert with_zero["mape"] == pytest.approx(0.5)
    assert sm.fit_metrics(np.array([]), np.array([])) == {"r2": None, "mape": None, "nrmse": None}
    flat = sm.fit_metrics(np.array([2.0, 2.0]), np.array([1.0, 3.0]))  # no variance: undefined
    assert flat["r2"] is None and flat["nrmse"] is None and flat["mape"] == pytest.approx(0.5)


def test_summary_frame_is_tidy_and_round_trips_json() -> None:
    s = json.loads(json.dumps(make_result().summary_dict()))
    frame = sm.summary_frame(s)
    assert frame.index.names == ["name", "metric"]
    assert frame.loc[("tv", "roas"), "median"] == s["channels"]["tv"]["roas"]["median"]
    spend = s["channels"]["search"]["spend"]  # a plain number: the same in every column
    assert frame.loc[("search", "spend")].tolist() == [spend] * 4
    share = s["baseline"]["components"]["trend"]["share"]["mean"]
    assert frame.loc[("baseline:trend", "share"), "mean"] == share


def test_summary_and_recommendations_report_the_same_saturation_point() -> None:
    """Also for draws whose point lies beyond the summary's search grid (10x the largest spend):
    both search on until mROAS falls below 1, so /summary and /recommendations agree."""
    from mixwise.plan.recommend import recommendations

    result = make_result()
    # flat, strong channels: saturation far past 10x the largest spend for some draws
    result.params["saturation_lam"] = result.params["saturation_lam"] * 0.05
    result.params["beta"] = result.params["beta"] * 10.0
    points = sm.saturation_point(result.params, result.spend)
    top = 10 * result.spend.max("time").transpose("channel").values
    assert (points > top).any()  # some draws lie beyond the grid
    assert np.isfinite(points).all()
    recs = {r.channels[0]: r for r in recommendations(result) if r.kind == "saturation"}
    s = result.summary_dict()["channels"]
    for c, name in enumerate(result.channels):
        got, want = s[name]["saturation_point"], recs[name].details["saturation_spend"]
        for k in ("mean", "median", "lo", "hi"):
            assert got[k] == pytest.approx(want[k], rel=1e-5), (name, k)
        assert got["mean"] == pytest.approx(float(points[:, c].mean()), rel=1e-9)
