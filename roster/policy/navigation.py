"""Which entries of the main navigation a user sees: each one names the decision behind it."""

from __future__ import annotations

from collections.abc import Callable

from roster.policy.accounts import can_list_users, can_manage_users
from roster.policy.core import Actor
from roster.policy.experts import (
    can_manage_commands,
    can_vet,
    can_view_directory,
    can_view_panel,
    roster_scope,
)
from roster.policy.reports import can_view_dashboard
from roster.policy.requests import answers_offers, can_raise_request


def _signed_in(user: Actor | None) -> bool:
    return user is not None and getattr(user, "active", False)


# In the order the navigation shows them. Settings (with the password) is in the header, for all.
NAV_RULES: tuple[tuple[str, Callable[[Actor | None], bool]], ...] = (
    ("home", _signed_in),
    ("profile", answers_offers),
    ("offers", answers_offers),
    ("vetting", can_vet),
    ("requests", can_raise_request),
    ("dashboard", can_view_dashboard),
    ("users", can_list_users),
    ("search", lambda user: roster_scope(user) is not None),
    ("panel", can_view_panel),
    ("directory", can_view_directory),
    ("commands", can_manage_commands),
    ("audit", can_manage_users),
)


def may_see_nav(user: Actor | None, item: str) -> bool:
    return any(name == item and rule(user) for name, rule in NAV_RULES)


def nav_items(user: Actor | None) -> list[str]:
    """The navigation entries this user sees, in order; none for anonymous visitors."""
    return [name for name, rule in NAV_RULES if rule(user)]
