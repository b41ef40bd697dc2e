"""Named synthetic scenarios: the demo, the fit benchmark, a geo panel, a daily series."""

from __future__ import annotations

from collections.abc import Callable

from mixwise.data.synthetic.config import (
    AdstockTruth,
    ChannelConfig,
    ControlConfig,
    EventConfig,
    GeoConfig,
    SaturationTruth,
    SyntheticConfig,
)
from mixwise.errors import MixwiseError


def _geo(alpha: float, l_max: int = 8) -> AdstockTruth:
    return AdstockTruth(kind="geometric", params={"alpha": alpha}, l_max=l_max)


def _hill(slope: float, kappa: float) -> SaturationTruth:
    return SaturationTruth(kind="hill", params={"slope": slope, "kappa": kappa})


def _logistic(lam: float) -> SaturationTruth:
    return SaturationTruth(kind="logistic", params={"lam": lam})


def demo_channels() -> list[ChannelConfig]:
    """The five channels of the product sketches, weekly spends in currency units.

    TV is the biggest budget and bought in bursts with long carry-over; Paid Search and Social
    Media are always on (with enough week-to-week variation to be identifiable); Print is
    seasonal; OOH runs in flights. True ROAS run from 0.6 (Print) to 4.0 (Paid Search), and
    saturation differs, so reallocating budget pays. Geometric adstock and logistic saturation
    (the default model family) so that the demo can show recovery of the truth.
    """
    return [
        ChannelConfig(
            name="Social Media",
            flighting="always_on",
            mean_spend=20_000,
            spend_cv=0.45,
            adstock=_geo(0.3),
            saturation=_logistic(2.5),
            roas=2.4,
            cost_per_exposure=0.006,
        ),
        ChannelConfig(
            name="TV",
            flighting="bursts",
            mean_spend=60_000,
            spend_cv=0.2,
            adstock=_geo(0.6),
            saturation=_logistic(3.0),
            roas=1.4,
        ),
        ChannelConfig(
            name="Print",
            flighting="seasonal",
            mean_spend=8_000,
            adstock=_geo(0.2),
            saturation=_logistic(2.0),
            roas=0.6,
        ),
        ChannelConfig(
            name="Paid Search",
            flighting="always_on",
            mean_spend=25_000,
            spend_cv=0.45,
            adstock=_geo(0.1),
            saturation=_logistic(3.5),
            roas=4.0,
            cost_per_exposure=0.003,
        ),
        ChannelConfig(
            name="OOH",
            flighting="bursts",
            mean_spend=12_000,
            spend_cv=0.15,
            adstock=_geo(0.5),
            saturation=_logistic(1.5),
            roas=0.9,
        ),
    ]


def demo_config() -> SyntheticConfig:
    """Three years weekly, five channels, revenue KPI, price and competitor controls, 2 events."""
    return SyntheticConfig(
        frequency="weekly",
        n_periods=156,
        intercept=400_000.0,
        trend="sqrt",
        trend_growth=0.15,
        seasonality=[(0.08, 0.06), (0.03, -0.02)],
        channels=demo_channels(),
        controls=[
            ControlConfig(name="price", mean=49.0, sd=2.5, lift=-0.03),
            ControlConfig(name="competitor_sales", mean=250_000.0, sd=30_000.0, lift=-0.02),
        ],
        events=[
            EventConfig(name="summer_sale", period=28, lift=0.12),
            EventConfig(name="black_friday", period=99, lift=0.25),
        ],
        noise=0.03,
        seed=20240101,
    )


def small_config() -> SyntheticConfig:
    """The fit benchmark: 104 weeks x 5 channels, geometric adstock + logistic saturation
    (PyMC-Marketing's default pair, so recovery can be measured), one control, one event."""
    saturations = [2.5, 1.8, 3.0, 4.0, 2.0]
    channels = [
        ch.model_copy(update={"saturation": _logistic(lam)})
        for ch, lam in zip(demo_channels(), saturations, strict=True)
    ]  # same family as the demo, other saturation strengths
    return SyntheticConfig(
        n_periods=104,
        intercept=400_000.0,
        trend="linear",
        trend_growth=0.1,
        channels=channels,
        controls=[ControlConfig(name="price", mean=49.0, sd=2.5, lift=-0.03)],
        events=[EventConfig(name="black_friday", period=47, lift=0.2)],
        noise=0.04,
        seed=104,
    )


def geo_config() -> SyntheticConfig:
    """A geo panel: 8 geos x 104 weeks x 3 channels, hierarchical around shared truth."""
    keep = {"TV", "Paid Search", "Social Media"}
    return SyntheticConfig(
        n_periods=104,
        intercept=800_000.0,
        trend="linear",
        trend_growth=0.08,
        channels=[ch for ch in demo_channels() if ch.name in keep],
        controls=[ControlConfig(name="price", mean=49.0, sd=2.5, lift=-0.03)],
        geos=GeoConfig(n_geos=8),
        noise=0.05,
        seed=8,
    )


def daily_config() -> SyntheticConfig:
    """One year daily, 3 channels, carry-over measured in days (l_max 21)."""
    return SyntheticConfig(
        frequency="daily",
        n_periods=365,
        intercept=80_000.0,
        trend="none",
        channels=[
            ChannelConfig(
                name="TV",
                flighting="bursts",
                mean_spend=8_000,
                adstock=_geo(0.9, 21),
                saturation=_hill(2.0, 0.5),
                roas=1.5,
            ),
            ChannelConfig(
                name="Paid Search",
                flighting="always_on",
                mean_spend=3_500,
                adstock=_geo(0.4, 21),
                saturation=_hill(1.0, 0.4),
                roas=3.5,
            ),
            ChannelConfig(
                name="Social Media",
                flighting="always_on",
                mean_spend=2_500,
                adstock=_geo(0.6, 21),
                saturation=_logistic(2.0),
                roas=2.0,
            ),
        ],
        noise=0.06,
        seed=365,
    )


PRESETS: dict[str, Callable[[], SyntheticConfig]] = {
    "demo": demo_config,
    "small": small_config,
    "geo": geo_config,
    "daily": daily_config,
}


def preset(name: str) -> SyntheticConfig:
    """A named scenario: ``demo``, ``small``, ``geo`` or ``daily``."""
    if name not in PRESETS:
        raise MixwiseError(
            f"unknown synthetic preset {name!r}",
            f"Choose one of: {', '.join(PRESETS)}.",
        )
    return PRESETS[name]()
