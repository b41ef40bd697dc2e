"""Workers on a Ray cluster: :class:`RayExecutor`, the :class:`~mixwise.jobs.executor.Executor`
for ``MIXWISE_EXECUTOR=ray``.

Each slot is a Ray actor (a process on some node of the cluster) running the same worker loop
as a local worker process (:class:`mixwise.jobs.worker.Worker`) against the shared job table,
which stays the source of truth: the actor claims a job there, runs it, heartbeats, reports
progress and reads cancel requests there, and records the outcome there (its result is
published only in the transaction that marks the job succeeded, and only while the claim is
still this worker's, so a job never completes twice). The cluster needs the same
``MIXWISE_DATABASE_URL`` (PostgreSQL) and artifact directory (a shared filesystem) as the
server; ``docs/scaling.md`` says how.

A lost actor (its process killed, its node gone) ends its ``run`` call with an error: the
supervisor hands its running job back to the queue at once (:func:`queue.release_worker`) and
starts a replacement; a job whose node vanished without a trace is reclaimed by any worker
once its heartbeat is older than ``MIXWISE_STALE_AFTER_S``.

Ray is imported only when the executor starts (``pip install ray``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from mixwise.jobs import queue
from mixwise.store.db import Store

log = logging.getLogger(__name__)


class _RayWorker:
    """The actor: opens the store from the server's settings (``env``) and runs the worker loop
    until :meth:`stop`."""

    def __init__(self, env: dict[str, str], preload: Sequence[str]) -> None:
        os.environ.update(env)
        for module in preload:
            import_module(module)
        from mixwise.jobs.worker import Worker
        from mixwise.store.db import open_store

        self._stop = threading.Event()
        self.worker = Worker(open_store(), worker_id=queue.new_worker_id(), poll_s=0.2)

    def worker_id(self) -> str:
        return self.worker.worker_id

    def pid(self) -> int:
        return os.getpid()

    def run(self) -> int:
        return self.worker.run(self._stop)

    def stop(self) -> None:
        """Stop claiming (a running job runs on until the executor kills the actor and hands
        the job back to the queue)."""
        self._stop.set()


@dataclass
class _Slot:
    actor: Any
    worker_id: str
    pid: int
    running: Any
    """The ObjectRef of the actor's ``run`` call: ready when the actor stops or dies."""


def ray_address(address: str | None = None) -> str | None:
    """The cluster to join: ``address``, else ``RAY_ADDRESS``, else ``None`` (a local cluster
    is started on this machine)."""
    return address or os.environ.get("RAY_ADDRESS") or None


class RayExecutor:
    """``n`` workers as Ray actors (one CPU each), restarted when they die."""

    def __init__(
        self,
        store: Store,
        n: int = 2,
        *,
        address: str | None = None,
        supervise_s: float = 0.5,
        preload: Sequence[str] = (),
        num_cpus: int | None = None,
    ) -> None:
        self.store, self.n, self.supervise_s = store, n, supervise_s
        self.address, self.preload, self.num_cpus = ray_address(address), tuple(preload), num_cpus
        self._slots: list[_Slot] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._supervisor: threading.Thread | None = None
        self._actor_class: Any = None

    def start(self) -> None:
        import ray

        if not ray.is_initialized():
            if self.address:
                ray.init(address=self.address, log_to_driver=False)
            else:
                ray.init(num_cpus=self.num_cpus or self.n, log_to_driver=False)
        # a threaded actor (max_concurrency=2): ``stop`` runs beside the blocking ``run``
        options: dict[str, Any] = {"num_cpus": 1, "max_restarts": 0, "max_concurrency": 2}
        self._actor_class = ray.remote(**options)(_RayWorker)
        self._stop.clear()
        queue.reclaim_stale(self.store)
        with self._lock:
            self._slots = [self._spawn() for _ in range(self.n)]
        self._supervisor = threading.Thread(
            target=self._supervise, daemon=True, name="mixwise-ray-supervisor"
        )
        self._supervisor.start()

    def _spawn(self) -> _Slot:
        import ray

        env = {**self.store.settings.to_env()}
        actor = self._actor_class.remote(env, self.preload)
        worker_id, pid = ray.get([actor.worker_id.remote(), actor.pid.remote()])
        return _Slot(actor, worker_id, pid, actor.run.remote())

    def pids(self) -> list[int]:
        """The worker processes' ids (on their nodes)."""
        with self._lock:
            return [s.pid for s in self._slots]

    def _supervise(self) -> None:
        import ray

        while not self._stop.wait(self.supervise_s):
            with self._lock:
                refs = [s.running for s in self._slots]
                done, _ = ray.wait(refs, num_returns=len(refs), timeout=0)
                for i, slot in enumerate(self._slots):
                    if slot.running not in done or self._stop.is_set():
                        continue
                    log.warning("Ray worker %s ended; its job goes back to the queue", slot.pid)
                    try:
                        queue.release_worker(self.store, slot.worker_id, "the Ray worker died")
                    except Exception:
                        log.exception("reclaiming the jobs of a dead Ray worker failed")
                    self._slots[i] = self._spawn()

    def stop(self, timeout: float = 10.0) -> None:
        import ray

        self._stop.set()
        if self._supervisor is not None:
            self._supervisor.join(timeout)
        with self._lock:
            slots, self._slots = self._slots, []
        for slot in slots:
            with contextlib.suppress(Exception):
                slot.actor.stop.remote()
        if slots:  # idle workers return at once; one running a job is killed and its job requeued
            ray.wait([s.running for s in slots], num_returns=len(slots), timeout=min(timeout, 2))
        for slot in slots:
            ray.kill(slot.actor)
            queue.release_worker(self.store, slot.worker_id, "the server stopped")

    def alive(self) -> int:
        import ray

        with self._lock:
            if not self._slots:
                return 0
            refs = [s.running for s in self._slots]
        done, _ = ray.wait(refs, num_returns=len(refs), timeout=0)
        return len(refs) - len(done)
