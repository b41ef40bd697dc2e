"""Small hand-checkable path tables and one synthetic journeys set (seeded) for the tests."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.cli.conftest import run_cli

from mixwise.attribution.load import Journeys, read_journeys
from mixwise.attribution.synthetic import SyntheticJourneys, generate_journeys

__all__ = ["run_cli"]


@pytest.fixture(scope="session")
def synthetic() -> SyntheticJourneys:
    return generate_journeys(30_000, seed=7)


@pytest.fixture(scope="session")
def synthetic_journeys(synthetic: SyntheticJourneys) -> Journeys:
    return read_journeys(synthetic.events)


def path_table(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["path", "conversions", "null"])
