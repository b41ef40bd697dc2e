"""Load: 50 concurrent simulate calls on loopback, bounded in count and time, with 0 errors
(``bench/api_load.py`` does the same against a `mixwise serve` of its own and prints p50/p95)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from tests.api.support import Fitted

BENCH = Path(__file__).resolve().parents[2] / "bench" / "api_load.py"


def _bench() -> object:
    spec = importlib.util.spec_from_file_location("api_load", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["api_load"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_fifty_concurrent_simulations_without_errors(fitted: Fitted) -> None:
    bench = _bench()
    result = bench.run_load(
        fitted.url,
        fitted.key_a,
        fitted.model_id,
        n=50,  # type: ignore[attr-defined]
        concurrency=50,
        timeout=120,
    )
    print(f"\nAPI load ({fitted.store.dialect}): {result.line()}")
    assert result.errors == 0, result.error_samples
    assert len(result.latencies) == 50
    assert result.wall < 120
