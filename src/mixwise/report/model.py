"""The report as data: sections made of blocks (text, key figures, tables, figures).

Builders (:mod:`mixwise.report.sections`) produce a :class:`Report`; renderers
(:mod:`mixwise.report.html`, :mod:`mixwise.report.export`) only read it. Tables keep raw numbers
(``frame``) and say how each column is shown (``formats``), so exports carry full precision and
the HTML shows readable numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

ColumnFormat = Literal["money", "kpi", "ratio", "pct", "int", "num", "text", "date", "periods"]
CalloutKind = Literal["info", "warning", "danger", "success"]


@dataclass(frozen=True)
class Table:
    """A table with a stable ``key`` (sheet / file name), raw values and display formats.

    ``formats`` maps column names to a :data:`ColumnFormat`; unlisted columns show as text.
    ``interval`` lists ``(label, mean, lo, hi)`` column triples shown together as one column
    "mean (lo to hi)" in the HTML; the raw columns stay in exports. ``row_format`` names a
    column holding each row's format (for tables mixing units by row); it is not shown.
    ``display=False`` tables are exported but not shown in the HTML (long series).
    """

    key: str
    title: str
    frame: pd.DataFrame
    formats: dict[str, ColumnFormat] = field(default_factory=dict)
    intervals: tuple[tuple[str, str, str, str], ...] = ()
    note: str = ""
    row_format: str | None = None
    display: bool = True


@dataclass(frozen=True)
class Figure:
    """A Plotly figure with a stable ``key`` (file name for PNG export) and a caption."""

    key: str
    title: str
    figure: Any  # plotly.graph_objects.Figure
    caption: str = ""
    height: int = 420


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]
    title: str = ""


@dataclass(frozen=True)
class Callout:
    kind: CalloutKind
    title: str
    text: str


@dataclass(frozen=True)
class KeyFigure:
    """A headline number: ``value`` as shown, ``detail`` (its interval, unit) below it."""

    label: str
    value: str
    detail: str = ""


@dataclass(frozen=True)
class KeyFigures:
    items: tuple[KeyFigure, ...]


@dataclass(frozen=True)
class Code:
    """Preformatted text (the model spec, a command to reproduce)."""

    title: str
    text: str


Block = Paragraph | BulletList | Callout | KeyFigures | Table | Figure | Code


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: tuple[Block, ...]
    lead: str = ""

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]


@dataclass(frozen=True)
class Report:
    """Everything the report shows. ``approximate``: the fit was quick mode (ADVI)."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]
    approximate: bool
    interval: float
    generated_at: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    @property
    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]
