"""Hyperparameter ranges: Robyn's defaults, the unit-cube mapping and validation messages."""

from __future__ import annotations

import numpy as np
import pytest

from mixwise.engines.ridge.hyperparameters import HyperRanges, Range, default_ranges, media_kind
from mixwise.errors import SpecError


def test_robyn_default_theta_by_media_kind() -> None:
    r = default_ranges(["tv_S", "ooh_S", "print_S", "facebook_S", "search_S", "newsletter"])
    theta = {c: (p["theta"].lower, p["theta"].upper) for c, p in r.channels.items()}
    assert theta["tv_S"] == (0.3, 0.8)
    assert theta["ooh_S"] == theta["print_S"] == (0.1, 0.4)
    assert theta["facebook_S"] == theta["search_S"] == theta["newsletter"] == (0.0, 0.3)
    assert (r.channels["tv_S"]["alpha"], r.channels["tv_S"]["gamma"]) == (
        Range(0.5, 3.0),
        Range(0.3, 1.0),
    )
    assert r.lambda_ == Range(0.0, 1.0)
    assert media_kind("Radio_spend") == "offline" and media_kind("CTV") == "tv"


def test_weibull_defaults_and_kind_override() -> None:
    cdf = default_ranges(["a"], "weibull_cdf")
    pdf = default_ranges(["a"], "weibull_pdf")
    assert cdf.channels["a"]["shape"] == Range(0.0001, 2.0)
    assert pdf.channels["a"]["shape"] == Range(0.0001, 10.0)
    assert pdf.channels["a"]["scale"] == Range(0.0, 0.1)
    tv = default_ranges(["brand_video"], kinds={"brand_video": "tv"})
    assert tv.channels["brand_video"]["theta"] == Range(0.3, 0.8)


def test_unit_cube_maps_to_bounds_in_name_order() -> None:
    r = default_ranges(["tv", "search"], overrides={"search": {"alpha": (1.0, 1.0)}})
    assert r.names == [
        "tv_theta", "tv_alpha", "tv_gamma", "search_theta", "search_alpha", "search_gamma", "lambda"
    ]  # fmt: skip
    lo, hi = r.bounds
    np.testing.assert_allclose(r.from_unit(np.zeros(7)), lo)
    np.testing.assert_allclose(r.from_unit(np.full(7, 0.5)), (lo + hi) / 2)
    assert r.from_unit(np.ones(7))[4] == 1.0  # fixed: lower == upper
    np.testing.assert_allclose(r.column(r.from_unit(np.ones((2, 7))), "theta"), [[0.8, 0.3]] * 2)


@pytest.mark.parametrize(
    ("override", "field", "fix"),
    [
        ({"tv": {"theta": (0.5, 1.2)}}, "tv.theta", "domain"),
        ({"tv": {"gamma": (0.9, 0.2)}}, "tv.gamma: lower 0.9 is above upper 0.2", "Swap them"),
        ({"tv": {"alpha": (0.0, 2.0)}}, "tv.alpha", "domain"),
        ({"lambda": {"lambda": (0.0, 2.0)}}, "lambda", "domain"),
    ],
)
def test_invalid_ranges_name_the_field_and_the_fix(
    override: dict[str, dict[str, tuple[float, float]]], field: str, fix: str
) -> None:
    with pytest.raises(SpecError) as err:
        default_ranges(["tv"], overrides=override)
    assert field in err.value.message
    assert fix in err.value.hint or fix in err.value.message


def test_wrong_parameter_set_and_unknown_channel() -> None:
    with pytest.raises(SpecError, match="exactly shape, scale, alpha, gamma"):
        HyperRanges(adstock="weibull_pdf", channels={"tv": {"theta": Range(0, 0.5)}})
    with pytest.raises(SpecError, match="unknown channels: radio"):
        default_ranges(["tv"], overrides={"radio": {"theta": (0.1, 0.2)}})
    with pytest.raises(SpecError, match="unknown adstock"):
        HyperRanges(adstock="delayed", channels={})  # type: ignore[arg-type]
