"""The forward model of a FitResult (model/forward) against the formula written out with loops,
national and geo."""

from __future__ import annotations

import numpy as np
import xarray as xr
from tests.model.support import CHANNELS, L_MAX, N_DRAW, N_TIME, make_params, make_spend

from mixwise.model.forward import forward_contributions, kernel


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
    params, spend = make_params(), make_spend()
    out = forward_contributions(params, spend)
    assert out.dims == ("draw", "time", "channel")
    for d in (0, 17, N_DRAW - 1):
        for c in range(len(CHANNELS)):
            np.testing.assert_allclose(
                out.values[d, :, c], _direct(params, spend.values, d, c), rtol=1e-12
            )


def test_forward_contributions_geo_dims() -> None:
    geos = ["north", "south", "west"]
    out = forward_contributions(make_params(geos), make_spend(geos))
    assert out.dims == ("draw", "time", "geo", "channel")
    assert out.shape == (N_DRAW, N_TIME, 3, 2)


def test_kernel_is_the_normalised_geometric_weights() -> None:
    params = make_params()
    alpha = params["adstock_alpha"].values  # (draw, channel)
    w = alpha[..., None] ** np.arange(L_MAX)
    np.testing.assert_allclose(kernel(params), w / w.sum(-1, keepdims=True), rtol=1e-12)
    raw = params.assign_attrs(normalize=0)
    np.testing.assert_allclose(kernel(raw), w, rtol=1e-12)
