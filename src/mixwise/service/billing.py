"""Plan tiers, paid features and the credit ledger, enforced here (not in the screens).

The tiers and each feature's credit cost come from the ``plan_tiers`` and ``plan_features``
tables (seeded from the product plan's table; an operator may change them). A workspace with a
tier is metered: a feature outside its tier is refused (:class:`FeatureLocked`, 403, naming the
tiers that include it) and each use is charged to the ledger. A workspace without a tier (the
default for installations that do not sell plans) is unmetered.

The ledger is append-only: ``grant``, ``purchase``, ``usage`` (negative), ``refund``,
``adjustment``; ``balance = sum(amount)``. A charge carries an idempotency key, unique per
workspace, so a retried request finds its first charge. Charges of one workspace are
serialised (the workspace row is locked ``FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN
IMMEDIATE`` serialises every writer), so concurrent charges never drive the balance below 0.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mixwise.errors import MixwiseError
from mixwise.service import audit
from mixwise.service.access import Principal, require_role
from mixwise.service.errors import FeatureLocked, NotFound, PaymentRequired
from mixwise.service.schemas.accounts import (
    CreditEntryOut,
    CreditsOut,
    FeatureOut,
    PlanOut,
    UsageOut,
    UsageRow,
)
from mixwise.store.accounts import CreditEntry, PlanFeature, PlanTier
from mixwise.store.db import Store
from mixwise.store.models import Job, Workspace

EntryKind = Literal["grant", "purchase", "usage", "refund", "adjustment"]
DEFAULT_ENGINE = "bayesian"
NO_FAULT_ERRORS = frozenset({"internal_error", "worker_died"})
"""Job error codes that are not the user's fault: the fit's charge is refunded."""
FIT_FEATURES = ("basic_mmm", "alternative_models")


def fit_feature(engine: str) -> str:
    """A fit with the default engine is the basic MMM; any other engine an alternative model."""
    return FIT_FEATURES[0] if engine == DEFAULT_ENGINE else FIT_FEATURES[1]


@dataclass(frozen=True)
class Charge:
    """A usage entry: ``entry_id`` to refund it, ``cost`` charged (0: unmetered, no entry)."""

    entry_id: int | None
    cost: int
    replayed: bool = False
    ref: str | None = None


def plan(store: Store, workspace_id: str) -> PlanOut:
    """The workspace's tier and every feature, included or locked (with the reason)."""
    with store.session() as s:
        ws = _workspace(s, workspace_id)
        tiers = {t.name: t for t in s.scalars(select(PlanTier))}
        feats = s.scalars(select(PlanFeature).order_by(PlanFeature.credits)).all()
        out = []
        for f in feats:
            included = ws.tier is None or ws.tier in f.tiers
            reason = None if included else _locked_reason(f, ws.tier, tiers)
            out.append(
                FeatureOut(
                    name=f.name,
                    label=f.label,
                    credits=f.credits,
                    tiers=list(f.tiers),
                    included=included,
                    reason=reason,
                )
            )
        label = tiers[ws.tier].label if ws.tier in tiers else None
        return PlanOut(tier=ws.tier, tier_label=label, metered=ws.tier is not None, features=out)


def charge(
    store: Store, p: Principal, feature: str, idempotency_key: str | None, ref: str | None = None
) -> Charge:
    """Check the tier and charge ``feature`` once per ``idempotency_key`` (402 when short)."""
    settle_refunds(store, p.workspace_id)
    key = f"usage:{idempotency_key or secrets.token_hex(16)}"
    with store.session() as s:
        ws = s.scalars(
            select(Workspace).where(Workspace.id == p.workspace_id).with_for_update()
        ).one()
        if ws.tier is None:
            return Charge(None, 0)
        f = _feature(s, feature)
        if ws.tier not in f.tiers:
            tiers = {t.name: t for t in s.scalars(select(PlanTier))}
            ordered = sorted(f.tiers, key=lambda t: tiers[t].rank if t in tiers else 99)
            raise FeatureLocked(f.name, f.label, ws.tier, ordered)
        while (done := _entry(s, ws.id, key)) is not None:
            if _entry(s, ws.id, f"refund:{done.id}") is None:
                return Charge(done.id, -done.amount, replayed=True, ref=done.ref)
            key += "+"  # refunded (the request failed): the retry is a new charge
        balance = _balance(s, ws.id)
        if balance < f.credits:
            raise PaymentRequired(f.name, balance, f.credits)
        entry = CreditEntry(
            workspace_id=ws.id,
            kind="usage",
            amount=-f.credits,
            feature=f.name,
            idempotency_key=key,
            ref=ref,
            note=f.label,
            actor=p.actor,
        )
        s.add(entry)
        s.flush()
        return Charge(entry.id, f.credits)


def refund(store: Store, workspace_id: str, entry_id: int | None, reason: str) -> None:
    """Give a usage entry's credits back, once (idempotent on the entry)."""
    if entry_id is None:
        return
    with store.session() as s:
        _refund(s, workspace_id, entry_id, reason)


def settle_refunds(store: Store, workspace_id: str) -> int:
    """Refund fits that failed through no fault of the user (internal error, worker died)."""
    with store.session() as s:
        rows = s.execute(
            select(CreditEntry.id, Job.error_code)
            .join(Job, Job.model_id == CreditEntry.ref)
            .where(
                CreditEntry.workspace_id == workspace_id,
                CreditEntry.kind == "usage",
                CreditEntry.feature.in_(FIT_FEATURES),
                Job.status == "failed",
                Job.error_code.in_(NO_FAULT_ERRORS),
            )
        ).all()
        return sum(
            _refund(s, workspace_id, entry_id, f"the fit failed ({code}), not your fault")
            for entry_id, code in rows
        )


def add_credits(
    store: Store,
    by: Principal,
    kind: EntryKind,
    amount: int,
    note: str = "",
    source: str = "",
) -> CreditsOut:
    """Grant, record a purchase or adjust (operators and owners)."""
    require_role(by, "owner")
    if kind in ("usage", "refund"):
        raise MixwiseError(f"{kind} entries come from the features, not by hand")
    if kind != "adjustment" and amount <= 0:
        raise MixwiseError(f"a {kind} must be positive (got {amount})", "Give a number above 0.")
    with store.session() as s:
        _workspace(s, by.workspace_id, lock=True)
        s.add(
            CreditEntry(
                workspace_id=by.workspace_id,
                kind=kind,
                amount=amount,
                note=note,
                actor=by.actor,
            )
        )
        audit.record(s, by.actor, f"credits.{kind}", by.workspace_id, str(amount), source)
    return credits(store, by.workspace_id)


def set_balance(store: Store, by: Principal, target: int, source: str = "") -> CreditsOut:
    """Bring the balance to ``target`` with one adjustment entry (``--set N``)."""
    if target < 0:
        raise MixwiseError("a balance cannot be set below 0", "Give 0 or more.")
    with store.session() as s:
        now = _balance(s, by.workspace_id)
    if target == now:
        return credits(store, by.workspace_id)
    return add_credits(store, by, "adjustment", target - now, f"set to {target}", source)


def set_tier(store: Store, by: Principal, tier: str | None, source: str = "") -> PlanOut:
    """Put the workspace on ``tier`` (None: unmetered); owners and operators."""
    require_role(by, "owner")
    with store.session() as s:
        if tier is not None and s.get(PlanTier, tier) is None:
            names = ", ".join(t.name for t in s.scalars(select(PlanTier).order_by(PlanTier.rank)))
            raise MixwiseError(f"unknown tier {tier!r}", f"Use one of: {names} (or 'none').")
        ws = _workspace(s, by.workspace_id, lock=True)
        old, ws.tier = ws.tier, tier
        audit.record(s, by.actor, "workspace.tier", ws.id, ws.name, source, old=old, new=tier)
    return plan(store, by.workspace_id)


def credits(store: Store, workspace_id: str, limit: int = 50) -> CreditsOut:
    """The balance (sum of the ledger) and the newest entries."""
    settle_refunds(store, workspace_id)
    with store.session() as s:
        ws = _workspace(s, workspace_id)
        entries = s.scalars(
            select(CreditEntry)
            .where(CreditEntry.workspace_id == workspace_id)
            .order_by(CreditEntry.id.desc())
            .limit(max(1, min(limit, 500)))
        ).all()
        return CreditsOut(
            tier=ws.tier,
            metered=ws.tier is not None,
            balance=_balance(s, workspace_id),
            entries=[CreditEntryOut.model_validate(e) for e in entries],
        )


def usage(store: Store, workspace_id: str) -> UsageOut:
    """Credits used per feature per month (UTC), net of refunds."""
    settle_refunds(store, workspace_id)
    with store.session() as s:
        rows = s.scalars(
            select(CreditEntry).where(
                CreditEntry.workspace_id == workspace_id,
                CreditEntry.kind.in_(("usage", "refund")),
            )
        ).all()
    table: dict[tuple[str, str], list[int]] = {}
    usage_month = {e.id: e.created_at.strftime("%Y-%m") for e in rows if e.kind == "usage"}
    for e in rows:
        month = usage_month.get(_refunded_id(e) or -1, e.created_at.strftime("%Y-%m"))
        cell = table.setdefault((month, e.feature or "?"), [0, 0])
        cell[0] += 1 if e.kind == "usage" else -1
        cell[1] -= e.amount
    items = [
        UsageRow(month=m, feature=f, uses=u, credits=c) for (m, f), (u, c) in sorted(table.items())
    ]
    return UsageOut(items=items)


class Purchases(Protocol):
    """Where bought credits come from. A payment provider's implementation confirms the payment
    (webhook) and then calls :func:`add_credits` with ``kind="purchase"``."""

    def purchase(self, store: Store, by: Principal, credits: int, reference: str) -> CreditsOut: ...


class ManualPurchases:
    """No payment provider: an operator records a purchase paid outside mixwise."""

    def purchase(self, store: Store, by: Principal, credits: int, reference: str) -> CreditsOut:
        return add_credits(store, by, "purchase", credits, f"manual purchase {reference}", "cli")


def _refund(s: Session, workspace_id: str, entry_id: int, reason: str) -> int:
    entry = s.get(CreditEntry, entry_id)
    if entry is None or entry.kind != "usage" or entry.workspace_id != workspace_id:
        return 0
    key = f"refund:{entry_id}"
    if _entry(s, workspace_id, key) is not None:
        return 0
    s.add(
        CreditEntry(
            workspace_id=workspace_id,
            kind="refund",
            amount=-entry.amount,
            feature=entry.feature,
            idempotency_key=key,
            ref=entry.ref,
            note=reason,
            actor="mixwise",
        )
    )
    s.flush()
    return 1


def _entry(s: Session, workspace_id: str, key: str) -> CreditEntry | None:
    return s.scalars(
        select(CreditEntry).where(
            CreditEntry.workspace_id == workspace_id, CreditEntry.idempotency_key == key
        )
    ).first()


def _refunded_id(e: CreditEntry) -> int | None:
    key = e.idempotency_key or ""
    return int(key.split(":", 1)[1]) if e.kind == "refund" and key.startswith("refund:") else None


def _balance(s: Session, workspace_id: str) -> int:
    total = s.scalar(
        select(func.coalesce(func.sum(CreditEntry.amount), 0)).where(
            CreditEntry.workspace_id == workspace_id
        )
    )
    return int(total or 0)


def _workspace(s: Session, workspace_id: str, lock: bool = False) -> Workspace:
    q = select(Workspace).where(Workspace.id == workspace_id)
    ws = s.scalars(q.with_for_update() if lock else q).first()
    if ws is None:
        raise NotFound("workspace", workspace_id)
    return ws


def _feature(s: Session, name: str) -> PlanFeature:
    f = s.get(PlanFeature, name)
    if f is None:
        raise MixwiseError(
            f"the feature {name!r} is not in the plan_features table",
            "An operator removed it: add it back (see docs/api.md, 'Tiers and credits').",
        )
    return f


def _locked_reason(f: PlanFeature, tier: str | None, tiers: dict[str, PlanTier]) -> str:
    names = [tiers[t].label if t in tiers else t for t in f.tiers]
    here = tiers[tier].label if tier in tiers else tier
    if not names:
        return f"{f.label} is in no tier at present"
    return f"{f.label} is not in the {here} tier; it comes with {' or '.join(names)}"


@contextmanager
def charged(
    store: Store, p: Principal, feature: str, idempotency_key: str | None
) -> Iterator[Charge]:
    """Charge ``feature`` for the work in the ``with`` block; refunded if the block fails
    (nothing was delivered), kept if it succeeds."""
    c = charge(store, p, feature, idempotency_key)
    try:
        yield c
    except BaseException:
        if not c.replayed:
            refund(store, p.workspace_id, c.entry_id, "the request failed: nothing delivered")
        raise
