"""Writing the scripts of an export: literals in Python and R, and the README of the folder."""

from __future__ import annotations

from typing import Any

from mixwise import __version__
from mixwise.export.table import ExportTable


def render(template: str, **values: Any) -> str:
    """``template`` with ``{name}`` filled in (the source and mixwise's version included)."""
    values.setdefault("version", __version__)
    values.setdefault("source", "the exported data")
    return template.format(**values)


def py_value(value: str | None) -> str:
    return repr(value)


def py_list(values: list[str], indent: int = 0) -> str:
    """A Python list literal, one item per line when long (items at ``indent + 4`` spaces)."""
    if not values:
        return "[]"
    inner = ", ".join(repr(v) for v in values)
    if len(inner) < 70:
        return f"[{inner}]"
    pad = " " * (indent + 4)
    return "[\n" + "".join(f"{pad}{v!r},\n" for v in values) + " " * indent + "]"


def r_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def r_vector(values: list[str]) -> str:
    """An R character vector ``c("a", "b")`` (``NULL`` when empty)."""
    return "c(" + ", ".join(r_string(v) for v in values) + ")" if values else "NULL"


def readme(tool: str, table: ExportTable, script: str, command: str) -> str:
    """What the folder holds and which column plays which role."""
    exposure = [e for e in table.exposure if e]
    lines = [
        f"Data exported by mixwise {__version__} for {tool}.",
        "",
        f"Fit it with: {command}",
        "",
        f"{script}: builds and fits the model with these roles:",
        f"  date: {table.date} ({table.frequency}, {table.n_periods} periods)",
        f"  KPI: {table.kpi} ({table.kpi_type})",
        f"  geo: {table.geo or 'none (national)'}",
        f"  spend: {', '.join(table.spend)}",
        f"  exposure: {', '.join(exposure) or 'none'}",
        f"  controls: {', '.join(table.controls) or 'none'}",
        f"  organic: {', '.join(table.organic) or 'none'}",
        f"  events (0/1): {', '.join(table.events) or 'none'}",
        f"  holidays (0/1): {', '.join(table.holidays) or 'none'}",
    ]
    return "\n".join(lines) + "\n"
