"""The report's synergy table: each channel pair of the spec's ``interactions`` with the KPI it
adds versus the two channels alone (``lift``) and its share of the KPI, with intervals; a pair
whose lift interval includes zero reads "no evidence of synergy" (summary.json
``interactions``, :mod:`mixwise.model.interactions`)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from mixwise.report.inputs import ReportInputs
from mixwise.report.model import Table
from mixwise.report.tables import est_formats, triple


def verdict(entry: dict[str, Any]) -> str:
    """ "synergy" / "cannibalisation" where the lift's interval excludes zero, else "no evidence
    of synergy"."""
    lo, hi = entry["lift"]["lo"], entry["lift"]["hi"]
    if lo is not None and lo > 0:
        return "synergy"
    if hi is not None and hi < 0:
        return "cannibalisation"
    return "no evidence of synergy"


def synergies(inp: ReportInputs) -> Table | None:
    """The table (None when the model has no pairs)."""
    pairs: dict[str, dict[str, Any]] = inp.summary.get("interactions") or {}
    if not pairs:
        return None
    rows = [
        {
            "Pair": name,
            "Finding": verdict(e),
            "Lift mean": e["lift"]["mean"],
            "Lift low": e["lift"]["lo"],
            "Lift high": e["lift"]["hi"],
            "Share mean": e["mean"],
            "Share low": e["lo"],
            "Share high": e["hi"],
        }
        for name, e in pairs.items()
    ]
    return Table(
        "synergies",
        "Channel synergies",
        pd.DataFrame(rows),
        est_formats("Lift", "pct") | est_formats("Share", "pct"),
        intervals=(triple("Lift"), triple("Share")),
        note=(
            "Lift = the KPI a pair's interaction term adds over the fitted period, as a share of "
            "the two channels' own contributions (+20% = the two together drove 20% more than "
            "alone); share = the term's part of the total KPI. Synergy is stated only where the "
            "lift's interval excludes zero; the term's prior is centred on zero."
        ),
    )
