"""Small helpers shared by the checks: building findings that name rows and example values."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from mixwise.data.findings import Finding, Severity, first_rows, format_rows

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def positions(mask: np.ndarray | pd.Series) -> np.ndarray:
    """0-based positions where ``mask`` is true."""
    return np.flatnonzero(np.asarray(mask, dtype=bool))


def rows_text(pos: Sequence[int] | np.ndarray) -> str:
    """'rows 3, 7, 12 and 40 more' for 0-based positions (printed 1-based)."""
    return format_rows(first_rows(pos), total=len(pos))


def examples(raw: pd.Series, pos: Sequence[int] | np.ndarray, limit: int = 3) -> str:
    """Up to ``limit`` distinct raw values at ``pos``, quoted: "'abc', '1,234'"."""
    seen: list[str] = []
    for p in pos:
        value = raw.iloc[int(p)]
        text = "(empty)" if _is_empty(value) else repr(str(value))
        if text not in seen:
            seen.append(text)
        if len(seen) >= limit:
            break
    return ", ".join(seen)


def _is_empty(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def finding(
    code: str,
    severity: Severity,
    message: str,
    hint: str,
    column: str | None = None,
    pos: Sequence[int] | np.ndarray = (),
) -> Finding:
    """A finding whose ``rows`` are the first 1-based rows of the 0-based positions ``pos``."""
    return Finding(
        code=code,
        severity=severity,
        message=message,
        hint=hint,
        column=column,
        rows=first_rows(pos),
    )


def day(ts: pd.Timestamp | np.datetime64) -> str:
    """A date as 'YYYY-MM-DD' (with the time when it is not midnight)."""
    t = pd.Timestamp(ts)
    return str(t.date()) if t == t.normalize() else str(t)
