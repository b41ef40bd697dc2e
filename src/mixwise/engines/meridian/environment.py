"""The Meridian engine's own environment: where it is, whether it is installed, installing it.

Google Meridian pins arviz < 0.20, numpy < 2.4 and pandas < 3 and brings TensorFlow, so it lives
in a virtual environment apart from mixwise's, synced by uv from the lock committed beside this
module (``environment/pyproject.toml`` + ``environment/uv.lock``). mixwise never imports
TensorFlow or meridian: the worker (``worker.py``) runs with that environment's Python.

The environment is ``$MIXWISE_MERIDIAN_ENV``, by default ``~/.mixwise/engines/meridian``.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from mixwise.errors import EngineUnavailable, MixwiseError

PROJECT = Path(__file__).resolve().parent / "environment"
"""The uv project that pins Meridian and its stack (pyproject.toml, uv.lock)."""
WORKER = Path(__file__).resolve().parent / "worker.py"
STAMP = ".mixwise-lock-sha256"
"""File in the environment holding the hash of the uv.lock it was synced from."""
INSTALL = "mixwise engines install meridian"


def env_dir() -> Path:
    """Where the Meridian environment is (``$MIXWISE_MERIDIAN_ENV`` or the default)."""
    configured = os.environ.get("MIXWISE_MERIDIAN_ENV")
    return (
        Path(configured).expanduser() if configured else Path.home() / ".mixwise/engines/meridian"
    )


def lock_hash() -> str:
    return hashlib.sha256((PROJECT / "uv.lock").read_bytes()).hexdigest()


def python_path() -> Path:
    return env_dir() / "bin" / "python"


@dataclass(frozen=True)
class EnvironmentStatus:
    """Whether the environment is there and synced from the current lock."""

    path: Path
    installed: bool
    current: bool

    @property
    def state(self) -> str:
        if not self.installed:
            return "not installed"
        return "installed" if self.current else "installed from an older lock (reinstall)"


def status() -> EnvironmentStatus:
    stamp = env_dir() / STAMP
    installed = python_path().is_file() and stamp.is_file()
    current = installed and stamp.read_text(encoding="utf-8").strip() == lock_hash()
    return EnvironmentStatus(env_dir(), installed, current)


def require() -> Path:
    """The environment's Python, or :class:`EngineUnavailable` with the install command."""
    st = status()
    if not st.installed:
        raise EngineUnavailable(
            f"the meridian engine is not installed: Google Meridian and TensorFlow run in their "
            f"own environment, and there is none at {st.path}",
            f"Run `{INSTALL}` (a few minutes, about 2 GB), then fit again.",
        )
    if not st.current:
        raise EngineUnavailable(
            f"the meridian environment at {st.path} was installed from an older lock",
            f"Run `{INSTALL}` to sync it with this mixwise.",
        )
    return python_path()


def find_python312() -> str:
    """A Python 3.12 interpreter's real path (uv cannot download one here), as the Makefile
    finds it: this interpreter if it is 3.12, ``python3.12`` on PATH, pyenv's, the OS's."""
    candidates = [os.path.realpath(getattr(sys, "_base_executable", sys.executable))]
    candidates += [shutil.which("python3.12") or ""]
    candidates += sorted(glob.glob(str(Path.home() / ".pyenv/versions/3.12*/bin/python3.12")))
    candidates += ["/usr/local/bin/python3.12", "/usr/bin/python3.12"]
    for exe in filter(None, candidates):
        check = "import sys; assert sys.version_info[:2] == (3, 12); print(sys.executable)"
        done = subprocess.run([exe, "-c", check], capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return os.path.realpath(done.stdout.strip())
    raise MixwiseError(
        "Python 3.12 was not found for the meridian environment",
        "Install python3.12 (Meridian's lock is for 3.12), or put it on PATH.",
    )


def uv_command() -> list[str]:
    uv = shutil.which("uv")
    if uv:
        return [uv]
    probe = subprocess.run([sys.executable, "-m", "uv", "--version"], capture_output=True)
    if probe.returncode == 0:
        return [sys.executable, "-m", "uv"]
    raise MixwiseError("uv is needed to install the meridian engine", "pip install uv")


def install() -> float:
    """Sync the environment from the committed lock (``uv sync --locked``); seconds taken.

    Raises :class:`MixwiseError` with uv's own message when the sync fails (nothing is stamped,
    so the engine stays 'not installed')."""
    t0 = time.perf_counter()
    target = env_dir()
    cmd = [
        *uv_command(),
        "sync",
        "--locked",
        "--compile-bytecode",
        "--no-install-project",
        "--project",
        str(PROJECT),
        "--python",
        find_python312(),
    ]
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(target)}
    (target / STAMP).unlink(missing_ok=True)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        raise MixwiseError(
            f"installing the meridian environment at {target} failed:\n{tail}",
            "Check that PyPI can be reached (or the uv cache holds the locked wheels).",
        )
    (target / STAMP).write_text(lock_hash() + "\n", encoding="utf-8")
    return time.perf_counter() - t0
