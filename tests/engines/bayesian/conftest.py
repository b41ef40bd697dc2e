"""Fixtures of the bayesian engine's tests (the datasets come from ../conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mixwise.engines.bayesian import compiled


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty plan directory and nothing compiled in this process."""
    monkeypatch.setenv(compiled.CACHE_ENV, str(tmp_path))
    compiled.clear_memory()
    yield tmp_path
    compiled.clear_memory()
