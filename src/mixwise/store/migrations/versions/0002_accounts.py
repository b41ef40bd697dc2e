"""accounts: users, memberships, sessions, reset tokens, plan tiers and features (seeded from
the product plan's table), the credit ledger, the audit log; keys gain user, name, role, expiry

Revision ID: 0002_accounts
Revises: 0001
Create Date: 2026-12-05 07:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_accounts"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIERS = [
    ("payg", "Pay-As-You-Go", 0),
    ("essential", "Essential", 1),
    ("professional", "Professional", 2),
    ("advanced", "Advanced", 3),
]
"""Seed 000, "Credit Usage & Plan Tier Integration"."""
_PRO = ["professional", "advanced"]
_ADV = ["advanced"]
FEATURES = [
    ("basic_mmm", "Basic MMM Dashboard", 10, _PRO),
    ("attribution", "Attribution Models", 25, _PRO),
    ("budget_allocation", "Budget Allocation Tool", 30, _ADV),
    ("cross_channel", "Cross-Channel Analysis", 40, _ADV),
    ("ai_recommendations", "AI Recommendations", 50, _ADV),
    ("industry_benchmarking", "Industry Benchmarking", 35, _ADV),
    ("alternative_models", "Alternative MMM Models", 45, _ADV),
    ("model_comparison", "Model Comparison Tools", 40, _ADV),
]


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "memberships",
        sa.Column(
            "workspace_id",
            sa.String(40),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "user_id",
            sa.String(40),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_memberships_user_id", "memberships", ["user_id"])
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("csrf_hash", sa.String(64), nullable=False),
        sa.Column(
            "user_id", sa.String(40), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "reset_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column(
            "user_id", sa.String(40), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_reset_tokens_user_id", "reset_tokens", ["user_id"])
    tiers = op.create_table(
        "plan_tiers",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
    )
    features = op.create_table(
        "plan_features",
        sa.Column("name", sa.String(60), primary_key=True),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("credits", sa.Integer(), nullable=False),
        sa.Column("tiers", sa.JSON(), nullable=False),
    )
    op.bulk_insert(tiers, [{"name": n, "label": lb, "rank": r} for n, lb, r in TIERS])
    op.bulk_insert(
        features,
        [{"name": n, "label": lb, "credits": c, "tiers": t} for n, lb, c, t in FEATURES],
    )
    op.create_table(
        "credit_entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "workspace_id",
            sa.String(40),
            sa.ForeignKey("workspaces.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("feature", sa.String(60), nullable=True),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("ref", sa.String(200), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(400), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("workspace_id", "idempotency_key", name="uq_credit_idempotency"),
    )
    op.create_index(
        "ix_credit_entries_ws_created", "credit_entries", ["workspace_id", "created_at"]
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("workspace_id", sa.String(40), nullable=True),
        sa.Column("actor", sa.String(400), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("target", sa.String(400), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(400), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_workspace_id", "audit_log", ["workspace_id"])
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("tier", sa.String(40), nullable=True))
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("user_id", sa.String(40), nullable=True))
        batch.add_column(sa.Column("name", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("role", sa.String(20), nullable=False, server_default="owner"))
        batch.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
        batch.create_foreign_key(
            "fk_api_keys_user_id", "users", ["user_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_api_keys_user_id", ["user_id"])


def downgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_index("ix_api_keys_user_id")
        batch.drop_constraint("fk_api_keys_user_id", type_="foreignkey")
        for col in ("expires_at", "role", "name", "user_id"):
            batch.drop_column(col)
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("tier")
    for table in (
        "audit_log",
        "credit_entries",
        "plan_features",
        "plan_tiers",
        "reset_tokens",
        "web_sessions",
        "memberships",
        "users",
    ):
        op.drop_table(table)
