"""The catalogue of transform kinds is the one list: spec, planning, engines and the synthetic
generator accept exactly its kinds, and each kind's numpy gradient is its function's derivative."""

from __future__ import annotations

import typing

import numpy as np
import pytest

from mixwise.data.synthetic import config as synthetic
from mixwise.engines.base import Capabilities, engine_capabilities
from mixwise.model import catalogue
from mixwise.model import spec as model_spec
from mixwise.plan import kernels, response


def _literal(annotation: object) -> set[str]:
    return set(typing.get_args(annotation))


def test_every_layer_accepts_the_catalogues_kinds() -> None:
    adstocks, saturations = set(catalogue.ADSTOCKS), set(catalogue.SATURATIONS)
    assert saturations == {"logistic", "hill", "michaelis_menten", "tanh"}
    fields = model_spec.AdstockSpec.model_fields, model_spec.SaturationSpec.model_fields
    assert _literal(fields[0]["kind"].annotation) == adstocks
    assert _literal(fields[1]["kind"].annotation) == saturations
    assert set(model_spec.ADSTOCK_PARAMS) == adstocks
    assert set(response.SATURATION_PARAMS) == set(kernels.KERNELS) == saturations
    truth = synthetic.AdstockTruth.model_fields, synthetic.SaturationTruth.model_fields
    assert _literal(truth[0]["kind"].annotation) == adstocks
    assert _literal(truth[1]["kind"].annotation) == saturations
    assert set(synthetic.SATURATION_PARAMS) == saturations
    assert {k: set(v) for k, v in synthetic.SATURATION_PARAMS.items()} == {
        k: set(v.curve) for k, v in catalogue.SATURATIONS.items()
    }
    caps = Capabilities("posterior")
    assert set(caps.adstock) == adstocks and set(caps.saturation) == saturations


def test_bayesian_engine_maps_every_kind() -> None:
    from mixwise.engines.bayesian import build

    assert set(build.ADSTOCKS) == set(catalogue.ADSTOCKS)
    assert set(build.SATURATIONS) == set(catalogue.SATURATIONS)
    for name, kind in catalogue.SATURATIONS.items():  # PyMC-Marketing samples these parameters
        assert set(build.SATURATIONS[name].default_priors) == set(kind.params), name
        assert kind.coefficient in kind.params


def test_every_engines_kinds_are_catalogue_kinds() -> None:
    """An engine may fit a subset (ridge: Robyn's adstocks and Hill), never a kind of its own."""
    from mixwise.engines.ridge import engine as ridge
    from mixwise.engines.ridge import hyperparameters

    for name in ("bayesian", "ridge"):
        caps = engine_capabilities(name)
        assert set(caps.adstock) <= set(catalogue.ADSTOCKS), name
        assert set(caps.saturation) <= set(catalogue.SATURATIONS), name
    assert set(ridge.ADSTOCK_KINDS) == set(hyperparameters.ADSTOCK_KINDS)
    assert set(ridge.ADSTOCK_KINDS) == set(engine_capabilities("ridge").adstock)


X = np.linspace(0.05, 4.0, 40)[:, None]  # (time, channel)
CURVES = {
    "logistic": {"lam": 1.7},
    "hill": {"slope": 1.8, "kappa": 0.9},
    "michaelis_menten": {"alpha": 2.0, "lam": 0.7},
    "tanh": {"b": 1.3, "c": 0.6},
}


@pytest.mark.parametrize("name", sorted(catalogue.SATURATIONS))
def test_gradient_is_the_finite_difference_of_the_function(name: str) -> None:
    kind = catalogue.SATURATIONS[name]
    p = {k: np.array([v]) for k, v in CURVES[name].items()}
    assert set(p) == set(kind.curve)
    h = 1e-6
    fd = (kind.function(X + h, **p) - kind.function(X - h, **p)) / (2 * h)
    np.testing.assert_allclose(kind.gradient(X, **p), fd, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", sorted(catalogue.SATURATIONS))
def test_unit_curve_times_coefficient_is_the_sampled_curve(name: str) -> None:
    """``beta * f(x, **unit(shape, beta)) == f_pymc(x, **params)`` for each kind."""
    kind = catalogue.SATURATIONS[name]
    sampled = {p: 0.8 + 0.3 * i for i, p in enumerate(kind.params)}
    beta = np.array([sampled[kind.coefficient]])
    unit = kind.unit({p: np.array([sampled[p]]) for p in kind.shape}, beta)
    sampled_curve = {p: np.array([v]) for p, v in sampled.items() if p in kind.curve}
    coefficient = 1.0 if kind.coefficient in kind.curve else beta
    np.testing.assert_allclose(
        beta * kind.function(X, **unit), coefficient * kind.function(X, **sampled_curve)
    )


def test_tanh_slope_at_zero_is_one_over_c() -> None:
    """PyMC-Marketing's property of tanh: ``f'(0) = 1 / c`` whatever ``b``
    (its values against PyMC-Marketing: tests/model/test_transforms.py)."""
    for b in (0.5, 4.0):
        g = catalogue.SATURATIONS["tanh"].gradient(np.zeros((1, 1)), b=[b], c=[0.35])
        assert g[0, 0] == pytest.approx(1 / 0.35, rel=1e-12)


def test_domains_refuse_values_naming_the_parameter() -> None:
    with pytest.raises(ValueError, match=r"geometric alpha must be in \[0, 1\) \(got 1\)"):
        catalogue.check_params(catalogue.ADSTOCKS["geometric"], {"alpha": 1.0})
    with pytest.raises(ValueError, match=r"tanh c must be in \(0, inf\)"):
        synthetic.SaturationTruth(kind="tanh", params={"b": 1.0, "c": -1.0})
    catalogue.check_params(catalogue.ADSTOCKS["geometric"], {"alpha": 0.0})


def test_half_life_closed_form_is_the_kernels_median_lag() -> None:
    """Geometric: ln(0.5) / ln(alpha) periods (continuous), alpha = 0.5 -> 1."""
    closed = catalogue.ADSTOCKS["geometric"].half_life
    assert closed is not None
    assert float(closed(np.array([0.5]))[0]) == pytest.approx(1.0)
    assert all(k.half_life is None for n, k in catalogue.ADSTOCKS.items() if n != "geometric")


@pytest.mark.parametrize(
    "params",
    [{"slope": 2.5, "kappa": 0.7}, {"slope": 4.0, "kappa": 3.0}, {"slope": 0.8, "kappa": 1}],
)
def test_hill_marginal_peak_is_where_the_gradient_is_largest(params: dict[str, float]) -> None:
    """The closed-form peak of ``f'`` equals the argmax of the gradient on a fine grid (0 for a
    concave Hill curve, slope <= 1); kinds without a peak are the concave ones."""
    kind = catalogue.SATURATIONS["hill"]
    assert kind.marginal_peak is not None
    p = {k: np.array([v], dtype=float) for k, v in params.items()}
    grid = np.linspace(1e-9, 10.0, 400_001)
    expected = grid[np.argmax(kind.gradient(grid, **p))]
    assert kind.marginal_peak(**p)[0] == pytest.approx(expected, abs=1e-4)
    concave = {n for n, k in catalogue.SATURATIONS.items() if k.marginal_peak is None}
    assert concave == {"logistic", "michaelis_menten", "tanh"}
