"""Findings: what a data check found, in words an analyst can act on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np


class Severity(StrEnum):
    """How bad a finding is. Errors stop a fit; warnings travel with the result into reports."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem (or fact) found in the data.

    ``rows`` are 1-based data row numbers: row 1 is the first row below the header.
    Only the first few offending rows are kept (see ``MAX_ROWS``).
    """

    code: str
    severity: Severity
    message: str
    hint: str = ""
    column: str | None = None
    rows: tuple[int, ...] = field(default_factory=tuple)

    MAX_ROWS = 10

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "column": self.column,
            "rows": list(self.rows),
            "message": self.message,
            "hint": self.hint,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Finding:
        return cls(
            code=d["code"],
            severity=Severity(d["severity"]),
            message=d["message"],
            hint=d.get("hint", ""),
            column=d.get("column"),
            rows=tuple(d.get("rows", ())),
        )


def first_rows(positions: Iterable[int]) -> tuple[int, ...]:
    """Turn 0-based positions into the first ``Finding.MAX_ROWS`` 1-based row numbers."""
    out: list[int] = []
    for p in positions:
        out.append(int(p) + 1)
        if len(out) >= Finding.MAX_ROWS:
            break
    return tuple(out)


def format_rows(rows: Sequence[int], total: int | None = None) -> str:
    """'rows 3, 7, 12' (and 'and N more' when ``total`` says there are more)."""
    text = ", ".join(str(r) for r in rows)
    label = "row" if len(rows) == 1 else "rows"
    more = f" and {total - len(rows)} more" if total is not None and total > len(rows) else ""
    return f"{label} {text}{more}"


def rows_finding(
    code: str,
    mask: np.ndarray,
    message: str,
    hint: str,
    column: str | None,
    severity: Severity = Severity.ERROR,
    row_of: np.ndarray | None = None,
) -> list[Finding]:
    """One finding naming the first offending rows of ``mask`` (``[]`` when none offends), with
    the rows appended to ``message``; ``row_of`` maps positions of ``mask`` to table rows (for
    values exploded from cells, such as the steps of a path)."""
    positions = np.flatnonzero(mask)
    if row_of is not None:
        positions = np.unique(row_of[positions])
    if len(positions) == 0:
        return []
    rows = first_rows(positions)
    text = f"{message} ({format_rows(rows, len(positions))})"
    return [Finding(code, severity, text, hint, column, rows)]


@dataclass
class ValidationReport:
    """All findings for one dataset. ``ok`` is true when nothing blocks a fit."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "findings": [f.to_dict() for f in self.findings]}
