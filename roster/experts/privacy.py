"""Personal-data rights and reach: export everything held, erase, deactivate, contact reads."""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, delete, select

from roster import audit, policy
from roster.accounts.models import (
    ApiToken,
    Invitation,
    RecoveryCode,
    User,
    UserSession,
    new_nonce,
)
from roster.db import table_of, utcnow
from roster.errors import Forbidden, ReauthenticationRequired
from roster.experts.models import (
    AvailabilityWindow,
    CsapMembership,
    Expert,
    ExpertCategory,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
    FocalPoint,
    VettingDecision,
)
from roster.notify.models import Notification
from roster.notify.notifications import forget_name
from roster.requests.models import Assignment, Feedback, Offer
from roster.search.index import reindex_experts

CHILD_TABLES = (
    ExpertTopic,
    ExpertLanguage,
    ExpertRegion,
    ExpertNationality,
    ExpertCategory,
    AvailabilityWindow,
    CsapMembership,
    FocalPoint,
)


# Never exported: secrets and their hashes, and who else acted on a row (another person's id).
WITHHELD = frozenset(
    {
        "password_hash",
        "session_nonce",
        "totp_secret",
        "key_hash",
        "nonce",
        "created_by_id",
        "author_id",
    }
)
# What the roster holds of an expert's engagements: offers and their answers, seats, feedback
# (given and received: an assessment of a person is theirs to read).
ENGAGEMENT_TABLES = (Offer, Assignment, Feedback)
# What it holds of their account: what they were told, and where they are signed in.
ACCOUNT_TABLES = (Notification, UserSession)


def _row(obj: Any) -> dict[str, Any]:
    values = obj.model_dump(exclude=set(WITHHELD))
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}


def _rows(session: Session, model: Any, column: str, value: int) -> list[dict[str, Any]]:
    table = table_of(model)
    found = session.exec(select(model).where(table.c[column] == value).order_by(table.c.id))
    return [_row(r) for r in found.all()]


def export_expert(*, session: Session, actor: policy.Actor, expert: Expert) -> dict[str, Any]:
    """Everything the roster holds about an expert, as plain JSON-ready data."""
    if not policy.can_export_or_erase_expert(actor, expert_user_id=expert.user_id):
        raise Forbidden(_("Only the expert or an admin may export this profile."))
    data: dict[str, Any] = {"profile": _row(expert)}
    for model in (*CHILD_TABLES, VettingDecision):
        rows = session.exec(select(model).where(model.expert_id == expert.id)).all()
        data[model.__tablename__] = [_row(r) for r in rows]
    for engaged in ENGAGEMENT_TABLES:
        data[engaged.__tablename__] = _rows(session, engaged, "expert_id", expert.id)
    if expert.user_id is not None:
        data["account"] = _row(session.get(User, expert.user_id))
        for held in ACCOUNT_TABLES:
            data[held.__tablename__] = _rows(session, held, "user_id", expert.user_id)
    subjects = [f"expert:{expert.id}"] + ([f"user:{expert.user_id}"] if expert.user_id else [])
    events = session.exec(
        select(audit.AuditEvent)
        .where(col(audit.AuditEvent.subject).in_(subjects))
        .order_by(col(audit.AuditEvent.id))
    ).all()
    data["audit_trail"] = [
        {"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "subject": e.subject}
        for e in events
    ]
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="expert.export",
        subject=f"expert:{expert.id}",
    )
    return data


def erase_expert(
    *, session: Session, actor: policy.Actor, expert: Expert, recently_authenticated: bool
) -> str:
    """Remove the expert's personal data; the audit trail stays, naming them by pseudonym.
    `recently_authenticated`: the actor signed in (every factor) within the fresh-login window,
    so a stolen or forgotten session cannot erase anyone."""
    if not policy.can_export_or_erase_expert(actor, expert_user_id=expert.user_id):
        raise Forbidden(_("Only the expert or an admin may erase this profile."))
    if not recently_authenticated:
        raise ReauthenticationRequired(
            _("Sign in again (or ask for a new token) to erase a profile.")
        )
    pseudonym = expert.pseudonym or f"erased-{secrets.token_hex(5)}"
    for model in CHILD_TABLES:
        session.exec(delete(model).where(table_of(model).c.expert_id == expert.id))
    session.execute(
        sa.update(VettingDecision)
        .where(col(VettingDecision.expert_id) == expert.id)
        .values(note="")
    )
    blanked: dict[str, object] = {
        "full_name": pseudonym,
        "email": None,
        "phone": None,
        "gender": "undisclosed",
        "country_of_residence": None,
        "affiliation_name": None,
        "affiliation_kind": "independent",
        "bio": "",
        "links": [],
        "clearance_level": None,
        "clearance_issued_by": None,
        "clearance_expires_on": None,
        "clearance_verified_at": None,
        "clearance_verified_by_id": None,
        "active": False,
        "pseudonym": pseudonym,
        "consent_at": None,
        "consent_version": None,
        "last_engaged_on": None,
        "deployable": False,
    }
    forget_name(session, expert.full_name, pseudonym)  # coordinators were told the name
    for field, value in blanked.items():
        setattr(expert, field, value)
    expert.updated_at = utcnow()
    expert.version += 1
    session.add(expert)
    if expert.user_id is not None:
        user = session.get_one(User, expert.user_id)
        user.email = f"{pseudonym}@erased.invalid"
        user.full_name = pseudonym
        user.password_hash = None
        user.active = False
        user.totp_secret, user.totp_enabled_at, user.totp_last_step = None, None, None
        session.exec(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
        user.session_nonce = new_nonce()
        session.execute(
            sa.update(ApiToken).where(col(ApiToken.user_id) == user.id).values(revoked_at=utcnow())
        )
        session.execute(
            sa.update(Invitation)
            .where(col(Invitation.user_id) == user.id, col(Invitation.used_at).is_(None))
            .values(used_at=utcnow())
        )
        session.add(user)
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="expert.erase",
        subject=f"expert:{expert.id}",
    )
    session.flush()
    reindex_experts(session, [expert.id])
    return pseudonym


def set_expert_active(
    *, session: Session, actor: policy.Actor, expert: Expert, active: bool
) -> None:
    """Deactivation takes the expert out of search and matching at once, and signs them out."""
    if not policy.can_create_expert(actor):
        raise Forbidden(_("Only coordinators and admins may (de)activate experts."))
    expert.active = active
    expert.version += 1
    session.add(expert)
    if expert.user_id is not None:
        user = session.get_one(User, expert.user_id)
        user.active = active
        if not active:
            user.session_nonce = new_nonce()
        session.add(user)
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="expert.activate" if active else "expert.deactivate",
        subject=f"expert:{expert.id}",
    )
    session.flush()


def record_contact_read(*, session: Session, actor: policy.Actor, expert: Expert) -> None:
    """One audit row per read of an expert's contact details (never the details themselves)."""
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="expert.contact.read",
        subject=f"expert:{expert.id}",
    )
