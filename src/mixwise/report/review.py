"""The model reviewer in the report: its verdict leads the executive summary, its checks are a
table in the model-fit section (summary.json's ``review``, :mod:`mixwise.model.review`)."""

from __future__ import annotations

import pandas as pd

from mixwise.report.inputs import ReportInputs
from mixwise.report.model import Callout, CalloutKind, Paragraph, Table

KIND: dict[str, CalloutKind] = {"pass": "success", "warn": "warning", "fail": "danger"}
TITLE = {
    "pass": "Model review: every check passed",
    "warn": "Model review: usable with care",
    "fail": "Model review: not fit to decide with",
}


def verdict(inp: ReportInputs) -> Callout | Paragraph:
    """The reviewer's verdict as the report's first block."""
    review = inp.summary.get("review")
    if not review:
        return Paragraph(
            "This run was fitted before the model reviewer existed: it has no review. Refit "
            "it (or run `mixwise review`) to check it."
        )
    status = str(review["verdict"])
    return Callout(KIND[status], TITLE[status], str(review["message"]))


def checks_table(inp: ReportInputs) -> Table | None:
    """Every check with its status and what to do; the skipped ones with why."""
    review = inp.summary.get("review")
    if not review:
        return None
    rows = [
        {"Check": c["name"], "Status": c["status"], "What to do": c["message"]}
        for c in review["checks"]
    ]
    rows += [
        {"Check": s["name"], "Status": "not checked", "What to do": s["reason"]}
        for s in review.get("skipped", [])
    ]
    return Table(
        "model_review",
        "Model review",
        pd.DataFrame(rows, columns=["Check", "Status", "What to do"]),
        note="Thresholds: docs/fitting.md, 'The model reviewer'. The placebo check runs with "
        "`mixwise review RUN --placebo`.",
    )
