"""The attribution section: multi-touch credit beside the MMM, when journey data are given.

Built from plain tables (the service computes them: ``mixwise report RUN --journeys FILE``):
per channel, each model's share of credit with its interval (MTA models: bootstrap over
journeys; the MMM: its contribution interval), "not trackable" where journeys have no touch
of a channel, lift-test measured incremental ROAS where one exists, where the models disagree
beyond their intervals (the recommendation), and the sequences whose interval excludes zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from mixwise.attribution.models import LABELS
from mixwise.report.model import Block, BulletList, Callout, ColumnFormat, Paragraph, Section, Table
from mixwise.report.tables import est_formats, triple

TITLE = "Multi-touch attribution beside the MMM"
ASSOCIATION = (
    "These are associations in observed journeys, not causal effects: journeys that see more "
    "channels differ in other ways (intent, recency), so a sequence that converts better does "
    "not show that the order caused it."
)


@dataclass(frozen=True)
class AttributionTables:
    """What the section shows. ``credits``: channel, model, credit, share, share_lo, share_hi,
    note (one row per channel and model); ``labels``: model -> column title; ``lift``: run,
    channel, iroas, lo, hi, tests; ``sequences``: the columns of
    :data:`mixwise.attribution.sequences.COLUMNS`."""

    credits: pd.DataFrame
    labels: dict[str, str]
    recommendations: list[str]
    sequences: pd.DataFrame
    lift: pd.DataFrame
    journeys: float
    unique_paths: int
    total: float
    target: str
    interval: float
    notes: list[str] = field(default_factory=list)


def labels(models: list[str], runs: dict[str, str]) -> dict[str, str]:
    """Column titles: an MTA model's name ("Last touch"), a run's "MMM <engine label> (<name>)"
    (``runs``: run name -> engine label)."""
    return {
        m: LABELS.get(m) or " ".join(x for x in ("MMM", runs.get(m), f"({m})") if x) for m in models
    }


def credits_table(t: AttributionTables) -> Table:
    """One row per channel, per model its share of credit "mean (low to high)"; the last column
    says which models cannot see the channel (their cells stay empty, never zero)."""
    rows: dict[str, dict[str, object]] = {}
    unseen: dict[str, list[str]] = {}
    models = list(dict.fromkeys(t.credits["model"]))
    for r in t.credits.itertuples():
        name = t.labels.get(str(r.model), str(r.model))
        row = rows.setdefault(str(r.channel), {"Channel": r.channel})
        ok = isinstance(r.share, float) and r.share == r.share  # not None, not NaN
        row |= {
            f"{name} mean": r.share if ok else None,
            f"{name} low": r.share_lo if ok else None,
            f"{name} high": r.share_hi if ok else None,
        }
        if not ok:
            unseen.setdefault(str(r.channel), []).append(f"{r.note}: {name}")
    for ch, row in rows.items():
        row["Not seen by"] = "; ".join(unseen.get(ch, []))
    formats: dict[str, ColumnFormat] = {}
    for m in models:
        formats |= est_formats(t.labels.get(m, m), "pct")
    return Table(
        "attribution_credits",
        "Share of credit per channel and model",
        pd.DataFrame(list(rows.values())),
        formats,
        intervals=tuple(triple(t.labels.get(m, m)) for m in models),
        note=(
            "Each model's credit of a channel as a share of the channels it credits. MTA "
            f"models: {t.interval:.0%} bootstrap intervals over journeys; MMM: the contribution "
            "interval over the point total. An empty cell is a channel the model cannot see "
            "(no touchpoints: not trackable; not in the MMM): never a zero."
        ),
    )


def lift_table(t: AttributionTables) -> Table:
    frame = pd.DataFrame(
        {
            "Run": t.lift["run"],
            "Channel": t.lift["channel"],
            "Measured iROAS mean": t.lift["iroas"],
            "Measured iROAS low": t.lift["lo"],
            "Measured iROAS high": t.lift["hi"],
            "Tests": t.lift["tests"],
        }
    )
    return Table(
        "attribution_lift",
        "Lift tests: measured incremental ROAS",
        frame,
        est_formats("Measured iROAS", "ratio") | {"Tests": "int"},
        intervals=(triple("Measured iROAS"),),
        note="The measured KPI change over the spend change of the run's lift tests (the "
        "arbiter where MTA and MMM disagree).",
    )


def sequences_table(t: AttributionTables) -> Table:
    s = t.sequences
    frame = pd.DataFrame(
        {
            "First": s["first"],
            "Then": s["then"],
            "Journeys (first, then)": s["journeys_first_then"],
            "Conversion rate (first, then)": s["rate_first_then"],
            "Journeys (then only)": s["journeys_then_only"],
            "Conversion rate (then only)": s["rate_then_only"],
            "Difference mean": s["difference"],
            "Difference low": s["lo"],
            "Difference high": s["hi"],
        }
    )
    formats: dict[str, ColumnFormat] = est_formats("Difference", "pct")
    formats |= {"Journeys (first, then)": "int", "Journeys (then only)": "int"}
    formats |= {"Conversion rate (first, then)": "pct", "Conversion rate (then only)": "pct"}
    return Table(
        "attribution_sequences",
        "Sequences that convert better or worse (95% intervals excluding zero)",
        frame,
        formats,
        intervals=(triple("Difference"),),
        note=ASSOCIATION,
    )


def section(t: AttributionTables | None) -> Section | None:
    """The section, or ``None`` without journey data."""
    if t is None:
        return None
    blocks: list[Block] = [
        Paragraph(
            f"{t.journeys:,.0f} journeys ({t.unique_paths:,} distinct paths) with "
            f"{t.total:,.0f} {t.target} credited by multi-touch models, side by side with this "
            "model's contribution shares. MTA sees only trackable touchpoints; the MMM sees "
            "every channel and the budget; lift tests arbitrate."
        ),
        credits_table(t),
        Callout("warning", "Where the models disagree", " ".join(t.recommendations)),
    ]
    if len(t.lift):
        blocks.append(lift_table(t))
    if len(t.sequences):
        blocks.append(sequences_table(t))
    else:
        blocks.append(
            Paragraph("No ordered pair of channels converts differently beyond its interval.")
        )
    if t.notes:
        blocks.append(BulletList(tuple(t.notes), "Notes"))
    return Section(
        "attribution",
        TITLE,
        tuple(blocks),
        lead="Multi-touch credit from journeys, next to the MMM",
    )
