"""Every authorization decision, as small pure functions over users and objects. Deny by default."""

from __future__ import annotations

from datetime import date
from typing import Protocol


class Actor(Protocol):
    id: int | None
    role: str
    active: bool
    clearance_level: str | None
    clearance_expires_on: date | None


CLEARANCE_RANK = {"NU": 0, "NR": 1, "NC": 2, "NS": 3, "CTS": 4}

# Which roles each role may invite or create.
INVITABLE_BY = {
    "admin": frozenset({"expert", "lno", "coordinator", "admin"}),
    "coordinator": frozenset({"expert", "lno"}),
}


def _is(user: Actor | None, *roles: str) -> bool:
    return user is not None and getattr(user, "active", False) and user.role in roles


def effective_clearance_rank(user: Actor | None, on: date) -> int | None:
    """The rank of a staff user's own clearance on a day, or None when they hold none then."""
    if user is None or user.clearance_level is None:
        return None
    if user.clearance_expires_on is not None and user.clearance_expires_on < on:
        return None
    return CLEARANCE_RANK.get(user.clearance_level)


def can_invite(user: Actor | None, role: str) -> bool:
    return _is(user, "admin", "coordinator") and role in INVITABLE_BY[user.role]


def can_manage_users(user: Actor | None) -> bool:
    """Deactivate or reactivate accounts, change roles."""
    return _is(user, "admin")


def can_deactivate(user: Actor | None, target: Actor) -> bool:
    return can_manage_users(user) and user.id != target.id


def can_list_users(user: Actor | None) -> bool:
    return _is(user, "admin", "coordinator")
