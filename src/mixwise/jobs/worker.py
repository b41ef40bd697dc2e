"""The worker loop: claim a job, run its handler, heartbeat meanwhile, record the outcome.

Outcomes: the handler returns -> ``succeeded`` (its ``on_success`` callbacks publish the result
in the same transaction); :class:`~mixwise.errors.MixwiseError` -> ``failed`` with the error's
code, message and hint; cancel -> ``cancelled``; any other exception -> ``failed`` with code
``internal_error``. A worker asked to shut down (SIGTERM) gives its running job back to the
queue. A worker that dies is handled by the others (:func:`mixwise.jobs.queue.reclaim_stale`)
or by its supervisor (:func:`mixwise.jobs.queue.release_worker`).
"""

from __future__ import annotations

import _thread
import contextlib
import logging
import threading
import time

from mixwise.errors import MixwiseError
from mixwise.jobs import queue
from mixwise.jobs.context import JobContext, get_handler
from mixwise.progress import Cancelled
from mixwise.store.db import Store
from mixwise.store.models import Job

log = logging.getLogger(__name__)
CANCEL_GRACE_S = 5.0
"""After a cancel, how long a handler may take to notice before its thread is interrupted."""


class ShutdownRequested(BaseException):
    """Raised in the worker's main thread by SIGTERM: give the job back and stop."""


class Worker:
    """Runs jobs one at a time until ``stop`` is set (or ``max_jobs`` ran)."""

    def __init__(
        self,
        store: Store,
        worker_id: str | None = None,
        poll_s: float = 0.5,
        interrupt_main: bool = False,
    ) -> None:
        self.store = store
        self.worker_id = worker_id or queue.new_worker_id()
        self.poll_s = poll_s
        self.interrupt_main = interrupt_main
        self.current: JobContext | None = None

    def run(self, stop: threading.Event, max_jobs: int | None = None) -> int:
        """Claim and run jobs until ``stop`` is set; return how many ran."""
        ran, last_reclaim = 0, 0.0
        while not stop.is_set() and (max_jobs is None or ran < max_jobs):
            if time.monotonic() - last_reclaim > self.store.settings.stale_after_s / 3:
                queue.reclaim_stale(self.store)
                last_reclaim = time.monotonic()
            job = queue.claim(self.store, self.worker_id)
            if job is None:
                stop.wait(self.poll_s)
                continue
            self.execute(job)
            ran += 1
        return ran

    def execute(self, job: Job) -> str:
        """Run one claimed job to its end; return its final status."""
        ctx = JobContext(
            store=self.store,
            job_id=job.id,
            workspace_id=job.workspace_id,
            kind=job.kind,
            payload=dict(job.payload or {}),
            attempt=job.attempts,
            worker_id=self.worker_id,
        )
        self.current = ctx
        reporter = _Reporter(ctx, self.store.settings.heartbeat_s, self.interrupt_main)
        bridge = _LogBridge(ctx)
        logging.getLogger().addHandler(bridge)
        reporter.start()
        try:
            outcome = _run_handler(ctx)
        except ShutdownRequested:
            reporter.stop()
            queue.requeue_own(self.store, ctx.job_id, self.worker_id, "the worker shut down")
            _discard(ctx)
            raise
        finally:
            logging.getLogger().removeHandler(bridge)
            reporter.stop()
            self.current = None
        return self._record(ctx, *outcome)

    def _record(self, ctx: JobContext, status: str, error: tuple[str, str, str] | None) -> str:
        try:
            with self.store.session() as s:
                if not queue.finish(s, ctx.job_id, self.worker_id, status, error):
                    raise _LostJob
                if status == queue.SUCCEEDED:
                    for callback in ctx.callbacks:
                        callback(s)
            if status != queue.SUCCEEDED:
                _discard(ctx)
            return status
        except _LostJob:
            log.warning("job %s was reclaimed while it ran; its outcome is discarded", ctx.job_id)
            _discard(ctx)
            return "lost"
        except Exception as exc:  # publishing failed: the job fails, nothing is published
            log.exception("publishing the result of job %s failed", ctx.job_id)
            _discard(ctx)
            with self.store.session() as s:
                queue.finish(
                    s,
                    ctx.job_id,
                    self.worker_id,
                    queue.FAILED,
                    ("internal_error", f"saving the result failed: {exc}", _BUG_HINT),
                )
            return queue.FAILED


_BUG_HINT = "This is a bug in mixwise; the job log has details. Please report it."


class _LostJob(Exception):
    pass


def _run_handler(ctx: JobContext) -> tuple[str, tuple[str, str, str] | None]:
    try:
        get_handler(ctx.kind)(ctx)
        if ctx.cancelled:
            return queue.CANCELLED, None
        return queue.SUCCEEDED, None
    except (Cancelled, KeyboardInterrupt):
        if not ctx.cancelled:  # Ctrl-C on a foreground worker: give the job back
            raise ShutdownRequested from None
        return queue.CANCELLED, None
    except MixwiseError as exc:
        ctx.log(f"{exc.code}: {exc.message}", "error")
        return queue.FAILED, (exc.code, exc.message, exc.hint)
    except Exception as exc:
        log.exception("job %s failed", ctx.job_id)
        ctx.log(f"internal error: {type(exc).__name__}: {exc}", "error")
        return queue.FAILED, ("internal_error", f"{type(exc).__name__}: {exc}", _BUG_HINT)


def _discard(ctx: JobContext) -> None:
    for cleanup in ctx.discards:
        try:
            cleanup()
        except Exception:
            log.exception("cleaning up after job %s failed", ctx.job_id)


class _Reporter:
    """Background thread: heartbeat, flush progress and logs, notice cancel and lost jobs."""

    def __init__(self, ctx: JobContext, every_s: float, interrupt_main: bool) -> None:
        self.ctx, self.every_s, self.interrupt_main = ctx, every_s, interrupt_main
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="mixwise-heartbeat", daemon=True)
        self._cancel_at: float | None = None
        self._main_thread = threading.current_thread() is threading.main_thread()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if not self._stop.is_set():
            self._stop.set()
            self.ctx._changed.set()
            self._thread.join(timeout=30)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.ctx.wait_for_change(self.every_s)
            if not self._stop.is_set():
                time.sleep(0.2)  # coalesce bursts of progress
            self._beat()
        self._beat()

    def _beat(self) -> None:
        progress, logs = self.ctx.drain()
        try:
            beat = queue.heartbeat(
                self.ctx.store, self.ctx.job_id, self.ctx.worker_id, progress, logs
            )
        except Exception:
            log.exception("heartbeat of job %s failed; retrying", self.ctx.job_id)
            return
        if beat.cancel_requested or not beat.owned:
            self.ctx.cancel()
            self._cancel_at = self._cancel_at or time.monotonic()
        if (
            self._cancel_at is not None
            and self.interrupt_main
            and self._main_thread
            and not self._stop.is_set()
            and time.monotonic() - self._cancel_at > CANCEL_GRACE_S
        ):
            _thread.interrupt_main()  # the handler did not notice: interrupt it
            self._cancel_at = time.monotonic() + 3600


class _LogBridge(logging.Handler):
    """Copies warnings (any logger) and info (mixwise, PyMC) logged by the job's thread into
    the job's log lines."""

    def __init__(self, ctx: JobContext) -> None:
        super().__init__(level=logging.INFO)
        self.ctx = ctx
        self.thread = threading.get_ident()  # the job's thread: not other requests' records

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno < logging.WARNING and not record.name.startswith(("mixwise", "pymc")):
            return
        if record.name.startswith("mixwise.jobs") or record.thread != self.thread:
            return
        with contextlib.suppress(Exception):  # never let logging break a job
            self.ctx.log(record.getMessage(), record.levelname.lower())
