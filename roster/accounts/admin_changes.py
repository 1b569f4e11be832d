"""An admin changes an account: its role, its own clearance, whether it is active.

Every change of role or clearance ends the account's browser sessions and API tokens (what the
user may see changed under them) and is audited. The last active admin keeps the role and stays
active. An account with an expert profile stays an expert: the profile answers offers through it,
so it has to be unlinked (erased) or the person given a second account first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from roster import audit, policy
from roster.accounts.models import ROLES, Role, User, new_nonce
from roster.accounts.services import live_tokens, set_active
from roster.db import utcnow
from roster.errors import Conflict, Forbidden, NotFound, ValidationFailed
from roster.experts.models import Expert


@dataclass(frozen=True)
class Clearance:
    """A staff account's own clearance; `None` in its place removes it."""

    level: str
    expires_on: date | None = None


@dataclass(frozen=True)
class Unchanged:
    """Marks a field the caller did not give (None means "remove" for a clearance)."""


UNCHANGED = Unchanged()


def _other_active_managers(session: Session, user: User) -> int:
    return session.exec(
        select(sa.func.count())
        .select_from(User)
        .where(
            col(User.role).in_(sorted(policy.USER_MANAGER_ROLES)),
            col(User.active).is_(True),
            User.id != user.id,
        )
    ).one()


def _keeps_a_manager(session: Session, user: User, role: str, active: bool) -> None:
    loses = policy.can_manage_users(user) and not (active and policy.manages_users_as(role))
    if loses and _other_active_managers(session, user) == 0:
        raise Conflict(
            _("This is the last active admin: make another account admin first."),
            {"role": [_("The last active admin keeps the role.")]},
        )


def _check_role(session: Session, user: User, role: str) -> None:
    if role not in ROLES:
        raise ValidationFailed(
            _("Unknown role."),
            {"role": [_("Must be one of %(choices)s.", choices=", ".join(ROLES))]},
        )
    has_profile = session.exec(select(Expert.id).where(Expert.user_id == user.id)).first()
    if has_profile is not None and not policy.fits_expert_profile(role):
        raise Conflict(
            _(
                "This account has an expert profile and stays an expert account. Erase the "
                "profile, or invite the person again under another address for the new role."
            ),
            {"role": [_("An account with an expert profile stays an expert.")]},
        )


def _check_clearance(role: str, clearance: Clearance | None) -> None:
    if clearance is None:
        return
    if not policy.carries_own_clearance(role):
        raise ValidationFailed(
            _("Only staff accounts carry their own clearance; an expert's is on their profile."),
            {"clearance": [_("Only staff accounts carry their own clearance.")]},
        )
    if clearance.level not in policy.CLEARANCE_RANK:
        raise ValidationFailed(_("Unknown clearance level."), {"clearance": [_("Unknown level.")]})


def change_user(
    *,
    session: Session,
    actor: User,
    user_id: int,
    role: str | None = None,
    clearance: Clearance | None | Unchanged = UNCHANGED,
    active: bool | None = None,
) -> User:
    """Apply what is given; everything is checked before anything changes."""
    if not policy.can_manage_users(actor):
        raise Forbidden(_("Only admins change accounts."))
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    new_role = user.role if role is None else role
    _check_role(session, user, new_role)
    if not isinstance(clearance, Unchanged):
        _check_clearance(new_role, clearance)
    _keeps_a_manager(session, user, new_role, user.active if active is None else active)
    ended = False
    if new_role != user.role:
        audit.record(
            session,
            actor=f"user:{actor.id}",
            action="user.role",
            subject=f"user:{user.id}",
            before=user.role,
            after=new_role,
        )
        user.role = cast(Role, new_role)  # one of ROLES: checked above
        if not policy.carries_own_clearance(new_role):
            user.clearance_level, user.clearance_expires_on = None, None
        ended = True
    if not isinstance(clearance, Unchanged):
        ended = _set_clearance(session, actor, user, clearance) or ended
    if ended:
        user.session_nonce = new_nonce()
        now = utcnow()
        for token in live_tokens(session, user):
            token.revoked_at = now
    if active is not None:
        set_active(session=session, actor=actor, user_id=user.id, active=active)
    session.flush()
    return user


def _set_clearance(session: Session, actor: User, user: User, clearance: Clearance | None) -> bool:
    level = clearance.level if clearance else None
    expires_on = clearance.expires_on if clearance else None
    if (user.clearance_level, user.clearance_expires_on) == (level, expires_on):
        return False
    user.clearance_level, user.clearance_expires_on = level, expires_on
    audit.record(
        session,
        actor=f"user:{actor.id}",
        action="user.clearance",
        subject=f"user:{user.id}",
        level=level or "none",
        expires_on=expires_on.isoformat() if expires_on else "",
    )
    return True
