"""Figures of the data, fit, contribution and efficiency sections (pure: inputs -> Figure)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from mixwise.report import format as fm
from mixwise.report import series, theme
from mixwise.report.inputs import ReportInputs
from mixwise.report.model import Figure


def _shade_holdout(fig: go.Figure, inp: ReportInputs) -> None:
    if inp.result.n_holdout:
        dates = inp.result.holdout_dates
        fig.add_vrect(
            x0=dates[0],
            x1=dates[-1],
            fillcolor=theme.HOLDOUT,
            line_width=0,
            annotation_text="holdout",
            annotation_position="top left",
        )


# -- data ---------------------------------------------------------------------------------------
def spend_over_time(inp: ReportInputs) -> Figure:
    spend = series.spend_frame(inp.result)
    fig = go.Figure()
    for i, ch in enumerate(spend.columns):
        fig.add_trace(
            go.Scatter(
                x=spend.index,
                y=spend[ch],
                name=ch,
                mode="lines",
                stackgroup="spend",
                line={"width": 0.5, "color": theme.color(i)},
                fillcolor=theme.band(theme.color(i), 0.8),
            )
        )
    theme.layout(fig, yaxis_title=f"Spend per {inp.per}", hovermode="x unified")
    return Figure(
        "spend_over_time",
        "Spend per period by channel",
        fig,
        "Stacked: the top edge is total media spend.",
    )


def spend_shares(inp: ReportInputs) -> Figure:
    spend = series.spend_frame(inp.result).sum()
    share = spend / spend.sum()
    order = share.sort_values().index
    fig = go.Figure(
        go.Bar(
            x=share[order],
            y=list(order),
            orientation="h",
            marker_color=theme.BLUE,
            text=[fm.pct(v) for v in share[order]],
            textposition="auto",
        )
    )
    theme.layout(
        fig,
        height=max(260, 60 + 40 * len(order)),
        xaxis_tickformat=".0%",
        xaxis_title="Share of total spend",
    )
    return Figure("spend_shares", "Share of spend by channel", fig)


# -- model fit ----------------------------------------------------------------------------------
def actual_vs_predicted(inp: ReportInputs) -> Figure:
    f = series.fit_frame(inp.result, inp.interval)
    lvl = fm.level(inp.interval)
    fig = go.Figure(
        theme.band_traces(f.index, f["predicted_lo"], f["predicted_hi"], f"{lvl} interval")
    )
    fig.add_trace(
        go.Scatter(
            x=f.index,
            y=f["predicted"],
            mode="lines",
            name="Predicted",
            line={"color": theme.BLUE, "width": 2},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=f.index,
            y=f["observed"],
            mode="lines+markers",
            name="Actual",
            line={"color": theme.INK, "width": 1},
            marker={"size": 4},
        )
    )
    _shade_holdout(fig, inp)
    theme.layout(fig, yaxis_title=f"KPI ({inp.kpi_type})", hovermode="x unified")
    return Figure(
        "actual_vs_predicted",
        "Actual vs predicted KPI",
        fig,
        f"The band is the {lvl} interval of the model's expected KPI; it leaves out "
        "period-to-period noise, so single points may fall outside it.",
    )


def residuals(inp: ReportInputs) -> Figure:
    f = series.fit_frame(inp.result, inp.interval)
    colors = np.where(f["residual"] >= 0, theme.POSITIVE, theme.NEGATIVE)
    fig = go.Figure(
        go.Bar(x=f.index, y=f["residual"], marker_color=list(colors), name="Actual - predicted")
    )
    _shade_holdout(fig, inp)
    theme.layout(fig, height=320, yaxis_title="Actual - predicted", showlegend=False)
    return Figure(
        "residuals",
        "Residuals over time",
        fig,
        "Runs of same-signed residuals point at something the model misses "
        "(a missing control, event or trend change).",
    )


# -- contribution -------------------------------------------------------------------------------
def effectiveness_over_time(inp: ReportInputs) -> Figure | None:
    """The media multiplier per period of a ``time_varying_media`` fit (the run's
    ``effectiveness`` document: mean and interval per period); None for other fits."""
    doc = inp.result.extras.get("effectiveness")
    if not doc:
        return None
    lvl = fm.level(float(doc["interval"]))
    x = list(doc["periods"])
    fig = go.Figure(theme.band_traces(x, doc["lo"], doc["hi"], f"{lvl} interval"))
    fig.add_trace(
        go.Scatter(
            x=x, y=doc["mean"], mode="lines", name="Effectiveness", line={"color": theme.BLUE}
        )
    )
    theme.layout(fig, height=320, yaxis_title="Media multiplier", hovermode="x unified")
    latest = doc["latest"]
    return Figure(
        "effectiveness_over_time",
        "Media effectiveness over time",
        fig,
        "Every channel's contribution in a period is its usual response times this multiplier "
        "(time_varying_media). Its level trades off with the channels' coefficients: read how "
        "it moves, not its value. Plans use the last period's: "
        f"{fm.interval(latest['mean'], latest['lo'], latest['hi'], 'ratio')} ({lvl} interval).",
    )


def contributions_stacked(inp: ReportInputs) -> Figure:
    c = series.contributions_over_time(inp.result)
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=c.index,
            y=c["baseline"],
            name="Baseline",
            mode="lines",
            stackgroup="kpi",
            line={"width": 0.5, "color": theme.BASELINE},
            fillcolor=theme.band(theme.BASELINE, 0.8),
        )
    )
    for i, ch in enumerate(inp.result.channels):
        fig.add_trace(
            go.Scatter(
                x=c.index,
                y=c[ch],
                name=ch,
                mode="lines",
                stackgroup="kpi",
                line={"width": 0.5, "color": theme.color(i)},
                fillcolor=theme.band(theme.color(i), 0.8),
            )
        )
    observed = series.national(inp.result.observed).transpose("time").values
    fig.add_trace(
        go.Scatter(
            x=c.index,
            y=observed,
            name="Actual",
            mode="lines",
            line={"color": theme.INK, "width": 1.5, "dash": "dot"},
        )
    )
    theme.layout(fig, height=460, yaxis_title=f"KPI ({inp.kpi_type})", hovermode="x unified")
    return Figure(
        "contributions_over_time",
        "Contributions over time",
        fig,
        f"{inp.mean_word.capitalize()}s; baseline = intercept, trend, seasonality, controls, "
        "events.",
    )


def waterfall(inp: ReportInputs) -> Figure:
    base = series.baseline_totals(inp.result)
    contrib = {ch: float(m["contribution"]["mean"]) for ch, m in inp.summary["channels"].items()}
    labels = [f"Baseline: {k}" for k in base.index] + list(contrib)
    values = list(base.to_numpy()) + list(contrib.values())
    fig = go.Figure(
        go.Waterfall(
            x=[*labels, "Predicted total"],
            y=[*values, 0.0],
            measure=["relative"] * len(values) + ["total"],
            increasing={"marker": {"color": theme.BLUE}},
            decreasing={"marker": {"color": theme.NEGATIVE}},
            totals={"marker": {"color": theme.DARK_BLUE}},
            connector={"line": {"color": theme.GRID}},
            text=[fm.compact(v) for v in values] + [fm.compact(sum(values))],
            textposition="outside",
        )
    )
    observed = float(inp.result.observed.sum())
    theme.layout(fig, height=440, showlegend=False, yaxis_title=f"Total KPI ({inp.kpi_type})")
    return Figure(
        "waterfall",
        "From baseline to total KPI",
        fig,
        f"{inp.mean_word.capitalize()} totals over all periods; each bar adds one component. "
        f"Actual total KPI: {fm.amount(observed)}.",
    )


def share_kpi_vs_spend(inp: ReportInputs) -> Figure:
    chans = inp.summary["channels"]
    names = list(chans)
    spend_total = sum(float(m["spend"]) for m in chans.values())
    kpi = [chans[n]["share"] for n in names]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name="Share of spend",
            y=names,
            x=[chans[n]["spend"] / spend_total for n in names],
            orientation="h",
            marker_color=theme.BASELINE,
        )
    )
    fig.add_trace(
        go.Bar(
            name=f"Share of KPI ({fm.level(inp.interval)} interval)",
            y=names,
            x=[k["mean"] for k in kpi],
            orientation="h",
            marker_color=theme.BLUE,
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [k["hi"] - k["mean"] for k in kpi],
                "arrayminus": [k["mean"] - k["lo"] for k in kpi],
                "color": theme.INK,
            },
        )
    )
    theme.layout(
        fig, barmode="group", height=max(300, 80 + 60 * len(names)), xaxis_tickformat=".0%"
    )
    return Figure(
        "share_kpi_vs_spend",
        "Share of KPI vs share of spend",
        fig,
        "A channel whose KPI share exceeds its spend share returns more than average.",
    )


# -- channel efficiency -------------------------------------------------------------------------
def interval_dots(
    key: str,
    title: str,
    stats: dict[str, dict[str, float | None]],
    axis: str,
    ref: float | None,
    caption: str,
) -> Figure:
    """One dot per channel at the mean with a horizontal bar for its interval."""
    names = [n for n, s in stats.items() if s.get("mean") is not None]
    mean = np.array([stats[n]["mean"] for n in names], dtype=float)
    lo = np.array([stats[n].get("lo") or np.nan for n in names], dtype=float)
    hi = np.array([stats[n].get("hi") or np.nan for n in names], dtype=float)
    fig = go.Figure(
        go.Scatter(
            x=mean,
            y=names,
            mode="markers",
            marker={"size": 11, "color": theme.BLUE},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": np.nan_to_num(hi - mean),
                "arrayminus": np.nan_to_num(mean - lo),
                "color": theme.BLUE,
                "thickness": 2,
            },
            name=axis,
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        )
    )
    if ref is not None:
        fig.add_vline(
            x=ref,
            line_dash="dash",
            line_color=theme.MUTED,
            annotation_text="break-even",
            annotation_position="top",
        )
    theme.layout(fig, height=max(260, 80 + 48 * len(names)), xaxis_title=axis, showlegend=False)
    return Figure(key, title, fig, caption)


def ratio_intervals(inp: ReportInputs) -> Figure:
    lvl = fm.level(inp.interval)
    chans = inp.summary["channels"]
    if inp.is_revenue:
        stats = {n: m["roas"] for n, m in chans.items()}
        return interval_dots(
            "roas",
            "ROAS by channel",
            stats,
            "ROAS",
            1.0,
            f"Dots: {inp.mean_word}; bars: {lvl} {inp.interval_kind} interval. Left of the dashed "
            "line a channel returned less revenue than it cost.",
        )
    stats = {n: m["cpa"] for n, m in chans.items() if "cpa" in m}
    return interval_dots(
        "cpa",
        "CPA by channel",
        stats,
        "Cost per incremental conversion",
        None,
        f"Dots: {inp.mean_word}; bars: {lvl} {inp.interval_kind} interval. Lower is better.",
    )


def mroas_intervals(inp: ReportInputs) -> Figure:
    stats = {n: m["mroas"] for n, m in inp.summary["channels"].items()}
    ref = 1.0 if inp.is_revenue else None
    return interval_dots(
        "mroas",
        "Marginal ROAS at current spend",
        stats,
        "mROAS",
        ref,
        "The return of the next unit of spend at the historical level: where "
        "it is below the others, money moved elsewhere earns more.",
    )


def immediate_vs_carryover(inp: ReportInputs) -> Figure:
    chans = inp.summary["channels"]
    names = list(chans)
    carry = [chans[n]["carryover_share"]["mean"] or 0.0 for n in names]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=names,
            x=[1 - c for c in carry],
            name=f"Same {inp.per}",
            orientation="h",
            marker_color=theme.BLUE,
        )
    )
    fig.add_trace(
        go.Bar(
            y=names,
            x=carry,
            name=f"Later {inp.per}s (carryover)",
            orientation="h",
            marker_color="#93c5fd",
        )
    )
    theme.layout(
        fig,
        barmode="stack",
        height=max(260, 80 + 48 * len(names)),
        xaxis_tickformat=".0%",
        xaxis_range=[0, 1],
        legend_traceorder="normal",
    )
    return Figure(
        "immediate_vs_carryover",
        "Immediate vs carryover effect",
        fig,
        "Share of each channel's effect delivered in the period of spend vs later.",
    )
