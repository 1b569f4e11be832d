"""Who may invite, create and manage accounts."""

from __future__ import annotations

from roster.policy.core import Actor, acts_as

# Which roles each role may invite or create.
INVITABLE_BY = {
    "admin": frozenset({"expert", "lno", "coordinator", "admin"}),
    "coordinator": frozenset({"expert", "lno"}),
}


def can_invite(user: Actor | None, role: str) -> bool:
    return acts_as(user, "admin", "coordinator") and role in INVITABLE_BY[user.role]


def can_invite_profile_owner(user: Actor | None) -> bool:
    """Invite the person of an existing expert profile to an account linked to that profile."""
    return can_invite(user, "expert")


def belongs_to_profile(role: str) -> bool:
    """Accounts of this role belong to an expert profile: the one holding their e-mail."""
    return role == "expert"


def can_manage_users(user: Actor | None) -> bool:
    """Deactivate or reactivate accounts, change roles."""
    return acts_as(user, "admin")


def can_deactivate(user: Actor | None, target: Actor) -> bool:
    return can_manage_users(user) and user is not None and user.id != target.id


def can_list_users(user: Actor | None) -> bool:
    return acts_as(user, "admin", "coordinator")
