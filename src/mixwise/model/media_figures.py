"""ROAS and CPA of all paid media together and of each channel, draw by draw, with intervals.

Over every period of the result and summed over geos: ``roas = sum contribution / sum spend``
(KPI per currency unit; revenue KPIs) and ``cpa = sum spend / sum contribution`` (currency per
incremental conversion; conversion KPIs only). The key ``""`` is all paid media together.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mixwise.model.intervals import stats
from mixwise.model.result import FitResult

METRICS: tuple[str, ...] = ("roas", "cpa")
"""The metrics a model can be compared on, declared once (benchmarks read this)."""


def media_figures(result: FitResult, interval: float) -> dict[str, dict[str, Any]]:
    """``{channel or "": {"roas": stats | None, "cpa": stats | None, "why": {...}}}``."""
    contrib = result.contributions
    spend = result.spend
    other = [d for d in contrib.dims if d not in ("draw", "channel")]
    per_channel = contrib.sum(other).transpose("draw", "channel").values  # (draw, channel)
    spend_ch = spend.sum([d for d in spend.dims if d != "channel"]).values  # (channel,)
    out: dict[str, dict[str, Any]] = {}
    columns = [("", per_channel.sum(axis=1), float(spend_ch.sum()))]
    columns += [(ch, per_channel[:, i], float(spend_ch[i])) for i, ch in enumerate(result.channels)]
    for name, kpi, total_spend in columns:
        out[name] = _figures(np.asarray(kpi), total_spend, result.kpi_type, interval)
    return out


def _figures(kpi: np.ndarray, spend: float, kpi_type: str, interval: float) -> dict[str, Any]:
    why: dict[str, str] = {}
    roas = cpa = None
    if spend <= 0:
        why["roas"] = why["cpa"] = "no spend in the data"
    else:
        if kpi_type == "revenue":
            roas = stats(kpi / spend, interval)
            why["cpa"] = "CPA needs a conversions KPI; this model's KPI is revenue"
        else:
            why["roas"] = "ROAS needs a revenue KPI; this model's KPI counts conversions"
            if np.all(kpi > 0):
                cpa = stats(spend / kpi, interval)
            else:
                why["cpa"] = "some draws give no incremental conversions (CPA unbounded)"
    return {"roas": roas, "cpa": cpa, "why": why}
