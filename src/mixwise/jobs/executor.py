"""Where workers run: the :class:`Executor` interface and its local implementations.

An executor starts and stops a pool of workers that all run the same loop
(:class:`mixwise.jobs.worker.Worker`) against the shared job table. The job table is the only
channel between the API and the workers, so executors are interchangeable:

- :class:`LocalProcessExecutor` (what ``mixwise serve`` uses): one OS process per worker
  (``python -m mixwise.jobs``, importing the ``preload`` modules that register job kinds),
  supervised: a worker that dies has its running job reclaimed at once and is replaced.
- :class:`ThreadExecutor`: workers as threads of the current process (tests, notebooks).
- :class:`mixwise.jobs.ray_executor.RayExecutor` (``MIXWISE_EXECUTOR=ray``): the same worker
  loop as Ray actors (one per slot) pointed at a shared PostgreSQL and artifact store.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from mixwise.jobs import queue
from mixwise.jobs.worker import Worker
from mixwise.store.db import Store

log = logging.getLogger(__name__)


class Executor(Protocol):
    """Runs ``n`` workers against the job table until stopped."""

    def start(self) -> None: ...

    def stop(self, timeout: float = 10.0) -> None: ...

    def alive(self) -> int:
        """How many workers are running now."""
        ...


class ThreadExecutor:
    """Workers as daemon threads of this process (cancel is cooperative: through progress)."""

    def __init__(self, store: Store, n: int = 1, poll_s: float = 0.2) -> None:
        self.store, self.n, self.poll_s = store, n, poll_s
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.workers: list[Worker] = []

    def start(self) -> None:
        self._stop.clear()
        for i in range(self.n):
            worker = Worker(self.store, poll_s=self.poll_s)
            t = threading.Thread(
                target=worker.run, args=(self._stop,), daemon=True, name=f"mixwise-worker-{i}"
            )
            self.workers.append(worker)
            self._threads.append(t)
            t.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        for worker in self.workers:
            if worker.current is not None:
                worker.current.cancel()
        for t in self._threads:
            t.join(timeout)
        self._threads, self.workers = [], []

    def alive(self) -> int:
        return sum(t.is_alive() for t in self._threads)


@dataclass
class _Child:
    worker_id: str
    process: subprocess.Popen[bytes]


class LocalProcessExecutor:
    """``n`` worker processes on this machine, restarted when they die.

    ``preload``: modules each worker imports before it starts, those registering the job kinds
    it runs (:func:`mixwise.jobs.register_handler`); the built-in ``sleep`` needs none."""

    def __init__(
        self, store: Store, n: int = 1, supervise_s: float = 0.5, preload: Sequence[str] = ()
    ) -> None:
        self.store, self.n, self.supervise_s = store, n, supervise_s
        self.preload = tuple(preload)
        self._children: list[_Child] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._supervisor: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        queue.reclaim_stale(self.store)
        with self._lock:
            self._children = [self._spawn() for _ in range(self.n)]
        self._supervisor = threading.Thread(
            target=self._supervise, daemon=True, name="mixwise-supervisor"
        )
        self._supervisor.start()

    def _spawn(self) -> _Child:
        token = secrets.token_hex(3)
        env = {**os.environ, **self.store.settings.to_env()}
        preload = [arg for module in self.preload for arg in ("--preload", module)]
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "mixwise.jobs", "--token", token),
                *("--exit-with-parent", "--parent-pid", str(os.getpid())),
                *preload,
            ],
            env=env,
            start_new_session=True,  # Ctrl-C on the server goes to the server, which stops us
        )
        # the child calls itself new_worker_id(its pid, token): the same id, known here
        return _Child(queue.new_worker_id(process.pid, token), process)

    def pids(self) -> list[int]:
        with self._lock:
            return [c.process.pid for c in self._children]

    def _supervise(self) -> None:
        while not self._stop.wait(self.supervise_s):
            with self._lock:
                for i, child in enumerate(self._children):
                    if child.process.poll() is None or self._stop.is_set():
                        continue
                    log.warning(
                        "worker %s exited (%s); restarting it",
                        child.process.pid,
                        child.process.returncode,
                    )
                    try:
                        queue.release_worker(self.store, child.worker_id)
                    except Exception:
                        log.exception("reclaiming the jobs of a dead worker failed")
                    self._children[i] = self._spawn()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._supervisor is not None:
            self._supervisor.join(timeout)
        with self._lock:
            children, self._children = self._children, []
        for child in children:
            if child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.process.wait(timeout)
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
            queue.release_worker(self.store, child.worker_id, "the server stopped")

    def alive(self) -> int:
        with self._lock:
            return sum(c.process.poll() is None for c in self._children)
