"""The report's media-effectiveness figure: drawn from a time_varying_media run's
effectiveness document (mean line, interval band, latest value in the caption), absent for
other fits."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from mixwise.report import figures
from mixwise.report.inputs import ReportInputs

DOC = {
    "interval": 0.9,
    "periods": ["2024-01-01", "2024-01-08", "2024-01-15"],
    "mean": [1.4, 1.0, 0.6],
    "lo": [1.2, 0.8, 0.4],
    "hi": [1.6, 1.2, 0.8],
    "latest": {"mean": 0.6, "median": 0.6, "lo": 0.4, "hi": 0.8},
    "note": "planning uses the latest effectiveness",
}


def _inputs(extras: dict) -> ReportInputs:
    """The figure reads only ``result.extras``: a stand-in keeps the test free of a fit."""
    return cast(ReportInputs, SimpleNamespace(result=SimpleNamespace(extras=extras)))


def test_the_figure_shows_the_path_and_the_latest_value() -> None:
    fig = figures.effectiveness_over_time(_inputs({"effectiveness": DOC}))
    assert fig is not None
    ys = [list(t.y) for t in fig.figure.data]
    assert DOC["mean"] in ys and DOC["lo"] in ys and DOC["hi"] in ys
    assert "0.60 (0.40 to 0.80)" in fig.caption and "90% interval" in fig.caption


def test_no_figure_without_time_varying_media() -> None:
    assert figures.effectiveness_over_time(_inputs({})) is None
