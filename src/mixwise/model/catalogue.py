"""The one catalogue of transform kinds: every adstock and saturation kind, declared once.

Each kind names its parameters (PyMC-Marketing's names; spec variables are ``adstock_<name>`` /
``saturation_<name>``) with their domains, and its numpy function from
:mod:`mixwise.model.transforms`. Spec, summaries, planning, engines and the synthetic generator
read their tables from here, so adding a kind touches this module (plus the class map of an
engine that implements it).

Saturation kinds separate three sets of names:

- ``params``: what the Bayesian model samples (the spec's priors), coefficient included;
- ``coefficient``: the parameter that scales the curve (FitResult's ``beta``);
- ``curve``: the parameters of the numpy function ``f(x, **curve)`` (planning, synthetic truth).

A fit stores ``beta`` and the ``params`` other than the coefficient; :meth:`SaturationKind.unit`
turns those into ``curve`` parameters of ``f / beta`` so that
``contribution = kpi_scale * beta * f(x, **unit)``. E.g. tanh ``b tanh(x / (b c))`` =
``b * tanh(x / (1 * (b c)))``: ``unit = {b: 1, c: b c}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from mixwise.model import transforms as tf

FloatArray = npt.NDArray[np.float64]
Unit = Callable[[Mapping[str, FloatArray], FloatArray], dict[str, FloatArray]]

AdstockKindName = Literal["geometric", "delayed", "weibull_cdf", "weibull_pdf"]
SaturationKindName = Literal["logistic", "hill", "michaelis_menten", "tanh"]


@dataclass(frozen=True)
class Domain:
    """Allowed values ``low <= v < high`` (``low < v`` when ``open_low``)."""

    low: float = 0.0
    high: float = float("inf")
    open_low: bool = True

    def contains(self, v: float) -> bool:
        above = v > self.low if self.open_low else v >= self.low
        return bool(above and v < self.high)

    def __str__(self) -> str:
        return f"{'(' if self.open_low else '['}{self.low:g}, {self.high:g})"


POSITIVE = Domain()
UNIT_INTERVAL = Domain(0.0, 1.0, open_low=False)


@dataclass(frozen=True)
class AdstockKind:
    """An adstock kind: parameter domains, the weights function, an optional closed half-life."""

    name: str
    params: Mapping[str, Domain]
    weights: Callable[..., FloatArray]
    half_life: Callable[..., FloatArray] | None = None
    """Closed-form half-life in periods from the parameters by name, where the kind has one."""


def _identity(shape: Mapping[str, FloatArray], coefficient: FloatArray) -> dict[str, FloatArray]:
    return dict(shape)


@dataclass(frozen=True)
class SaturationKind:
    """A saturation kind (module docstring): sampled params, coefficient, curve params."""

    name: str
    params: Mapping[str, Domain]
    coefficient: str
    curve: tuple[str, ...]
    function: Callable[..., FloatArray]
    gradient: Callable[..., FloatArray]
    unit: Unit = _identity
    marginal_peak: Callable[..., FloatArray] | None = None
    """Where the marginal response ``f'(x)`` peaks, from the curve parameters by name, for an
    S-shaped kind; ``None``: concave, ``f'`` falls from ``x = 0``."""

    @property
    def shape(self) -> tuple[str, ...]:
        """The sampled parameters other than the coefficient (stored as ``saturation_<p>``)."""
        return tuple(p for p in self.params if p != self.coefficient)


def _hill_marginal_peak(slope: FloatArray, kappa: FloatArray) -> FloatArray:
    """``argmax f'`` of ``x^s / (k^s + x^s)``: ``k ((s - 1) / (s + 1))^(1/s)`` for ``s > 1``,
    else 0 (the curve is concave)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(slope > 1, kappa * ((slope - 1) / (slope + 1)) ** (1 / slope), 0.0)


def _michaelis_menten_unit(
    shape: Mapping[str, FloatArray], coefficient: FloatArray
) -> dict[str, FloatArray]:
    """``alpha x / (lam + x) = alpha * (1 x / (lam + x))``."""
    return {"alpha": np.ones_like(coefficient), "lam": shape["lam"]}


def _tanh_unit(shape: Mapping[str, FloatArray], coefficient: FloatArray) -> dict[str, FloatArray]:
    """``b tanh(x / (b c)) = b * (1 tanh(x / (1 (b c))))``."""
    return {"b": np.ones_like(coefficient), "c": coefficient * shape["c"]}


ADSTOCKS: dict[str, AdstockKind] = {
    k.name: k
    for k in (
        AdstockKind(
            "geometric", {"alpha": UNIT_INTERVAL}, tf.geometric_weights, tf.geometric_halflife
        ),
        AdstockKind(
            "delayed", {"alpha": UNIT_INTERVAL, "theta": Domain(open_low=False)}, tf.delayed_weights
        ),
        AdstockKind("weibull_cdf", {"lam": POSITIVE, "k": POSITIVE}, tf.weibull_cdf_weights),
        AdstockKind("weibull_pdf", {"lam": POSITIVE, "k": POSITIVE}, tf.weibull_pdf_weights),
    )
}
"""Adstock kind name -> :class:`AdstockKind`."""

SATURATIONS: dict[str, SaturationKind] = {
    k.name: k
    for k in (
        SaturationKind(
            "logistic",
            {"lam": POSITIVE, "beta": POSITIVE},
            "beta",
            ("lam",),
            tf.logistic,
            tf.logistic_grad,
        ),
        SaturationKind(
            "hill",
            {"slope": POSITIVE, "kappa": POSITIVE, "beta": POSITIVE},
            "beta",
            ("slope", "kappa"),
            tf.hill,
            tf.hill_grad,
            marginal_peak=_hill_marginal_peak,
        ),
        SaturationKind(
            "michaelis_menten",
            {"alpha": POSITIVE, "lam": POSITIVE},
            "alpha",
            ("alpha", "lam"),
            tf.michaelis_menten,
            tf.michaelis_menten_grad,
            _michaelis_menten_unit,
        ),
        SaturationKind(
            "tanh",
            {"b": POSITIVE, "c": POSITIVE},
            "b",
            ("b", "c"),
            tf.tanh,
            tf.tanh_grad,
            _tanh_unit,
        ),
    )
}
"""Saturation kind name -> :class:`SaturationKind`."""

ADSTOCK_PARAMS: dict[str, tuple[str, ...]] = {k: tuple(v.params) for k, v in ADSTOCKS.items()}
"""Parameters of each adstock kind (PyMC-Marketing names; variables ``adstock_<name>``)."""

SATURATION_PARAMS: dict[str, tuple[str, ...]] = {k: tuple(v.params) for k, v in SATURATIONS.items()}
"""Sampled parameters of each saturation kind (variables ``saturation_<name>``)."""

CURVE_PARAMS: dict[str, tuple[str, ...]] = {k: v.curve for k, v in SATURATIONS.items()}
"""Parameters of each saturation kind's numpy function (planning, synthetic truth)."""

COEFFICIENT: dict[str, str] = {k: v.coefficient for k, v in SATURATIONS.items()}
"""The saturation parameter that scales the curve: FitResult's ``beta``."""

if set(get_args(AdstockKindName)) != set(ADSTOCKS) or set(get_args(SaturationKindName)) != set(
    SATURATIONS
):  # pragma: no cover - caught at import by any test
    raise RuntimeError("catalogue: the Literal kind names and the kind tables differ")


def adstock(
    kind: str,
    x: npt.ArrayLike,
    l_max: int = 12,
    normalize: bool = False,
    mode: tf.ConvMode = "After",
    **params: npt.ArrayLike,
) -> FloatArray:
    """Adstock of any kind by name, e.g. ``adstock("geometric", x, alpha=a, l_max=8)``."""
    if kind not in ADSTOCKS:
        raise ValueError(f"unknown adstock {kind!r}; known: {', '.join(ADSTOCKS)}")
    weights = ADSTOCKS[kind].weights(**params, l_max=l_max, normalize=normalize)
    return tf.convolve(x, weights, mode)


def check_params(kind: AdstockKind | SaturationKind, values: Mapping[str, float]) -> None:
    """Raise ``ValueError`` naming the parameter when a value lies outside its domain."""
    for name, value in values.items():
        domain = kind.params.get(name, POSITIVE)
        if not domain.contains(value):
            raise ValueError(f"{kind.name} {name} must be in {domain} (got {value:g})")
