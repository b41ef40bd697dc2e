"""Reports of a fitted model: the self-contained HTML report, its tables (xlsx, or one CSV each)
and its figures (PNG). ``mixwise report`` writes them next to each other; the API builds one
format once per result and keeps it as an artifact for every later download.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mixwise.attribution.load import JourneySource
from mixwise.data.campaigns import Calendar
from mixwise.report import assemble_report, export_figures, export_tables, write_html
from mixwise.service import datasets
from mixwise.service.attribution import report_tables
from mixwise.service.fitted import ModelSource, StoredModel
from mixwise.service.models import model_row
from mixwise.service.timeline import calendar_digest, stored_calendar, timeline
from mixwise.store.db import Store
from mixwise.store.models import Dataset

if TYPE_CHECKING:
    from mixwise.plan import OptimizationResult

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"html": "text/html; charset=utf-8", "xlsx": XLSX}
TableFormat = Literal["xlsx", "csv"]
_lock = threading.Lock()


@dataclass(frozen=True)
class ReportFiles:
    """What :func:`write_report` wrote."""

    html: Path
    approximate: bool
    sections: list[str]
    n_tables: int
    tables: Path | None = None
    figures: list[Path] = field(default_factory=list)


def tables_path(out: Path, fmt: TableFormat) -> Path:
    """Where the tables go: ``report.xlsx`` next to ``report.html``, or the folder
    ``report-tables/`` with one CSV per table."""
    return out.with_suffix(".xlsx") if fmt == "xlsx" else out.with_name(f"{out.stem}-tables")


def write_report(
    model: ModelSource,
    out: Path,
    *,
    tables: TableFormat | None = None,
    figures: Path | None = None,
    interval: float = 0.9,
    plan: OptimizationResult | None = None,
    journeys: JourneySource | None = None,
    mapping: str | Path | dict[str, Any] | None = None,
    campaigns: Calendar | None = None,
) -> ReportFiles:
    """Write the HTML report to ``out``; with ``tables`` every table too (xlsx or CSVs, see
    :func:`tables_path`), with ``figures`` every figure as PNG into that folder (Chromium).
    ``plan`` is shown in the budget section (default: the report's own optimum); ``journeys``
    (with an optional journeys ``mapping``) adds the attribution section, ``campaigns`` (a
    campaign calendar) the campaigns section."""
    mta = report_tables(model, journeys, mapping, interval) if journeys is not None else None
    flights = timeline(model, campaigns).model_dump(mode="json") if campaigns is not None else None
    built = assemble_report(
        model.directory(), plan=plan, interval=interval, journeys=mta, timeline=flights
    )
    html = write_html(built, out)
    table_out = export_tables(built, tables_path(out, tables), tables) if tables else None
    return ReportFiles(
        html=html,
        approximate=built.approximate,
        sections=[s.title for s in built.sections],
        n_tables=len(built.tables),
        tables=table_out,
        figures=export_figures(built, figures) if figures else [],
    )


def report(
    store: Store,
    workspace_id: str,
    model_id: str,
    fmt: str,
    journeys: str | None = None,
    campaigns: bool = False,
) -> tuple[Path, str, str]:
    """``(path, media type, download file name)`` of the model's report in ``fmt`` (html or
    xlsx), built once per result (and per ``journeys`` dataset, whose roles are proposed from
    its column names: the attribution section; and per stored calendar with ``campaigns``)."""
    model = StoredModel(store, workspace_id, model_id)
    model.directory()  # 404 / 409 before anything else
    m = model_row(store, workspace_id, model_id)
    assert m.result_artifact is not None
    ds = datasets._row(store, workspace_id, journeys) if journeys else None
    stem = f"report-{ds.id}" if ds else "report"
    calendar = stored_calendar(store, workspace_id) if campaigns else None
    if campaigns:
        stem += f"-calendar-{calendar_digest(store, workspace_id)}"
    rel = f"reports/{m.result_artifact.removeprefix('models/')}/{stem}.{fmt}"
    with _lock:  # one build at a time; a finished report is reused
        if not store.artifacts.exists(rel):
            with store.artifacts.temp_dir() as tmp, _journeys_file(store, ds) as path:
                files = write_report(
                    model,
                    tmp / "report.html",
                    tables="xlsx" if fmt == "xlsx" else None,
                    journeys=path,
                    campaigns=calendar,
                )
                built = files.tables if fmt == "xlsx" else files.html
                assert built is not None
                store.artifacts.write_bytes(rel, built.read_bytes())
    safe_name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in m.name)[:80]
    return store.artifacts.path(rel), MEDIA_TYPES[fmt], f"{safe_name or 'report'}.{fmt}"


@contextmanager
def _journeys_file(store: Store, ds: Dataset | None) -> Iterator[Path | None]:
    """The uploaded journeys file (errors name the upload, not the server path), or None."""
    if ds is None:
        yield None
        return
    with datasets.named_file(store, ds.artifact, ds.filename):
        yield store.artifacts.path(ds.artifact)
