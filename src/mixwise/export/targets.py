"""The export targets by name, and the one entry point :func:`export_dataset`.

A target writes into a fresh folder: the data file(s), the script and a ``README.txt`` saying
what was carried over; the folder is written whole (into a temporary folder beside it, then
renamed) or not at all.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mixwise.data.dataset import MMMDataset
from mixwise.errors import MixwiseError
from mixwise.model.spec import ModelSpec

Writer = Callable[[MMMDataset, ModelSpec, Path], list[str]]
"""Writes the export into a folder; returns the names of the files written."""


@dataclass(frozen=True)
class Target:
    """A tool mixwise exports to: ``module:function`` of its writer, and what it writes."""

    writer: str
    tool: str
    script: str

    def write(self, dataset: MMMDataset, spec: ModelSpec, out: Path) -> list[str]:
        from importlib import import_module

        module, _, function = self.writer.partition(":")
        fn: Writer = getattr(import_module(module), function)
        return fn(dataset, spec, out)


TARGETS: dict[str, Target] = {
    "pymc-marketing": Target(
        "mixwise.export.pymc_marketing:write", "PyMC-Marketing", "fit_pymc_marketing.py"
    ),
    "meridian": Target("mixwise.export.meridian:write", "Google Meridian", "fit_meridian.py"),
    "robyn": Target("mixwise.export.robyn:write", "Robyn (R)", "fit_robyn.R"),
}
"""Target name (what ``--to`` takes) -> target."""


def target_names() -> list[str]:
    return list(TARGETS)


def check_target(name: str) -> Target:
    """The target called ``name``; an unknown one is refused with the close matches."""
    if name in TARGETS:
        return TARGETS[name]
    close = difflib.get_close_matches(name.lower(), target_names(), n=2, cutoff=0.4)
    hint = f"Did you mean {' or '.join(close)}? " if close else ""
    raise MixwiseError(
        f"unknown export target {name!r}", f"{hint}Choose one of: {', '.join(target_names())}."
    )


def check_out(out: Path, force: bool = False) -> None:
    """``out`` may receive an export: absent or empty, or ``force``."""
    if out.exists() and not out.is_dir():
        raise MixwiseError(f"{out} is a file, not a folder", "Pick another --out.")
    if out.exists() and any(out.iterdir()) and not force:
        raise MixwiseError(f"{out} already exists and is not empty", "Pass --force or pick --out.")


def export_dataset(
    dataset: MMMDataset, spec: ModelSpec, to: str, out: Path, force: bool = False
) -> list[str]:
    """Write the export of ``dataset`` for tool ``to`` into ``out`` (whole or not at all);
    the names of the files written."""
    target = check_target(to)
    check_out(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        files = target.write(dataset, spec.resolved(dataset.frequency, dataset.n_periods), tmp)
        if out.exists():
            shutil.rmtree(out)
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return files
