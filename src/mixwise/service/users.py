"""People and workspace members: users with argon2id password hashes, roles per workspace.

Passwords: :mod:`mixwise.service.passwords`. Adding a member who has no account yet creates the user
without a password and mails an invitation link (a reset token) through the mailer.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mixwise.errors import MixwiseError
from mixwise.service import audit, sessions
from mixwise.service.access import Principal, rank, require_role
from mixwise.service.errors import Forbidden, NotFound
from mixwise.service.passwords import hash_password, normalise_email
from mixwise.service.schemas.accounts import (
    MemberOut,
    MembershipOut,
    UserOut,
)
from mixwise.store.accounts import Membership, User
from mixwise.store.db import Store
from mixwise.store.models import Workspace, new_id


def ensure_user(s: Session, email: str, password: str | None = None) -> tuple[User, bool]:
    """The user with ``email`` (created when new, with ``password`` if given); ``(user, new)``."""
    email = normalise_email(email)
    user = s.scalars(select(User).where(User.email == email)).first()
    if user is not None:
        return user, False
    user = User(id=new_id("usr"), email=email, failed_logins=0)
    if password is not None:
        user.password_hash = hash_password(password)
    s.add(user)
    s.flush()
    return user, True


def add_member(
    store: Store,
    by: Principal,
    email: str,
    role: str,
    password: str | None = None,
    source: str = "",
) -> MemberOut:
    """Give ``email`` the ``role`` in ``by``'s workspace (admins; only owners make owners)."""
    require_role(by, "admin")
    _may_grant(by, role)
    with store.session() as s:
        user, new = ensure_user(s, email, password)
        member = s.get(Membership, (by.workspace_id, user.id))
        if member is not None:
            _may_change(by, member.role)
            member.role = role
        else:
            member = Membership(workspace_id=by.workspace_id, user_id=user.id, role=role)
            s.add(member)
        s.flush()
        audit.record(
            s, by.actor, "member.add", by.workspace_id, user.email, source, role=role, new_user=new
        )
        out = _member_out(user, role, member)
    if new and password is None:
        sessions.send_reset(store, user.email, invitation=by.workspace_name)
    return out


def set_role(store: Store, by: Principal, user_id: str, role: str, source: str = "") -> MemberOut:
    require_role(by, "admin")
    _may_grant(by, role)
    with store.session() as s:
        member, user = _member(s, by.workspace_id, user_id)
        _may_change(by, member.role)
        if member.role == "owner" and role != "owner":
            _not_last_owner(s, by.workspace_id)
        old, member.role = member.role, role
        audit.record(
            s, by.actor, "member.role", by.workspace_id, user.email, source, old=old, new=role
        )
        return _member_out(user, role, member)


def remove_member(store: Store, by: Principal, user_id: str, source: str = "") -> None:
    require_role(by, "admin")
    with store.session() as s:
        member, user = _member(s, by.workspace_id, user_id)
        _may_change(by, member.role)
        if member.role == "owner":
            _not_last_owner(s, by.workspace_id)
        s.delete(member)
        audit.record(s, by.actor, "member.remove", by.workspace_id, user.email, source)


def list_members(store: Store, by: Principal) -> list[MemberOut]:
    require_role(by, "admin")
    with store.session() as s:
        rows = s.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.workspace_id == by.workspace_id)
            .order_by(Membership.created_at)
        ).all()
        return [_member_out(u, m.role, m) for m, u in rows]


def memberships(store: Store, user_id: str) -> list[MembershipOut]:
    """The user's workspaces and roles, oldest membership first."""
    with store.session() as s:
        rows = s.execute(
            select(Membership, Workspace)
            .join(Workspace, Workspace.id == Membership.workspace_id)
            .where(Membership.user_id == user_id)
            .order_by(Membership.created_at, Workspace.name)
        ).all()
        return [
            MembershipOut.model_validate(
                {"workspace_id": w.id, "workspace_name": w.name, "role": m.role, "tier": w.tier}
            )
            for m, w in rows
        ]


def principal_for(
    store: Store, user_id: str, workspace_id: str | None, via: str, **extra: str | None
) -> Principal:
    """The user acting in ``workspace_id`` (their only workspace when None) with their role.

    A workspace the user is not a member of is 'not found' (as for any other object)."""
    mine = memberships(store, user_id)
    if workspace_id is None:
        if len(mine) != 1:
            raise MixwiseError(
                "choose a workspace" if mine else "you are not a member of any workspace",
                "Send the workspace id in the X-Workspace header (GET /api/v1/auth/me lists yours)."
                if mine
                else "Ask a workspace's owner or admin to add you.",
            )
        workspace_id = mine[0].workspace_id
    member = next((m for m in mine if m.workspace_id == workspace_id), None)
    if member is None:
        raise NotFound("workspace", workspace_id)
    with store.session() as s:
        email = s.get(User, user_id).email  # type: ignore[union-attr]
    return Principal(
        member.workspace_id,
        member.workspace_name,
        member.role,
        via=via,
        user_id=user_id,
        email=email,
        tier=member.tier,
        **extra,
    )


def role_of(s: Session, workspace_id: str, user_id: str) -> str | None:
    member = s.get(Membership, (workspace_id, user_id))
    return member.role if member else None


def user_out(store: Store, user_id: str) -> UserOut:
    with store.session() as s:
        user = s.get(User, user_id)
        if user is None:
            raise NotFound("user", user_id)
        return UserOut.model_validate(user)


def _member_out(user: User, role: str, member: Membership) -> MemberOut:
    return MemberOut.model_validate(
        {"user_id": user.id, "email": user.email, "role": role, "created_at": member.created_at}
    )


def _member(s: Session, workspace_id: str, user_id: str) -> tuple[Membership, User]:
    member = s.get(Membership, (workspace_id, user_id))
    user = s.get(User, user_id)
    if member is None or user is None:
        raise NotFound("member", user_id)
    return member, user


def _may_grant(by: Principal, role: str) -> None:
    if rank(role) > rank(by.role):
        raise Forbidden(
            f"you cannot give the {role} role: it is above yours ({by.role})",
            "Ask an owner of the workspace.",
        )


def _may_change(by: Principal, current: str) -> None:
    if rank(current) > rank(by.role):
        raise Forbidden(
            f"you cannot change a member whose role ({current}) is above yours ({by.role})",
            "Ask an owner of the workspace.",
        )


def _not_last_owner(s: Session, workspace_id: str) -> None:
    owners = s.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.workspace_id == workspace_id, Membership.role == "owner")
    )
    if (owners or 0) <= 1:
        raise MixwiseError(
            "a workspace keeps at least one owner",
            "Make another member an owner first.",
        )
