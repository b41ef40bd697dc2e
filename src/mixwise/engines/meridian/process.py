"""Running the Meridian worker as a subprocess, with progress and cancel.

The worker (``worker.py``, in the Meridian environment) prints one JSON progress object a line
on stdout and its errors on stderr, kept as ``worker.log`` in its run folder. While it runs,
progress is relayed every :data:`HEARTBEAT` seconds even without news, so a callback that
raises ``Cancelled`` (an API cancel) stops it within that time; Ctrl-C stops it too. A worker
that dies (non-zero exit, a signal, or no ``done.json``) raises :class:`EngineFailed` with the
end of its log and where the whole log is kept.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import IO

from mixwise.engines.meridian.environment import WORKER
from mixwise.errors import EngineFailed
from mixwise.progress import Progress

HEARTBEAT = 1.0
"""Seconds between progress calls while the worker is silent (sampling)."""
LOG = "worker.log"
DONE = "done.json"


def _read_lines(stream: IO[str], out: queue.Queue[str | None]) -> None:
    for line in stream:
        out.put(line)
    out.put(None)


def _stop(proc: subprocess.Popen[str]) -> None:
    """End the worker and whatever it started (its own process group)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def _relay(line: str, progress: Progress) -> tuple[str, float, str] | None:
    try:
        msg = json.loads(line)
        update = (str(msg["stage"]), float(msg["fraction"]), str(msg.get("message", "")))
    except (ValueError, KeyError, TypeError):
        return None  # not a progress line (a library printing): it is in the log anyway
    progress(*update)
    return update


def run_worker(python: Path, run: Path, progress: Progress) -> None:
    """Run the worker on ``run`` (its bundle written) until it has written ``done.json``."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"}
    env.pop("PYTHONPATH", None)  # the worker sees its own environment only
    with (run / LOG).open("w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [str(python), str(WORKER), str(run)],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=env,
            start_new_session=True,  # Ctrl-C reaches mixwise, which stops the worker itself
        )
        assert proc.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True).start()
        last, t0 = ("loading", 0.0, "starting the Meridian worker"), time.monotonic()
        try:
            while True:
                try:
                    line = lines.get(timeout=HEARTBEAT)
                except queue.Empty:
                    stage, fraction, message = last
                    elapsed = f"{time.monotonic() - t0:.0f} s"
                    progress(stage, fraction, f"{message} ({elapsed})")
                    continue
                if line is None:
                    break
                last = _relay(line, progress) or last
            code = proc.wait()
        except BaseException:  # Cancelled, KeyboardInterrupt: stop the worker, keep nothing
            _stop(proc)
            raise
    if code != 0 or not (run / DONE).is_file():
        raise EngineFailed(_failure(run, code), f"The worker's whole log is {run / LOG}.")


def _failure(run: Path, code: int) -> str:
    why = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
    if code == 0:
        why = "stopped without writing its draws"
    tail = (run / LOG).read_text(encoding="utf-8", errors="replace").strip().splitlines()[-20:]
    shown = "\n".join(tail) if tail else "(the log is empty)"
    return f"the Meridian worker {why}; nothing was kept. The end of its log:\n{shown}"
