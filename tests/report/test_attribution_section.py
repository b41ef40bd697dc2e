"""The report's attribution section (``mixwise report RUN --journeys FILE``): credits per channel
and model with intervals, the MMM beside the MTA models, the recommendation, sequences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.model.support import make_result

from mixwise.attribution.synthetic import generate_journeys
from mixwise.report.attribution import ASSOCIATION
from mixwise.service.fitted import RunFolder
from mixwise.service.reports import write_report


@pytest.fixture(scope="module")
def section_html(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    root = tmp_path_factory.mktemp("att")
    run = make_result().save(root / "run")  # channels tv and search, engine "test"
    events = root / "journeys.csv"
    generate_journeys(12_000, seed=2).events.to_csv(events, index=False)
    mapping = root / "m.yaml"
    mapping.write_text("channels:\n  social: tv\n")  # journeys' social is the MMM's tv
    files = write_report(RunFolder(run), root / "r.html", journeys=str(events), mapping=mapping)
    assert "Multi-touch attribution beside the MMM" in files.sections
    html = files.html.read_text()
    start = html.index('data-section="attribution"')
    return html[start : html.index("</section>", start)], run


def _cell(html: str, channel: str, column: str) -> str:
    row = re.search(rf"<tr><td[^>]*>{channel}</td>.*?</tr>", html, re.S)
    assert row is not None, channel
    cell = re.search(rf'data-column="{re.escape(column)}"([^>]*)>([^<]*)', row.group(0))
    assert cell is not None, column
    return cell.group(1) + "|" + cell.group(2)


def test_credits_table_has_mta_and_mmm_with_intervals(section_html: tuple[str, Path]) -> None:
    html, run = section_html
    summary = json.loads((run / "summary.json").read_text())["channels"]
    total = sum(c["contribution"]["mean"] for c in summary.values())
    mmm = _cell(html, "search", "MMM Test (run) mean")
    value = float(re.search(r'data-value="([^"]+)"', mmm).group(1))  # type: ignore[union-attr]
    assert value == pytest.approx(summary["search"]["contribution"]["mean"] / total)
    assert "data-low" in mmm and "data-high" in mmm
    last = _cell(html, "search", "Last touch mean")
    lo, hi = (float(x) for x in re.findall(r'data-(?:low|high)="([^"]+)"', last))
    point = float(re.search(r'data-value="([^"]+)"', last).group(1))  # type: ignore[union-attr]
    assert 0 < lo <= point <= hi < 1
    # display has touchpoints but no MMM channel: said so, never a zero
    assert "not in this MMM: MMM Test (run)" in _cell(html, "display", "Not seen by")
    assert "data-value" not in _cell(html, "display", "MMM Test (run) mean").split("|")[0]


def test_recommendation_and_sequences(section_html: tuple[str, Path]) -> None:
    html, _ = section_html
    callout = re.search(
        r'class="callout warning"><div class="title">Where the models disagree'
        r"</div><div>([^<]+)",
        html,
    )
    assert callout is not None
    text = callout.group(1)
    assert ("lift test on" in text and "x the credit" in text) or text.startswith(
        "The models agree"
    )
    assert 'data-table="attribution_sequences"' in html
    assert ASSOCIATION.split(":")[0] in html.replace("&#39;", "'")
    # email works only after social (the generator's truth): that pair is listed
    assert re.search(r"<td[^>]*>tv</td><td[^>]*>email</td>", html)


def test_cli_report_with_journeys_and_bad_journeys(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = make_result().save(tmp_path / "run")
    events = tmp_path / "j.csv"
    generate_journeys(2_000, seed=4).events.to_csv(events, index=False)
    r = run_cli("report", str(run), "--journeys", str(events), "-o", str(tmp_path / "r.html"))
    assert r.exit_code == 0, r.err
    assert 'data-section="attribution"' in (tmp_path / "r.html").read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text("path,conversions,null\nsearch > > tv,1,0\n")
    r = run_cli("report", str(run), "--journeys", str(bad), "-o", str(tmp_path / "b.html"))
    assert r.exit_code == 2 and "row 1" in r.err and not (tmp_path / "b.html").exists()
