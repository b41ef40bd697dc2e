"""How a spec maps onto Meridian's priors and knots (pure Python, no Meridian needed)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mixwise.engines.meridian.convert import align_geos
from mixwise.engines.meridian.options import check_spec, knots, lognormal, roi_priors
from mixwise.model.spec import ModelSpec, SpecFieldError

TEST = {"start": "2021-03-01", "end": "2021-03-28", "sigma": 2000.0}


def test_lognormal_has_the_asked_mean_and_sd() -> None:
    mu, s = lognormal(2.5, 0.5)
    draws = np.random.default_rng(0).lognormal(mu, s, 400_000)
    assert draws.mean() == pytest.approx(2.5, rel=5e-3)
    assert draws.std() == pytest.approx(0.5, rel=1e-2)


def test_roas_cpa_and_lift_tests_become_roi_priors() -> None:
    spec = ModelSpec.from_dict(
        {
            "channels": {"tv": {"roas": {"mean": 2.0, "sigma": 0.4}}},
            "lift_tests": [
                {"channel": "search", "spend_change": 10_000, "kpi_change": 30_000, **TEST},
                {"channel": "search", "spend_change": 10_000, "kpi_change": 50_000, **TEST},
            ],
        }
    )
    p = roi_priors(spec)
    assert (p["tv"]["mu"], p["tv"]["sigma"]) == pytest.approx(lognormal(2.0, 0.4))
    # two equally precise tests (ROI 3 and 5, sd 0.2 each): mean 4, sd 0.2 / sqrt(2)
    assert (p["search"]["mu"], p["search"]["sigma"]) == pytest.approx(
        lognormal(4.0, 0.2 / math.sqrt(2))
    )
    cpa = roi_priors(ModelSpec.from_dict({"channels": {"tv": {"cpa": {"mean": 4, "sigma": 1}}}}))
    mu, s = lognormal(4, 1)
    assert (cpa["tv"]["mu"], cpa["tv"]["sigma"]) == pytest.approx((-mu, s))  # ROI = 1 / CPA


def test_a_channel_with_both_a_roas_prior_and_lift_tests_is_refused() -> None:
    spec = ModelSpec.from_dict(
        {
            "channels": {"tv": {"roas": {"mean": 2.0, "sigma": 0.4}}},
            "lift_tests": [{"channel": "tv", "spend_change": 1, "kpi_change": 2, **TEST}],
        }
    )
    with pytest.raises(SpecFieldError) as err:
        check_spec("meridian", spec)
    assert err.value.fields == ["channels.tv"]


def test_knots() -> None:
    assert knots(ModelSpec()) is None
    assert knots(ModelSpec.from_dict({"trend": {"enabled": False}})) == 1
    assert knots(ModelSpec.from_dict({"meridian": {"knots": [0, 10, 20]}})) == [0, 10, 20]
    with pytest.raises(SpecFieldError, match=r"meridian\.knots"):
        ModelSpec.from_dict({"meridian": {"knots": [5, 1]}})


def test_geo_axes_follow_the_dataset_order() -> None:
    """Meridian orders geos naturally (Geo2, Geo10); the dataset as text (Geo10, Geo2)."""
    beta = np.arange(2 * 3 * 2 * 1, dtype=float).reshape(2, 3, 2, 1)  # chain, draw, geo, channel
    draws = {"beta_gm": beta, "media_scale_gm": np.array([[1.0], [2.0]]), "alpha_m": beta[:, :, 0]}
    out = align_geos(draws, ["Geo2", "Geo10"], ["Geo10", "Geo2"])
    np.testing.assert_array_equal(out["beta_gm"][:, :, 0], beta[:, :, 1])
    np.testing.assert_array_equal(out["media_scale_gm"][:, 0], [2.0, 1.0])
    assert out["alpha_m"] is draws["alpha_m"]  # not a geo array
    with pytest.raises(ValueError, match="not the dataset's"):
        align_geos(draws, ["Geo2", "Geo3"], ["Geo10", "Geo2"])
