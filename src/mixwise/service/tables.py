"""Data use cases on a table wherever it lives (a file, a glob, a database URL, or an upload's
stored copy): propose a mapping, check the data against a mapping, describe it, and generate
synthetic data with known truth. ``mixwise init-mapping / validate / describe / synth`` and the
API's dataset endpoints call these same functions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mixwise.data.dataset import MMMDataset
from mixwise.data.eda import EDASummary, describe
from mixwise.data.findings import ValidationReport
from mixwise.data.mapping import Mapping
from mixwise.data.pipeline import load_dataset
from mixwise.data.propose import Proposal, propose_for_source, validate_any
from mixwise.data.synthetic import SyntheticData, generate, preset
from mixwise.errors import MixwiseError
from mixwise.files import write_text_atomic

Source = str | Path | pd.DataFrame
"""A table: a file or glob, a database URL, or a frame already read (an upload)."""


def propose_mapping(source: Source) -> Proposal:
    """Which column plays which role, guessed from names and contents, with notes."""
    return propose_for_source(source)


def write_proposed_mapping(source: Source, out: Path, force: bool = False) -> Proposal:
    """:func:`propose_mapping`, written to ``out`` (YAML) for the user to review."""
    if out.exists() and not force:
        raise MixwiseError(f"{out} already exists", "Pass --force to overwrite it, or pick -o.")
    proposal = propose_mapping(source)
    write_text_atomic(out, proposal.yaml)
    return proposal


def check(source: Source, mapping: str | Path | Mapping) -> ValidationReport:
    """Every finding of the data checks (a model dataset, or a holiday calendar by the
    mapping's ``kind``); ``report.ok`` says whether the data can be fitted."""
    return validate_any(source, mapping)


def describe_dataset(dataset: MMMDataset) -> EDASummary:
    """Period, spend per channel and its share, active periods, correlations."""
    return describe(dataset)


def describe_source(source: Source, mapping: str | Path | Mapping) -> EDASummary:
    """:func:`describe_dataset` of a table read with ``mapping`` (``ValidationFailed`` with
    every finding when the data has errors)."""
    return describe_dataset(load_dataset(source, mapping))


def synthesize(preset_name: str, seed: int, out: Path | None = None) -> SyntheticData:
    """Synthetic data from a preset, with its ground truth; written to ``out`` (data.csv,
    mapping.yaml, truth.json) when given."""
    data = generate(preset(preset_name), seed=seed)
    if out is not None:
        data.save(out)
    return data
