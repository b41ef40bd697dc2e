"""Industry benchmarks: an administrator loads published figures (``mixwise admin benchmarks
load FILE`` for the installation, ``POST /api/v1/benchmarks`` for a workspace); a model's ROAS
(with its interval) and CPA are compared with the rows matching an industry and region.

Nothing is invented: mixwise ships no benchmark rows (``examples/benchmarks.example.csv`` is a
labelled example of the format, with made-up values, never loaded by itself).

File columns: ``metric`` (roas, cpa), ``industry``, ``region``, ``period``, ``value``, ``source``,
``date`` (when the source was published, YYYY-MM-DD), optionally ``channel`` (empty: all paid
media). Every row is checked; a bad one is an error naming the row and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
from sqlalchemy import delete, or_, select

from mixwise.data.loaders import read_table
from mixwise.errors import MixwiseError
from mixwise.model.media_figures import METRICS, media_figures
from mixwise.service.datasets import named_file
from mixwise.service.fitted import ModelSource
from mixwise.service.schemas.benchmarks import (
    BenchmarkOut,
    BenchmarksLoaded,
    BenchmarksOut,
)
from mixwise.service.schemas.common import jsonable
from mixwise.store.benchmarks import Benchmark
from mixwise.store.db import Store

REQUIRED = ("metric", "industry", "region", "period", "value", "source", "date")
INSTALLATION = "installation"


class BenchmarkError(MixwiseError):
    """A benchmarks file that cannot be loaded (names the row and column)."""

    code = "benchmarks_invalid"


def parse_benchmarks(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Checked rows of a benchmarks table (``BenchmarkError`` naming the first bad row)."""
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise BenchmarkError(
            f"the benchmarks table has no column {', '.join(missing)}",
            f"Columns: {', '.join(REQUIRED)} and optionally channel.",
        )
    rows: list[dict[str, Any]] = []
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        rows.append(_row(i, {str(k): v for k, v in rec.items()}))
    if not rows:
        raise BenchmarkError("the benchmarks table has no rows", "Add at least one row.")
    return rows


def _row(i: int, rec: dict[str, Any]) -> dict[str, Any]:
    def text(col: str, required: bool = True) -> str:
        value = rec.get(col)
        out = "" if value is None or pd.isna(value) else str(value).strip()
        if required and not out:
            raise BenchmarkError(f"row {i}: {col} is empty", f"Every benchmark needs a {col}.")
        return out

    metric = text("metric").lower()
    if metric not in METRICS:
        raise BenchmarkError(
            f"row {i}: metric {metric!r} is not one of {', '.join(METRICS)}",
            "Write roas or cpa.",
        )
    value = pd.to_numeric(pd.Series([rec.get("value")]), errors="coerce").iloc[0]
    if pd.isna(value) or value < 0:
        raise BenchmarkError(f"row {i}: value {rec.get('value')!r} is not a number >= 0", "")
    when = pd.to_datetime(pd.Series([rec.get("date")]), errors="coerce").iloc[0]
    if pd.isna(when):
        raise BenchmarkError(
            f"row {i}: date {rec.get('date')!r} is not a date",
            "Write the source's publication date as YYYY-MM-DD.",
        )
    return {
        "metric": metric,
        "industry": text("industry"),
        "region": text("region"),
        "period": text("period"),
        "channel": text("channel", required=False),
        "value": float(value),
        "source": text("source"),
        "source_date": when.date(),
    }


def load_benchmarks(
    store: Store, rows: Sequence[dict[str, Any]], workspace_id: str | None, replace: bool
) -> BenchmarksLoaded:
    """Add checked rows to a scope (the installation when ``workspace_id`` is None); with
    ``replace``, that scope's rows are deleted first (in the same transaction)."""
    replaced = 0
    with store.session() as s:
        if replace:
            scope = (
                Benchmark.workspace_id.is_(None)
                if workspace_id is None
                else Benchmark.workspace_id == workspace_id
            )
            replaced = len(list(s.scalars(select(Benchmark.id).where(scope))))
            s.execute(delete(Benchmark).where(scope))
        s.add_all(Benchmark(workspace_id=workspace_id, **r) for r in rows)
    return BenchmarksLoaded(loaded=len(rows), replaced=replaced, scope=_scope(workspace_id))


def load_file(
    store: Store, path: str | Path, workspace_id: str | None = None, replace: bool = False
) -> BenchmarksLoaded:
    """``mixwise admin benchmarks load FILE``: a CSV/Excel/Parquet table of benchmarks."""
    return load_benchmarks(store, parse_benchmarks(read_table(path)), workspace_id, replace)


def upload(
    store: Store, workspace_id: str, filename: str, stream: BinaryIO, replace: bool = False
) -> BenchmarksLoaded:
    """``POST /api/v1/benchmarks``: a workspace's own benchmarks from an uploaded table."""
    suffix = Path(filename or "benchmarks.csv").suffix.lower()
    rel = f"benchmarks/{workspace_id}/upload{suffix if suffix[1:].isalnum() else '.csv'}"
    store.artifacts.write_stream(rel, stream, store.settings.max_upload_bytes)
    try:
        with named_file(store, rel, filename):
            rows = parse_benchmarks(read_table(store.artifacts.path(rel)))
    finally:
        store.artifacts.delete(rel)
    return load_benchmarks(store, rows, workspace_id, replace)


def _scope(workspace_id: str | None) -> str:
    return INSTALLATION if workspace_id is None else "workspace"


def _out(b: Benchmark) -> BenchmarkOut:
    return BenchmarkOut(
        id=b.id,
        metric=b.metric,
        industry=b.industry,
        region=b.region,
        period=b.period,
        channel=b.channel,
        value=b.value,
        source=b.source,
        date=b.source_date.isoformat(),
        scope=_scope(b.workspace_id),
    )


def list_benchmarks(
    store: Store,
    workspace_id: str | None,
    industry: str | None = None,
    region: str | None = None,
) -> list[BenchmarkOut]:
    """The installation's rows and the workspace's, optionally one industry / region (the
    match ignores case and surrounding spaces)."""
    with store.session() as s:
        query = select(Benchmark).where(
            or_(Benchmark.workspace_id.is_(None), Benchmark.workspace_id == workspace_id)
        )
        rows = list(s.scalars(query.order_by(Benchmark.metric, Benchmark.id)))
    keep = [b for b in rows if _same(b.industry, industry) and _same(b.region, region)]
    return [_out(b) for b in keep]


def _same(value: str, wanted: str | None) -> bool:
    return wanted is None or not wanted.strip() or value.strip().lower() == wanted.strip().lower()


def compare(
    model: ModelSource,
    rows: Sequence[BenchmarkOut],
    industry: str | None = None,
    region: str | None = None,
) -> BenchmarksOut:
    """The model's figure beside each benchmark row (same metric, same channel or all media)."""
    result = model.result()
    interval = float(result.spec.interval)
    figures = media_figures(result, interval)
    items = [_compare(b, figures) for b in rows]
    message = None
    if not items:
        wanted = ", ".join(
            f"{k} {v!r}" for k, v in (("industry", industry), ("region", region)) if v
        )
        message = (
            f"No benchmark matches {wanted}." if wanted else "No benchmark has been loaded."
        ) + " An administrator loads published figures with `mixwise admin benchmarks load`."
    doc = {
        "model_id": model.model_id,
        "interval": interval,
        "industry": industry,
        "region": region,
        "items": items,
        "message": message,
    }
    return BenchmarksOut.model_validate(jsonable(doc))


def _compare(b: BenchmarkOut, figures: dict[str, dict[str, Any]]) -> dict[str, Any]:
    fig = figures.get(b.channel)
    if fig is None:
        why = f"the model has no channel {b.channel!r}"
        return {"benchmark": b, "model": None, "why": why, "verdict": None}
    value = fig[b.metric]
    if value is None:
        return {"benchmark": b, "model": None, "why": fig["why"][b.metric], "verdict": None}
    lo, hi = value["lo"], value["hi"]
    verdict = "above" if lo > b.value else "below" if hi < b.value else "overlaps"
    return {"benchmark": b, "model": value, "why": None, "verdict": verdict}
