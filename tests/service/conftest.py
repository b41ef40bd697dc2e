"""A migrated store on SQLite and on the real PostgreSQL (skipped when it is not running)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.cli.conftest import run_cli

from mixwise.store import Store
from mixwise.store.testing import postgres_available, temporary_store


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "postgresql" and not postgres_available():
        pytest.fail(
            "PostgreSQL is not reachable (MIXWISE_TEST_POSTGRES_URL): the production path must be"
            " tested against a real server; start PostgreSQL (see docs/api.md)"
        )
    with temporary_store(request.param, tmp_path) as s:
        yield s


__all__ = ["run_cli", "store"]
