"""The forward model: from a :class:`SyntheticConfig` to a dataset with its ground truth."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from mixwise.data.mapping import ChannelMap, KPIMap, Mapping
from mixwise.data.synthetic import series
from mixwise.data.synthetic.config import ChannelConfig, SyntheticConfig
from mixwise.data.synthetic.presets import demo_config
from mixwise.data.synthetic.result import SyntheticData
from mixwise.data.synthetic.truth import ChannelTruth, SyntheticTruth, unit_response
from mixwise.model.interactions import label

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class _Geos:
    names: list[str]
    population: npt.NDArray[np.int64]
    share: FloatArray
    baseline_scale: FloatArray


def _geos(config: SyntheticConfig) -> _Geos:
    """Geo names, populations, shares and baseline multipliers (one 'national' geo if none)."""
    g = config.geos
    if g is None:
        return _Geos(["national"], np.array([0]), np.ones(1), np.ones(1))
    rng = series.rng_for(config.seed, "geos")
    raw = rng.lognormal(0.0, g.population_sd, size=g.n_geos)
    population = np.maximum(1, np.round(raw / raw.sum() * g.total_population)).astype(np.int64)
    share = population / population.sum()
    scale = share * np.exp(rng.normal(0.0, g.baseline_sd, size=g.n_geos))
    width = len(str(g.n_geos))
    names = [f"geo_{i + 1:0{width}d}" for i in range(g.n_geos)]
    return _Geos(names, population, share, scale)


def _geo_multipliers(config: SyntheticConfig, channel: ChannelConfig, what: str) -> FloatArray:
    """Per-geo lognormal multipliers of one channel's spend or coefficient (ones if national)."""
    g = config.geos
    if g is None:
        return np.ones(1)
    sd = g.spend_sd if what == "spend" else g.coefficient_sd
    return np.exp(series.rng_for(config.seed, what, channel.name).normal(0.0, sd, size=g.n_geos))


def _spend(
    config: SyntheticConfig,
    channel: ChannelConfig,
    geos: _Geos,
    index: pd.DatetimeIndex,
    control_z: dict[str, FloatArray],
) -> FloatArray:
    """Spend ``(time, geo)`` in currency, rounded to cents.

    National pattern: flighting times ``exp(strength * z)`` of every control confounding it,
    rescaled to ``mean_spend``; geo g gets ``share_g * exp(N(0, spend_sd))`` of it.
    """
    s = series.flighting(channel, config, index)
    for ctl in config.controls:
        if ctl.confounds == channel.name:
            s = s * np.exp(ctl.confound_strength * control_z[ctl.name])
    s = s * channel.mean_spend / s.mean()
    mult = geos.share * _geo_multipliers(config, channel, "spend")
    return np.round(s[:, None] * mult[None, :], 2)


def _unit(channel: ChannelConfig, spend: FloatArray) -> FloatArray:
    """``saturation(adstock(spend / max spend))`` ``(time, geo)``: the channel's unit curve."""
    scale = spend.max(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    return unit_response(spend, scale, channel.adstock, channel.saturation)[1]


def _synergies(
    config: SyntheticConfig, spends: dict[str, FloatArray], geos: _Geos
) -> dict[str, FloatArray]:
    """``gamma * share_g * unit_a * unit_b`` ``(time, geo)`` per planted pair, keyed "A + B"."""
    by_name = {c.name: c for c in config.channels}
    out = {}
    for syn in config.synergies:
        a, b = syn.channels
        units = [_unit(by_name[c], spends[c]) for c in (a, b)]
        out[label(a, b)] = syn.gamma * geos.share * units[0] * units[1]
    return out


def _channel_truth(
    config: SyntheticConfig,
    channel: ChannelConfig,
    spend: FloatArray,
    geos: _Geos,
    index: pd.DatetimeIndex,
) -> tuple[ChannelTruth, FloatArray]:
    """Coefficient (given, or solved for the target ROAS/CPA) and contribution ``(time, geo)``."""
    scale = spend.max(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    unit = _unit(channel, spend)
    weight = geos.share * _geo_multipliers(config, channel, "coefficient")
    if channel.beta is not None:
        beta = channel.beta
    else:
        target = channel.roas if channel.roas is not None else 1.0 / float(channel.cpa or 1.0)
        beta = target * spend.sum() / float(np.sum(unit * weight))
    beta_g = beta * weight
    contribution = unit * beta_g
    truth = ChannelTruth(
        name=channel.name,
        spend_column=f"{channel.slug}_spend",
        exposure_column=f"{channel.slug}_impressions" if channel.cost_per_exposure else None,
        adstock=channel.adstock,
        saturation=channel.saturation,
        coefficient=float(beta),
        coefficient_by_geo=beta_g,
        spend_scale=scale,
        contribution=pd.Series(contribution.sum(axis=1), index=index, name=channel.name),
        total_spend=float(spend.sum()),
        total_contribution=float(contribution.sum()),
        roas=float(contribution.sum() / spend.sum()),
        mroas=float("nan"),
    )
    return replace(truth, mroas=truth.marginal_roas(spend)), contribution


def _baseline(
    config: SyntheticConfig, index: pd.DatetimeIndex, control_z: dict[str, FloatArray]
) -> dict[str, FloatArray]:
    """National baseline components per period (KPI units), relative pieces times intercept."""
    i0, n = config.intercept, config.n_periods
    events = np.zeros(n)
    for ev in config.events:
        events[ev.period] += i0 * ev.lift
    controls = np.zeros(n)
    for ctl in config.controls:
        controls += i0 * ctl.lift * control_z[ctl.name]
    return {
        "intercept": np.full(n, i0),
        "trend": i0 * config.trend_growth * series.trend_shape(config),
        "seasonality": i0 * series.seasonality_shape(config, index),
        "events": events,
        "controls": controls,
    }


def _rows(a: FloatArray) -> FloatArray:
    """``(time, geo)`` -> frame rows sorted by (geo, date)."""
    return a.T.reshape(-1)


def generate(config: SyntheticConfig | None = None, *, seed: int | None = None) -> SyntheticData:
    """Simulate a marketing mix dataset whose truth is known.

    Per geo g (national data: one geo with ``b = 1``, ``share = 1``), period t::

        x_c[t, g]   = spend_c[t, g] / max_t spend_c[t, g]                      (scaled spend)
        media_c     = beta_c[g] * saturation_c(adstock_c(x_c))                  (KPI units)
        baseline    = b_g * (I + I*growth*g(u_t) + I*sum_k(a_k sin 2pi k y_t + b_k cos 2pi k y_t)
                             + sum_e I*lift_e*[t = t_e] + sum_c I*lift_c*z_c[t])
        kpi[t, g]   = baseline + sum_c media_c + sum_p synergy_p + noise[t, g]
        noise[t, g] ~ N(0, (noise * mean_t(baseline + sum_c media_c))^2)     (per geo)

    with ``u_t = t / (n - 1)``, ``y_t`` years since 1 January of the first year, ``z_c`` the
    standardized control series (column = mean + sd * z, so the control coefficient per unit is
    ``I * lift / sd``). Geo data: ``b_g = share_g * exp(N(0, baseline_sd))`` and
    ``beta_c[g] = beta_c * share_g * exp(N(0, coefficient_sd))``. A channel given a target
    ``roas`` (or ``cpa = 1 / roas``) gets ``beta_c = roas * sum spend_c / sum_{t,g} (beta_c[g] /
    beta_c) * saturation_c(adstock_c(x_c))``, so its true ROAS is exactly the target.
    ``synergy_p`` is each planted pair's term (:class:`~.config.SynergyConfig`).
    ``seed`` overrides ``config.seed``; same config and seed, same data.
    """
    if config is None:
        config = demo_config()
    if seed is not None:
        config = config.model_copy(update={"seed": seed})
    index = series.dates(config)
    geos = _geos(config)
    control_z = {c.name: series.control_z(c, config) for c in config.controls}

    spends: dict[str, FloatArray] = {}
    channels: dict[str, ChannelTruth] = {}
    contributions: dict[str, FloatArray] = {}
    for ch in config.channels:
        spends[ch.name] = _spend(config, ch, geos, index, control_z)
        channels[ch.name], contributions[ch.name] = _channel_truth(
            config, ch, spends[ch.name], geos, index
        )

    national = _baseline(config, index, control_z)
    baseline = {k: v[:, None] * geos.baseline_scale[None, :] for k, v in national.items()}
    synergies = _synergies(config, spends, geos)
    noiseless = sum(baseline.values()) + sum(contributions.values()) + sum(synergies.values())
    assert isinstance(noiseless, np.ndarray)
    noise_sd = config.noise * noiseless.mean(axis=0)
    noise = series.rng_for(config.seed, "noise").normal(size=noiseless.shape) * noise_sd
    kpi = noiseless + noise

    frame = _frame(config, index, geos, kpi, spends, control_z)
    truth = SyntheticTruth(
        channels=channels,
        baseline=pd.DataFrame({k: _rows(v) for k, v in baseline.items()}, index=frame.index),
        contributions=pd.DataFrame(
            {k: _rows(v) for k, v in contributions.items()}, index=frame.index
        ),
        noise=pd.Series(_rows(noise), index=frame.index, name="noise"),
        synergies=pd.DataFrame({k: _rows(v) for k, v in synergies.items()}, index=frame.index),
        noise_sd=noise_sd,
        baseline_scale=geos.baseline_scale,
        geos=geos.names if config.geos else None,
        population=dict(zip(geos.names, geos.population.tolist(), strict=True))
        if config.geos
        else None,
        event_lifts={e.name: config.intercept * e.lift for e in config.events},
        control_coefficients={c.name: config.intercept * c.lift / c.sd for c in config.controls},
        control_centers={c.name: c.mean for c in config.controls},
    )
    return SyntheticData(frame=frame, mapping=mapping_for(config), truth=truth, config=config)


def _frame(
    config: SyntheticConfig,
    index: pd.DatetimeIndex,
    geos: _Geos,
    kpi: FloatArray,
    spends: dict[str, FloatArray],
    control_z: dict[str, FloatArray],
) -> pd.DataFrame:
    """The user-facing table, one row per (geo, date), sorted by geo then date."""
    n, n_geo = len(index), len(geos.names)
    cols: dict[str, object] = {"date": np.tile(index.to_numpy(), n_geo)}
    if config.geos:
        cols["geo"] = np.repeat(geos.names, n)
        cols["population"] = np.repeat(geos.population.astype(np.float64), n)
    cols[config.kpi_type] = _rows(kpi)
    for ch in config.channels:
        cols[f"{ch.slug}_spend"] = _rows(spends[ch.name])
    for ch in config.channels:
        if ch.cost_per_exposure:
            cols[f"{ch.slug}_impressions"] = np.round(
                _rows(series.exposures(ch, config, spends[ch.name]))
            )
    for ctl in config.controls:
        cols[ctl.slug] = np.tile(ctl.mean + ctl.sd * control_z[ctl.name], n_geo)
    for ev in config.events:
        dummy = np.zeros(n)
        dummy[ev.period] = 1.0
        cols[ev.slug] = np.tile(dummy, n_geo)
    return pd.DataFrame(cols)


def mapping_for(config: SyntheticConfig) -> Mapping:
    """The column mapping of the frame :func:`generate` writes for ``config``."""
    return Mapping(
        date="date",
        frequency=config.frequency,
        geo="geo" if config.geos else None,
        population="population" if config.geos else None,
        kpi=KPIMap(column=config.kpi_type, type=config.kpi_type),
        channels=[
            ChannelMap(
                name=ch.name,
                spend=f"{ch.slug}_spend",
                exposure=f"{ch.slug}_impressions" if ch.cost_per_exposure else None,
                exposure_type="impressions" if ch.cost_per_exposure else None,
            )
            for ch in config.channels
        ],
        controls=[c.slug for c in config.controls],
        events=[e.slug for e in config.events],
    )
