"""The campaign calendar and the Creative Launch Timeline: request and response documents."""

from __future__ import annotations

from pydantic import Field

from mixwise.service.schemas.common import FindingOut, Interval, Request, Schema


class CalendarRowsIn(Request):
    """A calendar sent as JSON rows (one object per flight) with an optional role mapping."""

    rows: list[dict[str, str | float | int | None]] = Field(
        min_length=1,
        description="Flights: campaign, channel, start, end (YYYY-MM-DD) and optionally "
        "creative, creative_type, tags, segment, spend (or the columns the mapping names).",
    )
    mapping: dict[str, str] = Field(
        default_factory=dict, description="Role -> column name, for rows with other names."
    )


class FlightOut(Schema):
    """One calendar row (``row``: 1-based, as in the file)."""

    row: int
    campaign: str
    channel: str
    start: str
    end: str
    creative: str = ""
    creative_type: str = ""
    tags: list[str] = Field(default_factory=list)
    segment: str = ""
    spend: float | None = None


class CalendarOut(Schema):
    """The workspace's campaign calendar: the flights read and what the checks found."""

    flights: list[FlightOut]
    findings: list[FindingOut]


class FlightEffectOut(FlightOut):
    """A flight and what the model says it added, carry-over included."""

    periods: list[int] | None = Field(
        description="First and last period index of the data the flight overlaps (null: none)."
    )
    spend_in_model: float = Field(
        description="The channel's spend in those periods attributed to this flight."
    )
    contribution_during: Interval
    contribution_after: Interval = Field(
        description="Over the l_max - 1 periods after the flight (carry-over)."
    )
    contribution: Interval
    roas: Interval | None
    why_no_roas: str | None


class WindowOut(Schema):
    start: str
    end: str
    consistent_days: int
    active_days: int
    score: float | None


class ConsistencyOut(Schema):
    """The consistency score of a window and of the window before it."""

    definition: str
    window_days: int
    current: WindowOut
    previous: WindowOut
    change: float | None


class TagOut(Schema):
    """Contribution per unit of spend of the flights carrying a tag (null with ``why``)."""

    tag: str
    flights: int
    spend: float
    per_spend: Interval | None
    why: str | None


class TimelineOut(Schema):
    """The Creative Launch Timeline of a model: flights with effects, consistency, tags."""

    model_id: str
    interval: float
    kpi_type: str
    carry_over_periods: int = Field(description="l_max - 1: periods counted after a flight.")
    method: str
    flights: list[FlightEffectOut]
    consistency: ConsistencyOut
    tags: list[TagOut]
    min_tag_flights: int
    findings: list[FindingOut]
