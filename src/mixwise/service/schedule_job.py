"""The ``schedule_run`` job: sync -> validate -> refit -> compare for one schedule.

1. **sync**: every connector of the workspace (incremental, :mod:`mixwise.service.connectors`).
2. **validate**: the landed rows' findings (duplicated day, currency change: errors) and the
   upload pipeline with the current model's mapping (a ``fivetran_ad_reporting`` mapping over
   the landed rows); any error stops the run.
3. **refit**: :func:`run_refresh_step` on the current model's result.
4. **compare**: the refresh document's per-channel comparison; flagged channels are logged.

The refreshed result is written in the artifact store's temporary area and placed whole; the
new model row and the schedule's move to it happen only in the transaction that marks the job
succeeded. A step that fails stops the chain: the run records the step and the error, the
schedule keeps its current model, and nothing of the run is kept but the landed rows (which
are the platforms' data, valid whatever the model does).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from mixwise.data.connectors.checks import check_landed
from mixwise.data.findings import Severity
from mixwise.data.mapping import Mapping
from mixwise.data.pipeline import load_dataset
from mixwise.errors import MixwiseError, ValidationFailed
from mixwise.jobs.context import JobContext
from mixwise.model.result import FitResult
from mixwise.progress import Progress
from mixwise.service import connectors
from mixwise.service.refresh import refresh_fit
from mixwise.store.connectors import Connector, Schedule, ScheduleRun
from mixwise.store.models import Model, new_id, utcnow


def run_refresh_step(
    previous: Path, data: Path, mapping: Path, out: Path, progress: Progress
) -> tuple[FitResult, dict[str, Any]]:
    """The refit of a schedule run: the previous result refitted on ``data`` into ``out``;
    ``(the new result, the refresh document with per-channel "channels" rows)``.

    This is :func:`mixwise.service.refresh.refresh_fit`, the refresh of any engine (the previous
    model backtested on the new periods first; a ridge run's ranges narrowed)."""
    return refresh_fit(previous, data, mapping, out, progress=progress)


def run_schedule_job(ctx: JobContext) -> None:
    """Handler of ``schedule_run`` jobs (payload ``{"run_id": ...}``)."""
    store = ctx.store
    with store.session() as s:
        run = s.get(ScheduleRun, ctx.payload["run_id"])
        if run is None:
            raise MixwiseError("the schedule was deleted before its run started")
        schedule_id, previous_id = run.schedule_id, run.previous_model_id
        model = s.get(Model, previous_id) if previous_id else None
        names = [c.name for c in s.query(Connector).filter_by(workspace_id=ctx.workspace_id)]
    state = {"step": "sync"}

    def step(name: str) -> None:
        state["step"] = name
        _update(store, ctx.payload["run_id"], status="running", step=name)
        ctx.log(f"step: {name}")

    try:
        if model is None or not model.result_artifact:
            raise MixwiseError(
                "the schedule has no fitted model to refresh",
                "Fit a model on the connectors' data and create the schedule with --model.",
            )
        mapping = Mapping.from_dict(yaml.safe_load(model.mapping), origin="the model's mapping")
        known = [c.name for c in mapping.channels]
        step("sync")
        if not names:
            raise MixwiseError("the workspace has no connectors", "Add one: mixwise connect add.")
        for i, name in enumerate(names):
            ctx.progress("sync", i / len(names), f"syncing {name}")
            out, _ = connectors.sync(store, ctx.workspace_id, name)
            ctx.log(f"{name}: {out.fetched_rows} rows fetched ({out.start}..{out.end})")
        step("validate")
        rows = connectors.workspace_rows(store, ctx.workspace_id)
        findings = check_landed(rows, known)
        for f in findings:
            ctx.log(f"[{f.code}] {f.message}", "error" if f.severity == Severity.ERROR else "info")
        if any(f.severity == Severity.ERROR for f in findings):
            raise ValidationFailed(findings)
        if mapping.source.format != "fivetran_ad_reporting":
            raise MixwiseError(
                "the model's mapping does not read connector rows (source.format is not "
                "fivetran_ad_reporting)",
                "Fit the model on `mixwise connect export` output with a fivetran_ad_reporting "
                "mapping, then schedule that model.",
            )
        with store.artifacts.temp_dir() as tmp:
            data, mapping_path = tmp / "rows.parquet", tmp / "mapping.yaml"
            rows.to_parquet(data, index=False)
            mapping_path.write_text(model.mapping)
            dataset = load_dataset(data, mapping_path)
            ctx.log(f"validated: {dataset.n_periods} periods, {len(dataset.channels)} channels")
            step("refit")
            previous_dir = store.artifacts.path(model.result_artifact)
            _, document = run_refresh_step(
                previous_dir, data, mapping_path, tmp / "run", ctx.progress
            )
            step("compare")
            summary = _compare(document, ctx.log)
            new_id_ = new_id("mdl")
            rel = f"models/{ctx.workspace_id}/{new_id_}/{ctx.job_id}"
            spec_file = tmp / "run" / "spec.yaml"
            spec = spec_file.read_text() if spec_file.is_file() else model.spec
            store.artifacts.place_dir(tmp / "run", rel)
            ctx.on_discard(lambda: store.artifacts.delete(rel))
    except BaseException as exc:
        _update(
            store,
            ctx.payload["run_id"],
            status="failed",
            step=state["step"],
            error=str(getattr(exc, "message", exc)),
            finished_at=utcnow(),
        )
        raise
    ctx.on_success(_publish(ctx, schedule_id, model, new_id_, rel, spec, summary))


def _compare(document: dict[str, Any], log: Callable[[str, str], None]) -> dict[str, Any]:
    flagged = [c for c in document.get("channels", []) if c.get("flagged")]
    for c in flagged:
        log(f"flagged {c['channel']}: " + "; ".join(c.get("reasons", [])), "warning")
    return {
        "periods": document.get("periods"),
        "channels": document.get("channels", []),
        "flagged": [c["channel"] for c in flagged],
    }


def _publish(
    ctx: JobContext,
    schedule_id: str,
    previous: Model,
    model_id: str,
    rel: str,
    spec: str,
    summary: dict[str, Any],
) -> Callable[[Session], None]:
    def publish(s: Session) -> None:
        now = utcnow()
        s.add(
            Model(
                id=model_id,
                workspace_id=ctx.workspace_id,
                name=f"{previous.name} (refreshed {now:%Y-%m-%d})",
                engine=previous.engine,
                mapping=previous.mapping,
                spec=spec,
                seed=previous.seed,
                status="succeeded",
                result_artifact=rel,
                finished_at=now,
            )
        )
        s.flush()
        schedule = s.get(Schedule, schedule_id)
        if schedule is not None:
            schedule.model_id = model_id
        run = s.get(ScheduleRun, ctx.payload["run_id"])
        if run is not None:
            run.status, run.step, run.new_model_id = "succeeded", "done", model_id
            run.summary, run.finished_at = summary, now

    return publish


def _update(store: Any, run_id: str, **values: Any) -> None:
    with store.session() as s:
        run = s.get(ScheduleRun, run_id)
        if run is not None:
            for key, value in values.items():
                setattr(run, key, value)
