"""FitResult without sampling: the forward formula, summary math against closed forms, and the
on-disk format (round trip, atomic overwrite, clear errors)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from scipy.optimize import brentq

from mixwise.errors import MixwiseError
from mixwise.model import summary as sm
from mixwise.model.forward import forward_contributions
from mixwise.model.result import FORMAT_VERSION, Diagnostics, FitResult, load_result
from mixwise.model.spec import ModelSpec

RNG = np.random.default_rng(7)
N_DRAW, N_TIME, L_MAX = 40, 60, 8
CHANNELS = ["tv", "search"]
DATES = pd.date_range("2022-01-03", periods=N_TIME, freq="W-MON")


def _params(geos: list[str] | None = None, alpha: float | None = None) -> xr.Dataset:
    dims = ("draw", "channel", *(["geo"] if geos else []))
    shape = (N_DRAW, len(CHANNELS), *([len(geos)] if geos else []))
    coords = {"draw": np.arange(N_DRAW), "channel": CHANNELS, **({"geo": geos} if geos else {})}
    a = np.full(shape, alpha) if alpha is not None else RNG.uniform(0.2, 0.6, shape)
    ds = xr.Dataset(
        {
            "adstock_alpha": (dims, a),
            "saturation_lam": (dims, RNG.uniform(1.0, 3.0, shape)),
            "beta": (dims, RNG.uniform(0.2, 0.5, shape)),
            "spend_scale": (dims[1:], np.full(shape[1:], 100.0)),
            "kpi_scale": ((("geo",), np.full(len(geos), 1000.0)) if geos else ((), 1000.0)),
        },
        coords=coords,
    )
    ds.attrs = {
        "adstock": "geometric",
        "saturation": "logistic",
        "l_max": L_MAX,
        "normalize": 1,
        "adstock_mode": "After",
        "adstock_params": "alpha",
        "saturation_params": "lam",
    }
    return ds


def _spend(geos: list[str] | None = None) -> xr.DataArray:
    dims = ("time", *(["geo"] if geos else []), "channel")
    shape = (N_TIME, *([len(geos)] if geos else []), len(CHANNELS))
    coords = {"time": DATES, "channel": CHANNELS, **({"geo": geos} if geos else {})}
    values = RNG.uniform(0, 80, shape) * (RNG.uniform(size=shape) > 0.3)
    return xr.DataArray(values, dims=dims, coords=coords)


def make_result(geos: list[str] | None = None, n_holdout: int = 0) -> FitResult:
    params, spend = _params(geos), _spend(geos)
    contributions = forward_contributions(params, spend)
    space = ("draw", "time", *(["geo"] if geos else []))
    base = xr.zeros_like(contributions.isel(channel=0, drop=True)).transpose(*space) + 500.0
    baseline = xr.concat(
        [base.assign_coords(component="intercept"), (base * 0.1).assign_coords(component="trend")],
        dim="component",
    ).transpose(*space, "component")
    fitted = (contributions.sum("channel") + baseline.sum("component")).transpose(*space)
    observed = fitted.mean("draw") * RNG.normal(1, 0.05, fitted.mean("draw").shape)
    diagnostics = Diagnostics(False, True, "converged", 1.003, 800.0, 700.0, 0, 0.9)
    return FitResult(
        params=params,
        contributions=contributions,
        baseline=baseline,
        fitted=fitted,
        observed=observed,
        spend=spend,
        spec=ModelSpec().resolved("weekly", N_TIME),
        diagnostics=diagnostics,
        provenance={"engine": "test", "seed": 0, "timings": {"total": 1.0}},
        n_holdout=n_holdout,
    )


# -- the forward formula ------------------------------------------------------------------------
def _direct(params: xr.Dataset, spend: np.ndarray, d: int, c: int) -> np.ndarray:
    """kpi_scale * beta * logistic(normalised geometric adstock(spend / scale)), with loops."""
    alpha = float(params["adstock_alpha"][d, c])
    w = alpha ** np.arange(L_MAX)
    w = w / w.sum()
    x = spend[:, c] / float(params["spend_scale"][c])
    a = np.array([sum(w[j] * x[t - j] for j in range(L_MAX) if t - j >= 0) for t in range(len(x))])
    lam = float(params["saturation_lam"][d, c])
    sat = (1 - np.exp(-lam * a)) / (1 + np.exp(-lam * a))
    return float(params["kpi_scale"]) * float(params["beta"][d, c]) * sat


def test_forward_contributions_match_the_formula() -> None:
    params, spend = _params(), _spend()
    out = forward_contributions(params, spend)
    assert out.dims == ("draw", "time", "channel")
    for d in (0, 17, N_DRAW - 1):
        for c in range(len(CHANNELS)):
            np.testing.assert_allclose(
                out.values[d, :, c], _direct(params, spend.values, d, c), rtol=1e-12
            )


def test_forward_contributions_geo_dims() -> None:
    geos = ["north", "south", "west"]
    out = forward_contributions(_params(geos), _spend(geos))
    assert out.dims == ("draw", "time", "geo", "channel")
    assert out.shape == (N_DRAW, N_TIME, 3, 2)


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
    params, spend = _params(), _spend()
    got = sm.mroas(params, spend)
    h = 1e-3
    total = spend.sum("time").values

    def contribution(scale: float) -> np.ndarray:
        return forward_contributions(params, spend * scale).sum("time").values

    expected = (contribution(1 + h) - contribution(1 - h)) / (2 * h * total)
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_half_life_and_carryover_closed_forms() -> None:
    params = _params()
    alpha = params["adstock_alpha"].values
    np.testing.assert_allclose(sm.half_life(params), np.log(0.5) / np.log(alpha))
    no_carry = _params(alpha=0.0)
    np.testing.assert_allclose(sm.carryover_share(no_carry, _spend()), 0.0, atol=1e-12)
    share = sm.carryover_share(params, _spend())
    assert np.all((share > 0) & (share < 1))


def test_saturation_point_solves_marginal_roas_equals_one() -> None:
    params, spend = _params(), _spend()
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


# -- persistence ----------------------------------------------------------------------------------
def _approx(value: object) -> object:
    if isinstance(value, dict):
        return {k: _approx(v) for k, v in value.items()}
    if isinstance(value, float):
        return pytest.approx(value, rel=1e-9)
    return value


def test_save_load_round_trip(tmp_path: Path) -> None:
    result = make_result(geos=["a", "b"], n_holdout=5)
    out = result.save(tmp_path / "fit")
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["result.nc", "spec.yaml", "provenance.json", "summary.json"]
    )
    back = load_result(out)
    for name in ("contributions", "baseline", "fitted", "observed", "spend"):
        xr.testing.assert_identical(getattr(back, name), getattr(result, name))
    xr.testing.assert_allclose(back.params, result.params)
    assert back.params.attrs == result.params.attrs
    assert back.spec == result.spec and back.diagnostics == result.diagnostics
    assert back.provenance == result.provenance
    assert (back.kpi_type, back.frequency, back.n_holdout) == ("revenue", "weekly", 5)
    assert back.summary_dict() == _approx(json.loads((out / "summary.json").read_text()))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["format_version"] == 1
    assert json.loads((out / "provenance.json").read_text())["format_version"] == FORMAT_VERSION


def test_save_replaces_an_existing_result_and_is_deterministic(tmp_path: Path) -> None:
    result = make_result()
    first = (result.save(tmp_path / "fit") / "summary.json").read_bytes()
    (tmp_path / "fit" / "stray.txt").write_text("old")
    second = (result.save(tmp_path / "fit") / "summary.json").read_bytes()
    assert first == second
    assert not (tmp_path / "fit" / "stray.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["fit"]  # no temp dirs left behind


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(MixwiseError, match="directory not found"):
        load_result(tmp_path / "nothing")
    out = make_result().save(tmp_path / "fit")
    (out / "summary.json").unlink()
    with pytest.raises(MixwiseError, match=r"missing summary\.json"):
        load_result(out)

    out = make_result().save(tmp_path / "fit2")
    prov = json.loads((out / "provenance.json").read_text())
    prov["format_version"] = FORMAT_VERSION + 1
    (out / "provenance.json").write_text(json.dumps(prov))
    with pytest.raises(MixwiseError, match="Upgrade mixwise") as info:
        load_result(out)
    assert f"format {FORMAT_VERSION + 1}" in str(info.value)

    (out / "provenance.json").write_text("{not json")
    with pytest.raises(MixwiseError, match=r"provenance\.json is corrupt"):
        load_result(out)

    out = make_result().save(tmp_path / "fit3")
    (out / "result.nc").write_bytes(b"garbage")
    with pytest.raises(MixwiseError, match="corrupt fit result"):
        load_result(out)


def test_lazy_top_level_exports() -> None:
    import mixwise

    assert mixwise.load_result is load_result
    assert callable(mixwise.fit)
    for name in mixwise.__all__:
        assert getattr(mixwise, name) is not None
    with pytest.raises(AttributeError):
        _ = mixwise.no_such_thing  # type: ignore[attr-defined]
