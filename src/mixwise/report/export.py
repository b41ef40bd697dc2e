"""Exports for slides and spreadsheets: every table (xlsx or csv) and every figure (PNG).

PNG export renders with kaleido, which drives a Chromium-based browser: ``BROWSER_PATH`` if
set, else ``chromium`` / ``google-chrome`` found on ``PATH`` (never a download).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Literal

import pandas as pd

from mixwise.errors import MixwiseError
from mixwise.report.cells import safe_frame
from mixwise.report.model import Report, Table

ExportFormat = Literal["xlsx", "csv"]
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
PNG_WIDTH = 1200
PNG_SCALE = 2


def _sheet_names(tables: list[Table]) -> list[str]:
    """Excel sheet names: the table keys, at most 31 characters, unique."""
    names: list[str] = []
    for t in tables:
        base = re.sub(r"[\[\]:*?/\\]", "_", t.key)[:31]
        name, i = base, 2
        while name in names:
            suffix = f"_{i}"
            name, i = base[: 31 - len(suffix)] + suffix, i + 1
        names.append(name)
    return names


def export_tables(report: Report, path: str | Path, fmt: ExportFormat | str) -> Path:
    """Write every table (text cells that look like formulas neutralised, see
    :mod:`mixwise.report.cells`): ``xlsx`` one workbook with a sheet per table at ``path``; ``csv``
    one file per table (``<key>.csv``) in the folder ``path``. Returns ``path``."""
    out = Path(path)
    tables = report.tables
    try:
        if fmt == "xlsx":
            out.parent.mkdir(parents=True, exist_ok=True)
            with pd.ExcelWriter(out, engine="openpyxl") as writer:
                for t, name in zip(tables, _sheet_names(tables), strict=True):
                    safe_frame(t.frame).to_excel(writer, sheet_name=name, index=False)
        elif fmt == "csv":
            out.mkdir(parents=True, exist_ok=True)
            for t in tables:
                safe_frame(t.frame).to_csv(out / f"{t.key}.csv", index=False)
        else:
            raise MixwiseError(f"unknown export format {fmt!r}", "Use --export xlsx or csv.")
    except OSError as exc:
        raise MixwiseError(
            f"cannot write tables to {out}: {exc.strerror or exc}", "Pick a writable location."
        ) from None
    return out


def find_browser() -> str | None:
    """The Chromium-based browser kaleido should drive (see the module docstring)."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def export_figures(report: Report, directory: str | Path) -> list[Path]:
    """Write every figure as ``<key>.png`` in ``directory`` (kaleido + Chromium)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    browser = find_browser()
    hint = (
        "PNG export needs Chromium: install it (Debian/Ubuntu: apt-get install chromium) or "
        "set BROWSER_PATH to a Chrome/Chromium executable."
    )
    if browser is None or not Path(browser).is_file():
        raise MixwiseError(f"no Chromium browser found{f' at {browser}' if browser else ''}", hint)
    jobs = [
        {
            "fig": f.figure,
            "path": out / f"{f.key}.png",
            "opts": {"format": "png", "width": PNG_WIDTH, "height": f.height, "scale": PNG_SCALE},
        }
        for f in report.figures
    ]
    try:
        import kaleido

        kaleido.write_fig_from_object_sync(
            jobs, kopts={"path": browser, "mathjax": False, "timeout": 120}
        )
    except Exception as exc:  # kaleido/choreographer raise many kinds; none is the user's bug
        raise MixwiseError(
            f"could not render figures with {browser}: {type(exc).__name__}: {exc}", hint
        ) from None
    return [Path(j["path"]) for j in jobs]
