"""Open the report in headless Chromium (Debian's ``chromium``): it renders every section and
every figure, offline, with no console errors."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from mixwise.report import Report

pytestmark = pytest.mark.slow  # every test here uses the session's real fit

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=10000",
]
CONSOLE = re.compile(r"CONSOLE|Uncaught")


def dump_dom(chromium: Path, page: Path | str) -> tuple[str, list[str]]:
    """``(rendered DOM, console lines)`` of ``page`` (a file or a URL) after its scripts ran."""
    with tempfile.TemporaryDirectory(prefix="mixwise-chromium-") as profile:
        done = subprocess.run(
            [
                str(chromium),
                *FLAGS,
                f"--user-data-dir={profile}",
                "--dump-dom",
                page.as_uri() if isinstance(page, Path) else page,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, [line for line in done.stderr.splitlines() if CONSOLE.search(line)]


def test_console_capture_works(chromium: Path, tmp_path: Path) -> None:
    """The check below would be empty if Chromium did not report console messages."""
    page = tmp_path / "noisy.html"
    page.write_text("<html><body><script>console.error('boom')</script></body></html>")
    _, console = dump_dom(chromium, page)
    assert any("boom" in line for line in console), console


def test_report_renders_in_chromium(chromium: Path, report: Report, report_html: Path) -> None:
    dom, console = dump_dom(chromium, report_html)
    assert console == [], console
    for section in report.sections:
        assert f'id="{section.key}"' in dom
        assert f"</span>{section.title}</h2>" in dom
    assert len(report.figures) >= 12
    for fig in report.figures:
        start = dom.index(f'id="fig-{fig.key}"')
        end = dom.find("data-figure=", start)
        drawn = dom[start : end if end > 0 else None]
        assert 'class="main-svg"' in drawn, f"{fig.key} was not drawn"
        traces = len(re.findall(r'class="trace ', drawn))
        assert traces == len(fig.figure.data), f"{fig.key}: {traces} of {len(fig.figure.data)}"
