"""The self-contained HTML report of a fitted run, plus table and figure exports.

    from mixwise.report import build_report
    build_report("runs/first", "report.html")

Builders (:mod:`~mixwise.report.tables`, :mod:`~mixwise.report.figures`,
:mod:`~mixwise.report.sections`) turn a run into a :class:`Report` (data only); the renderer
(:mod:`~mixwise.report.html`) and exports (:mod:`~mixwise.report.export`) only read it.
"""

from mixwise.report.build import assemble_report, build_report
from mixwise.report.export import export_figures, export_tables
from mixwise.report.html import render_html, write_html
from mixwise.report.model import Figure, Report, Section, Table

__all__ = [
    "Figure",
    "Report",
    "Section",
    "Table",
    "assemble_report",
    "build_report",
    "export_figures",
    "export_tables",
    "render_html",
    "write_html",
]
