"""Which column of a journeys table plays which role, proposed from names or read from YAML.

Two layouts: touchpoint *events* (``journey_id``, ``timestamp``, ``channel``, optional
``conversion`` flag/count and ``value``, ``campaign``, ``creative``) and aggregated *paths*
(``path`` like "search > social > tv", ``conversions``, optional ``conversion_value`` and ``null``,
the non-converting count). ``channels`` renames journey channels to the MMM's channel names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mixwise.data.infer import pick_column
from mixwise.data.mapping import read_yaml
from mixwise.errors import MappingError

JOURNEY_NAMES = ("journey_id", "journey", "user_id", "user", "visitor_id", "cookie_id", "client_id")
TIME_NAMES = ("timestamp", "time", "ts", "event_time", "datetime", "date", "touch_time")
CHANNEL_NAMES = ("channel", "source", "medium", "touchpoint", "channel_name", "interaction")
CONVERSION_NAMES = ("conversion", "converted", "conversions", "is_conversion", "purchase")
VALUE_NAMES = ("value", "conversion_value", "revenue", "order_value", "total_conversion_value")
PATH_NAMES = ("path", "paths", "channel_path", "user_path")
NULL_NAMES = ("null", "nulls", "total_null", "non_conversions", "null_conversions")
PATHS_CONVERSION_NAMES = ("conversions", "total_conversions", "conversion", "converted")
CAMPAIGN_NAMES = ("campaign", "campaign_name")
CREATIVE_NAMES = ("creative", "creative_name", "ad")


class JourneyMapping(BaseModel):
    """Column roles of a journeys table, the path separator, channel renames, the lookback."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    kind: Literal["journeys"] = "journeys"
    layout: Literal["events", "paths"]
    journey_id: str | None = None
    timestamp: str | None = None
    channel: str | None = None
    conversion: str | None = None
    value: str | None = None
    campaign: str | None = None
    creative: str | None = None
    path: str | None = None
    conversions: str | None = None
    conversion_value: str | None = None
    null: str | None = None
    separator: str = ">"
    channels: dict[str, str] = Field(
        default_factory=dict, description="journey channel -> MMM channel (renames)"
    )
    lookback_days: float | None = Field(default=None, gt=0)
    sql: str | None = Field(default=None, description="query for a DuckDB or SQLite file")

    def required(self) -> list[tuple[str, str | None]]:
        if self.layout == "events":
            return [("journey_id", self.journey_id), ("channel", self.channel)]
        return [("path", self.path), ("conversions", self.conversions)]

    def columns(self) -> dict[str, str]:
        """role -> column, for the roles that are set."""
        roles: tuple[str, ...] = ("journey_id", "timestamp", "channel", "conversion", "value")
        roles += ("campaign", "creative", "path", "conversions", "conversion_value", "null")
        return {r: c for r in roles if (c := getattr(self, r)) is not None}

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(exclude_none=True), sort_keys=False)


def propose_roles(frame: pd.DataFrame) -> tuple[JourneyMapping, list[str]]:
    """Guess the layout and the roles from column names, with a note per guess (roles no name
    matches stay unset)."""
    cols = [str(c) for c in frame.columns]
    path = pick_column(cols, PATH_NAMES)
    if path is not None:
        m = JourneyMapping(
            layout="paths",
            path=path,
            conversions=pick_column([c for c in cols if c != path], PATHS_CONVERSION_NAMES),
            conversion_value=pick_column(cols, VALUE_NAMES),
            null=pick_column(cols, NULL_NAMES),
        )
    else:
        conversion = pick_column(cols, CONVERSION_NAMES)
        m = JourneyMapping(
            layout="events",
            journey_id=pick_column(cols, JOURNEY_NAMES),
            timestamp=pick_column(cols, TIME_NAMES),
            channel=pick_column(cols, CHANNEL_NAMES),
            conversion=conversion,
            value=pick_column([c for c in cols if c != conversion], VALUE_NAMES),
            campaign=pick_column(cols, CAMPAIGN_NAMES),
            creative=pick_column(cols, CREATIVE_NAMES),
        )
    notes = [f"layout: {m.layout}"] + [f"{role}: '{col}'" for role, col in m.columns().items()]
    return m, notes


def _require_roles(m: JourneyMapping, frame: pd.DataFrame) -> None:
    """The roles the layout needs, proposed or mapped (a mapping may fill what names do not)."""
    missing = [role for role, col in m.required() if col is None]
    if missing:
        raise MappingError(
            f"not a journeys table: no column for {', '.join(missing)} (columns: "
            f"{', '.join(map(str, frame.columns[:12]))})",
            "Touchpoint events need journey_id and channel columns (plus timestamp, conversion, "
            "value); aggregated paths need path and conversions. Rename the columns or pass "
            "--mapping with the roles (see docs/attribution.md).",
        )


def load_mapping(path: str | Path) -> dict[str, object]:
    """The YAML of a journeys mapping as data (roles are optional: unset ones are proposed)."""
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise MappingError(f"{path} is not a mapping of keys", "See docs/attribution.md.")
    return data


def resolve(
    frame: pd.DataFrame, overrides: dict[str, object] | None
) -> tuple[JourneyMapping, list[str]]:
    """The proposed roles, overridden by whatever the user's mapping sets."""
    overrides = dict(overrides or {})
    renames = overrides.get("channels")
    if renames is not None and not isinstance(renames, dict):
        raise MappingError(
            "`channels` must map journey channels to MMM channels", "e.g. fb: Social"
        )
    role_keys = set(JourneyMapping.model_fields) - {
        "kind",
        "separator",
        "channels",
        "lookback_days",
        "sql",
    }
    sets_roles = any(k in overrides for k in role_keys)
    try:
        if sets_roles and "layout" in overrides:
            mapping = JourneyMapping.model_validate(overrides)
            notes = ["roles from the mapping"]
        else:
            proposed, notes = propose_roles(frame)
            mapping = JourneyMapping.model_validate(proposed.model_dump() | overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise MappingError(
            f"journeys mapping: {where}: {err['msg']}", "See docs/attribution.md."
        ) from None
    _require_roles(mapping, frame)
    absent = [c for c in mapping.columns().values() if c not in frame.columns]
    if absent:
        raise MappingError(
            f"the mapping names column(s) the journeys table does not have: {', '.join(absent)}",
            f"Use the table's columns: {', '.join(map(str, frame.columns[:12]))}.",
        )
    return mapping, notes
