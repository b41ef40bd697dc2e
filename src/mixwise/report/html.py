"""Render a :class:`Report` as one self-contained HTML file (Jinja2, Plotly JS inlined once).

The page needs no network: the Plotly library is embedded in a single ``<script>`` in the head
and every figure is a ``<div>`` drawn by ``Plotly.newPlot`` from inline JSON.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import numpy as np
import pandas as pd

from mixwise.errors import MixwiseError
from mixwise.files import write_text_atomic
from mixwise.report import format as fm
from mixwise.report.model import (
    BulletList,
    Callout,
    Code,
    Figure,
    KeyFigures,
    Paragraph,
    Report,
    Table,
)

PLOTLY_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("mixwise.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


@cache
def plotly_js() -> str:
    """The plotly.js bundle shipped with the plotly package."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)


def _kind(t: Table, column: str, row: pd.Series) -> str:
    """A column's declared format, else the row's (``row_format``) for numbers, else a guess."""
    if column in t.formats:
        return t.formats[column]
    if not _is_number(row[column]):
        return "text"
    return str(row[t.row_format]) if t.row_format else "num"


def _cell(value: Any, kind: str) -> dict[str, Any]:
    numeric = _is_number(value) and fm._finite(value) is not None
    return {
        "text": fm.fmt(value, kind),
        "value": repr(float(value)) if numeric else None,
        "num": kind not in ("text", "date"),
    }


def table_view(t: Table) -> dict[str, Any]:
    """Headers and formatted cells; interval triples become one "mean (low to high)" cell.

    Numeric cells carry their raw value (``data-value``, and ``data-low``/``data-high`` for
    intervals) so the page can be checked against the run's numbers."""
    by_mean = {mean: (label, lo, hi) for label, mean, lo, hi in t.intervals}
    hidden = {c for _, _, lo, hi in t.intervals for c in (lo, hi)} | {t.row_format}
    columns = [c for c in t.frame.columns if c not in hidden]
    rows = []
    for _, row in t.frame.iterrows():
        cells = []
        for c in columns:
            kind = _kind(t, c, row)
            cell = _cell(row[c], kind)
            if c in by_mean:
                _, lo, hi = by_mean[c]
                known = fm._finite(row[c]) is not None
                cell["interval"] = fm.bounds(row[lo], row[hi], kind) if known else ""
                cell["low"], cell["high"] = (
                    _cell(row[lo], kind)["value"],
                    _cell(row[hi], kind)["value"],
                )
            cell["column"] = c
            cells.append(cell)
        rows.append(cells)
    return {
        "key": t.key,
        "title": t.title,
        "headers": [by_mean[c][0] if c in by_mean else c for c in columns],
        "rows": rows,
        "note": t.note,
        "empty": t.frame.empty,
        "has_interval": bool(t.intervals),
    }


def figure_view(f: Figure) -> dict[str, Any]:
    html = f.figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"fig-{f.key}",
        config=PLOTLY_CONFIG,
        default_height=f"{f.height}px",
        default_width="100%",
    )
    return {"key": f.key, "title": f.title, "caption": f.caption, "html": html}


def block_view(b: Any) -> dict[str, Any]:
    if isinstance(b, Table):
        return {"type": "table", **table_view(b)}
    if isinstance(b, Figure):
        return {"type": "figure", **figure_view(b)}
    if isinstance(b, Paragraph):
        return {"type": "paragraph", "text": b.text}
    if isinstance(b, BulletList):
        return {"type": "list", "title": b.title, "items": list(b.items)}
    if isinstance(b, Callout):
        return {"type": "callout", "kind": b.kind, "title": b.title, "text": b.text}
    if isinstance(b, KeyFigures):
        return {"type": "keyfigures", "items": [vars(i) for i in b.items]}
    if isinstance(b, Code):
        return {"type": "code", "title": b.title, "text": b.text}
    raise TypeError(f"unknown report block {type(b).__name__}")


def render_html(report: Report) -> str:
    """The full HTML document of ``report``."""
    sections = []
    for i, s in enumerate(report.sections, start=1):
        blocks = [block_view(b) for b in s.blocks if not (isinstance(b, Table) and not b.display)]
        sections.append(
            {"number": i, "key": s.key, "title": s.title, "lead": s.lead, "blocks": blocks}
        )
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            sections=sections,
            plotly_js=plotly_js(),
            level=fm.level(report.interval),
            generated=pd.Timestamp(report.generated_at).strftime("%Y-%m-%d %H:%M UTC"),
        )
    )


def write_html(report: Report, out_path: str | Path) -> Path:
    """Write the report atomically (a temporary file renamed into place)."""
    out = Path(out_path)
    try:
        write_text_atomic(out, render_html(report))
    except OSError as exc:
        raise MixwiseError(
            f"cannot write the report to {out}: {exc.strerror or exc}",
            "Pick a writable path with -o.",
        ) from None
    return out
