"""Inviting the person of an existing expert profile (seeded, imported or created) to an expert
account linked to it, one profile or a selection at once, and the account state a profile shows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from roster import audit, policy
from roster.accounts import profile_links
from roster.accounts import services as accounts
from roster.accounts.models import Invitation, User
from roster.db import hold_write_lock
from roster.errors import Conflict, DomainError, Forbidden, NotFound
from roster.experts.models import Expert
from roster.experts.profiles import listed_today


@dataclass(frozen=True)
class ProfileInvitation:
    """An invitation sent to a profile's owner; the link is returned once, never stored."""

    expert: Expert
    user: User
    invitation_url: str
    expires_at: datetime


def invite_owner(
    *,
    session: Session,
    actor: policy.Actor,
    expert: Expert,
    today: date,
    invitation_days: int = 7,
    base_url: str = "",
) -> ProfileInvitation:
    """Invite the profile's owner to an expert account linked to the profile, mailed through
    the outbox. An account that never set a password gets a new link (its earlier links stop
    working); one that did is a conflict."""
    if not policy.can_invite_profile_owner(actor):
        raise Forbidden(_("Only coordinators and admins invite experts to the roster."))
    listed = listed_today(expert, today)
    if not policy.can_view_expert(actor, expert_user_id=expert.user_id, listed=listed):
        raise NotFound(_("No such expert."))
    profile_links.refuse_uninvitable(expert)
    user = _unactivated_account(session, expert, actor)
    if user is None:
        try:
            new = accounts.create_user(
                session=session,
                actor=actor,
                email=expert.email or "",
                full_name=expert.full_name,
                role="expert",
                invitation_days=invitation_days,
                base_url=base_url,
            )
        except IntegrityError as exc:  # an account with this e-mail was made meanwhile
            raise Conflict(
                _("Someone else invited this person at the same moment; open the profile again.")
            ) from exc
        user, link = new.user, new.invitation_url or ""
    else:
        token = accounts.invite(session=session, user=user, actor=actor, days=invitation_days)
        link = accounts.invitation_url(base_url, token)
        accounts.mail_invitation(session, user, link, invitation_days)
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="expert.invite",
        subject=f"expert:{expert.id}",
        user=f"user:{user.id}",
    )
    return ProfileInvitation(
        expert=expert,
        user=user,
        invitation_url=link,
        expires_at=_latest_invitation(session, user.id).expires_at,
    )


def _unactivated_account(session: Session, expert: Expert, actor: policy.Actor) -> User | None:
    """The profile's account that never set a password, linking an unlinked expert account with
    the profile's e-mail; None when there is no account to re-use. Refuses any other account."""
    if expert.user_id is not None:
        user = session.get_one(User, expert.user_id)
        _refuse_settled(user)
        return user
    other = accounts.find_user_by_email(session, expert.email or "")
    if other is None:
        return None
    if not policy.belongs_to_profile(other.role):
        raise Conflict(
            _(
                "Another account, not an expert's, already uses this e-mail address; "
                "an admin must change or deactivate it first."
            ),
            {"email": [_("Already used by another account.")]},
        )
    owned = session.exec(select(Expert.id).where(Expert.user_id == other.id)).first()
    if owned is not None:
        raise Conflict(
            _("The account with this e-mail address belongs to another expert profile."),
            {"email": [_("Already used by another profile's account.")]},
        )
    _refuse_settled(other)
    profile_links.claim_profile(session, expert=expert, user=other, actor=actor)
    return other


def _refuse_settled(user: User) -> None:
    if not user.active:
        raise Conflict(
            _(
                "The account with this profile's e-mail is deactivated; "
                "an admin must reactivate it before its owner can be invited again."
            )
        )
    if user.password_hash is not None:
        raise Conflict(
            _("This profile already has an active account; its owner signs in with their password.")
        )


def _latest_invitation(session: Session, user_id: int) -> Invitation:
    latest = session.exec(
        select(Invitation)
        .where(Invitation.user_id == user_id)
        .order_by(col(Invitation.created_at).desc(), col(Invitation.id).desc())
    ).first()
    if latest is None:
        raise RuntimeError("an invitation was created just before")
    return latest


@dataclass(frozen=True)
class Refusal:
    """A profile of a selection that was not invited, and why."""

    expert_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class Invitations:
    """What a bulk invitation did: who was invited, who not and why."""

    invited: list[ProfileInvitation]
    refused: list[Refusal]


def invite_owners(
    *,
    session: Session,
    actor: policy.Actor,
    expert_ids: Iterable[int],
    today: date,
    invitation_days: int = 7,
    base_url: str = "",
) -> Invitations:
    """Invite each selected profile's owner on its own: a refused profile is rolled back to its
    savepoint and listed with the reason, the others are invited in the same transaction."""
    if not policy.can_invite_profile_owner(actor):
        raise Forbidden(_("Only coordinators and admins invite experts to the roster."))
    hold_write_lock(session)  # SQLite: the savepoints below nest inside one open transaction
    invited: list[ProfileInvitation] = []
    refused: list[Refusal] = []
    for expert_id in dict.fromkeys(expert_ids):
        expert = session.get(Expert, expert_id)
        name = expert.full_name if expert is not None else f"#{expert_id}"
        try:
            with session.begin_nested():
                if expert is None:
                    raise NotFound(_("No such expert."))
                invited.append(
                    invite_owner(
                        session=session,
                        actor=actor,
                        expert=expert,
                        today=today,
                        invitation_days=invitation_days,
                        base_url=base_url,
                    )
                )
        except NotFound as exc:  # never name a profile the actor may not see
            refused.append(Refusal(expert_id, f"#{expert_id}", exc.message))
        except DomainError as exc:
            refused.append(Refusal(expert_id, name, exc.message))
    return Invitations(invited=invited, refused=refused)


@dataclass(frozen=True)
class AccountState:
    """Whether a profile's owner has an account: none, invited (never set a password), active
    or deactivated."""

    linked: bool
    active: bool = False
    accepted: bool = False
    invited_on: date | None = None

    @property
    def awaits_acceptance(self) -> bool:
        return self.linked and self.active and not self.accepted

    @property
    def in_use(self) -> bool:
        return self.linked and self.active and self.accepted

    @property
    def invitable(self) -> bool:
        """No account yet, or one that never set a password: an invitation may be (re)sent."""
        return not self.linked or self.awaits_acceptance


def can_be_invited(expert: Expert, state: AccountState) -> bool:
    """Whether an invitation to this profile may be sent now (the actor's right aside)."""
    return state.invitable and profile_links.uninvitable(expert) is None


def account_states(session: Session, experts: Sequence[Expert]) -> dict[int, AccountState]:
    """The account state of each profile, in two queries for any number of profiles."""
    user_ids = [e.user_id for e in experts if e.user_id is not None]
    users = {}
    invited_at: dict[int, datetime] = {}
    if user_ids:
        users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(user_ids)))}
        latest = (
            select(Invitation.user_id, sa.func.max(Invitation.created_at))
            .where(col(Invitation.user_id).in_(user_ids))
            .group_by(col(Invitation.user_id))
        )
        invited_at = {row[0]: row[1] for row in session.execute(latest).all()}
    states: dict[int, AccountState] = {}
    for expert in experts:
        user = users.get(expert.user_id) if expert.user_id is not None else None
        if user is None:
            states[expert.id] = AccountState(linked=False)
            continue
        at = invited_at.get(user.id)
        states[expert.id] = AccountState(
            linked=True,
            active=user.active,
            accepted=user.password_hash is not None,
            invited_on=at.date() if at is not None else None,
        )
    return states


def account_state(session: Session, expert: Expert) -> AccountState:
    return account_states(session, [expert])[expert.id]
