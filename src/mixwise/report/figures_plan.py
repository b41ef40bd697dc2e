"""Figures of the response-curve and budget sections (from :mod:`mixwise.plan` results)."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from mixwise.report import format as fm
from mixwise.report import theme
from mixwise.report.inputs import ReportInputs
from mixwise.report.model import Figure


def response_curves(inp: ReportInputs) -> Figure | None:
    curves = inp.plan.curves
    if curves is None:
        return None
    names = list(curves.model.channels)
    cols = 2 if len(names) > 1 else 1
    rows = math.ceil(len(names) / cols)
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=names, vertical_spacing=0.12, horizontal_spacing=0.1
    )
    q = (1 - curves.level) / 2
    lo, hi = np.quantile(curves.response, [q, 1 - q], axis=0)
    mean = curves.response.mean(axis=0)
    now = curves.at(curves.current)[0][:, 0, :].mean(axis=0)
    best = None if curves.optimal is None else curves.at(curves.optimal)[0][:, 0, :].mean(axis=0)
    sat = None if curves.saturation is None else curves.saturation.mean(axis=0)
    for i, _ in enumerate(names):
        r, c = i // cols + 1, i % cols + 1
        x = curves.spend[:, i]
        first = i == 0
        fig.add_trace(
            go.Scatter(
                x=x, y=hi[:, i], mode="lines", line={"width": 0}, showlegend=False, hoverinfo="skip"
            ),
            row=r,
            col=c,
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=lo[:, i],
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor=theme.BAND,
                showlegend=first,
                name=f"{fm.level(curves.level)} interval",
                legendgroup="band",
            ),
            row=r,
            col=c,
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=mean[:, i],
                mode="lines",
                name="Response (mean)",
                line={"color": theme.BLUE, "width": 2},
                showlegend=first,
                legendgroup="mean",
            ),
            row=r,
            col=c,
        )
        fig.add_trace(
            go.Scatter(
                x=[curves.current[i]],
                y=[now[i]],
                mode="markers",
                name="Current",
                marker={"size": 11, "color": theme.INK},
                showlegend=first,
                legendgroup="current",
            ),
            row=r,
            col=c,
        )
        if best is not None and curves.optimal is not None:
            fig.add_trace(
                go.Scatter(
                    x=[curves.optimal[i]],
                    y=[best[i]],
                    mode="markers",
                    name="Optimal",
                    showlegend=first,
                    legendgroup="optimal",
                    marker={"size": 12, "color": "#0ea5e9", "symbol": "diamond"},
                ),
                row=r,
                col=c,
            )
        if sat is not None and np.isfinite(sat[i]) and sat[i] <= x[-1]:
            fig.add_vline(x=float(sat[i]), line_dash="dash", line_color=theme.MUTED, row=r, col=c)
    theme.layout(fig, height=max(360, 300 * rows), margin={"t": 80})
    fig.update_xaxes(title_text=f"Spend per {inp.per}")
    fig.update_yaxes(title_text=f"KPI per {inp.per}", col=1)
    thr = "" if curves.threshold is None else f" (mROAS {curves.threshold:g})"
    return Figure(
        "response_curves",
        "Response curves",
        fig,
        f"Steady-state KPI per {inp.per} when spending the same amount every {inp.per}. "
        f"Dashed line: saturation point{thr}, posterior mean.",
        height=max(360, 300 * rows),
    )


def adstock_decay(inp: ReportInputs) -> Figure | None:
    prof = inp.plan.adstock
    if prof is None:
        return None
    fig = go.Figure()
    for i, (ch, part) in enumerate(prof.groupby("channel", sort=False)):
        mean = part["weight_mean"].to_numpy()
        fig.add_trace(
            go.Scatter(
                x=part["lag"],
                y=mean,
                mode="lines+markers",
                name=str(ch),
                line={"color": theme.color(i)},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": part["weight_hi"].to_numpy() - mean,
                    "arrayminus": mean - part["weight_lo"].to_numpy(),
                    "thickness": 1,
                },
            )
        )
    theme.layout(
        fig,
        height=380,
        xaxis_title=f"{inp.per.capitalize()}s after spend",
        yaxis_title="Share of the effect",
        yaxis_tickformat=".0%",
        hovermode="x unified",
    )
    return Figure(
        "adstock_decay",
        "Adstock decay",
        fig,
        f"How each channel's effect is spread over the {inp.per}s after spend "
        f"(mean with {fm.level(inp.interval)} interval).",
    )


def budget_allocation(inp: ReportInputs) -> Figure | None:
    opt = inp.plan.optimum
    if opt is None:
        return None
    c = opt.channels()
    names = list(c.index)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=names, y=c["current"], name="Current", marker_color=theme.BASELINE))
    fig.add_trace(
        go.Bar(
            x=names,
            y=c["optimal"],
            name="Optimal",
            marker_color=theme.BLUE,
            text=[fm.compact(v) for v in c["change"]],
            textposition="outside",
            hovertemplate="%{x}: %{y:,.0f}<extra>Optimal</extra>",
        )
    )
    theme.layout(
        fig, barmode="group", height=400, yaxis_title=f"Budget over {opt.periods} {inp.per}s"
    )
    return Figure(
        "budget_allocation",
        "Current vs optimal allocation",
        fig,
        "Labels on the blue bars: the change from the current allocation.",
    )


def frontier(inp: ReportInputs) -> Figure | None:
    fr, opt = inp.plan.frontier, inp.plan.optimum
    if fr is None:
        return None
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=fr["budget"],
            y=fr["media_kpi_hi"],
            mode="lines",
            line={"width": 0},
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=fr["budget"],
            y=fr["media_kpi_lo"],
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=theme.BAND,
            name=f"{fm.level(inp.interval)} interval",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=fr["budget"],
            y=fr["media_kpi_mean"],
            mode="lines+markers",
            name="Best media KPI",
            line={"color": theme.BLUE, "width": 2},
        )
    )
    if opt is not None:
        cur = opt.current.metric_draws()["media_kpi"].mean()
        best = opt.optimal.metric_draws()["media_kpi"].mean()
        fig.add_trace(
            go.Scatter(
                x=[opt.budget],
                y=[cur],
                mode="markers",
                name="Current mix",
                marker={"size": 12, "color": theme.INK},
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[opt.budget],
                y=[best],
                mode="markers",
                name="Optimal mix",
                marker={"size": 13, "color": "#0ea5e9", "symbol": "diamond"},
            )
        )
    theme.layout(
        fig,
        height=420,
        xaxis_title=f"Budget over {inp.plan.periods} {inp.per}s",
        yaxis_title="Media KPI (incl. carry-over)",
    )
    return Figure(
        "efficiency_frontier",
        "Efficiency frontier",
        fig,
        "The most media KPI each budget can buy with the best allocation; the gap "
        "between the black dot and the curve is what reallocation alone can gain.",
    )
