"""Background jobs: a durable queue in the database, workers that claim and run jobs, and
executors that decide where workers run (local processes now, a cluster later)."""

from mixwise.jobs.context import JobContext, register_handler
from mixwise.jobs.executor import Executor, LocalProcessExecutor, ThreadExecutor
from mixwise.jobs.worker import Worker

__all__ = [
    "Executor",
    "JobContext",
    "LocalProcessExecutor",
    "ThreadExecutor",
    "Worker",
    "register_handler",
]
