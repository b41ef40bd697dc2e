"""Tables of accounts, plan tiers, credits and the audit log (migration ``0002_accounts``).

People (:class:`User`) belong to workspaces through :class:`Membership` with a role; dashboard
sign-ins are :class:`WebSession` rows (only token hashes are stored); :class:`ResetToken` rows
carry password resets. :class:`PlanTier` and :class:`PlanFeature` are the seeded price list an
operator may edit; :class:`CreditEntry` is the append-only credit ledger (the balance is the sum
of ``amount``); :class:`AuditEntry` records every change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mixwise.store.models import Base, utcnow


class User(Base):
    """A person: email, an argon2id password hash, and the failed sign-in counter."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Membership(Base):
    """A user's role in a workspace: owner, admin, analyst or viewer."""

    __tablename__ = "memberships"

    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebSession(Base):
    """A dashboard sign-in: the SHA-256 of the session cookie and of its CSRF token."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class ResetToken(Base):
    """A one-use password reset token (its SHA-256), valid until ``expires_at``."""

    __tablename__ = "reset_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class PlanTier(Base):
    """A plan tier (seeded from the product plan's table); ``rank`` orders them."""

    __tablename__ = "plan_tiers"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    rank: Mapped[int] = mapped_column(Integer)


class PlanFeature(Base):
    """A paid feature: its credit cost per use and the tiers that include it."""

    __tablename__ = "plan_features"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    credits: Mapped[int] = mapped_column(Integer)
    tiers: Mapped[list[str]] = mapped_column(JSON)


class CreditEntry(Base):
    """One ledger entry (append-only): grant, purchase, usage, refund or adjustment.

    ``amount`` is signed (usage negative); the balance is ``sum(amount)``. ``idempotency_key`` is
    unique per workspace, so a retried charge finds its first entry instead of a second one.
    """

    __tablename__ = "credit_entries"
    __table_args__ = (
        UniqueConstraint("workspace_id", "idempotency_key", name="uq_credit_idempotency"),
        Index("ix_credit_entries_ws_created", "workspace_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(Integer)
    feature: Mapped[str | None] = mapped_column(String(60), default=None)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), default=None)
    ref: Mapped[str | None] = mapped_column(String(200), default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """A change: who (``actor``), when, what (``action``, ``target``, ``detail``), from where."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    workspace_id: Mapped[str | None] = mapped_column(String(40), default=None, index=True)
    actor: Mapped[str] = mapped_column(String(400))
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str] = mapped_column(String(400), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(400), default="")
