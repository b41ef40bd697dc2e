"""Shared fixtures. The reference datasets live in ../shared/datasets (never copied here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# MLflow tracking is on by default for users; the suite turns it on only where it tests it
# (tests/service/test_tracking.py), so other fits do not write to ~/.mixwise/mlruns.
os.environ.setdefault("MIXWISE_TRACKING", "off")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATASETS = REPO.parent / "shared" / "datasets"
MAPPINGS = REPO / "examples" / "mappings"


@pytest.fixture(scope="session")
def shared_datasets() -> Path:
    assert SHARED_DATASETS.is_dir(), f"reference datasets not found at {SHARED_DATASETS}"
    return SHARED_DATASETS


@pytest.fixture(scope="session")
def mappings_dir() -> Path:
    return MAPPINGS
