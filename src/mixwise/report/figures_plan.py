"""Figures of the response-curve and budget sections (from :mod:`mixwise.plan` results)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from mixwise.report import format as fm
from mixwise.report import theme
from mixwise.report.inputs import ReportInputs
from mixwise.report.model import Figure

if TYPE_CHECKING:
    from mixwise.plan import ResponseCurves


def _curve_stats(curves: ResponseCurves) -> dict[str, Any]:
    """Mean and interval of each curve, and the marker heights (posterior means)."""
    q = (1 - curves.level) / 2
    lo, hi = np.quantile(curves.response, [q, 1 - q], axis=0)
    at_optimal = None if curves.optimal is None else curves.at(curves.optimal)[0]
    return {
        "lo": lo,
        "hi": hi,
        "mean": curves.response.mean(axis=0),
        "now": curves.at(curves.current)[0][:, 0, :].mean(axis=0),
        "best": None if at_optimal is None else at_optimal[:, 0, :].mean(axis=0),
        "sat": None if curves.saturation is None else curves.saturation.mean(axis=0),
    }


def _panel(fig: go.Figure, curves: ResponseCurves, st: dict[str, Any], i: int, cols: int) -> None:
    """Channel ``i``'s curve, band, markers and saturation line in its subplot."""
    at = {"row": i // cols + 1, "col": i % cols + 1}
    x, first = curves.spend[:, i], i == 0
    label = f"{fm.level(curves.level)} interval"
    for trace in theme.band_traces(x, st["lo"][:, i], st["hi"][:, i], label, showlegend=first):
        fig.add_trace(trace, **at)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=st["mean"][:, i],
            mode="lines",
            name="Response (mean)",
            line={"color": theme.BLUE, "width": 2},
            showlegend=first,
            legendgroup="mean",
        ),
        **at,
    )
    fig.add_trace(theme.point(curves.current[i], st["now"][i], "Current", showlegend=first), **at)
    if st["best"] is not None and curves.optimal is not None:
        fig.add_trace(
            theme.point(curves.optimal[i], st["best"][i], "Optimal", showlegend=first), **at
        )
    sat = st["sat"]
    if sat is not None and np.isfinite(sat[i]) and sat[i] <= x[-1]:
        fig.add_vline(x=float(sat[i]), line_dash="dash", line_color=theme.MUTED, **at)


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
    stats = _curve_stats(curves)
    for i in range(len(names)):
        _panel(fig, curves, stats, i, cols)
    height = max(360, 300 * rows)
    theme.layout(fig, height=height, margin={"t": 80})
    fig.update_xaxes(title_text=f"Spend per {inp.per}")
    fig.update_yaxes(title_text=f"KPI per {inp.per}", col=1)
    thr = "" if curves.threshold is None else f" (mROAS {curves.threshold:g})"
    caption = (
        f"Steady-state KPI per {inp.per} when spending the same amount every {inp.per}. "
        f"Dashed line: saturation point{thr}, {inp.mean_word}."
    )
    return Figure("response_curves", "Response curves", fig, caption, height=height)


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
    label = f"{fm.level(inp.interval)} interval"
    fig.add_traces(theme.band_traces(fr["budget"], fr["media_kpi_lo"], fr["media_kpi_hi"], label))
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
        for name, sim in (("Current", opt.current), ("Optimal", opt.optimal)):
            media = float(sim.metric_draws()["media_kpi"].mean())
            fig.add_trace(theme.point(opt.budget, media, name))
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
        "The most media KPI each budget can buy with the best allocation. At the current "
        "budget, the black dot is the current split and the diamond the optimal one: the gap "
        "is what reallocation alone can gain.",
    )
