"""The Creative Launch Timeline as a use case: ``mixwise timeline RUN --campaigns FILE`` and
``GET /api/v1/models/{id}/timeline`` (with the calendar stored by ``PUT /api/v1/calendar``).

A calendar is checked against the model (unknown channels are errors naming the rows), then
each flight gets its contribution and ROAS during and after it (:mod:`mixwise.model.flights`),
the calendar its consistency score (:mod:`mixwise.data.consistency`) and each tag its
contribution per unit of spend.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from mixwise.data.campaigns import (
    Calendar,
    CalendarError,
    Flight,
    calendar_from_records,
    check_calendar,
    read_calendar,
)
from mixwise.data.consistency import DEFAULT_WINDOW_DAYS, consistency
from mixwise.model.flights import MIN_TAG_FLIGHTS, flight_effects, step_days, tag_performance
from mixwise.service.datasets import named_file
from mixwise.service.errors import NotFound
from mixwise.service.fitted import ModelSource
from mixwise.service.schemas.common import jsonable
from mixwise.service.schemas.timeline import CalendarOut, CalendarRowsIn, TimelineOut
from mixwise.store.db import Store

METHOD = (
    "Each flight's contribution is the model's channel contribution with the data's spend minus "
    "that with the flight's spend taken out (its share of the channel's spend in its periods), "
    "draw by draw; 'after' counts the carry-over in the periods after the flight ends. "
    "ROAS = (during + after) / the spend taken out."
)


def timeline(
    model: ModelSource,
    calendar: Calendar,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    end: date | None = None,
    min_tag_flights: int = MIN_TAG_FLIGHTS,
) -> TimelineOut:
    """The timeline of ``model`` for ``calendar`` (``CalendarError`` when a row is unusable)."""
    result = model.result()
    checked = check_calendar(calendar, list(result.dates), result.channels, step_days(result))
    checked.raise_if_errors()
    interval = float(result.spec.interval)
    effects = flight_effects(result, checked.flights)
    doc: dict[str, Any] = {
        "model_id": model.model_id,
        "interval": interval,
        "kpi_type": result.kpi_type,
        "carry_over_periods": int(result.params.attrs["l_max"]) - 1,
        "method": METHOD,
        "flights": [e.to_dict(interval) for e in effects],
        "consistency": consistency(checked.flights, end, window_days),
        "tags": tag_performance(effects, interval, min_tag_flights),
        "min_tag_flights": min_tag_flights,
        "findings": [f.to_dict() for f in checked.findings],
    }
    return TimelineOut.model_validate(jsonable(doc))


def load_calendar(source: str | Path, mapping: Mapping[str, str] | None = None) -> Calendar:
    """A calendar file for the CLI; parse errors raise, naming the rows."""
    calendar = read_calendar(source, mapping)
    calendar.raise_if_errors()
    return calendar


def _rel(workspace_id: str) -> str:
    return f"calendars/{workspace_id}/calendar.json"


def _save(store: Store, workspace_id: str, calendar: Calendar) -> CalendarOut:
    calendar.raise_if_errors()
    doc = {
        "flights": [f.to_dict() for f in calendar.flights],
        "findings": [f.to_dict() for f in calendar.findings],
    }
    store.artifacts.write_bytes(_rel(workspace_id), json.dumps(doc).encode())
    return CalendarOut.model_validate(doc)


def upload_calendar(
    store: Store,
    workspace_id: str,
    filename: str,
    stream: BinaryIO,
    mapping: Mapping[str, str] | None = None,
) -> CalendarOut:
    """Store an uploaded calendar file (CSV, Excel, Parquet) as the workspace's calendar."""
    suffix = Path(filename or "calendar.csv").suffix.lower()
    rel = f"calendars/{workspace_id}/upload{suffix if suffix[1:].isalnum() else '.csv'}"
    store.artifacts.write_stream(rel, stream, store.settings.max_upload_bytes)
    try:
        with named_file(store, rel, filename):
            calendar = read_calendar(store.artifacts.path(rel), mapping)
    finally:
        store.artifacts.delete(rel)
    return _save(store, workspace_id, calendar)


def set_calendar_rows(store: Store, workspace_id: str, body: CalendarRowsIn) -> CalendarOut:
    """Store a calendar sent as JSON rows (the API source)."""
    return _save(store, workspace_id, calendar_from_records(body.rows, body.mapping))


def stored_calendar(store: Store, workspace_id: str) -> Calendar:
    """The workspace's calendar (``NotFound`` when none was uploaded)."""
    rel = _rel(workspace_id)
    if not store.artifacts.exists(rel):
        raise NotFound(
            "This workspace has no campaign calendar.",
            "Upload one with PUT /api/v1/calendar (CSV/Excel) or /api/v1/calendar/rows.",
        )
    doc = json.loads(store.artifacts.path(rel).read_text())
    flights = [Flight.from_dict(f) for f in doc["flights"]]
    return Calendar(flights, [])


def calendar_digest(store: Store, workspace_id: str) -> str:
    """A short hash of the stored calendar (reports built with it are cached under it)."""
    stored_calendar(store, workspace_id)
    data = store.artifacts.path(_rel(workspace_id)).read_bytes()
    return hashlib.sha256(data).hexdigest()[:12]


def get_calendar(store: Store, workspace_id: str) -> CalendarOut:
    stored_calendar(store, workspace_id)  # NotFound first
    doc = json.loads(store.artifacts.path(_rel(workspace_id)).read_text())
    return CalendarOut.model_validate(doc)


def delete_calendar(store: Store, workspace_id: str) -> None:
    stored_calendar(store, workspace_id)
    store.artifacts.delete(_rel(workspace_id))


def mapping_from_json(text: str | None) -> dict[str, str]:
    """A role mapping sent as a JSON object in a form field (``{}`` when absent)."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalendarError(
            f"mapping is not JSON: {exc.msg}", hint='Send e.g. {"start": "launch"}.'
        ) from exc
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise CalendarError("mapping must map roles to column names", hint='{"start": "launch"}')
    return {str(k): v for k, v in value.items()}
