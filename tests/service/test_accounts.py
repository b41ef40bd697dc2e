"""Accounts in the service layer, on SQLite and PostgreSQL: roles, keys, sign-in lock, password
reset, tiers, the credit ledger (idempotent, refunded, never below zero under concurrency)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from mixwise.errors import MixwiseError
from mixwise.service import billing, mailer, sessions, users, workspaces
from mixwise.service.access import Principal
from mixwise.service.errors import (
    FeatureLocked,
    Forbidden,
    PaymentRequired,
    TooManyRequests,
    Unauthorized,
)
from mixwise.service.schemas.accounts import KeyIn
from mixwise.store import Store
from mixwise.store.accounts import CreditEntry, User
from mixwise.store.models import ApiKey, Job, Model, new_id, utcnow

PASSWORD = "correct horse battery"


def _workspace(store: Store, name: str = "acme", tier: str | None = None) -> Principal:
    workspaces.ensure_workspace(store, name)
    op = workspaces.operator(store, name)
    if tier:
        billing.set_tier(store, op, tier)
    return workspaces.operator(store, name)


def _member(store: Store, op: Principal, email: str, role: str) -> Principal:
    m = users.add_member(store, op, email, role, PASSWORD)
    return users.principal_for(store, m.user_id, op.workspace_id, via="session")


class Outbox:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


def test_roles_are_enforced_and_keys_carry_at_most_the_users_role(store: Store) -> None:
    op = _workspace(store)
    admin = _member(store, op, "Admin@Example.com", "admin")
    assert admin.email == "admin@example.com" and admin.role == "admin"
    viewer = _member(store, op, "viewer@example.com", "viewer")
    with pytest.raises(Forbidden, match="owner role"):
        users.add_member(store, admin, "x@example.com", "owner")  # only owners make owners
    with pytest.raises(Forbidden, match="admin role"):
        users.list_members(store, viewer)
    with pytest.raises(Forbidden, match="above yours"):
        workspaces.create_user_key(store, viewer, KeyIn(name="k", role="analyst"))
    made = workspaces.create_user_key(store, admin, KeyIn(name="ci", role="analyst"))
    assert made.key.startswith("mw_") and made.prefix == made.key[:8]
    assert workspaces.authenticate_key(store, made.key).role == "analyst"
    # demoted, the user's keys lose the power with them; removed, the keys stop working
    users.set_role(store, op, admin.user_id or "", "viewer")
    assert workspaces.authenticate_key(store, made.key).role == "viewer"
    users.remove_member(store, op, admin.user_id or "")
    with pytest.raises(Unauthorized):
        workspaces.authenticate_key(store, made.key)
    with pytest.raises(MixwiseError, match="at least one owner"):
        owner = _member(store, op, "owner@example.com", "owner")
        users.set_role(store, owner, owner.user_id or "", "viewer")


def test_keys_list_by_prefix_expire_and_revoke(store: Store) -> None:
    op = _workspace(store)
    analyst = _member(store, op, "a@example.com", "analyst")
    made = workspaces.create_user_key(store, analyst, KeyIn(name="laptop"))
    listed = workspaces.list_keys(store, analyst)
    assert [k.prefix for k in listed] == [made.key[:8]]
    assert "key" not in listed[0].model_dump()  # the key itself is never listed
    with store.session() as s:  # the stored value is a hash, not the key
        assert s.scalars(select(ApiKey.key_hash)).all() == [workspaces.hash_key(made.key)]
        s.execute(update(ApiKey).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(Unauthorized, match="expired"):
        workspaces.authenticate_key(store, made.key)
    second = workspaces.create_user_key(store, analyst, KeyIn(name="ci"))
    workspaces.revoke_key(store, analyst, second.id)
    with pytest.raises(Unauthorized):
        workspaces.authenticate_key(store, second.key)


def test_sign_in_locks_after_repeated_failures_and_reset_unlocks(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    op = _workspace(store)
    _member(store, op, "ann@example.com", "analyst")
    n = store.settings.lockout_attempts
    for _ in range(n):
        with pytest.raises(Unauthorized):
            sessions.sign_in(store, "ann@example.com", "wrong password!")
    with pytest.raises(TooManyRequests) as locked:  # the right password no longer helps
        sessions.sign_in(store, "ann@example.com", PASSWORD)
    assert locked.value.retry_after > store.settings.lockout_s - 5
    outbox = Outbox()
    monkeypatch.setattr(mailer, "_mailer", outbox)
    sessions.send_reset(store, "nobody@example.com")  # no account: nothing sent, no error
    sessions.send_reset(store, "ann@example.com")
    assert len(outbox.sent) == 1
    token = outbox.sent[0][2].split("token=")[1].split()[0]
    sessions.reset_password(store, token, "a brand new password")
    with pytest.raises(Unauthorized, match="not valid"):  # one use only
        sessions.reset_password(store, token, "another new password")
    done = sessions.sign_in(store, "ann@example.com", "a brand new password")
    assert sessions.authenticate(store, done.session_token).user_id == done.user_id
    with store.session() as s:
        hashed = s.scalars(select(User.password_hash)).one()
        assert hashed is not None and hashed.startswith("$argon2id$")


def test_a_feature_outside_the_tier_is_refused_naming_the_tier(store: Store) -> None:
    p = _workspace(store, tier="professional")
    with pytest.raises(FeatureLocked) as e:
        billing.charge(store, p, "budget_allocation", "k1")
    assert e.value.extra["required_tiers"] == ["advanced"] and "advanced" in e.value.message
    plan = billing.plan(store, p.workspace_id)
    locked = {f.name: f.reason for f in plan.features if not f.included}
    assert "basic_mmm" not in locked and "Advanced" in (locked["budget_allocation"] or "")


def test_ledger_charges_once_per_key_refunds_and_reports_usage(store: Store) -> None:
    p = _workspace(store, tier="advanced")
    with pytest.raises(PaymentRequired) as e:
        billing.charge(store, p, "budget_allocation", "k0")
    assert e.value.extra == {"feature": "budget_allocation", "balance": 0, "cost": 30}
    billing.add_credits(store, p, "grant", 100)
    first = billing.charge(store, p, "budget_allocation", "retry-me")
    again = billing.charge(store, p, "budget_allocation", "retry-me")
    assert (first.cost, again.replayed, again.entry_id) == (30, True, first.entry_id)
    assert billing.credits(store, p.workspace_id).balance == 70
    with pytest.raises(RuntimeError), billing.charged(store, p, "attribution", "fails"):
        raise RuntimeError("the work failed")
    out = billing.credits(store, p.workspace_id)
    assert out.balance == 70 and [e.kind for e in out.entries[:2]] == ["refund", "usage"]
    assert billing.set_balance(store, p, 5).balance == 5
    rows = {(r.feature, r.uses, r.credits) for r in billing.usage(store, p.workspace_id).items}
    assert rows == {("budget_allocation", 1, 30), ("attribution", 0, 0)}


def test_a_fit_failing_through_no_fault_of_the_user_is_refunded(store: Store) -> None:
    p = _workspace(store, tier="advanced")
    billing.add_credits(store, p, "grant", 20)
    for code in ("internal_error", "validation_failed"):
        mid = new_id("md")
        with store.session() as s:
            s.add(
                Model(
                    id=mid,
                    workspace_id=p.workspace_id,
                    name=code,
                    engine="bayesian",
                    mapping="",
                    spec="",
                    status="failed",
                )
            )
            s.flush()
            s.add(
                Job(
                    id=new_id("job"),
                    workspace_id=p.workspace_id,
                    kind="fit",
                    model_id=mid,
                    status="failed",
                    error_code=code,
                )
            )
        billing.charge(store, p, "basic_mmm", code, ref=mid)
    out = billing.credits(store, p.workspace_id)  # the user's own mistake stays charged
    assert out.balance == 10
    assert [(e.kind, e.amount) for e in out.entries if e.kind == "refund"] == [("refund", 10)]
    assert billing.settle_refunds(store, p.workspace_id) == 0  # once


def test_concurrent_charges_never_drive_the_balance_below_zero(store: Store) -> None:
    p = _workspace(store, tier="advanced")
    billing.add_credits(store, p, "grant", 100)
    results: list[str] = []
    lock = threading.Lock()

    def buy(i: int) -> None:
        try:
            billing.charge(store, p, "budget_allocation", f"req-{i}")
            outcome = "charged"
        except PaymentRequired:
            outcome = "refused"
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=buy, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == ["charged"] * 3 + ["refused"] * 13  # 3 x 30 <= 100 < 4 x 30
    with store.session() as s:
        total = s.scalar(select(func.sum(CreditEntry.amount)))
    assert total == 10


def test_password_change_ends_the_other_sessions(store: Store) -> None:
    op = _workspace(store)
    _member(store, op, "ann@example.com", "analyst")
    here = sessions.sign_in(store, "ann@example.com", PASSWORD)
    there = sessions.sign_in(store, "ann@example.com", PASSWORD)
    kept = sessions.authenticate(store, here.session_token)
    with pytest.raises(Forbidden):
        sessions.change_password(store, here.user_id, "not it at all", "a new password!", None)
    sessions.change_password(store, here.user_id, PASSWORD, "a new password!", kept.session_id)
    assert sessions.authenticate(store, here.session_token).user_id == here.user_id
    with pytest.raises(Unauthorized):
        sessions.authenticate(store, there.session_token)
    with pytest.raises(Unauthorized):
        sessions.sign_in(store, "ann@example.com", PASSWORD)
