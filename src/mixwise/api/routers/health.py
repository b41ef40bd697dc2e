"""``GET /api/v1/health``: no authentication; says the version and whether the database answers."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field
from sqlalchemy import text

from mixwise import __version__
from mixwise.api.deps import StoreDep
from mixwise.engines.base import engine_label, engine_names
from mixwise.export import TARGETS
from mixwise.service.schemas.common import Schema

router = APIRouter(tags=["health"])


class HealthOut(Schema):
    status: str
    version: str
    database: str
    engines: list[str]
    export_targets: dict[str, str] = Field(
        description="Export target (GET /datasets/{id}/export?to=) -> the tool it writes for."
    )
    engine_labels: dict[str, str] = Field(
        description='Engine name -> how screens name it, e.g. "Ridge (Robyn\'s method)".'
    )


@router.get("/health", response_model=HealthOut, summary="Service health and version")
def health(store: StoreDep) -> HealthOut:
    try:
        with store.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        db = "ok"
    except Exception:
        db = "unavailable"
    return HealthOut(
        status="ok" if db == "ok" else "degraded",
        version=__version__,
        database=db,
        engines=engine_names(),
        engine_labels={name: engine_label(name) for name in engine_names()},
        export_targets={name: target.tool for name, target in TARGETS.items()},
    )
