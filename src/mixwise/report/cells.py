"""Spreadsheet-safe cells: text that a spreadsheet would run as a formula is neutralised.

OWASP's CSV-injection guidance: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with a single quote, so Excel, LibreOffice and Sheets show it as text
instead of evaluating it (a channel named ``=HYPERLINK(...)`` stays a name). Numbers, dates and
booleans are never touched. Every table export (xlsx and csv; CLI, API and dashboard downloads
all go through :func:`mixwise.report.export.export_tables`) writes :func:`safe_frame` output.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a text cell as a formula."""


def neutralise(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are neutralised (numbers kept)."""
    out = frame.copy()
    out.columns = pd.Index([neutralise(c) for c in frame.columns], dtype=object)
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if not (
            pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column)
        ):
            out.isetitem(i, column.map(neutralise, na_action="ignore").to_numpy())
    return out
