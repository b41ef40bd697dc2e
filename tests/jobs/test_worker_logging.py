"""A worker process prints its own lines; libraries' INFO chatter (Alembic's plugin set-up and
migration lines) only with ``mixwise --debug`` (``MIXWISE_DEBUG``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("debug", [False, True])
def test_library_info_lines_only_with_debug(debug: bool, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIXWISE_")}
    env |= {"MIXWISE_HOME": str(tmp_path), "PYTHONPATH": os.pathsep.join(sys.path)}
    if debug:
        env["MIXWISE_DEBUG"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "mixwise.jobs", "--max-jobs", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "worker started" in done.stderr
    chatter = [ln for ln in done.stderr.splitlines() if "alembic" in ln or "Context impl" in ln]
    assert bool(chatter) == debug, done.stderr
