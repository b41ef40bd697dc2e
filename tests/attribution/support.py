"""A real MMM run folder (``FitResult.save`` of a sampled-free result) whose summary.json says
what a test needs: each channel's contribution, the engine, lift tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tests.model.support import make_result


def run_folder(
    root: Path,
    name: str,
    contributions: dict[str, float],
    engine: str = "",
    lift_tests: list[dict[str, Any]] | None = None,
) -> Path:
    """A run folder whose channels contribute ``contributions`` (interval ±10%)."""
    folder = make_result().save(root / name)
    summary = json.loads((folder / "summary.json").read_text())
    template = next(iter(summary["channels"].values()))
    channels = {}
    for ch, v in contributions.items():
        entry = copy.deepcopy(template)
        entry["contribution"] = {"mean": v, "median": v, "lo": 0.9 * v, "hi": 1.1 * v}
        channels[ch] = entry
    summary["channels"] = channels
    summary["lift_tests"] = lift_tests or []
    (folder / "summary.json").write_text(json.dumps(summary))
    prov = json.loads((folder / "provenance.json").read_text())
    prov["engine"] = engine
    (folder / "provenance.json").write_text(json.dumps(prov))
    return folder
