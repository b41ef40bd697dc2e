"""`mixwise keys create` prints the key as its last line; `mixwise worker` runs queued jobs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mixwise.jobs import queue
from mixwise.service import workspaces
from mixwise.store import Settings
from mixwise.store.db import _create


def _mixwise(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"MIXWISE_HOME": str(home), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-c", "from mixwise.cli.app import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_keys_create_prints_the_key_last_and_it_works(tmp_path: Path) -> None:
    out = _mixwise(tmp_path, "keys", "create", "acme")
    assert out.returncode == 0, out.stderr
    key = out.stdout.strip().splitlines()[-1]
    store = _create(Settings.from_env({"MIXWISE_HOME": str(tmp_path)}), migrate_db=True)
    try:
        assert workspaces.authenticate(store, key).name == "acme"
    finally:
        store.dispose()
    bad = _mixwise(tmp_path, "keys", "create", "../no")
    assert bad.returncode == 2 and "invalid workspace name" in bad.stderr


def test_worker_command_runs_queued_jobs(tmp_path: Path) -> None:
    store = _create(Settings.from_env({"MIXWISE_HOME": str(tmp_path)}), migrate_db=True)
    try:
        ws = workspaces.ensure_workspace(store, "acme")
        with store.session() as s:
            job_id = queue.enqueue(s, ws.id, "sleep", {"seconds": 0.3}).id
        out = _mixwise(tmp_path, "worker", "--max-jobs", "1")
        assert out.returncode == 0, out.stderr
        assert "1 job(s)" in out.stdout
        with store.session() as s:
            from mixwise.store.models import Job

            job = s.get(Job, job_id)
            assert job is not None and job.status == "succeeded"
    finally:
        store.dispose()
