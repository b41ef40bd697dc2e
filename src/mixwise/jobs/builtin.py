"""A built-in job kind for checking a deployment end to end: ``sleep``.

``{"seconds": 3, "fail": false}``: reports progress every 0.1 s for ``seconds`` and then
succeeds (or fails with a ``MixwiseError`` when ``fail``); it honours cancel. Tests and
``mixwise worker`` smoke checks use it; it touches no data.
"""

from __future__ import annotations

import time

from mixwise.errors import MixwiseError
from mixwise.jobs.context import JobContext


def sleep_job(ctx: JobContext) -> None:
    seconds = float(ctx.payload.get("seconds", 1.0))
    start = time.monotonic()
    while (elapsed := time.monotonic() - start) < seconds:
        ctx.progress("sleeping", elapsed / seconds, f"{elapsed:.1f} of {seconds:g} s")
        time.sleep(0.1)
    if ctx.payload.get("fail"):
        raise MixwiseError("the sleep job was asked to fail", "This is a test job.")
    ctx.progress("done", 1.0, "slept")
