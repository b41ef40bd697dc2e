"""The engine registry (:mod:`mixwise.engines.base`)."""

from __future__ import annotations

import pytest

from mixwise.engines import engine_names, get_engine
from mixwise.errors import SpecError


def test_registry() -> None:
    assert "bayesian" in engine_names()
    assert get_engine("bayesian").name == "bayesian"
    with pytest.raises(SpecError, match="unknown engine 'nope'"):
        get_engine("nope")
