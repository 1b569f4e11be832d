"""Which expert profile an expert account belongs to: the one holding the account's e-mail, linked
once. No expert account is left without a profile, since only a profile receives offers."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from roster import audit, policy
from roster.accounts.models import User
from roster.db import affected_rows
from roster.errors import Conflict, DomainError, Gone, ValidationFailed
from roster.experts.models import Expert
from roster.search.index import reindex_experts


def profile_with_email(session: Session, address: str) -> Expert | None:
    """The profile holding this e-mail, whatever its case (an erased profile holds none).
    Profiles stored before addresses were normalized may hold it in two cases: then which one
    the account belongs to is for a coordinator to settle, not a guess."""
    found = select(Expert).where(sa.func.lower(Expert.email) == address.strip().lower())
    holders = list(session.exec(found.limit(2)))
    if len(holders) > 1:
        raise Conflict(
            _(
                "Two expert profiles hold this e-mail address (written in different case); "
                "correct or erase one of them first."
            ),
            {"email": [_("Held by two profiles.")]},
        )
    return holders[0] if holders else None


def uninvitable(expert: Expert) -> DomainError | None:
    """Why nobody can be invited to this profile, or None when someone can."""
    if expert.pseudonym is not None:
        return Gone(_("This profile was erased; nobody can be invited to it."))
    if not expert.active:
        return Conflict(_("This profile is deactivated; reactivate it before inviting its owner."))
    if not expert.email:
        return ValidationFailed(
            _("This profile has no e-mail address to send an invitation to."),
            {"email": [_("The profile has no e-mail address.")]},
        )
    return None


def refuse_uninvitable(expert: Expert) -> None:
    problem = uninvitable(expert)
    if problem is not None:
        raise problem


def claim_profile(
    session: Session, *, expert: Expert, user: User, actor: policy.Actor | None
) -> None:
    """Link the account to the profile: a compare-and-set, so of two invitations racing for one
    profile exactly one links it."""
    claimed = session.execute(
        sa.update(Expert)
        .where(col(Expert.id) == expert.id, col(Expert.user_id).is_(None))
        .values(user_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if affected_rows(claimed) != 1:
        raise Conflict(
            _("The expert profile with this e-mail already has an account."),
            {"email": [_("The profile with this address already has an account.")]},
        )
    session.refresh(expert)
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="expert.account.link",
        subject=f"expert:{expert.id}",
        user=f"user:{user.id}",
    )


def link_account(session: Session, *, user: User, actor: policy.Actor | None) -> Expert:
    """Link a new expert account to the profile with its e-mail; when no profile has it, to a
    new pending profile holding the name and e-mail, which a coordinator vets as any other."""
    expert = profile_with_email(session, user.email)
    if expert is None:
        expert = Expert(full_name=user.full_name, email=user.email, user_id=user.id)
        session.add(expert)
        session.flush()
        audit.record(
            session,
            actor=audit.actor_label(actor),
            action="expert.create",
            subject=f"expert:{expert.id}",
            user=f"user:{user.id}",
        )
        reindex_experts(session, [expert.id])
        return expert
    refuse_uninvitable(expert)
    claim_profile(session, expert=expert, user=user, actor=actor)
    return expert
