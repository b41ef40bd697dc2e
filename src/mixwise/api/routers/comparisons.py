"""Comparisons: fitted models side by side, any mix of engines."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from mixwise.api.deps import StoreDep, WorkspaceDep
from mixwise.service.comparison import compare_stored
from mixwise.service.schemas.comparison import ComparisonOut

router = APIRouter(prefix="/comparisons", tags=["models"])


@router.get(
    "",
    response_model=ComparisonOut,
    summary="Models side by side: ROAS and share per channel with intervals, agreement and its "
    "likely reasons, fit in sample and on a common holdout",
)
def compare(
    store: StoreDep,
    ws: WorkspaceDep,
    models: Annotated[
        str, Query(description="Comma-separated model ids (two or more).", max_length=2000)
    ],
) -> ComparisonOut:
    return compare_stored(store, ws.id, [m.strip() for m in models.split(",") if m.strip()])
