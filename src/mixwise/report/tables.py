"""Tables of the data, fit, contribution and efficiency sections (pure: inputs -> Table).

Column names are what an analyst reads in the export; an estimate ``X`` comes as three columns
``X mean``, ``X low``, ``X high`` (the ends of the central interval) shown together in the HTML.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mixwise.report import series
from mixwise.report.inputs import ReportInputs
from mixwise.report.model import ColumnFormat, Table


def est_cols(name: str, stats: dict[str, Any] | None) -> dict[str, Any]:
    """``{"X mean", "X low", "X high"}`` from a summary ``{"mean", "lo", "hi"}`` dict."""
    s = stats or {}
    return {f"{name} mean": s.get("mean"), f"{name} low": s.get("lo"), f"{name} high": s.get("hi")}


def triple(name: str) -> tuple[str, str, str, str]:
    return (name, f"{name} mean", f"{name} low", f"{name} high")


def est_formats(name: str, kind: ColumnFormat) -> dict[str, ColumnFormat]:
    return {f"{name} mean": kind, f"{name} low": kind, f"{name} high": kind}


def frame(rows: list[dict[str, Any]], columns: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns) if rows or columns else pd.DataFrame()


# -- data ---------------------------------------------------------------------------------------
def data_channels(inp: ReportInputs) -> Table:
    spend = series.spend_frame(inp.result)
    total = float(spend.to_numpy().sum())
    rows = []
    for ch in spend.columns:
        col = spend[ch]
        active = col[col > 0]
        rows.append(
            {
                "Channel": ch,
                "Spend": float(col.sum()),
                "Share of spend": float(col.sum()) / total if total > 0 else None,
                "Active periods": len(active),
                "Mean spend when active": float(active.mean()) if len(active) else None,
                "First active": active.index[0] if len(active) else None,
                "Last active": active.index[-1] if len(active) else None,
            }
        )
    return Table(
        "data_channels",
        "Channels and spend",
        frame(rows),
        {
            "Spend": "money",
            "Share of spend": "pct",
            "Active periods": "int",
            "Mean spend when active": "money",
            "First active": "date",
            "Last active": "date",
        },
        note=f"Spend over the whole period, in the data's currency; one period is one {inp.per}.",
    )


def findings(inp: ReportInputs) -> Table:
    rows = [
        {
            "Severity": f.get("severity", ""),
            "Code": f.get("code", ""),
            "Column": f.get("column") or "",
            "Rows": ", ".join(str(r) for r in f.get("rows", [])),
            "Message": f.get("message", ""),
            "Hint": f.get("hint", ""),
        }
        for f in inp.result.provenance.get("findings", [])
    ]
    cols = ["Severity", "Code", "Column", "Rows", "Message", "Hint"]
    return Table("findings", "Validation findings", frame(rows, cols), {})


# -- model fit ----------------------------------------------------------------------------------
def fit_metrics(inp: ReportInputs) -> Table:
    fit = inp.summary.get("fit", {})
    periods = inp.summary.get("periods", {})
    n, hold = int(periods.get("n", 0)), int(periods.get("holdout", 0))
    rows = []
    for label, key, count in (("In-sample", "in_sample", n - hold), ("Holdout", "holdout", hold)):
        m = fit.get(key) or {}
        rows.append(
            {
                "Sample": label,
                "Periods": count,
                "R2": m.get("r2"),
                "MAPE": m.get("mape"),
                "NRMSE": m.get("nrmse"),
            }
        )
    note = (
        "R2 = 1 - SSE/SST; MAPE = mean |error| / KPI; NRMSE = RMSE / (max - min of the KPI). "
        "Holdout periods were not used to fit, so their metrics show out-of-sample accuracy."
    )
    if not hold:
        note += " This fit kept no holdout (set `holdout` in the spec to measure it)."
    return Table(
        "fit_metrics",
        "Fit quality",
        frame(rows),
        {"Periods": "int", "R2": "num", "MAPE": "pct", "NRMSE": "num"},
        note=note,
    )


def diagnostics(inp: ReportInputs) -> Table:
    d = inp.summary.get("diagnostics", {})
    rows = [
        {"Check": "R-hat (max)", "Value": d.get("rhat_max"), "Threshold": "<= 1.01", "Unit": "num"},
        {
            "Check": "Bulk ESS (min)",
            "Value": d.get("ess_bulk_min"),
            "Threshold": ">= 100 per chain",
            "Unit": "int",
        },
        {
            "Check": "Tail ESS (min)",
            "Value": d.get("ess_tail_min"),
            "Threshold": ">= 100 per chain",
            "Unit": "int",
        },
        {"Check": "Divergences", "Value": d.get("divergences"), "Threshold": "0", "Unit": "int"},
        {"Check": "E-BFMI (min)", "Value": d.get("bfmi_min"), "Threshold": ">= 0.3", "Unit": "num"},
    ]
    return Table("diagnostics", "Sampler diagnostics", frame(rows), {}, row_format="Unit")


def fit_series(inp: ReportInputs) -> Table:
    f = series.fit_frame(inp.result, inp.interval).reset_index()
    formats: dict[str, ColumnFormat] = {"Date": "date", "Observed": "kpi", "Residual": "kpi"}
    f.columns = [
        "Date",
        "Observed",
        "Predicted mean",
        "Predicted low",
        "Predicted high",
        "Residual",
        "Holdout",
    ]
    return Table(
        "fit_series",
        "Actual vs predicted per period",
        f,
        formats | est_formats("Predicted", "kpi"),
        intervals=(triple("Predicted"),),
        display=False,
    )


# -- contribution -------------------------------------------------------------------------------
def contributions(inp: ReportInputs) -> Table:
    spend_total = sum(float(c["spend"]) for c in inp.summary["channels"].values())
    rows = []
    for ch, m in inp.summary["channels"].items():
        rows.append(
            {"Channel": ch}
            | est_cols("Contribution", m.get("contribution"))
            | est_cols("Share of KPI", m.get("share"))
            | {
                "Spend": m.get("spend"),
                "Share of spend": float(m["spend"]) / spend_total if spend_total else None,
            }
        )
    base = inp.summary["baseline"]["share"]
    total = series.baseline_total_draws(inp.result)
    lo, hi = series.quantiles(total[:, None], inp.interval)
    base_total = {"mean": float(total.mean()), "lo": float(lo[0]), "hi": float(hi[0])}
    rows.append(
        {"Channel": "Baseline (non-media)"}
        | est_cols("Contribution", base_total)
        | est_cols("Share of KPI", base)
    )
    formats = (
        est_formats("Contribution", "kpi")
        | est_formats("Share of KPI", "pct")
        | {"Spend": "money", "Share of spend": "pct"}
    )
    return Table(
        "contributions",
        "Contribution and share of KPI by channel",
        frame(rows),
        formats,
        intervals=(triple("Contribution"), triple("Share of KPI")),
        note="Share of KPI = contribution / total observed KPI over all periods.",
    )


def baseline_components(inp: ReportInputs) -> Table:
    rows = [
        {"Component": comp} | est_cols("Share of KPI", entry.get("share"))
        for comp, entry in inp.summary["baseline"].get("components", {}).items()
    ]
    return Table(
        "baseline_components",
        "Baseline components",
        frame(rows),
        est_formats("Share of KPI", "pct"),
        intervals=(triple("Share of KPI"),),
    )


def contributions_over_time(inp: ReportInputs) -> Table:
    f = series.contributions_over_time(inp.result).reset_index()
    formats: dict[str, ColumnFormat] = {c: "kpi" for c in f.columns if c != "date"}
    return Table(
        "contributions_over_time",
        f"Contributions per period ({inp.mean_word}s)",
        f.rename(columns={"date": "Date"}),
        formats | {"Date": "date"},
        display=False,
    )


# -- channel efficiency -------------------------------------------------------------------------
def efficiency(inp: ReportInputs) -> Table:
    rows, formats = [], {"Spend": "money"}
    ratio_name = "ROAS" if inp.is_revenue else "CPA"
    for ch, m in inp.summary["channels"].items():
        row: dict[str, Any] = {"Channel": ch, "Spend": m.get("spend")}
        row |= est_cols(ratio_name, m.get("roas" if inp.is_revenue else "cpa"))
        if not inp.is_revenue:
            row |= est_cols("Conversions per unit spend", m.get("roas"))
        row |= est_cols("mROAS", m.get("mroas"))
        row |= est_cols("Carryover share", m.get("carryover_share"))
        row |= est_cols("Half-life", m.get("half_life"))
        rows.append(row)
    names = [ratio_name] + ([] if inp.is_revenue else ["Conversions per unit spend"])
    for n in [*names, "mROAS"]:
        formats |= est_formats(n, "ratio")
    formats |= est_formats("Carryover share", "pct") | est_formats("Half-life", "periods")
    return Table(
        "efficiency",
        "Channel efficiency",
        frame(rows),
        formats,  # type: ignore[arg-type]
        intervals=tuple(triple(n) for n in [*names, "mROAS", "Carryover share", "Half-life"]),
        note=_efficiency_note(inp),
    )


def _efficiency_note(inp: ReportInputs) -> str:
    unit = "revenue per unit of spend" if inp.is_revenue else "conversions per unit of spend"
    ratio = (
        "ROAS = contribution / spend" if inp.is_revenue else "CPA = spend / incremental conversions"
    )
    return (
        f"{ratio}, over all periods. mROAS = the return of one more unit of spend at the "
        f"historical level ({unit}). Carryover share = part of the effect that came from "
        f"spend in earlier {inp.per}s. Half-life in {inp.per}s."
    )
