"""What happens around the state changes: side effects of actions, the engagement log and
two-way feedback once the work is done."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from roster import audit, policy
from roster.errors import Conflict, Forbidden, ValidationFailed
from roster.experts.models import Expert
from roster.requests.models import Assignment, CrisisRequest, EngagementEntry, Feedback
from roster.requests.offers import own_expert, withdraw_open_offers
from roster.requests.services import apply_action

LOGGABLE_STATES = frozenset({"active", "completed"})
WITHDRAWING = {
    "cancel": _l("the request was cancelled"),
    "return": _l("the request went back to its author for changes"),
    "reject": _l("the request was rejected"),
}


def take_action(
    *, session: Session, actor: policy.Actor, request: CrisisRequest, action: str, note: str = ""
) -> None:
    """A person's workflow action and what must follow it (offers withdrawn, engagement dates)."""
    apply_action(session=session, actor=actor, request=request, action=action, note=note)
    if action in WITHDRAWING:
        withdraw_open_offers(session, request, why=WITHDRAWING[action])
    if action == "complete":
        session.execute(
            sa.update(Expert)
            .where(
                col(Expert.id).in_(
                    select(Assignment.expert_id).where(Assignment.request_id == request.id)
                )
            )
            .values(last_engaged_on=request.ends_on)
            .execution_options(synchronize_session=False)
        )


def is_assigned(session: Session, actor: policy.Actor | None, request: CrisisRequest) -> bool:
    if actor is None or not policy.answers_offers(actor):
        return False
    return (
        session.exec(
            select(Assignment.id)
            .join(Expert, col(Expert.id) == col(Assignment.expert_id))
            .where(Assignment.request_id == request.id, Expert.user_id == actor.id)
        ).first()
        is not None
    )


def add_log_entry(
    *, session: Session, actor: policy.Actor, request: CrisisRequest, kind: str, summary: str
) -> EngagementEntry:
    if not policy.can_log_engagement(
        actor, requester_id=request.requested_by_id, assigned=is_assigned(session, actor, request)
    ):
        raise Forbidden(_("You are not part of this engagement."))
    if request.state not in LOGGABLE_STATES:
        raise Conflict(_("The engagement log opens when the request becomes active."))
    if not summary.strip():
        raise ValidationFailed(_("Write a summary."), {"summary": [_("Must not be empty.")]})
    entry = EngagementEntry(
        request_id=request.id, author_id=actor.id, kind=kind, summary=summary.strip()
    )
    session.add(entry)
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="engagement.log",
        subject=f"request:{request.id}",
        kind=kind,
    )
    session.flush()
    return entry


def log_entries(session: Session, request: CrisisRequest) -> list[EngagementEntry]:
    return list(
        session.exec(
            select(EngagementEntry)
            .where(EngagementEntry.request_id == request.id)
            .order_by(col(EngagementEntry.at), col(EngagementEntry.id))
        )
    )


def give_feedback(
    *,
    session: Session,
    actor: policy.Actor,
    request: CrisisRequest,
    expert_id: int | None = None,
    rating: int | None = None,
    clarity: int | None = None,
    usefulness: int | None = None,
    comment: str = "",
) -> Feedback:
    """The LNO rates an assigned expert (`expert_id`, `rating`); an assigned expert rates the
    request (`clarity`, `usefulness`). Once each, after completion."""
    assigned = is_assigned(session, actor, request)
    if not policy.can_give_feedback(actor, requester_id=request.requested_by_id, assigned=assigned):
        raise Forbidden(_("Only the requesting LNO and the assigned experts give feedback."))
    if request.state != "completed":
        raise Conflict(_("Feedback opens when the request is completed."))
    out_of_range = [
        name
        for name, value in (("rating", rating), ("clarity", clarity), ("usefulness", usefulness))
        if value is not None and not 1 <= value <= 5
    ]
    if out_of_range:
        raise ValidationFailed(
            _("Ratings are 1 to 5."), {n: [_("From 1 to 5.")] for n in out_of_range}
        )
    if policy.can_rate_experts(actor, requester_id=request.requested_by_id):
        seated = session.exec(
            select(Assignment.id).where(
                Assignment.request_id == request.id, Assignment.expert_id == expert_id
            )
        ).first()
        if seated is None or expert_id is None or rating is None:
            raise ValidationFailed(
                _("Rate an expert who worked on this request."),
                {"expert_id": [_("Not on this request's team.")]},
            )
        row = Feedback(
            request_id=request.id,
            expert_id=expert_id,
            author_id=actor.id,
            direction="lno_on_expert",
            rating=rating,
            comment=comment.strip(),
        )
    elif is_assigned(session, actor, request):
        if clarity is None or usefulness is None:
            raise ValidationFailed(
                _("Rate clarity and usefulness."),
                {"clarity": [_("Required.")], "usefulness": [_("Required.")]},
            )
        row = Feedback(
            request_id=request.id,
            expert_id=own_expert(session, actor).id,
            author_id=actor.id,
            direction="expert_on_request",
            clarity=clarity,
            usefulness=usefulness,
            comment=comment.strip(),
        )
    else:
        raise Forbidden(_("Only the requesting LNO and the assigned experts give feedback."))
    session.add(row)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        raise Conflict(_("Feedback was already given.")) from exc
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="feedback.give",
        subject=f"request:{request.id}",
        direction=row.direction,
    )
    return row


def feedback_for(session: Session, request: CrisisRequest) -> list[Feedback]:
    return list(
        session.exec(
            select(Feedback).where(Feedback.request_id == request.id).order_by(col(Feedback.at))
        )
    )
