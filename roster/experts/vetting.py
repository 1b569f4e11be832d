"""The vetting workflow: its transition table, the one function that applies it, and the queues."""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from roster import audit, policy
from roster.db import utcnow
from roster.errors import Conflict, Forbidden, ValidationFailed
from roster.experts import standing
from roster.experts.models import Expert, ExpertTopic, VettingDecision, VettingStatus

DEFAULT_VALIDITY = timedelta(days=730)  # 24 months
SOON = timedelta(days=60)

# (from, to) pairs a coordinator may decide. "expired" is reached only by `expire_vettings`.
VETTING_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("pending", "vetted"),
        ("pending", "rejected"),
        ("vetted", "vetted"),  # renewal: a new valid-until date
        ("vetted", "suspended"),
        ("suspended", "vetted"),
        ("expired", "vetted"),  # re-vetting after the validity ran out
        ("rejected", "pending"),  # reconsideration, e.g. after new information
    }
)
NEEDS_VALID_UNTIL = frozenset({"vetted"})


def current_status(expert: Expert, today: date) -> VettingStatus:
    if (
        expert.vetting_status == "vetted"
        and expert.vetting_valid_until is not None
        and (expert.vetting_valid_until < today)
    ):
        return "expired"
    return expert.vetting_status


def decide_vetting(
    *,
    session: Session,
    actor: policy.Actor,
    expert: Expert,
    to_status: str,
    valid_until: date | None = None,
    note: str = "",
    today: date,
) -> VettingDecision:
    """Move an expert's vetting along the table, with who, when and a note kept as history."""
    if not policy.can_vet(actor):
        raise Forbidden(_("Only coordinators decide on vetting."))
    from_status = current_status(expert, today)
    if (from_status, to_status) not in VETTING_TRANSITIONS:
        raise Conflict(
            _(
                "Vetting cannot go from %(source)s to %(target)s.",
                source=from_status,
                target=to_status,
            )
        )
    if to_status in NEEDS_VALID_UNTIL:
        valid_until = valid_until or today + DEFAULT_VALIDITY
        if valid_until <= today:
            raise ValidationFailed(
                _("Valid-until must be in the future."),
                {"valid_until": [_("Must be after today.")]},
            )
    else:
        valid_until = None if to_status != "suspended" else expert.vetting_valid_until
    # A status of the table: the (from, to) check above let only those through.
    status = cast(VettingStatus, to_status)
    return _apply(session, expert, from_status, status, valid_until, note, actor.id, today)


def _apply(
    session: Session,
    expert: Expert,
    from_status: str,
    to_status: VettingStatus,
    valid_until: date | None,
    note: str,
    actor_id: int | None,
    today: date,
) -> VettingDecision:
    """Record the decision and tell the standing listeners (offers and seats it may affect)."""
    decision = VettingDecision(
        expert_id=expert.id,
        from_status=from_status,
        to_status=to_status,
        valid_until=valid_until,
        note=note.strip(),
        decided_by_id=actor_id,
    )
    expert.vetting_status = to_status
    expert.vetting_valid_until = valid_until
    expert.updated_at = utcnow()
    expert.version += 1
    session.add_all([decision, expert])
    audit.record(
        session,
        actor=f"user:{actor_id}" if actor_id else "system",
        action="expert.vetting",
        subject=f"expert:{expert.id}",
        from_status=from_status,
        to_status=to_status,
    )
    session.flush()
    standing.changed(session, expert, today)
    return decision


def expire_vettings(*, session: Session, today: date) -> int:
    """Mark every vetted expert whose valid-until has passed as expired; returns how many."""
    due = session.exec(
        select(Expert).where(
            col(Expert.vetting_status) == "vetted", col(Expert.vetting_valid_until) < today
        )
    ).all()
    for expert in due:
        _apply(
            session,
            expert,
            "vetted",
            "expired",
            expert.vetting_valid_until,
            "Valid-until date passed.",  # kept as written; the profile page translates it
            None,
            today,
        )
    return len(due)


def verify_clearance(*, session: Session, actor: policy.Actor, expert: Expert, today: date) -> None:
    if not policy.can_verify(actor):
        raise Forbidden(_("Only coordinators verify clearances."))
    if expert.clearance_level is None:
        raise Conflict(_("This expert has no clearance to verify."))
    if expert.clearance_expires_on is not None and expert.clearance_expires_on < today:
        raise Conflict(_("This clearance has expired; the expert must record a current one."))
    expert.clearance_verified_at = utcnow()
    expert.clearance_verified_by_id = actor.id
    expert.version += 1
    expert.updated_at = utcnow()
    session.add(expert)
    audit.record(
        session,
        actor=f"user:{actor.id}",
        action="expert.clearance.verify",
        subject=f"expert:{expert.id}",
        level=expert.clearance_level,
    )
    session.flush()


def confirm_topic(
    *, session: Session, actor: policy.Actor, expert: Expert, topic_code: str
) -> None:
    if not policy.can_verify(actor):
        raise Forbidden(_("Only coordinators confirm topic levels."))
    row = session.get(ExpertTopic, (expert.id, topic_code))
    if row is None:
        raise Conflict(_("The expert has no such topic."))
    row.verified = True
    expert.version += 1
    session.add_all([row, expert])
    audit.record(
        session,
        actor=f"user:{actor.id}",
        action="expert.topic.confirm",
        subject=f"expert:{expert.id}",
        topic=topic_code,
        level=row.level,
    )
    session.flush()


def vetting_queue(session: Session, today: date) -> list[Expert]:
    """Pending experts and vetted ones whose validity ends within 60 days, oldest first."""
    soon = today + SOON
    rows = session.exec(
        select(Expert)
        .where(
            Expert.active,
            sa.or_(
                col(Expert.vetting_status) == "pending",
                sa.and_(
                    col(Expert.vetting_status) == "vetted", col(Expert.vetting_valid_until) <= soon
                ),
            ),
        )
        .order_by(col(Expert.created_at), col(Expert.id))
    ).all()
    return list(rows)


def expiring_clearances(session: Session, today: date, days: int = 60) -> list[Expert]:
    """Active experts whose clearance expires within `days` (not yet expired), soonest first."""
    return list(
        session.exec(
            select(Expert)
            .where(
                Expert.active,
                col(Expert.clearance_level).is_not(None),
                col(Expert.clearance_expires_on) >= today,
                col(Expert.clearance_expires_on) <= today + timedelta(days=days),
            )
            .order_by(col(Expert.clearance_expires_on), col(Expert.id))
        ).all()
    )


def unverified_items(session: Session, limit: int = 200) -> list[tuple[Expert, list[str]]]:
    """Active experts with an unverified clearance or unconfirmed level-3/4 topics, and which."""
    high_unconfirmed = select(ExpertTopic.expert_id).where(
        ExpertTopic.level >= 3, col(ExpertTopic.verified).is_(False)
    )
    experts = session.exec(
        select(Expert)
        .where(
            Expert.active,
            sa.or_(
                sa.and_(
                    col(Expert.clearance_level).is_not(None),
                    col(Expert.clearance_verified_at).is_(None),
                ),
                col(Expert.id).in_(high_unconfirmed),
            ),
        )
        .order_by(col(Expert.updated_at), col(Expert.id))
        .limit(limit)
    ).all()
    topics: dict[int, list[str]] = {}
    for row in session.exec(
        select(ExpertTopic)
        .where(
            col(ExpertTopic.expert_id).in_([e.id for e in experts]),
            ExpertTopic.level >= 3,
            col(ExpertTopic.verified).is_(False),
        )
        .order_by(ExpertTopic.topic_code)
    ):
        topics.setdefault(row.expert_id, []).append(row.topic_code)
    return [
        (
            e,
            (["clearance"] if e.clearance_level and e.clearance_verified_at is None else [])
            + topics.get(e.id, []),
        )
        for e in experts
    ]
