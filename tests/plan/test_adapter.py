"""FitResult -> ResponseModel: the only place planning reads a fit result. Against the truth
it was built from, against what the engine itself computed, and refusals that say why."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import pytest

import mixwise.plan as plan
from mixwise.model import transforms as tf
from mixwise.plan import PlanError, ResponseModel, as_response_model
from mixwise.plan.adapter import response_model_from_result


def test_from_result_equals_from_truth(small_fit_result: Any, small_truth: ResponseModel) -> None:
    m = as_response_model(small_fit_result)
    assert as_response_model(small_fit_result) is m  # converted once, cached
    assert m.channels == small_truth.channels
    np.testing.assert_allclose(m.coefficient, small_truth.coefficient, rtol=1e-12)
    np.testing.assert_allclose(m.adstock_weights, small_truth.adstock_weights, rtol=1e-12)
    np.testing.assert_allclose(
        m.saturation_params["lam"], small_truth.saturation_params["lam"], rtol=1e-12
    )
    np.testing.assert_allclose(m.baseline, small_truth.baseline)
    np.testing.assert_array_equal(m.spend, small_truth.spend)
    assert m.dates.equals(small_truth.dates)


def test_as_response_model_rejects_other_objects() -> None:
    with pytest.raises(PlanError, match="cannot plan with a dict"):
        as_response_model({})


def _with_params(result: Any, **attrs: Any) -> Any:
    params = result.params.copy()
    params.attrs = {**params.attrs, **attrs}
    return dataclasses.replace(result, params=params)


def test_michaelis_menten_alpha_is_the_coefficient(small_fit_result: Any) -> None:
    """Michaelis-Menten's ``alpha`` is the effect itself, already in ``kpi_scale * beta``: the
    curve planning uses is ``x / (lam + x)`` with ``lam`` the fitted ``saturation_lam``."""
    m = response_model_from_result(_with_params(small_fit_result, saturation="michaelis_menten"))
    lam = small_fit_result.params["saturation_lam"].values
    assert m.saturation == ("michaelis_menten",) * 3
    np.testing.assert_array_equal(m.saturation_params["alpha"], np.ones_like(lam))
    np.testing.assert_array_equal(m.saturation_params["lam"], lam)
    np.testing.assert_allclose(m.saturate(np.full((1, 2, 3), 2.0))[0, 0], 2.0 / (lam[0] + 2.0))
    beta = small_fit_result.params["beta"].values
    np.testing.assert_allclose(m.coefficient, 1.0e5 * beta)  # kpi_scale of the fixture


def test_tanh_fit_plans_with_its_closed_form(small_fit_result: Any) -> None:
    """A tanh fit stores ``beta = b`` and ``saturation_c``; planning's contribution at a steady
    adstocked input x is the closed form ``kpi_scale * b * tanh(x / (b c))``, and so is the
    forward model's (the FitResult's own numpy path)."""
    from mixwise.model.forward import saturation_params

    params = small_fit_result.params.rename({"saturation_lam": "saturation_c"})
    params.attrs = {**params.attrs, "saturation": "tanh", "saturation_params": "c"}
    m = response_model_from_result(dataclasses.replace(small_fit_result, params=params))
    b, c = params["beta"].values, params["saturation_c"].values  # (draw, channel)
    x = np.array([0.0, 0.3, 1.0, 5.0])
    expected = 1.0e5 * b[:, None, :] * np.tanh(x[None, :, None] / (b * c)[:, None, :])
    planned = m.coefficient[:, None, :] * m.saturate(
        np.broadcast_to(x[None, :, None], expected.shape)
    )
    np.testing.assert_allclose(planned, expected, rtol=1e-12, atol=1e-9)
    unit = saturation_params(params)
    forward = 1.0e5 * b[:, None, :] * tf.tanh(x[:, None], **unit)
    np.testing.assert_allclose(forward, expected, rtol=1e-12, atol=1e-9)


def test_results_planning_cannot_read_are_refused(small_fit_result: Any) -> None:
    with pytest.raises(PlanError, match="adstock mode 'After' only, the fit used 'Before'"):
        response_model_from_result(_with_params(small_fit_result, adstock_mode="Before"))
    no_lam = dataclasses.replace(
        small_fit_result, params=small_fit_result.params.drop_vars("saturation_lam")
    )
    with pytest.raises(PlanError, match="the fit result has no parameter 'saturation_lam'"):
        response_model_from_result(no_lam)
    geo = dataclasses.replace(
        small_fit_result, params=small_fit_result.params.expand_dims(geo=["north"])
    )
    with pytest.raises(PlanError, match="a geo-level model is planned per geo"):
        response_model_from_result(geo)
    with pytest.raises(PlanError, match="unknown geo 'south'"):
        response_model_from_result(geo, geo="south")
    with pytest.raises(PlanError, match="unknown KPI type 'clicks'"):
        response_model_from_result(dataclasses.replace(small_fit_result, kpi_type="clicks"))


def test_conversions_result_keeps_its_value(small_fit_result: Any) -> None:
    conv = dataclasses.replace(small_fit_result, kpi_type="conversions")
    m = response_model_from_result(conv, revenue_per_conversion=25.0)
    assert (m.kpi_type, m.value_per_kpi, m.source) == ("conversions", 25.0, "truth")


@pytest.mark.slow
def test_fit_result_replays_its_own_contributions(quick_fit: Any) -> None:
    m = plan.as_response_model(quick_fit)
    assert m.n_draws == 100 and m.source == "bayesian"
    history = pd.DataFrame(m.spend, index=m.dates, columns=list(m.channels))
    sim = plan.simulate(quick_fit, history)
    expected = quick_fit.contributions.transpose("draw", "time", "channel").values
    np.testing.assert_allclose(sim.contributions, expected, rtol=1e-6, atol=1e-6)
    fitted = quick_fit.fitted.transpose("draw", "time").values
    np.testing.assert_allclose(sim.kpi, fitted, rtol=1e-9, atol=1e-6)


def test_a_geo_cell_reads_its_own_slice(small_fit_result: Any) -> None:
    """A geo fit whose one geo holds the national parameters plans that geo exactly as the
    national model (same coefficients, spend and baseline)."""
    geo = dataclasses.replace(
        small_fit_result, params=small_fit_result.params.expand_dims(geo=["north"])
    )
    national = response_model_from_result(small_fit_result)
    cell = response_model_from_result(geo, geo="north")
    np.testing.assert_array_equal(cell.coefficient, national.coefficient)
    np.testing.assert_array_equal(cell.spend, national.spend)
    assert "geo north" in cell.source
    with pytest.raises(PlanError, match="the model is national"):
        response_model_from_result(small_fit_result, geo="north")
