"""What of a model spec the ``meridian`` engine honours, and how it maps onto Meridian's own
``ModelSpec`` (docs/fitting.md, "Meridian"). Pure Python: checked before any fit, by the API
when a model is created and by the CLI before its progress bar, without Meridian installed.

Mapping (our spec -> Meridian):

- ``adstock``: geometric only, always normalised (Meridian divides ``alpha**l`` by its sum):
  ``l_max`` -> ``max_lag = l_max - 1``; ``saturation``: Hill only (``ec`` = our ``kappa``).
- ``channels.<c>.roas`` (revenue KPI) -> ``roi_m`` of channel ``c``: a LogNormal with that mean
  and standard deviation (Meridian's ROI is incremental outcome / spend, our ROAS);
  ``channels.<c>.cpa`` (conversion KPI) -> ``roi_m`` = 1 / CPA: LogNormal(-mu, s) when the CPA
  is LogNormal(mu, s). ``lift_tests`` -> the same ROI prior, mean ``kpi_change / spend_change``
  and sd ``sigma / |spend_change|`` (several tests of a channel: inverse-variance pooled).
- ``meridian.knots`` -> ``knots`` (Meridian's time effect); ``trend.enabled: false`` with knots
  unset -> one knot (a constant intercept).
- ``holdout: n`` -> ``HoldoutSpec`` of the last ``n`` periods (kept out of the likelihood).
- ``controls`` and ``events`` (dummies) -> Meridian's controls; organic columns -> organic media.
- ``sampler``: ``chains``, ``tune`` (-> ``n_adapt``), ``draws`` (-> ``n_keep``), ``seed``;
  ``meridian.n_burnin`` (default ``tune``).

Refused, naming the field, when set: other adstock or saturation kinds, ``adstock.normalize:
false``, transform ``priors`` (global or per channel), ``seasonality.yearly_order`` (Meridian's
knots carry seasonality), ``trend.n_changepoints`` / ``trend.scale``, ``holidays``,
``time_varying_intercept``, ``sampler.mode: quick``, ``sampler.backend``,
``sampler.target_accept``, ``sampler.reruns``, geo lift tests, a channel with both a ROAS/CPA
prior and lift tests.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from mixwise.model.spec import LiftTest, ModelSpec, RoasPrior, SpecFieldError

if TYPE_CHECKING:
    from mixwise.data.dataset import MMMDataset

ENGINE = "meridian"


def _set(block: Any, name: str) -> bool:
    return name in getattr(block, "model_fields_set", set())


def _refuse(field: str, why: str, fix: str) -> SpecFieldError:
    return SpecFieldError(f"{field}: {why}", [field], fix)


def check_spec(engine: str, spec: ModelSpec, dataset: MMMDataset | None = None) -> None:
    """Raise :class:`SpecFieldError` for what of ``spec`` Meridian has no equivalent of (module
    docstring); the kinds, holdout and flags are :class:`Capabilities`' checks."""
    unsupported: list[tuple[bool, str, str, str]] = [
        (
            _set(spec.adstock, "normalize") and not spec.adstock.normalize,
            "adstock.normalize",
            "Meridian always normalises its adstock weights to sum to 1",
            "Remove adstock.normalize (or set it to true).",
        ),
        (
            bool(spec.priors),
            "priors",
            "Meridian's transform priors are its own (alpha_m, ec_m, slope_m); mixwise's PyMC "
            "priors have no Meridian equivalent",
            "Remove priors; calibrate channels with channels.<name>.roas / cpa or lift_tests.",
        ),
        (
            _set(spec.seasonality, "yearly_order"),
            "seasonality.yearly_order",
            "Meridian has no Fourier seasonality: its time effect (knots) carries it",
            "Remove seasonality and set meridian.knots (e.g. one knot every 4-8 weeks).",
        ),
        (
            _set(spec.trend, "n_changepoints") or _set(spec.trend, "scale"),
            "trend",
            "Meridian's time effect is its knots, not changepoints",
            "Remove trend.n_changepoints / trend.scale and set meridian.knots.",
        ),
        (
            spec.holidays is not None,
            "holidays",
            "the meridian engine takes no holiday calendar",
            "Remove holidays (add holiday dummies as event or control columns instead).",
        ),
        (
            spec.sampler.mode == "quick",
            "sampler.mode",
            "Meridian samples with NUTS only (no quick approximation)",
            "Remove sampler.mode: quick (fit with small draws for a fast look).",
        ),
    ]
    unsupported += [
        (
            _set(spec.sampler, name),
            f"sampler.{name}",
            "Meridian's sampler (windowed adaptive NUTS) has no such setting",
            f"Remove sampler.{name}.",
        )
        for name in ("backend", "target_accept", "reruns", "advi_iterations")
    ]
    for used, field, why, fix in unsupported:
        if used:
            raise _refuse(field, why, fix)
    for name, channel in spec.channels.items():
        if channel.priors:
            raise _refuse(
                f"channels.{name}.priors",
                "mixwise's PyMC priors have no Meridian equivalent",
                f"Remove channels.{name}.priors; use channels.{name}.roas (or cpa).",
            )
    tested = {t.channel for t in spec.lift_tests}
    for t in spec.lift_tests:
        if t.geo is not None:
            raise _refuse(
                "lift_tests",
                f"Meridian's ROI priors are per channel, not per geo (a test names geo {t.geo!r})",
                "Drop geo from the lift tests.",
            )
    for name in sorted(tested & {c for c, ch in spec.channels.items() if ch.roas or ch.cpa}):
        raise _refuse(
            f"channels.{name}",
            "both a ROAS/CPA prior and lift tests: Meridian takes one ROI prior per channel",
            f"Keep either channels.{name}.roas/cpa or its lift tests.",
        )
    if dataset is not None:
        known = set(dataset.channels)
        for name in sorted((set(spec.channels) | tested) - known):
            field = f"channels.{name}" if name in spec.channels else "lift_tests"
            raise _refuse(
                field,
                f"no channel {name!r} in the dataset",
                f"Use one of: {', '.join(dataset.channels)}.",
            )


def lognormal(mean: float, sd: float) -> tuple[float, float]:
    """``(mu, sigma)`` of the LogNormal with this mean and standard deviation:
    ``sigma^2 = ln(1 + sd^2 / mean^2)``, ``mu = ln(mean) - sigma^2 / 2``."""
    s2 = math.log1p((sd / mean) ** 2)
    return math.log(mean) - s2 / 2, math.sqrt(s2)


def roi_priors(spec: ModelSpec) -> dict[str, dict[str, float]]:
    """Channel -> ``{"mu", "sigma"}`` of its LogNormal ``roi_m`` prior (module docstring)."""
    out: dict[str, dict[str, float]] = {}
    for name, channel in spec.channels.items():
        prior: RoasPrior | None = channel.roas or channel.cpa
        if prior is None:
            continue
        mu, sigma = lognormal(prior.mean, prior.sigma)
        out[name] = {"mu": -mu if channel.cpa else mu, "sigma": sigma}
    by_channel: dict[str, list[LiftTest]] = {}
    for t in spec.lift_tests:
        by_channel.setdefault(t.channel, []).append(t)
    for name, tests in by_channel.items():
        ratios = [(t.kpi_change / t.spend_change, t.sigma / abs(t.spend_change)) for t in tests]
        weights = [1 / sd**2 for _, sd in ratios]
        mean = sum(w * r for w, (r, _) in zip(weights, ratios, strict=True)) / sum(weights)
        if mean <= 0:
            raise _refuse(
                "lift_tests",
                f"the lift tests of {name} measure a ROI of {mean:g} <= 0; Meridian's ROI "
                "prior is LogNormal (positive)",
                "Check the signs of spend_change and kpi_change.",
            )
        mu, sigma = lognormal(mean, math.sqrt(1 / sum(weights)))
        out[name] = {"mu": mu, "sigma": sigma}
    return out


def knots(spec: ModelSpec) -> int | list[int] | None:
    """Meridian's ``knots``: ``meridian.knots``; one knot when the trend is off; else None."""
    if spec.meridian.knots is not None:
        return spec.meridian.knots
    return 1 if not spec.trend.enabled else None
