"""Running a worker in the foreground of a process, with signal handling."""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
from types import FrameType

from mixwise.jobs import queue
from mixwise.jobs.worker import ShutdownRequested, Worker
from mixwise.store.db import close_stores, open_store
from mixwise.store.settings import Settings

log = logging.getLogger(__name__)


def run_worker_process(
    settings: Settings | None = None,
    token: str | None = None,
    max_jobs: int | None = None,
    exit_with_parent: bool = False,
    parent_pid: int | None = None,
) -> int:
    """Run jobs until SIGTERM/SIGINT (a running job goes back to the queue); return jobs run.

    ``exit_with_parent``: stop (as on SIGTERM) when the parent process goes away, so that
    workers started by a server never outlive it; ``parent_pid`` is the parent the worker was
    started by (default: its parent now), so that one that died during start-up counts too."""
    if exit_with_parent:
        die_with_parent(os.getppid() if parent_pid is None else parent_pid)
    _configure_logging(debug=bool(os.environ.get("MIXWISE_DEBUG")))
    store = open_store(settings)
    worker = Worker(store, worker_id=queue.new_worker_id(token=token), interrupt_main=True)
    stop = threading.Event()

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():  # once only: a parent's death can signal once per thread it had,
            return  # and a second interrupt would break off handing the job back
        stop.set()
        if worker.current is not None and not worker.current.cancelled:
            raise ShutdownRequested

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    log.info("started (%s)", worker.worker_id)
    ran = 0
    try:
        ran = worker.run(stop, max_jobs=max_jobs)
    except ShutdownRequested:
        log.info("stopped while running a job; it was given back to the queue")
    finally:
        close_stores()
    return ran


def _configure_logging(debug: bool) -> None:
    """mixwise's own lines at INFO; other libraries' (Alembic, SQLAlchemy, ...) only from
    WARNING unless ``debug`` (``mixwise --debug``). Their INFO records still reach job logs."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s worker %(message)s"))
    if not debug:
        handler.addFilter(
            lambda r: r.levelno >= logging.WARNING or r.name.split(".")[0] == "mixwise"
        )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int, signum: int = signal.SIGTERM) -> None:
    """Have the kernel send ``signum`` to this process when ``parent`` ends (Linux:
    ``prctl(PR_SET_PDEATHSIG)``; elsewhere a watcher thread), and send it now if ``parent`` is
    already gone: whatever the timing, a worker never outlives the server that started it.

    The kernel signals when the *thread* that started the process ends: the executor starts
    workers from long-lived threads (the server's main thread, its supervisor)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    else:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os.kill(os.getpid(), signum)

        threading.Thread(target=watch, name="mixwise-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # it ended before we asked: we were re-parented already
        log.warning("the parent process is gone; stopping")
        os.kill(os.getpid(), signum)
