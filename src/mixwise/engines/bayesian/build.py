"""Build PyMC-Marketing's MMM from a :class:`Design` and a resolved :class:`ModelSpec`.

Priors. The PyMC-Marketing defaults hold unless the spec overrides them. National models have
one value of every media parameter per channel. Geo models pool the transform shapes (adstock and
saturation parameters other than the coefficient) across geos, one value per channel, and give
the coefficient a non-centred hierarchical log-normal prior::

    log beta[g, c] = mu[c] + sigma[c] * z[g, c],  mu[c] ~ Normal(-1, 1.5),
    sigma[c] ~ HalfNormal(0.5),  z ~ Normal(0, 1)

so geos share strength while each keeps its own level of response.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xarray as xr
from pymc_extras.prior import Prior
from pymc_marketing.mmm import (
    MMM,
    DelayedAdstock,
    GeometricAdstock,
    HillSaturation,
    LogisticSaturation,
    MichaelisMentenSaturation,
    TanhSaturation,
    WeibullCDFAdstock,
    WeibullPDFAdstock,
)
from pymc_marketing.mmm.scaling import FixedScaling, Scaling

from mixwise.engines.bayesian import saturation as level_saturation
from mixwise.engines.bayesian.design import DATE, GEO, KPI, Design
from mixwise.engines.bayesian.interaction import ChannelInteraction
from mixwise.engines.bayesian.priors import to_prior
from mixwise.engines.bayesian.roas import check_roas, roas_prior, roas_saturation
from mixwise.engines.bayesian.trend import FixedWindowTrend
from mixwise.errors import SpecError
from mixwise.model.catalogue import COEFFICIENT
from mixwise.model.lift import per_period, period_days, periods_in, spend_level
from mixwise.model.spec import ModelSpec, PriorSpec

ADSTOCKS = {
    "geometric": GeometricAdstock,
    "delayed": DelayedAdstock,
    "weibull_cdf": WeibullCDFAdstock,
    "weibull_pdf": WeibullPDFAdstock,
}
SATURATIONS = {
    "logistic": LogisticSaturation,
    "hill": HillSaturation,
    "michaelis_menten": MichaelisMentenSaturation,
    "tanh": TanhSaturation,
}
"""The PyMC-Marketing class of each catalogue kind (:mod:`mixwise.model.catalogue`)."""


def build_mmm(
    design: Design,
    spec: ModelSpec,
    kpi_type: str,
    *,
    full_window: bool = False,
    scales: tuple[xr.DataArray, xr.DataArray] | None = None,
) -> MMM:
    """The built (not yet sampled) MMM.

    ``full_window=True`` builds on every period (training and holdout) for evaluation with
    ``scales`` = (channel scale, target scale) fixed to the training fit's; no calibration terms
    are added then (they only shape the posterior, which is already sampled).
    """
    dims = design.dims
    adstock, saturation = transformations(spec, design)
    scaling = None
    if scales is not None:
        scaling = Scaling(
            channel=FixedScaling(dims=dims, value=scales[0]),
            target=FixedScaling(dims=dims, value=float(scales[1])),
        )
    mmm = MMM(
        date_column=DATE,
        channel_columns=design.channels,
        target_column=KPI,
        adstock=adstock,
        saturation=saturation,
        time_varying_intercept=spec.time_varying_intercept,
        dims=dims or None,
        scaling=scaling,
        model_config=other_priors(spec, dims, len(design.train_dates)),
        control_columns=design.regressors or None,
        yearly_seasonality=spec.seasonality.yearly_order or None,
    )
    if spec.trend.enabled:
        mmm.add_mu_effect(
            FixedWindowTrend.for_training(
                design.train_dates,
                int(spec.trend.n_changepoints or 2),
                scale=spec.trend.scale,
                dims=dims,
            )
        )
    if spec.interactions:
        mmm.add_mu_effect(
            ChannelInteraction(
                pairs=list(spec.interactions),
                channels=list(design.channels),
                coefficient=f"saturation_{COEFFICIENT[spec.saturation.kind]}",
                dims=dims,
            )
        )
    X, y = (design.frame, design.y) if full_window else design.train()
    mmm.build_model(X, y)
    if not full_window:
        add_lift_tests(mmm, design, spec)
        add_ratio_priors(mmm, design, spec, kpi_type, X)
    return mmm


def transformations(spec: ModelSpec, design: Design) -> tuple[Any, Any]:
    """PyMC-Marketing adstock and saturation objects of the spec's kinds, with their priors."""
    priors = media_priors(spec, design.channels, design.geos is not None)

    def part(prefix: str) -> dict[str, Prior]:
        return {k.removeprefix(prefix): v for k, v in priors.items() if k.startswith(prefix)}

    adstock = ADSTOCKS[spec.adstock.kind](
        l_max=int(spec.adstock.l_max or 8),
        normalize=spec.adstock.normalize,
        priors=part("adstock_"),
    )
    saturation_priors = part("saturation_")
    if spec.parametrisation == "roas":  # the prior on ROAS; the coefficient follows (.roas)
        check_roas(spec, design.geos is not None)
        X, _ = design.train()
        return adstock, roas_saturation(
            spec.saturation.kind,
            SATURATIONS[spec.saturation.kind],
            X[design.channels].to_numpy(dtype=float).sum(axis=0),
            len(design.train_dates),
            roas_prior(spec, design.channels),
            priors=saturation_priors,
        )
    if spec.saturation.kind == "logistic" and level_saturation.supports(saturation_priors["beta"]):
        # the same model, sampled along the direction the data identify (see .saturation)
        saturation = level_saturation.LevelLogisticSaturation(
            reference_spend(design), priors=saturation_priors
        )
        return adstock, saturation
    return adstock, SATURATIONS[spec.saturation.kind](priors=saturation_priors)


def reference_spend(design: Design) -> np.ndarray:
    """Per channel, mean training spend over the largest: the scaled spend level of the data."""
    X, _ = design.train()
    spend = X[design.channels].to_numpy(dtype=float)
    top = spend.max(axis=0)
    return np.where(top > 0, spend.mean(axis=0) / np.where(top > 0, top, 1.0), 0.5)


# -- priors ---------------------------------------------------------------------------------------
def default_media_priors(spec: ModelSpec) -> dict[str, Prior]:
    """PyMC-Marketing's default priors of the chosen kinds, by variable name."""
    adstock: Any = ADSTOCKS[spec.adstock.kind]
    saturation: Any = SATURATIONS[spec.saturation.kind]
    out = {f"adstock_{k}": v for k, v in adstock.default_priors.items()}
    out.update({f"saturation_{k}": v for k, v in saturation.default_priors.items()})
    return out


def media_priors(spec: ModelSpec, channels: list[str], geo: bool) -> dict[str, Prior]:
    """Every media prior with explicit dims (see the module docstring for geo pooling)."""
    coefficient = f"saturation_{COEFFICIENT[spec.saturation.kind]}"
    out: dict[str, Prior] = {}
    for name, default in default_media_priors(spec).items():
        given = spec.priors.get(name)
        base = to_prior(given, name=f"priors.{name}") if given is not None else default.deepcopy()
        overrides = {
            ch: spec.channels[ch].priors[name]
            for ch in channels
            if ch in spec.channels and name in spec.channels[ch].priors
        }
        if geo and name == coefficient:
            if overrides:
                ch = next(iter(overrides))
                raise SpecError(
                    f"channels.{ch}.priors.{name}: per-channel coefficient priors are not "
                    "supported for geo models",
                    "Use a ROAS prior (channels.<name>.roas) or a global prior instead.",
                )
            out[name] = _with_dims(base, (GEO, "channel")) if given else hierarchical_coefficient()
        elif overrides:
            out[name] = _per_channel(name, base, overrides, channels)
        else:
            out[name] = _with_dims(base, ("channel",))
    return out


def hierarchical_coefficient() -> Prior:
    """Non-centred log-normal across geos (module docstring)."""
    return Prior(
        "Normal",
        mu=Prior("Normal", mu=-1.0, sigma=1.5, dims="channel"),
        sigma=Prior("HalfNormal", sigma=0.5, dims="channel"),
        dims=(GEO, "channel"),
        centered=False,
        transform="exp",
    )


def _with_dims(prior: Prior, dims: tuple[str, ...]) -> Prior:
    out = prior.deepcopy()
    out.dims = dims
    return out


def _per_channel(
    name: str, base: Prior, overrides: dict[str, PriorSpec], channels: list[str]
) -> Prior:
    """One prior with a value per channel: same distribution, parameters varying by channel."""
    params = {k: v for k, v in base.parameters.items()}
    if any(isinstance(v, Prior) for v in params.values()):
        raise SpecError(
            f"priors.{name}: per-channel overrides need a prior without nested priors",
            "Give every channel its own prior under channels.<name>.priors instead.",
        )
    values: dict[str, list[float]] = {k: [] for k in params}
    for ch in channels:
        ov = overrides.get(ch)
        if ov is not None and (ov.dist != base.distribution or set(ov.kwargs) != set(params)):
            raise SpecError(
                f"channels.{ch}.priors.{name}: per-channel priors must use the distribution and "
                f"parameters of the prior for the other channels ({base.distribution} with "
                f"{', '.join(sorted(params))})",
                f"Set priors.{name} to a {ov.dist} prior too, or match its parameters.",
            )
        for k in params:
            v = ov.kwargs[k] if ov is not None else params[k]
            if isinstance(v, PriorSpec | list):
                raise SpecError(f"channels.{ch}.priors.{name}.kwargs.{k}: must be a number")
            values[k].append(float(v))
    arrays = {
        k: xr.DataArray(np.array(v), dims=("channel",), coords={"channel": channels})
        for k, v in values.items()
    }
    return Prior(base.distribution, dims=("channel",), **arrays)


def other_priors(spec: ModelSpec, dims: tuple[str, ...], n_train: int) -> dict[str, Any]:
    """Intercept, control, Fourier and noise priors from the spec (PyMC-Marketing defaults)."""
    config: dict[str, Any] = {}
    for key, extra in (("intercept", ()), ("gamma_control", ("control",))):
        if key in spec.priors:
            config[key] = to_prior(spec.priors[key], (*dims, *extra), f"priors.{key}")
    if "gamma_fourier" in spec.priors:
        config["gamma_fourier"] = to_prior(
            spec.priors["gamma_fourier"], (*dims, "fourier_mode"), "priors.gamma_fourier"
        )
    if "likelihood_sigma" in spec.priors:
        sigma = to_prior(spec.priors["likelihood_sigma"], dims or None, "priors.likelihood_sigma")
        config["likelihood"] = Prior("Normal", sigma=sigma, dims=(DATE, *dims))
    if spec.time_varying_intercept:
        config["intercept_tvp_config"] = {
            "m": int(min(200, max(10, n_train // 4))),
            "L": None,
            "eta_lam": 1,
            "ls_mu": 5,
            "ls_sigma": 10,
            "cov_func": None,
        }
    return config


# -- calibration ----------------------------------------------------------------------------------
def add_lift_tests(mmm: MMM, design: Design, spec: ModelSpec) -> None:
    """Lift tests as per-period measurements on the saturation curve (:mod:`mixwise.model.lift`)."""
    if not spec.lift_tests:
        return
    step = period_days(design.dates)
    rows = []
    for i, test in enumerate(spec.lift_tests):
        field = f"lift_tests.{i}"
        _check_channel_geo(design, test.channel, test.geo, field)
        start, end = pd.Timestamp(test.start), pd.Timestamp(test.end)
        level = test.spend_level
        if level is None:
            level = spend_level(_spend_series(design, test.channel, test.geo), start, end, field)
        row: dict[str, Any] = {"channel": test.channel}
        row.update(per_period(test, level, periods_in(start, end, step)))
        if design.geos is not None:
            row[GEO] = test.geo
        rows.append(row)
    mmm.add_lift_test_measurements(pd.DataFrame(rows))


def _check_channel_geo(design: Design, channel: str, geo: str | None, field: str) -> None:
    if channel not in design.channels:
        raise SpecError(
            f"{field}.channel: no channel {channel!r} in the dataset "
            f"(channels: {', '.join(design.channels)})"
        )
    if design.geos is None and geo is not None:
        raise SpecError(f"{field}.geo: the dataset has no geos (got {geo!r})")
    if design.geos is not None and geo not in design.geos:
        raise SpecError(
            f"{field}.geo: a geo model needs the geo of each lift test; {geo!r} is not one of "
            f"{', '.join(design.geos[:10])}{'...' if len(design.geos) > 10 else ''}"
        )


def _spend_series(design: Design, channel: str, geo: str | None) -> pd.Series:
    """A channel's spend (in one geo) indexed by date."""
    f = design.frame if geo is None else design.frame[design.frame[GEO] == geo]
    return pd.Series(f[channel].values, index=pd.DatetimeIndex(f[DATE]))


def add_ratio_priors(
    mmm: MMM, design: Design, spec: ModelSpec, kpi_type: str, X: pd.DataFrame
) -> None:
    """ROAS / CPA priors as ``add_cost_per_target_calibration`` terms (see ``RoasPrior``).

    In geo models the term applies to every geo, with ``sigma * sqrt(n_geos)`` so that together
    they carry the information of one observation of the stated precision.
    """
    rows: dict[str, list[dict[str, Any]]] = {"roas": [], "cpa": []}
    for name, ch in spec.channels.items():
        for kind, prior in (("roas", ch.roas), ("cpa", ch.cpa)):
            if prior is None:
                continue
            expected = "revenue" if kind == "roas" else "conversions"
            if kpi_type != expected:
                raise SpecError(
                    f"channels.{name}.{kind}: a {kind.upper()} prior needs a {expected} KPI "
                    f"(this KPI is {kpi_type})",
                    f"Use channels.{name}.{'cpa' if kind == 'roas' else 'roas'} instead.",
                )
            geos: list[str | None] = list(design.geos) if design.geos else [None]
            sigma = prior.sigma * np.sqrt(len(geos))
            for g in geos:
                row: dict[str, Any] = {"channel": name, kind: prior.mean, "sigma": sigma}
                if g is not None:
                    row[GEO] = g
                rows[kind].append(row)
    spend = X[[c for c in X.columns if c in (DATE, GEO) or c in design.channels]]
    for kind, target_column, per_cost in (("roas", "roas", True), ("cpa", "cpa", False)):
        if rows[kind]:
            mmm.add_cost_per_target_calibration(
                data=spend,
                calibration_data=pd.DataFrame(rows[kind]),
                name_prefix=f"{kind}_prior",
                target_column=target_column,
                target_per_cost=per_cost,
            )
