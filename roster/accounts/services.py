"""Account operations shared by pages, API and command line. They flush, never commit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from roster import audit, policy
from roster.accounts import profile_links
from roster.accounts.models import (
    ROLES,
    STAFF_ROLES,
    ApiToken,
    Invitation,
    Role,
    User,
    new_nonce,
)
from roster.accounts.passwords import hash_password, password_problem, verify_password
from roster.db import affected_rows, utcnow
from roster.errors import Conflict, Forbidden, Gone, NotFound, ValidationFailed
from roster.experts.models import Expert
from roster.locales import in_locale_of
from roster.notify import outbox


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def normalize_email(email: str) -> str:
    """The canonical form of an address; raises ValidationFailed when it is not one."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed(_("Invalid email address."), {"email": [str(exc)]}) from exc


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


@dataclass
class NewUser:
    user: User
    invitation_url: str | None


def invitation_url(base_url: str, raw_token: str) -> str:
    return f"{base_url.rstrip('/')}/invitations/{raw_token}"


# How the invitation names the role (the code itself is no word for a person).
ROLE_IN_MAIL = {
    "expert": _l("expert"),
    "lno": _l("liaison officer (LNO)"),
    "coordinator": _l("coordinator"),
    "admin": _l("administrator"),
}


def mail_invitation(session: Session, user: User, link: str, days: int) -> None:
    """The invitation, in the invited account's language."""
    with in_locale_of(user):
        subject = _("Your invitation to the Roster")
        body = _(
            "Hello %(name)s,\n\n"
            "You have been invited to the Roster, the alliance's vetted network of Human "
            "Security and\nWomen, Peace and Security experts, as %(role)s.\n\n"
            "Set your password through this single-use link within %(days)d days:\n\n"
            "%(link)s\n\n"
            "If you did not expect this invitation, ignore this message.\n",
            name=user.full_name,
            role=str(ROLE_IN_MAIL.get(user.role, user.role)),
            days=days,
            link=link,
        )
    outbox.enqueue(session, kind="invitation", to=user.email, subject=subject, body=body)


def create_user(
    *,
    session: Session,
    actor: policy.Actor | None,
    email: str,
    full_name: str,
    role: str,
    clearance_level: str | None = None,
    clearance_expires_on: date | None = None,
    command_id: int | None = None,
    invitation_days: int = 7,
    password: str | None = None,
    base_url: str = "",
) -> NewUser:
    """Create an account and an invitation to set its password, or with `password` already set.
    An expert account is linked to the profile with its e-mail (a new pending one if none has it).

    `actor` None means the command line (an operator at the console)."""
    if role not in ROLES:
        raise ValidationFailed(
            _("Unknown role."),
            {"role": [_("Must be one of %(choices)s.", choices=", ".join(ROLES))]},
        )
    if actor is not None and not policy.can_invite(actor, role):
        raise Forbidden(_("You may not create users with this role."))
    address = normalize_email(email)
    if not full_name.strip():
        raise ValidationFailed(_("A name is required."), {"full_name": [_("Enter a name.")]})
    if find_user_by_email(session, address) is not None:
        raise Conflict(
            _("A user with this email already exists."), {"email": [_("Already in use.")]}
        )
    if role not in STAFF_ROLES:
        clearance_level, clearance_expires_on = None, None
    if clearance_level is not None and clearance_level not in policy.CLEARANCE_RANK:
        raise ValidationFailed(_("Unknown clearance level."), {"clearance": [_("Unknown level.")]})
    user = User(
        email=address,
        full_name=full_name.strip(),
        role=cast(Role, role),  # one of ROLES: checked at the top of this function
        clearance_level=clearance_level,
        clearance_expires_on=clearance_expires_on,
        command_id=command_id,
    )
    if password is not None:
        check_new_password(password)
        user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    if policy.belongs_to_profile(role):
        profile_links.link_account(session, user=user, actor=actor)
    link = None
    if password is None:
        token = invite(session=session, user=user, actor=actor, days=invitation_days)
        link = invitation_url(base_url, token)
        mail_invitation(session, user, link, invitation_days)
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="user.create",
        subject=f"user:{user.id}",
        role=role,
    )
    return NewUser(user=user, invitation_url=link)


def reissue_invitation(
    *, session: Session, actor: User, user_id: int, invitation_days: int = 7, base_url: str = ""
) -> NewUser:
    """A new invitation (mailed, and its link returned) for an account that never set a
    password, as after a missed deadline; the account's earlier unused invitations stop working."""
    if not policy.can_manage_users(actor):
        raise Forbidden(_("Only admins hand over new invitations."))
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    if user.password_hash is not None:
        raise Conflict(
            _(
                "This account already has a password; an invitation cannot replace it. "
                "Its owner signs in with that password."
            )
        )
    if not user.active:
        raise Conflict(_("This account is deactivated; reactivate it before inviting again."))
    token = invite(session=session, user=user, actor=actor, days=invitation_days)
    link = invitation_url(base_url, token)
    mail_invitation(session, user, link, invitation_days)
    audit.record(
        session, actor=f"user:{actor.id}", action="invitation.reissue", subject=f"user:{user.id}"
    )
    return NewUser(user=user, invitation_url=link)


def invite(*, session: Session, user: User, actor: policy.Actor | None, days: int) -> str:
    """A fresh single-use invitation for `user`; earlier unused ones stop working."""
    now = utcnow()
    for old in session.exec(
        select(Invitation).where(Invitation.user_id == user.id, col(Invitation.used_at).is_(None))
    ):
        old.used_at = now
    raw = secrets.token_urlsafe(32)
    session.add(
        Invitation(
            user_id=user.id,
            token_hash=token_digest(raw),
            created_by_id=actor.id if actor else None,
            expires_at=now + timedelta(days=days),
        )
    )
    session.flush()
    return raw


def invitation_for(session: Session, raw_token: str) -> Invitation:
    """The live invitation behind a link; Gone when it was used, replaced or has expired."""
    invitation = session.exec(
        select(Invitation).where(Invitation.token_hash == token_digest(raw_token))
    ).first()
    if invitation is None:
        raise Gone(_("This invitation link is not valid."))
    if invitation.used_at is not None:
        raise Gone(_("This invitation link has already been used."))
    if invitation.expires_at <= utcnow():
        raise Gone(_("This invitation link has expired. Ask for a new one."))
    return invitation


def check_new_password(password: str, field: str = "password") -> None:
    problem = password_problem(password)
    if problem:
        raise ValidationFailed(problem, {field: [problem]})


def _claim(session: Session, invitation: Invitation) -> None:
    """Mark the invitation used, if no one else has: a compare-and-set, so of parallel
    acceptances exactly one wins (the others wait for its row lock, then find it used)."""
    claimed = session.execute(
        sa.update(Invitation)
        .where(col(Invitation.id) == invitation.id, col(Invitation.used_at).is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if affected_rows(claimed) != 1:
        raise Gone(_("This invitation link has already been used."))
    session.refresh(invitation)


def accept_invitation(*, session: Session, raw_token: str, password: str) -> User:
    invitation = invitation_for(session, raw_token)
    check_new_password(password)
    user = session.get(User, invitation.user_id)
    if user is None or not user.active:
        raise Gone(_("This invitation link is not valid."))
    password_hash = hash_password(password)  # the slow part, before the row is locked
    _claim(session, invitation)
    user.password_hash = password_hash
    user.session_nonce = new_nonce()
    audit.record(
        session, actor=f"user:{user.id}", action="invitation.accept", subject=f"user:{user.id}"
    )
    session.flush()
    return user


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    """The active user these credentials belong to, or None (same answer for every failure)."""
    user = find_user_by_email(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        audit.record(
            session,
            actor="anonymous",
            action="login.failure",
            subject=f"user:{user.id}" if user else "",
        )
        return None
    user.last_login_at = utcnow()
    audit.record(
        session, actor=f"user:{user.id}", action="login.success", subject=f"user:{user.id}"
    )
    return user


def change_password(*, session: Session, user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise ValidationFailed(
            _("The current password is wrong."),
            {"current_password": [_("The current password is wrong.")]},
        )
    check_new_password(new, field="new_password")
    user.password_hash = hash_password(new)
    user.session_nonce = new_nonce()  # ends the user's other sessions
    for token in live_tokens(session, user):
        token.revoked_at = utcnow()
    audit.record(
        session, actor=f"user:{user.id}", action="password.change", subject=f"user:{user.id}"
    )
    session.flush()


def set_active(*, session: Session, actor: User, user_id: int, active: bool) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    if not policy.can_deactivate(actor, user):
        raise Forbidden(_("You may not change this account."))
    user.active = active
    # An expert's profile follows their account: out of search and matching at once.
    session.execute(sa.update(Expert).where(col(Expert.user_id) == user.id).values(active=active))
    if not active:
        user.session_nonce = new_nonce()
        for token in live_tokens(session, user):
            token.revoked_at = utcnow()
    audit.record(
        session,
        actor=f"user:{actor.id}",
        action="user.activate" if active else "user.deactivate",
        subject=f"user:{user.id}",
    )
    session.flush()
    return user


def live_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.exec(
            select(ApiToken).where(ApiToken.user_id == user.id, col(ApiToken.revoked_at).is_(None))
        )
    )


ENROLMENT_TOKEN_MINUTES = 15


def issue_token(
    *, session: Session, user: User, hours: int, scope: str = "full"
) -> tuple[str, ApiToken]:
    """A new bearer token; an "enrolment" one is short-lived and only opens /me/totp."""
    raw = secrets.token_urlsafe(32)
    lifetime = (
        timedelta(hours=hours) if scope == "full" else timedelta(minutes=ENROLMENT_TOKEN_MINUTES)
    )
    token = ApiToken(
        user_id=user.id, token_hash=token_digest(raw), expires_at=utcnow() + lifetime, scope=scope
    )
    session.add(token)
    session.flush()
    return raw, token


def token_lookup(
    session: Session, raw: str, scopes: tuple[str, ...] = ("full",)
) -> tuple[ApiToken, User] | None:
    """The live token and its active user for a bearer string, or None. Only tokens of the
    given scopes count: an enrolment token is no general API credential."""
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == token_digest(raw))).first()
    if token is None or token.revoked_at is not None or token.expires_at <= utcnow():
        return None
    if token.scope not in scopes:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    return token, user


def revoke_token(*, session: Session, token: ApiToken) -> None:
    token.revoked_at = utcnow()
    session.flush()


def second_step(user: User) -> str | None:
    """What a user must do after the password: "code", "enrol", or None (signed in)."""
    if user.two_factor_enabled:
        return "code"
    if user.two_factor_required:
        return "enrol"
    return None


def end_sessions(*, session: Session, user: User) -> None:
    """Sign out everywhere in the browser: every copy of the session cookie stops working."""
    user.session_nonce = new_nonce()
    audit.record(session, actor=f"user:{user.id}", action="logout", subject=f"user:{user.id}")
    session.flush()


def load_session_user(session: Session, session_id: str) -> User | None:
    """The user behind a login-session id `<user id>:<nonce>`, if the nonce is still current."""
    user_part, _sep, nonce = session_id.partition(":")
    if not user_part.isdigit() or not nonce:
        return None
    user = session.get(User, int(user_part))
    if user is None or not user.active or not secrets.compare_digest(user.session_nonce, nonce):
        return None
    return user
