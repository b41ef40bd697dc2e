"""Planning fixtures: response models with known parameters (synthetic truth)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import xarray as xr

import mixwise.data.synthetic as syn
from mixwise.plan import ResponseModel, response_model_from_truth


def three_channel_config(saturation: str = "logistic", kpi_type: str = "revenue") -> Any:
    """104 weeks, three always-on channels with different saturation and carry-over."""
    if saturation == "logistic":
        sats = [
            syn.SaturationTruth(kind="logistic", params={"lam": lam}) for lam in (2.0, 3.5, 1.2)
        ]
    else:
        sats = [
            syn.SaturationTruth(kind="hill", params={"slope": s, "kappa": k})
            for s, k in ((1.6, 0.5), (1.0, 0.4), (2.2, 0.7))
        ]
    alphas = (0.6, 0.2, 0.4)
    effect = "roas" if kpi_type == "revenue" else "cpa"
    sizes = (2.0, 3.0, 1.2) if kpi_type == "revenue" else (20.0, 12.0, 35.0)
    channels = [
        syn.ChannelConfig(
            name=name,
            mean_spend=spend,
            adstock=syn.AdstockTruth(kind="geometric", params={"alpha": a}, l_max=6),
            saturation=sat,
            **{effect: size},
        )
        for name, spend, a, sat, size in zip(
            ("TV", "Search", "Social"), (50_000, 20_000, 15_000), alphas, sats, sizes, strict=True
        )
    ]
    return syn.SyntheticConfig(
        n_periods=104,
        intercept=300_000.0 if kpi_type == "revenue" else 5_000.0,
        kpi_type=kpi_type,
        channels=channels,
        seed=7,
    )


def mixed_config() -> Any:
    """156 weeks, five channels mixing hill and logistic saturation (defined here, not taken
    from a preset, so that presets can change without moving these tests). True ROAS run from
    0.6 (Print) to 4.0 (Paid Search)."""

    def geo(alpha: float) -> Any:
        return syn.AdstockTruth(kind="geometric", params={"alpha": alpha}, l_max=8)

    def hill(slope: float, kappa: float) -> Any:
        return syn.SaturationTruth(kind="hill", params={"slope": slope, "kappa": kappa})

    def logistic(lam: float) -> Any:
        return syn.SaturationTruth(kind="logistic", params={"lam": lam})

    rows = [
        ("Social Media", "always_on", 20_000, 0.3, geo(0.3), hill(1.2, 0.6), 2.4),
        ("TV", "bursts", 60_000, 0.2, geo(0.7), hill(2.0, 0.45), 1.4),
        ("Print", "seasonal", 8_000, 0.3, geo(0.2), logistic(2.0), 0.6),
        ("Paid Search", "always_on", 25_000, 0.25, geo(0.1), hill(1.0, 0.35), 4.0),
        ("OOH", "bursts", 12_000, 0.15, geo(0.5), logistic(1.5), 0.9),
    ]
    channels = [
        syn.ChannelConfig(
            name=n, flighting=f, mean_spend=s, spend_cv=cv, adstock=a, saturation=sat, roas=r
        )
        for n, f, s, cv, a, sat, r in rows
    ]
    return syn.SyntheticConfig(
        n_periods=156,
        intercept=600_000.0,
        trend="sqrt",
        trend_growth=0.15,
        seasonality=[(0.08, 0.06), (0.03, -0.02)],
        channels=channels,
        controls=[syn.ControlConfig(name="price", mean=49.0, sd=2.5, lift=-0.03)],
        events=[syn.EventConfig(name="black_friday", period=99, lift=0.25)],
        noise=0.04,
        seed=20240101,
    )


@pytest.fixture(scope="session")
def demo_data() -> Any:
    """156 weeks, five channels mixing hill and logistic saturation (:func:`mixed_config`)."""
    return syn.generate(mixed_config())


@pytest.fixture(scope="session")
def demo_truth(demo_data: Any) -> ResponseModel:
    return response_model_from_truth(demo_data)


@pytest.fixture(scope="session")
def demo_draws(demo_data: Any) -> ResponseModel:
    """A stand-in posterior: 200 jittered draws around the demo truth."""
    return response_model_from_truth(demo_data, n_draws=200, jitter=0.1, seed=1)


@pytest.fixture(scope="session")
def small_data() -> Any:
    return syn.generate(three_channel_config("logistic"))


@pytest.fixture(scope="session")
def small_truth(small_data: Any) -> ResponseModel:
    return response_model_from_truth(small_data)


@pytest.fixture(scope="session")
def hill_truth() -> ResponseModel:
    return response_model_from_truth(syn.generate(three_channel_config("hill")))


@pytest.fixture(scope="session")
def small_draws(small_data: Any) -> ResponseModel:
    return response_model_from_truth(small_data, n_draws=100, jitter=0.15, seed=3)


@pytest.fixture(scope="session")
def conversions_truth() -> ResponseModel:
    return response_model_from_truth(
        syn.generate(three_channel_config("logistic", "conversions")), n_draws=50, jitter=0.1
    )


def fit_result_from_truth(data: Any, kpi_scale: float = 1.0e5) -> Any:
    """A FitResult holding the truth of ``data`` (geometric + logistic, one l_max) as one draw,
    in the engines' parametrisation (``contribution = kpi_scale * beta * f(...)``)."""
    from mixwise.model.result import Diagnostics, FitResult
    from mixwise.model.spec import ModelSpec

    chans = list(data.truth.channels.values())
    names = [c.name for c in chans]
    dates = data.frame["date"].to_numpy()
    draw, ch = ("draw", "channel")

    def per_channel(values: list[float]) -> xr.DataArray:
        return xr.DataArray(np.array([values]), dims=(draw, ch), coords={ch: names, draw: [0]})

    params = xr.Dataset(
        {
            "adstock_alpha": per_channel([c.adstock.params["alpha"] for c in chans]),
            "saturation_lam": per_channel([c.saturation.params["lam"] for c in chans]),
            "beta": per_channel([c.coefficient / kpi_scale for c in chans]),
            "spend_scale": xr.DataArray(
                [float(c.spend_scale[0]) for c in chans], dims=(ch,), coords={ch: names}
            ),
            "kpi_scale": xr.DataArray(kpi_scale),
        },
        attrs={
            "adstock": "geometric",
            "saturation": "logistic",
            "l_max": chans[0].adstock.l_max,
            "normalize": int(chans[0].adstock.normalize),
            "adstock_mode": "After",
            "adstock_params": "alpha",
            "saturation_params": "lam",
        },
    )
    time = {"time": dates}
    spend = xr.DataArray(
        data.frame[[c.spend_column for c in chans]].to_numpy(),
        dims=("time", ch),
        coords={**time, ch: names},
    )
    contrib = data.truth.contributions.to_numpy()[None]
    base = data.truth.baseline
    return FitResult(
        params=params,
        contributions=xr.DataArray(contrib, dims=(draw, "time", ch), coords={**time, ch: names}),
        baseline=xr.DataArray(
            base.to_numpy()[None],
            dims=(draw, "time", "component"),
            coords={**time, "component": list(base.columns)},
        ),
        fitted=xr.DataArray(
            data.frame[data.kpi_column].to_numpy()[None], dims=(draw, "time"), coords=time
        ),
        observed=xr.DataArray(data.frame[data.kpi_column].to_numpy(), dims=("time",), coords=time),
        spend=spend,
        spec=ModelSpec(),
        diagnostics=Diagnostics(approximate=True, converged=None, verdict="truth"),
        provenance={"engine": "truth"},
        kpi_type=data.config.kpi_type,
        frequency=data.config.frequency,
    )


@pytest.fixture(scope="session")
def small_fit_result(small_data: Any) -> Any:
    return fit_result_from_truth(small_data)


@pytest.fixture(scope="session")
def quick_fit() -> Any:
    """A real fit (quick mode: ADVI, 100 draws) of the ``small`` preset, for the slow tests."""
    from mixwise.fitting import fit
    from mixwise.model.spec import ModelSpec

    data = syn.generate(syn.preset("small"))
    spec = ModelSpec.from_dict(
        {"sampler": {"mode": "quick", "advi_iterations": 3000, "draws": 100, "seed": 3}}
    )
    return fit(data.to_dataset(), spec)
