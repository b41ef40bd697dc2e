"""Industry benchmarks: the loaded rows and a model compared against the matching ones."""

from __future__ import annotations

from pydantic import Field

from mixwise.service.schemas.common import Interval, Schema


class BenchmarkOut(Schema):
    """One published figure, with where it comes from (``scope``: installation or workspace)."""

    id: int
    metric: str
    industry: str
    region: str
    period: str
    channel: str = Field(description='"" = all paid media together.')
    value: float
    source: str
    date: str
    scope: str


class BenchmarkList(Schema):
    items: list[BenchmarkOut]


class BenchmarksLoaded(Schema):
    loaded: int
    replaced: int
    scope: str


class BenchmarkComparison(Schema):
    """A benchmark row beside the model's figure for the same metric and channel."""

    benchmark: BenchmarkOut
    model: Interval | None
    why: str | None = Field(description="Why the model has no figure to compare (else null).")
    verdict: str | None = Field(
        description="above / below: the model's whole interval is above or below the benchmark; "
        "overlaps: the interval contains it (no clear difference)."
    )


class BenchmarksOut(Schema):
    """The model's ROAS and CPA against every matching benchmark row."""

    model_id: str
    interval: float
    industry: str | None
    region: str | None
    items: list[BenchmarkComparison]
    message: str | None = Field(description="Why nothing is compared (no matching row).")
