"""The report's backtests (model fit section): for a refreshed run, its parent's forecast of the
added periods against what happened, and **model accuracy over time**: the backtests of every
refresh in the chain of run folders (each run's ``provenance.parent``), oldest first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from mixwise.report.inputs import ReportInputs
from mixwise.report.model import Table

MAX_CHAIN = 200

NOTE = (
    "Each refresh first scored the previous model on the periods it had not seen. MAPE = mean "
    "|actual - forecast| / actual; coverage = share of actual values inside the forecast's 90% "
    "interval (near 90%: honest intervals; far below: an over-confident model); CRPS = the "
    "continuous ranked probability score, in KPI units, lower is better."
)


def _chain(run_dir: Path, summary: dict[str, Any]) -> list[dict[str, Any]]:
    """``{"run", "end", **backtest}`` of the run and its ancestors that are run folders here."""
    rows: list[dict[str, Any]] = []
    folder: Path | None = Path(run_dir)
    doc = summary
    while folder is not None and len(rows) < MAX_CHAIN:
        if doc.get("backtest"):
            bt = doc["backtest"]
            rows.append({"run": folder.name, "end": doc["periods"]["end"], **bt})
        provenance = folder / "provenance.json"
        parent = json.loads(provenance.read_text()).get("parent") if provenance.is_file() else None
        folder = Path(parent) if parent and (Path(parent) / "summary.json").is_file() else None
        doc = json.loads((folder / "summary.json").read_text()) if folder else {}
    return rows[::-1]


def accuracy_over_time(inp: ReportInputs) -> Table | None:
    """The backtests across the refresh chain (None for a run that is no refresh)."""
    rows = _chain(inp.run_dir, inp.summary)
    if not rows:
        return None
    frame = pd.DataFrame(
        [
            {
                "Run": r["run"],
                "Data to": r["end"],
                "Periods scored": r["periods"],
                "MAPE": r["mape"],
                "Coverage of the 90% interval": r["coverage"],
                "CRPS": r["crps"],
            }
            for r in rows
        ]
    )
    return Table(
        "accuracy_over_time",
        "Model accuracy over time",
        frame,
        formats={
            "Periods scored": "int",
            "MAPE": "pct",
            "Coverage of the 90% interval": "pct",
            "CRPS": "kpi",
        },
        note=NOTE,
    )


def backtest_series(inp: ReportInputs) -> Table | None:
    """This refresh's backtest, period by period: actual vs forecast with its 90% interval."""
    bt = inp.summary.get("backtest")
    if not bt or not bt.get("series"):
        return None
    frame = pd.DataFrame(
        [
            {
                "Period": p["date"],
                "Actual": p["actual"],
                "Forecast": p["forecast"]["mean"],
                "lo": p["forecast"]["lo"],
                "hi": p["forecast"]["hi"],
            }
            for p in bt["series"]
        ]
    )
    return Table(
        "backtest",
        "Backtest: the previous model's forecast of the added periods",
        frame,
        formats={"Period": "date", "Actual": "kpi", "Forecast": "kpi", "lo": "kpi", "hi": "kpi"},
        intervals=(("Forecast (90% interval)", "Forecast", "lo", "hi"),),
        note="The forecast was made before these periods were fitted (module docs/refresh.md).",
    )
