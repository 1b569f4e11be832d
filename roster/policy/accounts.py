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


def can_manage_users(user: Actor | None) -> bool:
    """Deactivate or reactivate accounts, change roles."""
    return acts_as(user, "admin")


def can_deactivate(user: Actor | None, target: Actor) -> bool:
    return can_manage_users(user) and user is not None and user.id != target.id


def can_list_users(user: Actor | None) -> bool:
    return acts_as(user, "admin", "coordinator")


def can_change_settings(user: Actor | None) -> bool:
    """Response targets, reply-by defaults, matching weights, the small-count threshold."""
    return acts_as(user, "admin")
