"""The ridge section: Robyn's one-pager for the chosen model, the Pareto front and the clusters.

Only for runs with a ``pareto.json`` (the ridge engine). The one-pager parts the report already
has elsewhere (fitted vs actual, residuals, waterfall, response curves, adstock) are referred
to, not repeated; this section adds share of spend vs share of effect with ROAS, the Pareto
front (NRMSE vs DECOMP.RSSD by front, chosen model marked), every Pareto model and the ROAS
clusters with Robyn's per-cluster ROAS intervals.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from mixwise.report import format as fm
from mixwise.report import series, theme
from mixwise.report.inputs import ReportInputs
from mixwise.report.model import ColumnFormat, Figure, Paragraph, Section, Table
from mixwise.report.tables import est_cols, est_formats, triple

TITLE = "Pareto models (ridge)"
FRONT_COLOURS = (theme.DARK_BLUE, "#38bdf8", theme.MUTED)


def _ratio_key(inp: ReportInputs) -> str:
    return "roas" if inp.is_revenue else "cpa"


def effect_shares(inp: ReportInputs) -> pd.DataFrame:
    """Per channel: share of spend, share of the media effect (mean, lo, hi over the bootstrap
    refits) and ROAS / CPA from the summary. Both share columns sum to 1."""
    spend = series.national(inp.result.spend).sum("time")
    spend_share = (spend / spend.sum()).sel(channel=list(inp.result.channels)).values
    draws = series.effect_share_draws(inp.result)
    lo, hi = series.quantiles(draws, inp.interval)
    key = _ratio_key(inp)
    rows = []
    for j, ch in enumerate(inp.result.channels):
        ratio = inp.summary["channels"].get(ch, {}).get(key)
        rows.append(
            {
                "Channel": ch,
                "Share of spend": float(spend_share[j]),
                "Share of effect mean": float(draws[:, j].mean()),
                "Share of effect low": float(lo[j]),
                "Share of effect high": float(hi[j]),
                **est_cols(key.upper(), ratio),
            }
        )
    return pd.DataFrame(rows)


def share_effect_figure(inp: ReportInputs) -> Figure:
    f = effect_shares(inp)
    key = _ratio_key(inp).upper()
    pairs = zip(f["Channel"], f[f"{key} mean"], strict=True)
    labels = [f"{ch} ({key} {fm.ratio(v)})" for ch, v in pairs]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name="Share of spend",
            y=labels,
            x=f["Share of spend"],
            orientation="h",
            marker_color=theme.BASELINE,
        )
    )
    fig.add_trace(
        go.Bar(
            name=f"Share of effect ({fm.level(inp.interval)} bootstrap interval)",
            y=labels,
            x=f["Share of effect mean"],
            orientation="h",
            marker_color=theme.BLUE,
            error_x={
                "type": "data",
                "symmetric": False,
                "array": f["Share of effect high"] - f["Share of effect mean"],
                "arrayminus": f["Share of effect mean"] - f["Share of effect low"],
                "color": theme.INK,
            },
        )
    )
    theme.layout(fig, barmode="group", height=max(300, 80 + 60 * len(f)), xaxis_tickformat=".0%")
    return Figure(
        "share_effect_vs_spend",
        f"Share of spend vs share of effect, with {key}",
        fig,
        f"Robyn's one-pager view: each channel's share of all media spend and of the total media "
        f"effect (bootstrap mean); next to each channel its {key} (bootstrap mean).",
    )


def share_effect_table(inp: ReportInputs) -> Table:
    key = _ratio_key(inp).upper()
    formats: dict[str, ColumnFormat] = {"Share of spend": "pct"}
    return Table(
        "share_effect_vs_spend",
        f"Share of spend vs share of effect, with {key}",
        effect_shares(inp),
        formats | est_formats("Share of effect", "pct") | est_formats(key, "ratio"),
        intervals=(triple("Share of effect"), triple(key)),
        note="Intervals are bootstrap intervals: refits of the chosen model on resampled periods.",
    )


def _models(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return list(doc.get("models", []))


def pareto_front(inp: ReportInputs, doc: dict[str, Any]) -> Figure:
    models, chosen = _models(doc), doc.get("chosen_model")
    fig = go.Figure()
    for front in sorted({int(m["front"]) for m in models}):
        on = [m for m in models if int(m["front"]) == front]
        fig.add_trace(
            go.Scatter(
                x=[m["nrmse"] for m in on],
                y=[m["decomp_rssd"] for m in on],
                mode="markers",
                name=f"Front {front}",
                text=[m["id"] for m in on],
                marker={"size": 10, "color": FRONT_COLOURS[(front - 1) % len(FRONT_COLOURS)]},
                hovertemplate="model %{text}<br>NRMSE %{x:.4f}<br>DECOMP.RSSD %{y:.4f}"
                "<extra></extra>",
            )
        )
    pick = [m for m in models if m["id"] == chosen]
    if pick:
        fig.add_trace(
            go.Scatter(
                x=[pick[0]["nrmse"]],
                y=[pick[0]["decomp_rssd"]],
                mode="markers+text",
                name=f"Chosen: {chosen}",
                text=[chosen],
                textposition="top center",
                marker={"size": 18, "symbol": "star", "color": theme.NEGATIVE},
            )
        )
    theme.layout(fig, height=420, xaxis_title="NRMSE", yaxis_title="DECOMP.RSSD")
    return Figure(
        "pareto_front",
        "Pareto front: fit error vs decomposition distance",
        fig,
        f"The {len(models)} Pareto models of the search (lower-left is better on both); the "
        "star is the chosen model, whose bootstrap refits every other section shows.",
    )


def pareto_models(inp: ReportInputs, doc: dict[str, Any]) -> Table:
    chosen, paid = doc.get("chosen_model"), _paid(doc)
    rows = [
        {
            "Model": m["id"],
            "Chosen": "chosen" if m["id"] == chosen else "",
            "Front": m["front"],
            "Cluster": m["cluster"],
            "NRMSE": m["nrmse"],
            "DECOMP.RSSD": m["decomp_rssd"],
            "MAPE (lift)": m.get("mape"),
            "Score": m.get("score"),
            **{f"ROAS {ch}": m.get("roas", {}).get(ch) for ch in paid},
        }
        for m in _models(doc)
    ]
    frame = pd.DataFrame(rows)
    if frame["MAPE (lift)"].isna().all():
        frame = frame.drop(columns="MAPE (lift)")
    formats: dict[str, ColumnFormat] = {
        "Front": "int",
        "Cluster": "int",
        "NRMSE": "num",
        "DECOMP.RSSD": "num",
        "MAPE (lift)": "num",
        "Score": "num",
    }
    formats |= {f"ROAS {ch}": "ratio" for ch in paid}
    return Table(
        "pareto_models",
        "Pareto models",
        frame,
        formats,
        note="Point estimates of each Pareto model's own fit (no refits). Pick another with "
        "`mixwise select RUN MODEL`.",
    )


def _paid(doc: dict[str, Any]) -> list[str]:
    models = _models(doc)
    return list(models[0].get("roas", {})) if models else []


def clusters(inp: ReportInputs, doc: dict[str, Any]) -> Table:
    paid = _paid(doc)
    rows = []
    for c in doc.get("clusters", []):
        row: dict[str, Any] = {
            "Cluster": c["cluster"],
            "Models": c["n"],
            "Best model": c["best_model"],
        }
        for ch in paid:
            iv = c.get("roas_interval", {}).get(ch) or {}
            row[f"ROAS {ch} low"] = iv.get("lo")
            row[f"ROAS {ch} high"] = iv.get("hi")
        rows.append(row)
    formats: dict[str, ColumnFormat] = {"Cluster": "int", "Models": "int"}
    for ch in paid:
        formats |= {f"ROAS {ch} low": "ratio", f"ROAS {ch} high": "ratio"}
    return Table(
        "pareto_clusters",
        "ROAS clusters",
        pd.DataFrame(rows),
        formats,
        note="Robyn's clustering of the Pareto models by ROAS; each cluster's best model has the "
        "lowest combined error, and its ROAS interval per channel is Robyn's bootstrap "
        "interval over the cluster's models; n/a where a cluster has fewer than 3 models "
        "(Robyn computes no interval there).",
    )


def section(inp: ReportInputs) -> Section | None:
    """The ridge section, or None for runs without ``pareto.json``."""
    doc = inp.pareto
    if doc is None:
        return None
    intro = Paragraph(
        f"The ridge engine searched hyperparameters and kept {len(_models(doc))} Pareto models; "
        f"the report shows the chosen model {doc.get('chosen_model')}. Robyn's one-pager for it: "
        "fitted vs actual and residuals are under Model fit, the waterfall decomposition under "
        "Contribution, response curves and adstock decay under Response curves; share of "
        "spend vs share of effect with ROAS is below."
    )
    blocks = (
        intro,
        share_effect_figure(inp),
        share_effect_table(inp),
        pareto_front(inp, doc),
        pareto_models(inp, doc),
        clusters(inp, doc),
    )
    return Section(
        "pareto-models",
        TITLE,
        blocks,
        "Which model was chosen among the Pareto models of the ridge search, and how the "
        "others compare.",
    )
