"""Multi-touch attribution as a use case: ``mixwise attribute`` and ``POST /api/v1/attribution``.

Read and check journeys, credit every channel by each model with bootstrap intervals, list the
sequences that convert better, put compared MMM runs alongside (their ``summary.json``
contributions) and say where models disagree. ``write_outputs`` writes credits.csv,
sequences.csv and attribution.json.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import pandas as pd

from mixwise.attribution.compare import MMMRun, credits_table, recommendations
from mixwise.attribution.load import JourneySource, read_journeys
from mixwise.attribution.models import Settings, attribute
from mixwise.attribution.sequences import sequences
from mixwise.errors import MixwiseError
from mixwise.files import write_json_atomic, write_text_atomic
from mixwise.service import datasets
from mixwise.service.fitted import ModelSource, StoredModel
from mixwise.service.schemas.attribution import (
    AttributionIn,
    AttributionOptions,
    AttributionOut,
    CreditOut,
    SequenceOut,
)
from mixwise.service.schemas.common import FindingOut, jsonable
from mixwise.store.db import Store


def mmm_run(model: ModelSource) -> MMMRun:
    """A fitted model's channel contributions from its ``summary.json``."""
    path = model.directory() / "summary.json"
    name = Path(model.model_id).name
    try:
        channels = json.loads(path.read_text(encoding="utf-8"))["channels"]
        contrib = {ch: entry["contribution"] for ch, entry in channels.items()}
        parts = {
            k: {ch: float("nan") if c[k] is None else float(c[k]) for ch, c in contrib.items()}
            for k in ("mean", "lo", "hi")
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise MixwiseError(
            f"{path} has no channel contributions (channels.<name>.contribution): {exc}",
            "Compare with a run folder written by `mixwise fit` (it holds summary.json).",
        ) from None
    return MMMRun(name, parts["mean"], parts["lo"], parts["hi"])


def _settings(o: AttributionOptions) -> Settings:
    """The options the models take, by name (the rest are the use case's)."""
    return Settings(**o.model_dump(include={f.name for f in fields(Settings)}))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NaN/inf -> None)."""
    records: list[dict[str, Any]] = jsonable(frame.to_dict(orient="records"))
    return records


def attribute_journeys(
    source: JourneySource,
    options: AttributionOptions,
    mapping: str | Path | dict[str, Any] | None = None,
    compare: Sequence[ModelSource] = (),
    sql: str | None = None,
) -> AttributionOut:
    """Every requested model's credit per channel, sequences, the MMM runs, recommendations
    (``sql``: the query for a DuckDB or SQLite file)."""
    runs = [mmm_run(m) for m in compare]
    journeys = read_journeys(source, mapping, options.lookback_days, sql)
    paths = journeys.paths
    mc = attribute(paths, options.models, _settings(options))
    credits = credits_table(mc, options.interval, runs)
    seq = sequences(paths, options.min_support)
    notes = list(mc.notes) + journeys.notes
    if paths.unattributed > 0:
        notes.append(f"{paths.unattributed:g} conversions had no touchpoint: not attributed.")
    return AttributionOut(
        channels=list(paths.channels),
        models=list(mc.point),
        compared=[r.name for r in runs],
        target=options.target,
        rows=journeys.n_rows,
        journeys=paths.journeys(),
        unique_paths=paths.n_paths,
        total=float(paths.target(options.target).sum()),
        unattributed=paths.unattributed,
        credits=[CreditOut(**r) for r in _records(credits)],
        sequences=[SequenceOut(**r) for r in _records(seq)],
        recommendations=recommendations(mc, options.interval, runs),
        notes=notes,
        findings=[FindingOut(**f.to_dict()) for f in journeys.findings],
        mapping=journeys.mapping.to_yaml(),
    )


def write_outputs(result: AttributionOut, out: Path) -> list[Path]:
    """credits.csv (channel, model, credit, share, lo, hi, note), sequences.csv and
    attribution.json (the whole document) in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    credits = pd.DataFrame(
        [c.model_dump() for c in result.credits], columns=list(CreditOut.model_fields)
    )
    seq = pd.DataFrame(
        [s.model_dump() for s in result.sequences], columns=list(SequenceOut.model_fields)
    )
    paths = [out / "credits.csv", out / "sequences.csv", out / "attribution.json"]
    write_text_atomic(paths[0], credits.to_csv(index=False))
    write_text_atomic(paths[1], seq.to_csv(index=False))
    write_json_atomic(paths[2], result.model_dump(mode="json"))
    return paths


def attribute_dataset(store: Store, workspace_id: str, body: AttributionIn) -> AttributionOut:
    """:func:`attribute_journeys` on an uploaded dataset, compared with fitted models (errors
    name the uploaded file, never a server path)."""
    ds = datasets._row(store, workspace_id, body.dataset_id)
    options = AttributionOptions(**body.model_dump(exclude={"dataset_id", "mapping", "compare"}))
    compare = [StoredModel(store, workspace_id, m) for m in body.compare]
    with datasets.named_file(store, ds.artifact, ds.filename):
        path = store.artifacts.path(ds.artifact)
        return attribute_journeys(path, options, body.mapping, compare)
