"""Number formatting for the report: one function per kind of number, ``None`` shown as n/a.

Kinds: ``money`` and ``kpi`` (thousands separators, no decimals above 100), ``ratio`` (two
decimals: ROAS, mROAS, CPA below 100), ``pct`` (fractions shown as percentages), ``int``,
``num`` (three significant decimals), ``periods`` (one decimal). Intervals read
"mean (lo to hi)".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd

NA = "n/a"


def _finite(x: Any) -> float | None:
    if x is None or isinstance(x, str | bool):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def amount(x: Any) -> str:
    """Currency or KPI amounts: ``1,234,567``; small values keep two decimals."""
    v = _finite(x)
    if v is None:
        return NA
    if abs(v) < 0.005:  # optimizer zeros come back as 1e-11: they read as 0
        return "0"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"


def compact(x: Any) -> str:
    """Headline amounts: ``9.99M``, ``245k``, ``812``."""
    v = _finite(x)
    if v is None:
        return NA
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:,.3g}{suffix}" if abs(v) < 1000 * div else f"{v / div:,.0f}{suffix}"
    return amount(v)


def ratio(x: Any) -> str:
    """ROAS, mROAS, CPA: two decimals (thousands separators for large CPAs)."""
    v = _finite(x)
    return NA if v is None else f"{v:,.2f}"


def pct(x: Any) -> str:
    """A fraction as a percentage with one decimal: ``0.1234 -> 12.3%``."""
    v = _finite(x)
    if v is None:
        return NA
    text = f"{100 * v:.1f}%"
    return "0.0%" if text == "-0.0%" else text


def integer(x: Any) -> str:
    v = _finite(x)
    return NA if v is None else f"{v:,.0f}"


def number(x: Any) -> str:
    v = _finite(x)
    return NA if v is None else f"{v:,.3f}"


def periods(x: Any) -> str:
    v = _finite(x)
    return NA if v is None else f"{v:,.1f}"


def date(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return NA
    try:
        return pd.Timestamp(x).date().isoformat()
    except (TypeError, ValueError):
        return str(x)


def text(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return str(x)


FORMATTERS: dict[str, Callable[[Any], str]] = {
    "money": amount,
    "kpi": amount,
    "ratio": ratio,
    "pct": pct,
    "int": integer,
    "num": number,
    "periods": periods,
    "date": date,
    "text": text,
}


def fmt(x: Any, kind: str) -> str:
    """Format ``x`` as ``kind`` (a key of :data:`FORMATTERS`)."""
    return FORMATTERS.get(kind, text)(x)


def bounds(lo: Any, hi: Any, kind: str) -> str:
    """``"(1.62 to 4.76)"``, or ``""`` when either end is unknown."""
    if _finite(lo) is None or _finite(hi) is None:
        return ""
    return f"({fmt(lo, kind)} to {fmt(hi, kind)})"


def interval(mean: Any, lo: Any, hi: Any, kind: str) -> str:
    """``"2.84 (1.62 to 4.76)"``; just the mean when the interval is unknown."""
    head, tail = fmt(mean, kind), bounds(lo, hi, kind)
    return f"{head} {tail}" if tail else head


def level(interval_level: float) -> str:
    """``0.9 -> "90%"``."""
    return f"{round(interval_level * 100)}%"
