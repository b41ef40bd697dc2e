"""Each heuristic on three journeys, against credits computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.attribution.conftest import path_table

from mixwise.attribution import heuristics as h
from mixwise.attribution.load import read_journeys

# channels sort as A, B, C. Paths: A>B>C (2 conv), B (1 conv), C>A (1 conv), A>B (0 conv)
PATHS = path_table([("A > B > C", 2, 1), ("B", 1, 0), ("C > A", 1, 3), ("A > B", 0, 5)])


@pytest.fixture
def paths():  # type: ignore[no-untyped-def]
    return read_journeys(PATHS).paths


def credit(paths, weights) -> dict[str, float]:  # type: ignore[no-untyped-def]
    c = paths.conversions @ h.per_path_weights(paths, weights)  # as the models credit
    return dict(zip(paths.channels, np.round(c, 9), strict=True))


def test_first_last_linear_by_hand(paths) -> None:  # type: ignore[no-untyped-def]
    assert credit(paths, h.first_touch(paths)) == {"A": 2, "B": 1, "C": 1}
    assert credit(paths, h.last_touch(paths)) == {"A": 1, "B": 1, "C": 2}
    # linear: A>B>C: 2/3 each; B: 1; C>A: 1/2 each
    lin = credit(paths, h.linear(paths))
    assert lin == pytest.approx({"A": 2 / 3 + 0.5, "B": 2 / 3 + 1, "C": 2 / 3 + 0.5})


def test_position_based_40_20_40_and_settable(paths) -> None:  # type: ignore[no-untyped-def]
    # A>B>C: .4/.2/.4 of 2; B: 1; C>A: .5/.5 of 1
    assert credit(paths, h.position_based(paths)) == pytest.approx(
        {"A": 0.8 + 0.5, "B": 0.4 + 1, "C": 0.8 + 0.5}
    )
    # 30/30: middle gets 0.4 of 2 = 0.8
    assert credit(paths, h.position_based(paths, 0.3, 0.3))["B"] == pytest.approx(1.8)


def test_time_decay_halves_per_half_life() -> None:
    ev = pd.DataFrame(
        {
            "journey_id": [1, 1, 1],
            "timestamp": ["2024-01-01", "2024-01-08", "2024-01-15"],
            "channel": ["A", "B", "C"],
            "conversion": [0, 0, 1],
        }
    )
    p = read_journeys(ev).paths
    # ages 14, 7, 0 days; half-life 7: weights 1/4, 1/2, 1 -> /1.75
    got = credit(p, h.time_decay(p, 7.0))
    assert got == pytest.approx({"A": 0.25 / 1.75, "B": 0.5 / 1.75, "C": 1 / 1.75})
    # a path table has no timestamps: the half-life counts touches
    q = read_journeys(path_table([("A > B > C", 1, 0)])).paths
    assert credit(q, h.time_decay(q, 1.0)) == pytest.approx(
        {"A": 0.25 / 1.75, "B": 0.5 / 1.75, "C": 1 / 1.75}
    )


def test_every_heuristic_hands_out_every_conversion(paths) -> None:  # type: ignore[no-untyped-def]
    for w in (h.first_touch, h.last_touch, h.linear, h.time_decay, h.position_based):
        assert sum(credit(paths, w(paths)).values()) == pytest.approx(4.0)
