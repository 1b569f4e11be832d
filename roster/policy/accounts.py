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


# The roles that may manage users: an account keeps one of these while it is the last one active.
USER_MANAGER_ROLES = frozenset({"admin"})
# Roles whose accounts carry their own clearance (staff); an expert's is on the profile.
OWN_CLEARANCE_ROLES = frozenset({"lno", "coordinator", "admin"})
# The role an account with an expert profile must keep: the profile answers offers through it.
PROFILE_ROLE = "expert"


def manages_users_as(role: str) -> bool:
    """Whether an active account of this role may manage users."""
    return role in USER_MANAGER_ROLES


def carries_own_clearance(role: str) -> bool:
    return role in OWN_CLEARANCE_ROLES


def fits_expert_profile(role: str) -> bool:
    return role == PROFILE_ROLE


def can_send_reset(user: Actor | None, target: Actor) -> bool:
    """An admin may mail an active account's owner a password reset link (never see it)."""
    return can_manage_users(user) and target.active


def can_change_settings(user: Actor | None) -> bool:
    """Response targets, reply-by defaults, matching weights, the small-count threshold."""
    return acts_as(user, "admin")
