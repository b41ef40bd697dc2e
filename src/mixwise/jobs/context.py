"""What a job handler gets: its payload, a progress callback, a log, and cancellation.

A handler is ``handler(ctx: JobContext) -> None``. It reports through ``ctx.progress(stage,
fraction, message)`` (the ``mixwise.progress`` callback, so it can be handed straight to a fit)
and ``ctx.log(text)``; neither touches the database: a reporter thread of the worker writes the
latest progress and new log lines at each heartbeat. ``ctx.progress`` raises
:class:`mixwise.progress.Cancelled` once a cancel was requested (or the worker lost the job).

A handler publishes its outcome through ``ctx.on_success(callback)``: callbacks run in the
same transaction that marks the job succeeded, and only if the worker still owns the job.

Job kinds are a registry: the layer that owns a kind registers its handler
(:func:`register_handler`; the service registers ``fit`` in :mod:`mixwise.service.jobs`), and a
process runs a kind only after importing the module that registers it (workers started by an
executor import their ``preload`` modules first). The jobs layer itself knows only ``sleep``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from sqlalchemy.orm import Session

from mixwise.progress import Cancelled
from mixwise.store.db import Store

Handler = Callable[["JobContext"], None]

HANDLERS: dict[str, str | Handler] = {"sleep": "mixwise.jobs.builtin:sleep_job"}
"""Job kind -> the handler, or ``module:function`` (imported on first use)."""


def register_handler(kind: str, target: str | Handler) -> None:
    """Make ``kind`` runnable in this process; ``target`` is a function or
    ``"package.module:function"``."""
    HANDLERS[kind] = target


def get_handler(kind: str) -> Handler:
    if kind not in HANDLERS:
        raise KeyError(
            f"no handler for job kind {kind!r} in this process: import the module that registers "
            "it (register_handler) before running workers"
        )
    target = HANDLERS[kind]
    if callable(target):
        return target
    module, _, name = target.partition(":")
    handler: Handler = getattr(import_module(module), name)
    return handler


@dataclass
class JobContext:
    """The running job as its handler sees it."""

    store: Store
    job_id: str
    workspace_id: str
    kind: str
    payload: dict[str, Any]
    attempt: int
    worker_id: str
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _progress: tuple[str, float, str] | None = None
    _logs: list[tuple[str, str]] = field(default_factory=list)
    _cancelled: threading.Event = field(default_factory=threading.Event)
    _changed: threading.Event = field(default_factory=threading.Event)
    _stage: str = ""
    _callbacks: list[Callable[[Session], None]] = field(default_factory=list)
    _discards: list[Callable[[], None]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def progress(self, stage: str, fraction: float, message: str = "") -> None:
        """Record progress (written at the next heartbeat); raise ``Cancelled`` if cancelled."""
        with self._lock:
            self._progress = (stage, fraction, message)
            if stage != self._stage:
                self._stage = stage
                self._logs.append(("info", f"{stage}: {message}" if message else stage))
                self._changed.set()
        if self._cancelled.is_set():
            raise Cancelled("the job was cancelled")

    def log(self, message: str, level: str = "info") -> None:
        with self._lock:
            self._logs.append((level, message))

    def check_cancelled(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled("the job was cancelled")

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def on_success(self, callback: Callable[[Session], None]) -> None:
        """Run ``callback(session)`` in the transaction that marks the job succeeded."""
        self._callbacks.append(callback)

    def on_discard(self, cleanup: Callable[[], None]) -> None:
        """Run ``cleanup()`` when the job's outcome is not published (failed, lost, shut down)."""
        self._discards.append(cleanup)

    def drain(self) -> tuple[tuple[str, float, str] | None, list[tuple[str, str]]]:
        """Take the latest progress and pending log lines (for the reporter thread)."""
        with self._lock:
            progress, self._progress = self._progress, None
            logs, self._logs = self._logs, []
            self._changed.clear()
        return progress, logs

    def wait_for_change(self, timeout: float) -> None:
        self._changed.wait(timeout)

    @property
    def callbacks(self) -> list[Callable[[Session], None]]:
        return list(self._callbacks)

    @property
    def discards(self) -> list[Callable[[], None]]:
        return list(self._discards)
