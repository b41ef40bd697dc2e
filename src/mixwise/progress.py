"""One progress callback for all long work: ``progress(stage, fraction, message)``.

``stage`` is a short name ("build", "compile", "sampling", "post-processing"), ``fraction`` is the
overall completion in [0, 1], ``message`` is one line for a human. The CLI renders it as a progress
bar, the service stores it on the job, the web polls it.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def __call__(self, stage: str, fraction: float, message: str = "") -> None: ...


def no_progress(stage: str, fraction: float, message: str = "") -> None:
    """The default callback: report nothing."""


class Cancelled(Exception):
    """Raised inside long work when the user cancelled (Ctrl-C, API cancel)."""
