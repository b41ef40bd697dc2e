"""benchmarks: published industry figures (metric, industry, region, period, channel, value,
source, date) loaded by an administrator; installation-wide or one workspace's

Revision ID: 0003_benchmarks
Revises: 0002_accounts
Create Date: 2026-12-05 16:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_benchmarks"
down_revision: str | None = "0002_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "benchmarks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(length=40), nullable=True),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("industry", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=100), nullable=False),
        sa.Column("channel", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_date", sa.Date(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_benchmarks_workspace_id", "benchmarks", ["workspace_id"])


def downgrade() -> None:
    op.drop_index("ix_benchmarks_workspace_id", table_name="benchmarks")
    op.drop_table("benchmarks")
