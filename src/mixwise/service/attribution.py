"""Multi-touch attribution as a use case: ``mixwise attribute`` and ``POST /api/v1/attribution``.

Read and check journeys, credit every channel by each model with bootstrap intervals (and, with
``by``, every campaign or creative within its channel), list the sequences that convert better,
put compared MMM runs alongside (their ``summary.json`` contributions and lift tests) and say
where models disagree. ``write_outputs`` writes credits.csv, sequences.csv,
credits_by_<campaign|creative>.csv and attribution.json.

The API runs this synchronously: all ten models with 100 bootstrap replicates took 5.7 s on
100,869 event rows on two shared, loaded cores (``bench/attribution_request.py``;
docs/attribution.md, "API"), so uploads above ``SYNC_MAX_ROWS`` rows are refused with a hint (the
CLI has no limit).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import pandas as pd
from scipy.stats import norm

from mixwise.attribution.by_unit import unit_credits_table, unit_models
from mixwise.attribution.compare import (
    LiftROAS,
    MMMRun,
    credits_table,
    disagreements,
    recommendations,
)
from mixwise.attribution.load import JourneySource, read_journeys
from mixwise.attribution.models import Settings, attribute
from mixwise.attribution.sequences import sequences
from mixwise.engines.base import engine_label
from mixwise.errors import MixwiseError
from mixwise.files import write_json_atomic, write_text_atomic
from mixwise.report.attribution import AttributionTables
from mixwise.report.attribution import labels as report_labels
from mixwise.report.cells import safe_frame
from mixwise.service import datasets, results
from mixwise.service.fitted import ModelSource, StoredModel
from mixwise.service.models import model_row
from mixwise.service.schemas.attribution import (
    AttributionIn,
    AttributionOptions,
    AttributionOut,
    ComparedOut,
    CreditOut,
    DisagreementOut,
    LiftOut,
    SequenceOut,
    UnitCreditOut,
)
from mixwise.service.schemas.common import FindingOut, jsonable
from mixwise.service.schemas.results import LiftTestFit, SummaryOut
from mixwise.store.db import Store

SYNC_MAX_ROWS = 100_000
"""The most journey rows ``POST /attribution`` attributes in one request (about 6 s)."""


def lift_roas(tests: Sequence[LiftTestFit], interval: float) -> dict[str, LiftROAS]:
    """Per channel, the measured incremental ROAS of its lift tests (see :class:`LiftROAS`)."""
    z = float(norm.ppf(0.5 + interval / 2))
    out: dict[str, LiftROAS] = {}
    for ch in dict.fromkeys(t.channel for t in tests):
        own = [t for t in tests if t.channel == ch]
        spend = sum(t.spend_change for t in own)
        if spend == 0:
            continue
        iroas = sum(t.measured for t in own) / spend
        half = z * math.sqrt(sum(t.sigma**2 for t in own)) / abs(spend)
        out[ch] = LiftROAS(iroas, iroas - half, iroas + half, len(own))
    return out


def mmm_run(model: ModelSource, title: str = "") -> MMMRun:
    """A fitted model's channel contributions and lift tests (its summary) and its engine
    (``title``: how sentences name it)."""
    directory = model.directory()
    name = Path(model.model_id).name
    try:
        summary: SummaryOut = results.summary_of(directory, model.model_id)
        engine = str(results.provenance_of(directory).get("engine", ""))
    except (OSError, ValueError) as exc:
        raise MixwiseError(
            f"{directory} has no readable summary.json / provenance.json: {exc}",
            "Compare with a run folder written by `mixwise fit` (it holds both).",
        ) from None
    contrib = {ch: c.contribution for ch, c in summary.channels.items()}
    nan = float("nan")

    def part(k: str) -> dict[str, float]:
        return {ch: nan if (v := getattr(c, k)) is None else float(v) for ch, c in contrib.items()}

    lift = lift_roas(summary.lift_tests, summary.interval)
    label = engine_label(engine) if engine else ""
    return MMMRun(name, part("mean"), part("lo"), part("hi"), engine, label, title, lift)


def _settings(o: AttributionOptions) -> Settings:
    """The options the models take, by name (the rest are the use case's)."""
    return Settings(**o.model_dump(include={f.name for f in fields(Settings)}))


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NaN/inf -> None)."""
    records: list[dict[str, Any]] = jsonable(frame.to_dict(orient="records"))
    return records


def _compared(runs: list[MMMRun]) -> tuple[list[ComparedOut], list[LiftOut]]:
    compared = [
        ComparedOut(name=r.name, engine=r.engine, engine_label=r.engine_label) for r in runs
    ]
    lift = [
        LiftOut(run=r.name, channel=ch, iroas=x.iroas, lo=x.lo, hi=x.hi, tests=x.tests)
        for r in runs
        for ch, x in r.lift.items()
    ]
    return compared, lift


def attribute_journeys(
    source: JourneySource,
    options: AttributionOptions,
    mapping: str | Path | dict[str, Any] | None = None,
    compare: Sequence[ModelSource] = (),
    sql: str | None = None,
    titles: dict[str, str] | None = None,
) -> AttributionOut:
    """Every requested model's credit per channel (per campaign or creative with
    ``options.by``), sequences, the MMM runs, disagreements and recommendations (``sql``: the
    query for a DuckDB or SQLite file; ``titles``: model id -> the name sentences use)."""
    runs = [mmm_run(m, (titles or {}).get(m.model_id, "")) for m in compare]
    journeys = read_journeys(source, mapping, options.lookback_days, sql, options.by)
    paths = journeys.paths
    settings = _settings(options)
    mc = attribute(paths, options.models, settings)
    credits = credits_table(mc, options.interval, runs)
    seq = sequences(paths, options.min_support)
    found, compared_any = disagreements(mc, options.interval, runs)
    notes = list(mc.notes) + journeys.notes
    if paths.unattributed > 0:
        notes.append(f"{paths.unattributed:g} conversions had no touchpoint: not attributed.")
    units: list[UnitCreditOut] = []
    if journeys.by_paths is not None:
        by_models, left_out = unit_models(list(mc.point))
        if left_out:
            notes.append(
                f"Credits by {options.by} leave out {', '.join(left_out)} (a coalition of every "
                f"{options.by} is too many to evaluate)."
            )
        if by_models:
            table = unit_credits_table(
                attribute(journeys.by_paths, by_models, settings), options.interval
            )
            units = [UnitCreditOut(**r) for r in _records(table)]
    compared, lift = _compared(runs)
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
        recommendations=recommendations(found, compared_any, mc, runs),
        disagreements=[DisagreementOut(**vars(d), sentence=d.sentence()) for d in found],
        runs=compared,
        lift=lift,
        by=options.by,
        unit_credits=units,
        notes=notes,
        findings=[FindingOut(**f.to_dict()) for f in journeys.findings],
        mapping=journeys.mapping.to_yaml(),
    )


def _frame(rows: Sequence[Any], schema: type[Any]) -> pd.DataFrame:
    """Response rows as a frame with the schema's columns (also when there is no row)."""
    return pd.DataFrame([r.model_dump() for r in rows], columns=list(schema.model_fields))


def _csv(rows: Sequence[Any], schema: type[Any], rename: dict[str, str] | None = None) -> str:
    """Rows of a schema as spreadsheet-safe CSV (text that looks like a formula neutralised)."""
    return safe_frame(_frame(rows, schema).rename(columns=rename or {})).to_csv(index=False)


def write_outputs(result: AttributionOut, out: Path) -> list[Path]:
    """credits.csv (channel, model, credit, share, lo, hi, share_lo, share_hi, note),
    sequences.csv, credits_by_<campaign|creative>.csv (with ``by``) and attribution.json
    (the whole document) in ``out``; CSV cells that a spreadsheet would run are neutralised."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "credits.csv", out / "sequences.csv"]
    write_text_atomic(paths[0], _csv(result.credits, CreditOut))
    write_text_atomic(paths[1], _csv(result.sequences, SequenceOut))
    if result.by is not None:
        paths.append(out / f"credits_by_{result.by}.csv")
        text = _csv(result.unit_credits, UnitCreditOut, {"unit": result.by})
        write_text_atomic(paths[-1], text)
    paths.append(out / "attribution.json")
    write_json_atomic(paths[-1], result.model_dump(mode="json"))
    return paths


def report_tables(
    model: ModelSource,
    journeys: JourneySource,
    mapping: str | Path | dict[str, Any] | None,
    interval: float,
) -> AttributionTables:
    """The report's attribution section for ``model``: every MTA model beside it (defaults,
    ``interval`` as the report's)."""
    out = attribute_journeys(
        journeys, AttributionOptions.model_validate({"interval": interval}), mapping, [model]
    )

    return AttributionTables(
        credits=_frame(out.credits, CreditOut),
        labels=report_labels(out.models + out.compared, {r.name: r.engine_label for r in out.runs}),
        recommendations=out.recommendations,
        sequences=_frame(out.sequences, SequenceOut),
        lift=_frame(out.lift, LiftOut),
        journeys=out.journeys,
        unique_paths=out.unique_paths,
        total=out.total,
        target=out.target,
        interval=interval,
        notes=out.notes + [f.message for f in out.findings],
    )


def attribute_dataset(store: Store, workspace_id: str, body: AttributionIn) -> AttributionOut:
    """:func:`attribute_journeys` on an uploaded dataset, compared with fitted models (errors
    name the uploaded file, never a server path; at most ``SYNC_MAX_ROWS`` rows)."""
    ds = datasets._row(store, workspace_id, body.dataset_id)
    if ds.n_rows > SYNC_MAX_ROWS:
        raise MixwiseError(
            f"'{ds.filename}' has {ds.n_rows:,} rows; attribution here takes at most "
            f"{SYNC_MAX_ROWS:,} rows per request",
            "Aggregate the journeys into paths (path, conversions, null: one row per distinct "
            "path), or run `mixwise attribute` on the file (no limit).",
        )
    options = AttributionOptions(**body.model_dump(exclude={"dataset_id", "mapping", "compare"}))
    compare = [StoredModel(store, workspace_id, m) for m in body.compare]
    titles = {m: model_row(store, workspace_id, m).name for m in body.compare}
    with datasets.named_file(store, ds.artifact, ds.filename):
        path = store.artifacts.path(ds.artifact)
        return attribute_journeys(path, options, body.mapping, compare, titles=titles)
