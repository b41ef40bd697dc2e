"""``GET /api/v1/health``: no authentication; says the version and whether the database answers."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from mixwise import __version__
from mixwise.api.deps import StoreDep
from mixwise.engines.base import engine_names
from mixwise.service.schemas.common import Schema

router = APIRouter(tags=["health"])


class HealthOut(Schema):
    status: str
    version: str
    database: str
    engines: list[str]


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
    )
