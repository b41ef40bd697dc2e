"""The report's synergy table, on a result with a pair whose synergy is clearly positive (no
sampling: tests.model's FitResult with gamma ~ N(0.3, 0.05)), and the budget sections saying
why planning is not shown for such a model."""

from __future__ import annotations

from pathlib import Path

from tests.model.test_interactions import with_synergy

from mixwise.report.build import assemble_report
from mixwise.report.html import write_html
from mixwise.report.synergy import verdict


def test_report_lists_the_pair_with_its_interval(tmp_path: Path) -> None:
    run = with_synergy().save(tmp_path / "run")
    report = assemble_report(run)
    tables = [b for s in report.sections for b in s.blocks if getattr(b, "key", "") == "synergies"]
    assert len(tables) == 1
    row = tables[0].frame.iloc[0]
    assert row["Pair"] == "tv + search" and row["Finding"] == "synergy"
    assert 0 < row["Lift low"] < row["Lift mean"] < row["Lift high"]
    html = write_html(report, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Channel synergies" in html
    assert "does not model channel synergy yet" in html  # the plan sections say why they are empty


def test_verdict_needs_the_interval_to_exclude_zero() -> None:
    def lift(lo: float, hi: float) -> dict[str, dict[str, float]]:
        return {"lift": {"lo": lo, "hi": hi}}

    assert verdict(lift(0.01, 0.2)) == "synergy"
    assert verdict(lift(-0.2, -0.01)) == "cannibalisation"
    assert verdict(lift(-0.01, 0.2)) == "no evidence of synergy"
