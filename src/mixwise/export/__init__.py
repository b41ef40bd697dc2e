"""Exports of a dataset to another MMM tool: the data in that tool's expected shape plus a short
script that fits it there, with the mapping's and the spec's choices carried over
(``mixwise export DATA --mapping M --to pymc-marketing|meridian|robyn --out DIR``).

- ``table``: the dataset as columns by role (date, geo, KPI, spend, exposure, controls,
  organic, event dummies, holiday dummies, trend), the one source of every target.
- ``targets``: the registry of targets (name -> writer), with close-match suggestions.
- ``pymc_marketing``, ``meridian``, ``robyn``: one module per tool.
"""

from mixwise.export.targets import TARGETS, export_dataset, target_names

__all__ = ["TARGETS", "export_dataset", "target_names"]
