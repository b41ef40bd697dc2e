"""``python -m mixwise.jobs``: one worker process (started by ``mixwise serve``'s executor).

``--preload MODULE`` (repeatable) imports modules before the worker starts: those that
register job kinds (:func:`mixwise.jobs.register_handler`), e.g. ``mixwise.service.jobs``.
"""

from __future__ import annotations

import argparse
from importlib import import_module

from mixwise.jobs.runner import run_worker_process


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m mixwise.jobs")
    parser.add_argument("--token", default=None, help="worker id suffix given by a supervisor")
    parser.add_argument("--max-jobs", type=int, default=None)
    parser.add_argument("--exit-with-parent", action="store_true")
    parser.add_argument(
        "--preload", action="append", default=[], help="module registering job kinds"
    )
    parser.add_argument("--parent-pid", type=int, default=None, help="the supervisor's pid")
    args = parser.parse_args()
    for module in args.preload:
        import_module(module)
    run_worker_process(
        token=args.token,
        max_jobs=args.max_jobs,
        exit_with_parent=args.exit_with_parent,
        parent_pid=args.parent_pid,
    )


if __name__ == "__main__":
    main()
