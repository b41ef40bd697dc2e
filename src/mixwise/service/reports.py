"""Report download: build the model's report once per format, keep it as an artifact.

HTML is ``mixwise.report.build_report(result_dir, out_path)`` (the self-contained report);
XLSX is every table of the same report (``export_tables(assemble_report(...), path,
"xlsx")``). Where this installation has no report builder the request answers 501
(:class:`~mixwise.service.errors.NotImplementedYet`).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mixwise.service.errors import NotImplementedYet
from mixwise.service.models import model_row
from mixwise.service.results import result_dir
from mixwise.store.db import Store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"html": "text/html; charset=utf-8", "xlsx": XLSX}
_lock = threading.Lock()


def builder(fmt: str) -> Callable[[Path, Path], Any] | None:
    """A function ``(result_dir, out_path)`` writing the report in ``fmt``, if available."""
    try:
        module = importlib.import_module("mixwise.report")
    except ImportError:
        return None
    if fmt == "html":
        fn = getattr(module, "build_report", None)
        return fn if callable(fn) else None
    assemble, export = (
        getattr(module, "assemble_report", None),
        getattr(module, "export_tables", None),
    )
    if not (callable(assemble) and callable(export)):
        return None
    return lambda folder, out: export(assemble(folder), out, "xlsx")


def report(store: Store, workspace_id: str, model_id: str, fmt: str) -> tuple[Path, str, str]:
    """``(path, media type, download file name)`` of the model's report in ``fmt``."""
    folder = result_dir(store, workspace_id, model_id)  # 404 / 409 before anything else
    build = builder(fmt)
    if build is None:
        raise NotImplementedYet(
            "reports are not available in this installation (no report builder)",
            "Read the results through /summary, /contributions and /decomposition meanwhile.",
        )
    m = model_row(store, workspace_id, model_id)
    assert m.result_artifact is not None
    rel = f"reports/{m.result_artifact.removeprefix('models/')}/report.{fmt}"
    with _lock:  # one build at a time; a finished report is reused
        if not store.artifacts.exists(rel):
            with store.artifacts.temp_dir() as tmp:
                out = tmp / f"report.{fmt}"
                build(folder, out)
                store.artifacts.write_bytes(rel, out.read_bytes())
    safe_name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in m.name)[:80]
    return store.artifacts.path(rel), MEDIA_TYPES[fmt], f"{safe_name or 'report'}.{fmt}"
