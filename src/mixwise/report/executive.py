"""The executive summary: what a marketing lead reads first, every number with its interval."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from mixwise.report import format as fm
from mixwise.report import review, series
from mixwise.report.inputs import ReportInputs
from mixwise.report.model import (
    Block,
    BulletList,
    Callout,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Section,
    Table,
)

SEVERE = ("error", "warning")


def quality_callouts(inp: ReportInputs) -> list[Callout]:
    """Approximate mode and convergence: said first and plainly."""
    out = []
    diag = inp.summary.get("diagnostics", {})
    if inp.result.approximate:
        out.append(
            Callout(
                "danger",
                "Approximate results (quick mode)",
                "This run used the approximate quick mode (ADVI), not full sampling. Approximate "
                "posteriors tend to understate uncertainty: intervals here may be too narrow. "
                "Re-fit without --quick before making budget decisions.",
            )
        )
    elif diag.get("converged") is False:
        out.append(Callout("danger", "The sampler did not converge", str(diag.get("verdict"))))
    return out


def _est(stats: dict[str, Any] | None, kind: str) -> str:
    s = stats or {}
    return fm.interval(s.get("mean"), s.get("lo"), s.get("hi"), kind)


def key_figures(inp: ReportInputs) -> KeyFigures:
    s, lvl = inp.summary, fm.level(inp.interval)
    p = s["periods"]
    media = series.media_share_draws(inp.result)
    lo, hi = series.quantiles(media[:, None], inp.interval)
    base = s["baseline"]["share"]
    spend = float(inp.result.spend.sum())
    ratio = series.media_roas_draws(inp.result)
    if not inp.is_revenue:
        ratio = 1 / ratio
    rlo, rhi = series.quantiles(ratio[:, None], inp.interval)
    fit = (s.get("fit") or {}).get("in_sample") or {}
    items = [
        KeyFigure(
            "Period",
            f"{p['start']} to {p['end']}",
            f"{p['n']} {inp.per}s" + (f", last {p['holdout']} held out" if p["holdout"] else ""),
        ),
        KeyFigure(
            "Media share of KPI",
            fm.pct(media.mean()),
            f"{lvl} interval {fm.pct(lo[0])} to {fm.pct(hi[0])}",
        ),
        KeyFigure(
            "Baseline share of KPI",
            fm.pct(base["mean"]),
            f"{lvl} interval {fm.pct(base['lo'])} to {fm.pct(base['hi'])}",
        ),
        KeyFigure("Total media spend", fm.compact(spend), f"{len(inp.result.channels)} channels"),
        KeyFigure(
            "Media ROAS" if inp.is_revenue else "Media CPA",
            fm.ratio(ratio.mean()),
            f"{lvl} interval {fm.ratio(rlo[0])} to {fm.ratio(rhi[0])}",
        ),
        KeyFigure(
            "Fit (in-sample)", f"R2 {fm.number(fit.get('r2'))}", f"MAPE {fm.pct(fit.get('mape'))}"
        ),
    ]
    return KeyFigures(tuple(items))


def findings(inp: ReportInputs) -> list[str]:
    """Top findings about channels, each with its interval."""
    chans, lvl = inp.summary["channels"], fm.level(inp.interval)
    out: list[str] = []
    by_contrib = sorted(chans, key=lambda n: -(chans[n]["contribution"]["mean"] or 0))
    top = by_contrib[0]
    out.append(
        f"{top} contributed the most: {_est(chans[top]['share'], 'pct')} of the KPI "
        f"({lvl} interval in brackets)."
    )
    key, kind = ("roas", "ratio") if inp.is_revenue else ("cpa", "ratio")
    name = "ROAS" if inp.is_revenue else "CPA"
    ranked = [n for n in chans if (chans[n].get(key) or {}).get("mean") is not None]
    ranked.sort(key=lambda n: -chans[n][key]["mean"] * (1 if inp.is_revenue else -1))
    if ranked:
        best, worst = ranked[0], ranked[-1]
        out.append(
            f"Most efficient: {best}, {name} {_est(chans[best][key], kind)}; least "
            f"efficient: {worst}, {name} {_est(chans[worst][key], kind)}."
        )
    if inp.is_revenue:
        out.extend(_break_even(chans))
    out.extend(
        r.message + "." for r in inp.plan.recommendations if r.kind in ("reallocate", "waste")
    )
    return out


def _break_even(chans: dict[str, Any]) -> list[str]:
    above = [n for n, m in chans.items() if (m["roas"].get("lo") or 0) > 1]
    below = [n for n, m in chans.items() if m["roas"].get("hi") is not None and m["roas"]["hi"] < 1]
    unsure = [n for n in chans if n not in above and n not in below]
    out = []
    if above:
        out.append(f"Clearly paid back (whole interval above ROAS 1): {', '.join(above)}.")
    if below:
        out.append(f"Clearly did not pay back (whole interval below ROAS 1): {', '.join(below)}.")
    if unsure:
        out.append(
            f"Cannot tell whether they paid back (interval spans ROAS 1): {', '.join(unsure)}."
        )
    return out


def reallocation(inp: ReportInputs) -> list[Block]:
    opt, lvl = inp.plan.optimum, fm.level(inp.interval)
    if opt is None:
        return [
            Callout(
                "warning",
                "No budget recommendation",
                " ".join(inp.plan.problems) or "The optimizer did not run.",
            )
        ]
    gain = opt.comparison.delta("total_kpi")
    chance = opt.comparison.probability_better("total_kpi")
    text = (
        f"Re-allocating {inp.budget_phrase()}, as below, is expected to change the KPI by "
        f"{fm.amount(gain.mean)} ({lvl} interval {fm.amount(gain.lo)} to {fm.amount(gain.hi)}); "
        f"the new mix does better in {fm.pct(chance)} of the {inp.draws}."
    )
    if gain.lo <= 0 <= gain.hi:
        text += (
            " The interval includes zero: the model cannot say for sure that the move "
            "pays; treat it as a direction to test, not a certainty."
        )
    c = opt.channels()
    moves = pd.DataFrame(
        {
            "Channel": c.index,
            "Current": c["current"].to_numpy(),
            "Recommended": c["optimal"].to_numpy(),
            "Change": c["change"].to_numpy(),
            "Change %": np.where(c["current"] > 0, c["change"] / c["current"], np.nan),
        }
    )
    moves = moves.reindex(moves["Change"].abs().sort_values(ascending=False).index)
    table = Table(
        "exec_reallocation",
        "Recommended reallocation",
        moves.reset_index(drop=True),
        {"Current": "money", "Recommended": "money", "Change": "money", "Change %": "pct"},
    )
    return [Paragraph(text), table]


def warnings_block(inp: ReportInputs) -> Block:
    items = [
        f"[{f.get('code')}] {f.get('message')}"
        for f in inp.result.provenance.get("findings", [])
        if f.get("severity") in SEVERE
    ]
    items += list(inp.plan.problems)
    items += [str(n) for n in inp.result.provenance.get("notes", [])]
    if not items:
        return Paragraph(
            "No data-quality warnings: the checks found nothing that affects these results."
        )
    return BulletList(tuple(items), "Data-quality warnings that matter")


def section(inp: ReportInputs) -> Section:
    blocks: list[Block] = [review.verdict(inp), *quality_callouts(inp), key_figures(inp)]
    blocks.append(BulletList(tuple(findings(inp)), "Top findings"))
    blocks.extend(reallocation(inp))
    blocks.append(warnings_block(inp))
    lvl = fm.level(inp.interval)
    lead = (
        f"Every estimate is the bootstrap mean with its {lvl} bootstrap interval: the range "
        "the estimate falls in across refits of the chosen model on resampled periods (how "
        "much it moves with the data, not a probability for the true value)."
        if inp.is_bootstrap
        else f"Every estimate is the posterior mean with its {lvl} interval: "
        "the range the true value lies in with that probability, given the model and data."
    )
    return Section("executive-summary", "Executive summary", tuple(blocks), lead)
