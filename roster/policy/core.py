"""What every authorization decision builds on: the actor, clearance ranks and role tests."""

from __future__ import annotations

from datetime import date
from typing import Protocol, TypeGuard


class Actor(Protocol):
    id: int
    active: bool
    clearance_level: str | None
    clearance_expires_on: date | None

    # Read-only here, so a model that types its role as a `Literal` of the roles still fits.
    @property
    def role(self) -> str: ...


CLEARANCE_RANK = {"NU": 0, "NR": 1, "NC": 2, "NS": 3, "CTS": 4}


def acts_as(user: Actor | None, *roles: str) -> TypeGuard[Actor]:
    """The one role test: an active user holding one of `roles`."""
    return user is not None and getattr(user, "active", False) and user.role in roles


def effective_clearance_rank(user: Actor | None, on: date) -> int | None:
    """The rank of a staff user's own clearance on a day, or None when they hold none then."""
    if user is None or user.clearance_level is None:
        return None
    if user.clearance_expires_on is not None and user.clearance_expires_on < on:
        return None
    return CLEARANCE_RANK.get(user.clearance_level)
