"""The engine's BLAS setting: no PyTensor BLAS warning reaches the user, a user's choice is kept.
Each case runs in a fresh process (PyTensor's config is read once per process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import warnings
warnings.simplefilter("always")
import mixwise.engines.bayesian  # engine setup
import numpy as np, pytensor, pytensor.tensor as pt
a = pt.matrix("a")
f = pytensor.function([a], pt.dot(a, a) + 1)
assert float(f(np.eye(3)).sum()) == 12.0
# what PyTensor's C code reads when it links BLAS ops: unset, this runs the probe that warns
print("LDFLAGS=" + repr(pytensor.config.blas__ldflags))
"""


def _run(tmp_path: Path, flags: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTENSOR")}
    env["HOME"] = str(tmp_path)  # no ~/.pytensorrc
    env["PYTENSOR_FLAGS"] = f"base_compiledir={tmp_path / 'c'}" + (f",{flags}" if flags else "")
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300
    )


def test_no_blas_warning_at_engine_setup(tmp_path: Path) -> None:
    out = _run(tmp_path, None)
    assert out.returncode == 0, out.stderr
    assert "LDFLAGS=''" in out.stdout
    assert "BLAS" not in out.stderr and "severely degraded" not in out.stderr, out.stderr


def test_a_users_blas_setting_is_kept(tmp_path: Path) -> None:
    out = _run(tmp_path, "blas__ldflags=-lm")
    assert out.returncode == 0, out.stderr
    assert "LDFLAGS='-lm'" in out.stdout
