"""Running a worker in the foreground of a process, with signal handling."""

from __future__ import annotations

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
) -> int:
    """Run jobs until SIGTERM/SIGINT (a running job goes back to the queue); return jobs run.

    ``exit_with_parent``: stop (as on SIGTERM) when the parent process goes away, so that
    workers started by a server never outlive it."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s worker %(message)s", stream=sys.stderr
    )
    store = open_store(settings)
    worker = Worker(store, worker_id=queue.new_worker_id(token=token), interrupt_main=True)
    stop = threading.Event()

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.set()
        if worker.current is not None and not worker.current.cancelled:
            raise ShutdownRequested

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    if exit_with_parent:
        _watch_parent(os.getppid())
    log.info("started (%s)", worker.worker_id)
    ran = 0
    try:
        ran = worker.run(stop, max_jobs=max_jobs)
    except ShutdownRequested:
        log.info("stopped while running a job; it was given back to the queue")
    finally:
        close_stores()
    return ran


def _watch_parent(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        log.warning("the parent process is gone; stopping")
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="mixwise-parent-watch", daemon=True).start()
