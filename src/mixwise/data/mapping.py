"""The mapping: which column of the user's table plays which role in the model.

A mapping is a small YAML file the user can read and edit::

    date: DATE
    kpi: {column: revenue, type: revenue}
    channels:
      - {name: TV, spend: tv_S}
      - {name: Facebook, spend: facebook_S, exposure: facebook_I, exposure_type: impressions}
    controls: [competitor_sales_B]
    organic: [newsletter]
    non_media: [price_index]                      # non-media treatments
    events: [events]

A reach & frequency channel names both columns:
``{name: YouTube, spend: yt_S, reach: yt_reach, frequency: yt_freq}``.

``mixwise init-mapping`` proposes one (see :mod:`mixwise.data.infer`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mixwise.errors import MappingError

KPIType = Literal["revenue", "conversions"]
ExposureType = Literal["impressions", "clicks", "grps", "reach", "other"]
Frequency = Literal["auto", "daily", "weekly"]
WeekStart = Literal["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KPIMap(_Strict):
    """The outcome the model explains."""

    column: str
    type: KPIType = "revenue"
    revenue_per_conversion: str | None = Field(
        default=None, description="Column with revenue per conversion (conversion KPIs only)."
    )

    @model_validator(mode="after")
    def _rpc_only_for_conversions(self) -> KPIMap:
        if self.revenue_per_conversion and self.type != "conversions":
            raise ValueError("revenue_per_conversion only applies when kpi.type is 'conversions'")
        return self


class ChannelMap(_Strict):
    """A paid media channel: its spend column and, optionally, an exposure column, or reach and
    frequency columns (a reach & frequency channel: people reached per period and the average
    number of times each saw the ad; Meridian's R&F channels)."""

    name: str
    spend: str
    exposure: str | None = None
    exposure_type: ExposureType | None = None
    reach: str | None = None
    frequency: str | None = None

    @model_validator(mode="after")
    def _reach_with_frequency(self) -> ChannelMap:
        if (self.reach is None) != (self.frequency is None):
            given, missing = ("reach", "frequency") if self.reach else ("frequency", "reach")
            raise ValueError(f"channel '{self.name}' has {given} but no {missing}: give both")
        return self


class FivetranSource(_Strict):
    """Rules to turn Fivetran ``ad_reporting`` long rows into channels.

    ``channel_by: platform`` makes one channel per platform; ``channel_by: campaign_regex`` uses
    ``rules`` (channel name -> regular expression on campaign names, first match wins).
    """

    channel_by: Literal["platform", "campaign_regex"] = "platform"
    rules: dict[str, str] = Field(default_factory=dict)
    date_column: str = "date_day"
    kpi_column: Literal["conversions", "conversions_value"] = "conversions_value"

    @model_validator(mode="after")
    def _rules_when_regex(self) -> FivetranSource:
        if self.channel_by == "campaign_regex" and not self.rules:
            raise ValueError("channel_by: campaign_regex needs at least one rule")
        return self


class SourceSpec(_Strict):
    """How to read and reshape the raw table before roles are applied."""

    format: Literal["table", "fivetran_ad_reporting"] = "table"
    fivetran: FivetranSource | None = None
    sql: str | None = Field(default=None, description="Query to run for database sources.")
    sheet: str | int | None = Field(default=None, description="Excel sheet name or index.")


class Resample(_Strict):
    """Convert daily rows to weekly: spend, exposure, KPI, organic and event dummies are summed,
    controls are averaged. Weeks are labelled by their first day (``week_start``)."""

    to: Literal["weekly"] = "weekly"
    week_start: WeekStart = "MON"


class Mapping(_Strict):
    """Which column plays which role. Every role but date, KPI and channels is optional."""

    kind: Literal["mmm"] = "mmm"
    date: str
    date_format: str | None = Field(default=None, description="strftime format, if not ISO.")
    frequency: Frequency = "auto"
    geo: str | None = None
    kpi: KPIMap
    channels: list[ChannelMap] = Field(min_length=1)
    controls: list[str] = Field(default_factory=list)
    organic: list[str] = Field(default_factory=list)
    non_media: list[str] = Field(
        default_factory=list,
        description="Non-media treatments (price, promotions: levels the business sets).",
    )
    events: list[str] = Field(default_factory=list)
    population: str | None = None
    fill: Literal["none", "zero"] = Field(
        default="none",
        description="'zero' fills missing spend/exposure with 0 and reports it; "
        "'none' makes it an error.",
    )
    source: SourceSpec = Field(default_factory=SourceSpec)
    resample: Resample | None = None

    @field_validator("channels")
    @classmethod
    def _unique_channel_names(cls, v: list[ChannelMap]) -> list[ChannelMap]:
        names = [c.name for c in v]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"channel names must be unique; repeated: {', '.join(dup)}")
        return v

    @model_validator(mode="after")
    def _no_column_in_two_roles(self) -> Mapping:
        seen: dict[str, str] = {}
        for role, col in self.role_columns():
            if col in seen and seen[col] != role:
                raise ValueError(f"column '{col}' is used as both {seen[col]} and {role}")
            seen[col] = role
        return self

    # -- role helpers -------------------------------------------------------------------------
    def role_columns(self) -> list[tuple[str, str]]:
        """(role, column) for every column the mapping names, in a stable order."""
        out: list[tuple[str, str]] = [("date", self.date), ("kpi", self.kpi.column)]
        if self.kpi.revenue_per_conversion:
            out.append(("revenue_per_conversion", self.kpi.revenue_per_conversion))
        if self.geo:
            out.append(("geo", self.geo))
        if self.population:
            out.append(("population", self.population))
        for ch in self.channels:
            out.append(("spend", ch.spend))
            if ch.exposure:
                out.append(("exposure", ch.exposure))
            if ch.reach and ch.frequency:
                out += [("reach", ch.reach), ("frequency", ch.frequency)]
        out += [("control", c) for c in self.controls]
        out += [("organic", c) for c in self.organic]
        out += [("non_media", c) for c in self.non_media]
        out += [("event", c) for c in self.events]
        return out

    @property
    def channel_names(self) -> list[str]:
        return [c.name for c in self.channels]

    def identity_json(self) -> str:
        """The mapping as JSON for fingerprints: roles added later (reach and frequency,
        non-media treatments) are left out while unused, so fingerprints of data mapped before
        they existed stay the same."""
        exclude: dict[str, object] = {}
        if not self.non_media:
            exclude["non_media"] = True
        if not self.rf_channels:
            exclude["channels"] = {"__all__": {"reach", "frequency"}}
        return self.model_dump_json(exclude=exclude)  # type: ignore[arg-type]

    @property
    def rf_channels(self) -> list[str]:
        """Channels with reach and frequency columns."""
        return [c.name for c in self.channels if c.reach]

    @property
    def spend_columns(self) -> list[str]:
        return [c.spend for c in self.channels]

    @property
    def exposure_columns(self) -> list[str]:
        return [c.exposure for c in self.channels if c.exposure]

    def numeric_columns(self) -> list[str]:
        """Columns that must hold numbers (events may be categorical, so they are not here)."""
        return [col for role, col in self.role_columns() if role not in ("date", "geo", "event")]

    # -- YAML -------------------------------------------------------------------------------
    def to_yaml(self) -> str:
        data = self.model_dump(mode="json", exclude_defaults=True)
        data.setdefault("kpi", {}).setdefault("type", self.kpi.type)
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_yaml(), encoding="utf-8")

    @classmethod
    def from_dict(cls, data: object, origin: str = "mapping") -> Mapping:
        if not isinstance(data, dict):
            raise MappingError(
                f"{origin} is not a mapping of roles to columns",
                "Start from `mixwise init-mapping DATA -o mapping.yaml` and edit it.",
            )
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise MappingError(
                f"{origin} is invalid: " + _pydantic_errors(exc),
                "Fix the named field(s); `mixwise init-mapping` writes a valid starting point.",
            ) from exc

    @classmethod
    def load(cls, path: str | Path) -> Mapping:
        return cls.from_dict(read_yaml(path), origin=f"mapping file {path}")


class HolidayTableMapping(_Strict):
    """A holiday calendar (date, holiday name, country), such as Robyn's ``dt_prophet_holidays``."""

    kind: Literal["holidays"]
    date: str
    holiday: str
    country: str
    year: str | None = None


def read_yaml(path: str | Path) -> object:
    """A mapping file's YAML as data (``MappingError`` naming the file when it is missing or
    not YAML)."""
    p = Path(path)
    if not p.is_file():
        raise MappingError(f"mapping file not found: {p}", "Check the path passed to --mapping.")
    try:
        return yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise MappingError(
            f"mapping file {p} is not valid YAML: {exc}", "Fix the YAML syntax."
        ) from None


def load_any_mapping(path: str | Path) -> Mapping | HolidayTableMapping:
    """Load a mapping file of either kind (``kind: mmm``, the default, or ``kind: holidays``)."""
    data = read_yaml(path)
    if isinstance(data, dict) and data.get("kind") == "holidays":
        try:
            return HolidayTableMapping.model_validate(data)
        except ValidationError as exc:
            raise MappingError(
                f"mapping file {path} is invalid: {_pydantic_errors(exc)}",
                "Fix the named field(s).",
            ) from None
    return Mapping.from_dict(data, origin=f"mapping file {path}")


def _pydantic_errors(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(top level)"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)
