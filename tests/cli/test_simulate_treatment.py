"""``mixwise simulate --treatment NAME=VALUE``: bad values exit 2 naming the option (the
scenario itself is tested on a real fit in tests/engines/bayesian/test_organic.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize("value", ["price", "price=cheap", "=3"])
def test_a_bad_treatment_exits_2(run_cli, tmp_path: Path, value: str) -> None:
    out = run_cli("simulate", str(tmp_path), "--treatment", value)
    assert out.exit_code == 2, out
    assert f"--treatment {value!r}: expected NAME=VALUE" in out.err
