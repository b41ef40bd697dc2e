"""Who is asking, in which workspace, with which role; and the one rule of what a role may do.

A request is made by a :class:`Principal`: a signed-in user (dashboard session), a user's API
key, or an operator key (made on the server's command line, no user). Roles are ordered
``viewer < analyst < admin < owner``: viewers read, analysts also fit, plan and upload, admins
also manage members, keys and read the audit log, owners also manage owners.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from mixwise.errors import MixwiseError
from mixwise.service.errors import Forbidden

Role = Literal["viewer", "analyst", "admin", "owner"]
ROLES: tuple[Role, ...] = get_args(Role)
"""Lowest to highest."""


def rank(role: str) -> int:
    """The role's place in :data:`ROLES` (:class:`MixwiseError` for an unknown role)."""
    try:
        return ROLES.index(role)
    except ValueError:
        raise MixwiseError(f"unknown role {role!r}", f"Use one of: {', '.join(ROLES)}.") from None


@dataclass(frozen=True)
class Principal:
    """The authenticated caller in one workspace.

    ``via`` is ``session``, ``key`` or ``cli``; ``actor`` names the caller in the audit log
    (the user's email, and the key's prefix when a key was used)."""

    workspace_id: str
    workspace_name: str
    role: str
    via: str
    user_id: str | None = None
    email: str | None = None
    key_id: str | None = None
    key_prefix: str | None = None
    session_id: str | None = None
    tier: str | None = None

    @property
    def actor(self) -> str:
        who = self.email or "operator"
        return f"{who} (key {self.key_prefix}…)" if self.key_prefix else who


def require_role(principal: Principal, needed: str) -> None:
    """:class:`Forbidden` unless the principal's role is at least ``needed``."""
    if rank(principal.role) < rank(needed):
        raise Forbidden(
            f"this needs the {needed} role; you are {principal.role} in workspace "
            f"{principal.workspace_name!r}",
            "Ask an owner or admin of the workspace for a higher role.",
        )


def cli_principal(workspace_id: str, workspace_name: str) -> Principal:
    """The operator at the server's command line (``mixwise admin``): an owner of everything."""
    return Principal(workspace_id, workspace_name, "owner", via="cli")
