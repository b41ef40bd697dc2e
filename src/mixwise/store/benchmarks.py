"""The industry benchmarks table: published figures an administrator loads (never invented).

A row with ``workspace_id`` null is the installation's (``mixwise admin benchmarks load``); a
row with a workspace is that workspace's own (loaded by its admins through the API).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mixwise.store.models import Base, utcnow


class Benchmark(Base):
    """One published figure: ``metric`` (roas, cpa) of ``industry`` in ``region`` over
    ``period``, optionally for one ``channel`` ("" = all paid media), with its source and date."""

    __tablename__ = "benchmarks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True, default=None
    )
    metric: Mapped[str] = mapped_column(String(40))
    industry: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(200), default="")
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text)
    source_date: Mapped[date] = mapped_column(Date)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
