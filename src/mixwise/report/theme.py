"""The report's look: one blue palette and one Plotly layout for every figure."""

from __future__ import annotations

from functools import cache
from typing import Any

import plotly.graph_objects as go

FONT = "Inter, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#0f172a"
MUTED = "#64748b"
BLUE = "#2563eb"
DARK_BLUE = "#1e3a8a"
BAND = "rgba(37, 99, 235, 0.18)"
BASELINE = "#cbd5e1"
NEGATIVE = "#e11d48"
POSITIVE = "#2563eb"
GRID = "#e2e8f0"
HOLDOUT = "rgba(100, 116, 139, 0.12)"

PALETTE = (
    "#1d4ed8",
    "#0ea5e9",
    "#6366f1",
    "#14b8a6",
    "#1e3a8a",
    "#38bdf8",
    "#818cf8",
    "#0f766e",
    "#93c5fd",
    "#475569",
)


def color(i: int) -> str:
    """The ``i``-th channel colour (cycling)."""
    return PALETTE[i % len(PALETTE)]


def band(hex_color: str, alpha: float = 0.18) -> str:
    """``#rrggbb`` as an ``rgba`` fill with ``alpha``."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, {alpha})"


def _axis(zeroline: str) -> dict[str, Any]:
    return {
        "gridcolor": GRID,
        "zerolinecolor": zeroline,
        "linecolor": GRID,
        "automargin": True,
        "ticks": "",
        "title": {"standoff": 12},
    }


@cache
def template() -> go.layout.Template:
    """The report's Plotly template (built once: assigning a named template is slow)."""
    return go.layout.Template(
        layout=go.Layout(
            font={"family": FONT, "size": 13, "color": INK},
            margin={"l": 64, "r": 24, "t": 48, "b": 48},
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
            paper_bgcolor="white",
            plot_bgcolor="white",
            colorway=list(PALETTE),
            hoverlabel={"font": {"family": FONT}},
            xaxis=_axis(GRID),
            yaxis=_axis("#94a3b8"),
        )
    )


def layout(fig: go.Figure, *, height: int = 420, **kwargs: Any) -> go.Figure:
    """Apply the report layout (white, light grid, legend on top) to ``fig``."""
    fig.update_layout(template=template(), height=height, **kwargs)
    fig.update_xaxes(gridcolor=GRID, linecolor=GRID)
    fig.update_yaxes(gridcolor=GRID, linecolor=GRID)
    return fig


def band_traces(
    x: Any, lo: Any, hi: Any, name: str, *, showlegend: bool = True
) -> list[go.Scatter]:
    """An interval band: the upper edge (invisible), then the lower edge filled up to it."""
    return [
        go.Scatter(
            x=x,
            y=hi,
            mode="lines",
            line={"width": 0},
            showlegend=False,
            hoverinfo="skip",
            legendgroup="band",
        ),
        go.Scatter(
            x=x,
            y=lo,
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=BAND,
            name=name,
            showlegend=showlegend,
            legendgroup="band",
        ),
    ]


MARKERS = {
    "Current": {"size": 11, "color": INK},
    "Optimal": {"size": 12, "color": "#0ea5e9", "symbol": "diamond"},
}


def point(x: float, y: float, name: str, *, showlegend: bool = True) -> go.Scatter:
    """A single marker in the style of ``name`` ("Current" or "Optimal")."""
    return go.Scatter(
        x=[x],
        y=[y],
        mode="markers",
        name=name,
        marker=MARKERS[name],
        showlegend=showlegend,
        legendgroup=name,
    )
