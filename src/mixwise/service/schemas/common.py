"""Schemas shared by several resources."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from mixwise.data.findings import Severity


def _iso_utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")


UTCDateTime = Annotated[datetime, PlainSerializer(_iso_utc, return_type=str)]
"""A naive-UTC timestamp from the store, sent as ISO 8601 with ``Z``."""


class Schema(BaseModel):
    """Base of every response body. Fields that upstream documents (summary.json, plan.json)
    gain later are dropped when the schema is built, not an error; what is sent never has
    fields beyond the schema's, as the OpenAPI document says (``additionalProperties``)."""

    model_config = ConfigDict(
        extra="ignore", from_attributes=True, json_schema_extra={"additionalProperties": False}
    )


class OmitsNullOptionals(BaseModel):
    """Serialised, its optional fields (those with a default) are left out when they are null;
    a required field that may be null is always sent."""

    # No return annotation on purpose: pydantic would take it as the JSON schema of the model
    # (``Any``: an empty schema); without one the schema stays the fields'.
    @model_serializer(mode="wrap")
    def _omit_null_optionals(self, handler: SerializerFunctionWrapHandler):
        fields = type(self).model_fields
        data: dict[str, Any] = handler(self)
        return {
            k: v
            for k, v in data.items()
            if v is not None or k not in fields or fields[k].is_required()
        }


class Sparse(Schema, OmitsNullOptionals):
    """A response part that leaves out what the document it comes from leaves out
    (``expected_cpa`` only for conversion KPIs ...) instead of sending it as null."""


class Request(OmitsNullOptionals):
    """Base of every request body: an unknown field is an error (a typo must not pass).
    Echoed back (a saved scenario's request), the optional fields not given are left out."""

    model_config = ConfigDict(extra="forbid")


class Interval(Schema):
    """A posterior summary: mean, median and the equal-tailed interval ``lo``..``hi``."""

    mean: float | None
    median: float | None = None
    lo: float | None
    hi: float | None


class MeanInterval(Schema):
    """A posterior mean and the equal-tailed interval ``lo``..``hi`` (no median)."""

    mean: float | None
    lo: float | None
    hi: float | None


class ErrorOut(Schema):
    """Why something failed: a stable code, a message and a hint for the user."""

    code: str
    message: str
    hint: str = ""


class FindingOut(Schema):
    """A data check finding (the same codes and hints as ``mixwise validate``)."""

    code: str
    severity: Severity = Field(description="error (blocks a fit), warning or info.")
    column: str | None = None
    rows: list[int] = []
    message: str
    hint: str = ""


class Deleted(Schema):
    id: str
    deleted: bool = True


def jsonable(value: Any) -> Any:
    """Replace NaN/inf floats by None, recursively (JSON has no NaN)."""
    import math

    import numpy as np

    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value
