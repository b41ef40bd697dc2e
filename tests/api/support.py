"""API test helpers: a backend (SQLite or the real PostgreSQL), real servers on loopback
(uvicorn in a thread, or ``mixwise serve`` in a subprocess), and one fitted model per backend
(the ``fitted`` fixture, re-exported by ``conftest.py``).

Every server and process a test starts is stopped by the fixture that started it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from mixwise.api.app import create_app
from mixwise.jobs import ThreadExecutor
from mixwise.service import jobs as _service_jobs  # noqa: F401  (registers the fit job)
from mixwise.service import workspaces
from mixwise.store import Store
from mixwise.store.testing import postgres_available, temporary_postgres_database, temporary_store

REPO = Path(__file__).resolve().parents[2]
PYMC_CSV = REPO.parent / "shared" / "datasets" / "pymc_marketing_mmm_example.csv"
PYMC_MAPPING = REPO / "examples" / "mappings" / "pymc_marketing_mmm_example.yaml"
SMALL_SPEC: dict[str, Any] = {
    "sampler": {"chains": 2, "draws": 60, "tune": 60, "seed": 1},
    "max_draws": 120,
}
"""A real NUTS fit with small draws: seconds, not minutes (not converged, and not asked to be)."""
TERMINAL = ("succeeded", "failed", "cancelled")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def skip_without_postgres(kind: str) -> None:
    if kind == "postgresql" and not postgres_available():
        pytest.fail(
            "PostgreSQL is not reachable (MIXWISE_TEST_POSTGRES_URL): the production path must be"
            " tested against a real server; start PostgreSQL (see docs/api.md)"
        )


@contextlib.contextmanager
def backend_env(kind: str, home: Path) -> Iterator[dict[str, str]]:
    """Environment for a server on ``kind`` with its home (and a fresh PG database)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIXWISE_")}
    env |= {"MIXWISE_HOME": str(home), "MIXWISE_HEARTBEAT_S": "0.5"}
    if kind == "sqlite":
        yield env
        return
    with temporary_postgres_database() as url:
        yield env | {"MIXWISE_DATABASE_URL": url}


class ThreadServer:
    """The API app on uvicorn in a thread of this process, on a free loopback port."""

    def __init__(self, store: Store) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            create_app(store=store), host="127.0.0.1", port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)


def mixwise_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", "from mixwise.cli.app import main; main()", *args]


def create_key(env: dict[str, str], workspace: str) -> str:
    """``mixwise keys create WORKSPACE``: the key is the last line of the output."""
    out = subprocess.run(
        mixwise_cmd("keys", "create", workspace),
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return out.stdout.strip().splitlines()[-1]


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


class ServerProcess:
    """``mixwise serve --no-browser`` in a subprocess (with its worker processes)."""

    def __init__(self, env: dict[str, str], workers: int = 1, log: Path | None = None) -> None:
        self.env, self.workers = env, workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> ServerProcess:
        out = self.log.open("ab") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            mixwise_cmd(
                "serve", "--no-browser", "--port", str(self.port), "--workers", str(self.workers)
            ),
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200:
                    return self
            time.sleep(0.2)
        raise RuntimeError("the server did not answer in time")

    def worker_pids(self) -> list[int]:
        assert self.proc is not None
        return _children(self.proc.pid)

    def stop(self) -> None:
        if self.proc is None:
            return
        workers = self.worker_pids()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for pid in workers:  # never leave a worker behind, whatever happened
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc = None

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def client(url: str, key: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return httpx.Client(base_url=url, headers=headers, timeout=120)


def upload_pymc(c: httpx.Client) -> str:
    with PYMC_CSV.open("rb") as fh:
        r = c.post(
            "/api/v1/datasets", files={"file": ("pymc_marketing_mmm_example.csv", fh, "text/csv")}
        )
    assert r.status_code == 201, r.text
    dataset_id: str = r.json()["id"]
    r = c.put(f"/api/v1/datasets/{dataset_id}/mapping", json={"yaml": PYMC_MAPPING.read_text()})
    assert r.status_code == 200, r.text
    return dataset_id


def wait_for_model(c: httpx.Client, model_id: str, timeout: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, Any] = c.get(f"/api/v1/models/{model_id}").json()
        if body["status"] in TERMINAL:
            return body
        time.sleep(0.5)
    raise AssertionError(f"model {model_id} did not finish in {timeout} s")


@dataclass
class Fitted:
    """Workspace A with a dataset, a fitted model and a scenario; workspace B empty."""

    url: str
    store: Store
    key_a: str
    key_b: str
    dataset_id: str
    model_id: str
    scenario_id: str


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fitted(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Fitted]:
    skip_without_postgres(request.param)
    home = tmp_path_factory.mktemp(f"fitted-{request.param}")
    with temporary_store(request.param, home, heartbeat_s=0.5) as store:
        executor = ThreadExecutor(store, n=1, poll_s=0.1)
        executor.start()
        try:
            with ThreadServer(store) as server:
                _, key_a = workspaces.create_key(store, "alpha")
                _, key_b = workspaces.create_key(store, "beta")
                with client(server.url, key_a) as c:
                    dataset_id = upload_pymc(c)
                    r = c.post(
                        "/api/v1/models", json={"dataset_id": dataset_id, "spec": SMALL_SPEC}
                    )
                    assert r.status_code == 202, r.text
                    model = wait_for_model(c, r.json()["id"])
                    assert model["status"] == "succeeded", model
                    r = c.post(
                        "/api/v1/scenarios",
                        json={
                            "model_id": model["id"],
                            "name": "recent",
                            "simulate": {"periods": 4},
                        },
                    )
                    assert r.status_code == 201, r.text
                yield Fitted(
                    server.url, store, key_a, key_b, dataset_id, model["id"], r.json()["id"]
                )
        finally:
            executor.stop()
