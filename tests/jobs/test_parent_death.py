"""A worker never outlives the server that started it, whatever the timing: its parent is killed
right after starting it, while it imports, and while it runs a job (which goes back to the
queue). The parent here is a small process with a LocalProcessExecutor, killed without stopping
it (as a crashed or SIGKILLed server)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.api.support import skip_without_postgres

from mixwise.jobs import queue
from mixwise.store.models import Job, Workspace
from mixwise.store.testing import temporary_store

PARENT = """
import sys, time
from mixwise.jobs import LocalProcessExecutor
from mixwise.store.db import open_store
executor = LocalProcessExecutor(open_store(), n=1, supervise_s=0.2)
executor.start()
print(executor.pids()[0], flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie nobody reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


def _wait(cond, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("stage", ["spawned", "importing", "running a job"])
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_worker_ends_when_its_server_is_killed(kind: str, stage: str, tmp_path: Path) -> None:
    skip_without_postgres(kind)
    with temporary_store(kind, tmp_path, heartbeat_s=0.2) as store:
        job_id = None
        if stage == "running a job":
            with store.session() as s:
                s.add(Workspace(id="ws", name="ws"))
                s.flush()
                job_id = queue.enqueue(s, "ws", "sleep", {"seconds": 60}, max_attempts=3).id
        env = {**os.environ, **store.settings.to_env(), "PYTHONPATH": os.pathsep.join(sys.path)}
        parent = subprocess.Popen(
            [sys.executable, "-c", PARENT], env=env, stdout=subprocess.PIPE, text=True
        )
        worker = 0
        try:
            assert parent.stdout is not None
            worker = int(parent.stdout.readline())
            if stage == "importing":
                time.sleep(0.5)
            elif job_id is not None:

                def running() -> bool:
                    with store.session() as s:
                        job = s.get(Job, job_id)
                        return job is not None and job.status == "running" and job.fraction > 0

                assert _wait(running, 60), "the worker never ran the job"
            parent.send_signal(signal.SIGKILL)
            parent.wait(10)
            assert _wait(lambda: not _alive(worker), 20), f"worker {worker} outlived its server"
        finally:
            if parent.poll() is None:
                parent.kill()
                parent.wait()
            if worker and _alive(worker):
                os.kill(worker, signal.SIGKILL)
        if job_id is not None:
            with store.session() as s:
                job = s.get(Job, job_id)
                assert job is not None and job.status == "queued", (
                    job.status,
                    job.worker_id,
                    job.attempts,
                    job.message,
                    job.stage,
                    worker,
                )  # given back
