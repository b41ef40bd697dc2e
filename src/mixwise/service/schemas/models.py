"""Schemas of models (fits), their jobs and logs."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from mixwise.service.schemas.common import ErrorOut, Request, Schema, UTCDateTime
from mixwise.service.schemas.datasets import MappingIn
from mixwise.service.schemas.results import BacktestOut


class ModelIn(Request):
    """Start a fit: a dataset, optionally a mapping (default: the dataset's effective mapping),
    a model spec (YAML text or data, default: ``ModelSpec()``), an engine and a seed."""

    dataset_id: str
    name: str | None = Field(default=None, max_length=300)
    mapping: MappingIn | None = None
    # Open on purpose: the spec is the user's own document, checked by the service like a
    # spec.yaml (a ``spec`` problem naming the field, as the CLI says it), not by the schema.
    spec: str | dict[str, Any] | None = Field(
        default=None, description="Model spec as YAML text or data (see docs/model-spec.md)."
    )
    engine: str = "bayesian"
    seed: int | None = Field(default=None, ge=0, lt=2**32)


class ModelsIn(Request):
    """Fit several engines on one dataset in one action: like :class:`ModelIn`, with
    ``engines`` (null: every engine this server has). Each model is named
    ``<name or dataset name> (<engine>)``."""

    dataset_id: str
    name: str | None = Field(default=None, max_length=300)
    mapping: MappingIn | None = None
    spec: str | dict[str, Any] | None = Field(
        default=None, description="Model spec as YAML text or data (see docs/model-spec.md)."
    )
    engines: list[str] | None = Field(
        default=None, min_length=1, max_length=20, examples=[["bayesian", "ridge"]]
    )
    seed: int | None = Field(default=None, ge=0, lt=2**32)


class SelectIn(Request):
    """Choose another Pareto model of a ridge fit (an id of the summary's ``pareto.models``)."""

    pareto_model: str = Field(min_length=1, max_length=100, examples=["3_1207"])


class JobOut(Schema):
    """A background job: where it is and, when it failed, why.

    ``status``: queued, running, succeeded, failed or cancelled. ``eta_seconds`` extrapolates
    the time so far from ``fraction`` (null until there is enough progress to say).
    """

    id: str
    kind: str
    status: str
    stage: str
    fraction: float
    message: str
    eta_seconds: float | None
    attempts: int
    max_attempts: int
    cancel_requested: bool
    created_at: UTCDateTime
    started_at: UTCDateTime | None
    finished_at: UTCDateTime | None
    error: ErrorOut | None


class ModelOut(Schema):
    """A model: what was asked for, where its fit is, and whether results can be read."""

    id: str
    name: str
    dataset_id: str | None
    engine: str
    seed: int | None
    status: str
    has_result: bool
    approximate: bool = Field(
        False, description="A quick (ADVI) fit: approximate intervals, never the default model."
    )
    created_at: UTCDateTime
    finished_at: UTCDateTime | None
    job: JobOut | None


class ModelDetail(ModelOut):
    """A model with the mapping and the spec it was fitted with."""

    mapping: str
    spec: str


class ModelList(Schema):
    items: list[ModelOut]


class LogLine(Schema):
    id: int
    at: UTCDateTime
    level: str
    message: str


class LogsOut(Schema):
    """Log lines after ``after`` (pass ``next_after`` back to follow the log)."""

    job_id: str
    lines: list[LogLine]
    next_after: int


class ModelBatchOut(Schema):
    """The models started by one "fit all engines" request (one fit job each), and where
    their comparison will be once they are fitted."""

    items: list[ModelDetail]
    comparison: str = Field(description="GET this path for the comparison of the models.")


class RefreshIn(Request):
    """Refresh a fitted model on new data (any engine): a dataset holding the model's whole
    history plus the new periods, optionally a mapping (default: the parent model's). The
    parent's engine, spec and seed are kept; the previous model is backtested on the new
    periods first (docs/refresh.md)."""

    dataset_id: str
    name: str | None = Field(default=None, max_length=300)
    mapping: MappingIn | None = None


class AccuracyPoint(Schema):
    """One model of a refresh chain: when its data ended and, for a refresh, how its parent
    forecast the periods it added (``backtest``; null for the first model of the chain)."""

    model_id: str
    name: str
    parent_id: str | None
    data_end: str
    backtest: BacktestOut | None


class AccuracyOut(Schema):
    """The backtests across a model's refresh chain, oldest first (the model last)."""

    model_id: str
    points: list[AccuracyPoint]
