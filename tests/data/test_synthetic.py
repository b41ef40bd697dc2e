"""The synthetic generator: its truth must be self-consistent and reproducible."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mixwise.data.mapping import Mapping
from mixwise.data.synthetic import (
    AdstockTruth,
    ChannelConfig,
    ControlConfig,
    EventConfig,
    GeoConfig,
    SaturationTruth,
    SyntheticConfig,
    SyntheticData,
    demo_config,
    generate,
    preset,
)
from mixwise.errors import MixwiseError
from mixwise.model import transforms as tf
from mixwise.model.catalogue import ADSTOCKS, SATURATIONS


def _small(**update: object) -> SyntheticConfig:
    """A quick config exercising every component: 3 adstock and 3 saturation kinds."""
    channels = [
        ChannelConfig(
            name="TV",
            flighting="bursts",
            mean_spend=5_000,
            roas=1.5,
            adstock=AdstockTruth(kind="weibull_cdf", params={"lam": 3.0, "k": 1.5}),
        ),
        ChannelConfig(
            name="Paid Search",
            mean_spend=2_000,
            beta=30_000.0,
            saturation=SaturationTruth(kind="logistic", params={"lam": 2.0}),
            cost_per_exposure=0.004,
        ),
        ChannelConfig(
            name="Print",
            flighting="seasonal",
            mean_spend=800,
            roas=0.7,
            adstock=AdstockTruth(kind="delayed", params={"alpha": 0.5, "theta": 2.0}),
            saturation=SaturationTruth(kind="michaelis_menten", params={"alpha": 1.0, "lam": 0.4}),
        ),
    ]
    base = SyntheticConfig(
        n_periods=60,
        intercept=50_000.0,
        trend="sqrt",
        channels=channels,
        controls=[
            ControlConfig(name="price", mean=10.0, sd=0.5, lift=-0.04),
            ControlConfig(
                name="Demand Index",
                mean=100.0,
                sd=8.0,
                lift=0.05,
                confounds="Paid Search",
                confound_strength=0.6,
            ),
        ],
        events=[EventConfig(name="Black Friday", period=46, lift=0.3)],
        seed=7,
    )
    return base.model_copy(update=update)


@pytest.fixture(scope="module")
def national() -> SyntheticData:
    return generate(_small())


@pytest.fixture(scope="module")
def geo() -> SyntheticData:
    return generate(_small(geos=GeoConfig(n_geos=4)))


def _cube(data: SyntheticData, column: str) -> np.ndarray:
    """A frame column as (time, geo); the frame is sorted by geo then date."""
    n_geo = len(data.truth.geos or ["national"])
    return data.frame[column].to_numpy(float).reshape(n_geo, -1).T


def _rebuild_kpi_without_noise(data: SyntheticData) -> np.ndarray:
    """Recompute the noiseless KPI from the returned parameters, through the transforms."""
    cfg, truth = data.config, data.truth
    dates = pd.DatetimeIndex(data.frame["date"].iloc[: cfg.n_periods])  # first geo block
    n = len(dates)
    u = np.arange(n) / (n - 1)
    g = {"none": 0 * u, "linear": u, "sqrt": np.sqrt(u)}[cfg.trend]
    y = (dates - pd.Timestamp(dates[0].year, 1, 1)).days.to_numpy() / 365.25
    season = sum(
        a * np.sin(2 * np.pi * k * y) + b * np.cos(2 * np.pi * k * y)
        for k, (a, b) in enumerate(cfg.seasonality, start=1)
    )
    base = cfg.intercept * (1 + cfg.trend_growth * g + season)
    national = np.broadcast_to(base[:, None], (n, len(truth.baseline_scale))).copy()
    for ev in cfg.events:
        national += truth.event_lifts[ev.name] * _cube(data, ev.slug)
    for ctl in cfg.controls:
        coef, center = truth.control_coefficients[ctl.name], truth.control_centers[ctl.name]
        national += coef * (_cube(data, ctl.slug) - center)
    kpi = national * truth.baseline_scale
    for ch in truth.channels.values():
        x = _cube(data, ch.spend_column) / ch.spend_scale
        w = ADSTOCKS[ch.adstock.kind].weights(
            **ch.adstock.params, l_max=ch.adstock.l_max, normalize=ch.adstock.normalize
        )
        a = tf.convolve(x, w)
        f = SATURATIONS[ch.saturation.kind].function
        kpi += ch.coefficient_by_geo * f(a, **ch.saturation.params)
    return kpi


@pytest.mark.parametrize("which", ["national", "geo"])
def test_kpi_rebuilt_from_parameters(which: str, request: pytest.FixtureRequest) -> None:
    data: SyntheticData = request.getfixturevalue(which)
    noise = data.truth.noise.to_numpy().reshape(-1, data.config.n_periods).T
    expected = _cube(data, data.kpi_column) - noise
    np.testing.assert_allclose(_rebuild_kpi_without_noise(data), expected, rtol=1e-10)


@pytest.mark.parametrize("which", ["national", "geo"])
def test_components_add_up_to_kpi(which: str, request: pytest.FixtureRequest) -> None:
    data: SyntheticData = request.getfixturevalue(which)
    t = data.truth
    total = t.baseline.sum(axis=1) + t.contributions.sum(axis=1) + t.noise
    np.testing.assert_allclose(total, data.frame[data.kpi_column], rtol=1e-10)
    nat = data.national_components()
    kpi = data.frame.groupby("date")[data.kpi_column].sum().to_numpy()
    np.testing.assert_allclose(nat.sum(axis=1), kpi, rtol=1e-10)
    for name, ch in t.channels.items():
        np.testing.assert_allclose(ch.contribution.to_numpy(), nat[name].to_numpy(), rtol=1e-12)


def test_roas_and_coefficients(national: SyntheticData) -> None:
    chans = national.truth.channels
    for ch in chans.values():
        spend = national.frame[ch.spend_column].sum()
        assert ch.total_spend == pytest.approx(spend, rel=1e-12)
        assert ch.roas == pytest.approx(ch.total_contribution / spend, rel=1e-12)
        assert ch.cpa == pytest.approx(spend / ch.total_contribution, rel=1e-12)
    assert chans["TV"].roas == pytest.approx(1.5, rel=1e-12)
    assert chans["Print"].roas == pytest.approx(0.7, rel=1e-12)
    assert chans["Paid Search"].coefficient == 30_000.0


@pytest.mark.parametrize("which", ["national", "geo"])
def test_mroas_matches_finite_difference(which: str, request: pytest.FixtureRequest) -> None:
    data: SyntheticData = request.getfixturevalue(which)
    eps = 1e-6
    for ch in data.truth.channels.values():
        spend = _cube(data, ch.spend_column)
        up, down = ch.response(spend * (1 + eps)).sum(), ch.response(spend * (1 - eps)).sum()
        fd = (up - down) / (2 * eps * spend.sum())
        assert ch.mroas == pytest.approx(fd, rel=1e-6)
        np.testing.assert_allclose(ch.response(spend).sum(), ch.total_contribution, rtol=1e-12)


def test_tanh_saturation_truth_is_self_consistent() -> None:
    """A channel with tanh saturation (a catalogue kind): the KPI rebuilds from its parameters
    through ``b tanh(x / (b c))``, its ROAS hits the target and mROAS is the finite difference."""
    tanh = ChannelConfig(
        name="Radio",
        mean_spend=1_500,
        roas=1.2,
        saturation=SaturationTruth(kind="tanh", params={"b": 1.5, "c": 0.8}),
    )
    base = _small()
    data = generate(base.model_copy(update={"channels": [*base.channels, tanh]}))
    noise = data.truth.noise.to_numpy().reshape(-1, data.config.n_periods).T
    expected = _cube(data, data.kpi_column) - noise
    np.testing.assert_allclose(_rebuild_kpi_without_noise(data), expected, rtol=1e-10)
    ch = data.truth.channels["Radio"]
    assert ch.roas == pytest.approx(1.2, rel=1e-12)
    spend, eps = _cube(data, ch.spend_column), 1e-6
    fd = (ch.response(spend * (1 + eps)).sum() - ch.response(spend * (1 - eps)).sum()) / (
        2 * eps * spend.sum()
    )
    assert ch.mroas == pytest.approx(fd, rel=1e-6)


def test_same_seed_same_data_and_seed_override() -> None:
    a, b = generate(_small()), generate(_small())
    pd.testing.assert_frame_equal(a.frame, b.frame)
    c = generate(_small(), seed=8)
    assert c.config.seed == 8
    assert not np.allclose(a.frame["revenue"], c.frame["revenue"])
    pd.testing.assert_frame_equal(c.frame, generate(_small(seed=8)).frame)


def test_geo_panel_is_rectangular_with_population(geo: SyntheticData) -> None:
    f = geo.frame
    assert list(f.columns[:4]) == ["date", "geo", "population", "revenue"]
    assert len(f) == 4 * 60 and f.groupby("geo")["date"].nunique().eq(60).all()
    pop = f.groupby("geo")["population"].agg(["min", "max"])
    assert (pop["min"] == pop["max"]).all() and (pop["min"] > 0).all()
    assert pop["min"].sum() == pytest.approx(GeoConfig().total_population, rel=1e-6)
    assert geo.truth.population == pop["min"].astype(int).to_dict()
    ds = geo.to_dataset()
    assert ds.has_geo and ds.geos == sorted(geo.truth.geos or [])
    assert dict(ds.to_xarray()["spend"].sizes) == {"time": 60, "geo": 4, "channel": 3}


def test_daily_variant() -> None:
    data = generate(_small(frequency="daily", n_periods=120))
    assert data.mapping.frequency == "daily"
    assert (data.frame["date"].diff().dropna() == pd.Timedelta(days=1)).all()
    assert data.to_dataset().frequency == "daily"
    assert generate(preset("daily")).frame.shape[0] == 365


def test_confounder_drives_its_channel(national: SyntheticData) -> None:
    f = national.frame
    confounded = np.corrcoef(f["demand_index"], f["paid_search_spend"])[0, 1]
    other = np.corrcoef(f["price"], f["paid_search_spend"])[0, 1]
    assert confounded > 0.5 and abs(other) < confounded - 0.3


def test_flighting_patterns(national: SyntheticData) -> None:
    f = national.frame
    assert (f["tv_spend"] == 0).sum() >= 5  # bursts
    assert (f["paid_search_spend"] > 0).all()  # always on
    assert (f["print_spend"] == 0).any() and (f["print_spend"] > 0).any()  # seasonal


def test_exposures_follow_spend(national: SyntheticData) -> None:
    f = national.frame
    ratio = f["paid_search_spend"] / f["paid_search_impressions"]
    assert ratio.median() == pytest.approx(0.004, rel=0.05)
    assert national.mapping.channels[1].exposure == "paid_search_impressions"


def test_demo_config_matches_the_sketches() -> None:
    data = generate(demo_config())
    names = ["Social Media", "TV", "Print", "Paid Search", "OOH"]
    assert data.mapping.channel_names == names
    assert len(data.frame) == 156 and data.config.frequency == "weekly"
    spend_cols = [f"{s}_spend" for s in ["social_media", "tv", "print", "paid_search", "ooh"]]
    assert data.mapping.spend_columns == spend_cols
    means = data.frame[spend_cols].mean()
    assert means.idxmax() == "tv_spend"
    roas = data.truth_frame().set_index("channel")["roas"]
    assert roas.min() >= 0.5 and roas.max() <= 5 and roas.max() / roas.min() > 3
    assert data.to_dataset().kpi_type == "revenue"


def test_presets() -> None:
    small = preset("small")
    assert small.n_periods == 104 and len(small.channels) == 5
    g = preset("geo")
    assert g.geos is not None and g.geos.n_geos == 8 and g.n_periods == 104
    assert len(g.channels) == 3
    with pytest.raises(MixwiseError, match="unknown synthetic preset"):
        preset("nope")


def test_conversions_kpi_with_target_cpa() -> None:
    ch = ChannelConfig(name="Search", mean_spend=1_000, cpa=25.0)
    data = generate(
        SyntheticConfig(kpi_type="conversions", intercept=500.0, n_periods=30, channels=[ch])
    )
    assert data.mapping.kpi.type == "conversions" and "conversions" in data.frame
    assert data.truth.channels["Search"].cpa == pytest.approx(25.0, rel=1e-12)


def test_save_writes_data_mapping_and_truth(national: SyntheticData, tmp_path: Path) -> None:
    national.save(tmp_path)
    back = pd.read_csv(tmp_path / "data.csv", parse_dates=["date"])
    pd.testing.assert_frame_equal(back, national.frame, check_dtype=False, rtol=1e-12)
    assert Mapping.load(tmp_path / "mapping.yaml") == national.mapping
    truth = json.loads((tmp_path / "truth.json").read_text())
    assert [c["channel"] for c in truth["channels"]] == ["TV", "Paid Search", "Print"]
    assert truth["channels"][0]["roas"] == pytest.approx(1.5)
    assert SyntheticConfig.model_validate(truth["config"]) == national.config
    comps = pd.read_csv(tmp_path / "truth_components.csv")
    assert list(comps.columns[-4:]) == ["TV", "Paid Search", "Print", "noise"]


def test_truth_frame_is_tidy(national: SyntheticData) -> None:
    tfm = national.truth_frame()
    assert list(tfm["channel"]) == ["TV", "Paid Search", "Print"]
    for col in ("roas", "mroas", "total_contribution", "coefficient", "adstock_alpha"):
        assert col in tfm
    assert tfm.loc[tfm["channel"] == "TV", "adstock_lam"].item() == 3.0


def test_invalid_configs_raise() -> None:
    with pytest.raises(ValueError, match="exactly one of"):
        ChannelConfig(name="TV", mean_spend=1.0, roas=1.0, beta=2.0)
    with pytest.raises(ValueError, match="needs params"):
        AdstockTruth(kind="weibull_cdf", params={"alpha": 0.3})
    with pytest.raises(ValueError, match="unknown channel"):
        SyntheticConfig.model_validate(
            _small().model_dump() | {"controls": [{"name": "x", "confounds": "Radio"}]}
        )
