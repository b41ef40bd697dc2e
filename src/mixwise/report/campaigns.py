"""The campaigns section: each flight of a campaign calendar with the model's contribution and
ROAS during and after it (carry-over included), the consistency score and tag performance.

Built from the timeline document (:func:`mixwise.service.timeline.timeline`, ``TimelineOut`` as
plain JSON data): ``mixwise report RUN --campaigns FILE``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from mixwise.report.model import Block, Paragraph, Section, Table
from mixwise.report.tables import est_formats, triple

TITLE = "Campaigns and creatives"


def _est(name: str, value: dict[str, Any] | None) -> dict[str, Any]:
    v = value or {}
    return {f"{name} mean": v.get("mean"), f"{name} low": v.get("lo"), f"{name} high": v.get("hi")}


def flights_table(doc: dict[str, Any]) -> Table:
    rows = [
        {
            "Campaign": f["campaign"],
            "Channel": f["channel"],
            "Creative": f["creative"],
            "Type": f["creative_type"],
            "Start": f["start"],
            "End": f["end"],
            "Spend": f["spend_in_model"],
            **_est("During", f["contribution_during"]),
            **_est("After (carry-over)", f["contribution_after"]),
            **_est("ROAS", f["roas"]),
            "Note": f["why_no_roas"] or "",
        }
        for f in doc["flights"]
    ]
    formats = (
        est_formats("During", "kpi")
        | est_formats("After (carry-over)", "kpi")
        | est_formats("ROAS", "ratio")
        | {"Spend": "money"}
    )
    return Table(
        "campaign_flights",
        "Flights: contribution during and after, and ROAS",
        pd.DataFrame(rows),
        formats,
        intervals=(triple("During"), triple("After (carry-over)"), triple("ROAS")),
        note=doc["method"],
    )


def tags_table(doc: dict[str, Any]) -> Table:
    rows = [
        {
            "Tag": f"#{t['tag']}",
            "Flights": t["flights"],
            "Spend": t["spend"],
            **_est("Per unit of spend", t["per_spend"]),
            "Why not shown": t["why"] or "",
        }
        for t in doc["tags"]
    ]
    return Table(
        "campaign_tags",
        "Tags: contribution per unit of spend",
        pd.DataFrame(rows),
        est_formats("Per unit of spend", "ratio") | {"Flights": "int", "Spend": "money"},
        intervals=(triple("Per unit of spend"),),
        note=f"Pooled over the flights carrying the tag; shown from {doc['min_tag_flights']} "
        "flights with spend in the data.",
    )


def consistency_text(doc: dict[str, Any]) -> str:
    c = doc["consistency"]
    now = c["current"]
    if now["score"] is None:
        head = f"No campaign is active in the {c['window_days']} days to {now['end']}."
    else:
        head = (
            f"Consistency score {now['score']:.0%} over {now['start']} to {now['end']} "
            f"({now['consistent_days']} of {now['active_days']} campaign-days)"
        )
        head += (
            "; no previous window to compare."
            if c["change"] is None
            else f", {100 * c['change']:+.0f} points against the {c['window_days']} days before."
        )
    return f"{head} Definition: {c['definition']}"


def section(doc: dict[str, Any] | None) -> Section | None:
    """The section, or None without a calendar."""
    if doc is None:
        return None
    blocks: list[Block] = [flights_table(doc), Paragraph(consistency_text(doc))]
    if doc["tags"]:
        blocks.append(tags_table(doc))
    else:
        blocks.append(Paragraph("No flight carries a tag."))
    return Section(
        "campaigns",
        TITLE,
        tuple(blocks),
        lead="What each flight added according to the model, carry-over included.",
    )
