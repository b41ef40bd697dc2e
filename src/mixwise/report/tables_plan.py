"""Tables of the response-curve, budget and recommendation parts (from :mod:`mixwise.plan`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from mixwise.report.inputs import ReportInputs
from mixwise.report.model import ColumnFormat, Table
from mixwise.report.tables import est_formats, frame, triple

OUTCOME_METRICS = {
    "total_kpi": ("Total KPI", "kpi"),
    "media_kpi": ("Media KPI", "kpi"),
    "spend": ("Spend", "money"),
    "roas": ("ROAS", "ratio"),
    "cpa": ("CPA", "ratio"),
    "profit": ("Profit", "money"),
}


def _cols(name: str, row: pd.Series | dict[str, Any], prefix: str) -> dict[str, Any]:
    return {
        f"{name} mean": row.get(f"{prefix}_mean"),
        f"{name} low": row.get(f"{prefix}_lo"),
        f"{name} high": row.get(f"{prefix}_hi"),
    }


def response_markers(inp: ReportInputs) -> Table | None:
    curves = inp.plan.curves
    if curves is None:
        return None
    markers = curves.markers()
    rows = []
    for ch, m in markers.iterrows():
        row: dict[str, Any] = {"Channel": ch, "Current spend per period": m.get("current_spend")}
        row |= _cols("KPI per period at current spend", m, "current_kpi")
        row |= _cols("mROAS at current spend", m, "current_mroas")
        if "optimal_spend" in m:
            row["Optimal spend per period"] = m.get("optimal_spend")
        row |= _cols("Saturation point", m, "saturation")
        row |= _cols("Headroom", m, "headroom")
        rows.append(row)
    f = frame(rows)
    names = [
        "KPI per period at current spend",
        "mROAS at current spend",
        "Saturation point",
        "Headroom",
    ]
    kinds: list[ColumnFormat] = ["kpi", "ratio", "money", "money"]
    formats: dict[str, ColumnFormat] = {
        "Current spend per period": "money",
        "Optimal spend per period": "money",
    }
    for n, k in zip(names, kinds, strict=True):
        formats |= est_formats(n, k)
    present = tuple(triple(n) for n in names if f"{n} mean" in f.columns)
    thr = curves.threshold
    note = (
        f"Steady state: spending the same amount every {inp.per}. Saturation point = spend per "
        f"{inp.per} above which mROAS stays below {thr:g}; headroom = saturation point - current "
        "spend (negative: already past it)."
        if thr is not None
        else "No saturation threshold for a conversion KPI without a value per conversion."
    )
    return Table(
        "response_markers",
        "Response at current and optimal spend",
        f,
        formats,
        intervals=present,
        note=note,
    )


def response_curve_points(inp: ReportInputs) -> Table | None:
    if inp.plan.curves is None:
        return None
    f = inp.plan.curves.frame()
    return Table(
        "response_curves", "Response curve points (steady state, per period)", f, {}, display=False
    )


def adstock_weights(inp: ReportInputs) -> Table | None:
    if inp.plan.adstock is None:
        return None
    f = inp.plan.adstock.rename(columns={"channel": "Channel", "lag": "Lag"})
    return Table("adstock", "Adstock: share of the effect by lag", f, {}, display=False)


def budget_allocation(inp: ReportInputs) -> Table | None:
    opt = inp.plan.optimum
    if opt is None:
        return None
    c = opt.channels()
    f = pd.DataFrame(
        {
            "Channel": c.index,
            "Current": c["current"].to_numpy(),
            "Optimal": c["optimal"].to_numpy(),
            "Change": c["change"].to_numpy(),
            "Current share": c["current_share"].to_numpy(),
            "Optimal share": c["optimal_share"].to_numpy(),
            "Media KPI at current": c["current_media_kpi"].to_numpy(),
            "Media KPI at optimal": c["optimal_media_kpi"].to_numpy(),
            "mROAS at optimal": c["optimal_mroas"].to_numpy(),
        }
    )
    formats: dict[str, ColumnFormat] = {
        "Current": "money",
        "Optimal": "money",
        "Change": "money",
        "Current share": "pct",
        "Optimal share": "pct",
        "Media KPI at current": "kpi",
        "Media KPI at optimal": "kpi",
        "mROAS at optimal": "ratio",
    }
    note = (
        f"Budget over the next {opt.periods} {inp.per}s; 'current' repeats the average spend "
        f"per {inp.per} of the recent past, scaled to the same periods. Media KPI means include "
        "carry-over after the plan."
    )
    return Table("budget_allocation", "Allocation by channel", f, formats, note=note)


def budget_outcome(inp: ReportInputs) -> Table | None:
    opt = inp.plan.optimum
    if opt is None:
        return None
    s = opt.summary()
    rows = []
    for key, (label, kind) in OUTCOME_METRICS.items():
        if key not in s.index:
            continue
        r = s.loc[key]
        rows.append(
            {
                "Metric": label,
                "Unit": kind,
                "Current": r["current_mean"],
                "Optimal": r["optimal_mean"],
                "Change mean": r["delta_mean"],
                "Change low": r["delta_lo"],
                "Change high": r["delta_hi"],
                "Chance optimal is better": r["p_better"] if key != "spend" else None,
            }
        )
    return Table(
        "budget_outcome",
        "Expected outcome over the plan periods",
        frame(rows),
        {"Chance optimal is better": "pct"},
        intervals=(triple("Change"),),
        row_format="Unit",
        note="Changes are computed draw by draw (optimal minus current), then summarised.",
    )


def frontier(inp: ReportInputs) -> Table | None:
    fr = inp.plan.frontier
    if fr is None:
        return None
    f = fr.rename(columns={"budget": "Budget", "mroas": "mROAS at the margin"})
    f = f.rename(
        columns={
            f"media_kpi_{k}": f"Media KPI {n}"
            for k, n in (("mean", "mean"), ("lo", "low"), ("hi", "high"))
        }
    )
    f = f.rename(
        columns={
            f"roas_{k}": f"ROAS {n}" for k, n in (("mean", "mean"), ("lo", "low"), ("hi", "high"))
        }
    )
    f = f.drop(columns=[c for c in f.columns if c.endswith("_median")])
    channels = [c for c in f.columns if c in inp.result.channels]
    formats: dict[str, ColumnFormat] = {"Budget": "money", "mROAS at the margin": "ratio"}
    formats |= est_formats("Media KPI", "kpi") | est_formats("ROAS", "ratio")
    formats |= {c: "money" for c in channels}
    return Table(
        "efficiency_frontier",
        "Efficiency frontier: best allocation per budget",
        f,
        formats,
        intervals=(triple("Media KPI"), triple("ROAS")),
        note=f"Each row is the optimizer's best allocation of that budget over "
        f"{inp.plan.periods} {inp.per}s.",
    )


def recommendations(inp: ReportInputs) -> Table:
    units = {"reallocate": "kpi", "waste": "ratio", "saturation": "money"}
    rows = [
        {
            "Kind": r.kind,
            "Unit": units.get(r.kind, "num"),
            "Channels": ", ".join(r.channels),
            "Recommendation": r.message,
            "Estimate mean": r.estimate.mean,
            "Estimate low": r.estimate.lo,
            "Estimate high": r.estimate.hi,
        }
        for r in inp.plan.recommendations
    ]
    cols = [
        "Kind",
        "Unit",
        "Channels",
        "Recommendation",
        "Estimate mean",
        "Estimate low",
        "Estimate high",
    ]
    return Table(
        "recommendations",
        "Recommendations",
        frame(rows, cols),
        {},
        intervals=(triple("Estimate"),),
        row_format="Unit",
    )
