"""Crisis requests: raise and edit them, find the ones a user may see, and move them along."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, delete, select

from roster import audit, policy
from roster.accounts.models import User
from roster.db import utcnow
from roster.errors import Conflict, Forbidden, NotFound, ValidationFailed
from roster.reference.codes import CEFR_LEVELS, is_country, is_language
from roster.reference.models import Topic
from roster.requests import alerts, workflow
from roster.requests.models import (
    Assignment,
    CrisisRequest,
    Offer,
    RequestEvent,
    RequestLanguage,
    RequestRegion,
    RequestTopic,
)
from roster.requests.viewers import Viewer, viewer_for  # noqa: F401 - services.viewer_for stays where callers find it

SCALARS = (
    "title",
    "description",
    "kind",
    "classification",
    "required_clearance",
    "urgency",
    "starts_on",
    "ends_on",
    "mode",
    "seats",
)


def _allowed_codes(rank: int) -> list[str]:
    return [code for code, r in policy.CLEARANCE_RANK.items() if r <= rank]


def visible_clause(viewer: Viewer) -> sa.ColumnElement[bool]:
    """SQL for `policy.can_view_request`, so lists and counts obey the same rule as pages."""
    user = viewer.user
    if viewer.rank is None:
        return sa.false()
    readable = col(CrisisRequest.classification).in_(_allowed_codes(viewer.rank))
    if policy.can_match(user):
        return readable
    if user is not None and policy.reads_by_command(user):
        mine = col(CrisisRequest.requested_by_id) == user.id
        if user.command_id is not None:
            mine = sa.or_(mine, col(CrisisRequest.command_id) == user.command_id)
        return sa.and_(readable, mine)
    if viewer.expert_id is not None:
        offered = select(Offer.request_id).where(Offer.expert_id == viewer.expert_id)
        seated = select(Assignment.request_id).where(Assignment.expert_id == viewer.expert_id)
        return sa.and_(
            readable, sa.or_(col(CrisisRequest.id).in_(offered), col(CrisisRequest.id).in_(seated))
        )
    return sa.false()


def visible_requests(
    session: Session, viewer: Viewer, *, state: str | None = None, page: int = 1, per_page: int = 20
) -> tuple[list[CrisisRequest], int]:
    where = [visible_clause(viewer)]
    if state:
        where.append(col(CrisisRequest.state) == state)
    total = session.exec(select(sa.func.count()).select_from(CrisisRequest).where(*where)).one()
    rows = session.exec(
        select(CrisisRequest)
        .where(*where)
        .order_by(col(CrisisRequest.created_at).desc(), col(CrisisRequest.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total


def get_visible(session: Session, viewer: Viewer, request_id: int) -> CrisisRequest:
    """The request if the viewer may see it; NotFound otherwise (never reveal it exists)."""
    found = session.exec(
        select(CrisisRequest).where(CrisisRequest.id == request_id, visible_clause(viewer))
    ).first()
    if found is None:
        raise NotFound(_("No such request."))
    return found


def visible_by_id(
    session: Session, viewer: Viewer, request_ids: set[int]
) -> dict[int, CrisisRequest]:
    """Those of `request_ids` the viewer may see, in one query (the rest are simply absent)."""
    if not request_ids:
        return {}
    found = session.exec(
        select(CrisisRequest).where(col(CrisisRequest.id).in_(request_ids), visible_clause(viewer))
    ).all()
    return {r.id: r for r in found}


def _check(
    session: Session, data: dict[str, Any], actor: policy.Actor, today: date, rank: int | None
) -> None:
    errors: dict[str, list[str]] = {}

    def bad(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    known = set(session.exec(select(Topic.code)).all())
    for item in data.get("topics") or []:
        if item["code"] not in known:
            bad("topics", _("Unknown topic: %(code)s.", code=item["code"]))
    for item in data.get("languages") or []:
        if not is_language(item["code"]):
            bad("languages", _("Unknown language code: %(code)s.", code=item["code"]))
        if item["min_level"] not in CEFR_LEVELS:
            bad("languages", _("Unknown language level: %(level)s.", level=item["min_level"]))
    for code in data.get("regions") or []:
        if not is_country(code):
            bad("regions", _("Unknown country code: %(code)s.", code=code))
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts and ends and ends < starts:
        bad("ends_on", _("The end date is before the start date."))
    classification, required = data.get("classification"), data.get("required_clearance")
    if classification and (rank is None or policy.CLEARANCE_RANK[classification] > rank):
        bad("classification", _("You cannot raise a request above your own clearance."))
    if (
        classification
        and required
        and (policy.CLEARANCE_RANK[required] < policy.CLEARANCE_RANK[classification])
    ):
        bad(
            "required_clearance",
            _("Experts must be cleared at least to the request's classification."),
        )
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), errors)


def create_request(
    *, session: Session, actor: User, data: dict[str, Any], today: date
) -> CrisisRequest:
    if not policy.can_raise_request(actor):
        raise Forbidden(_("Only liaison officers and coordinators raise requests."))
    _check(session, data, actor, today, policy.staff_request_rank(actor, today))
    request = CrisisRequest(
        requested_by_id=actor.id,
        command_id=actor.command_id,
        **{k: data[k] for k in SCALARS if k in data},
    )
    session.add(request)
    session.flush()
    _replace_needs(session, request, data)
    session.add(
        RequestEvent(
            request_id=request.id,
            actor_id=actor.id,
            action="create",
            from_state=None,
            to_state="draft",
        )
    )
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="request.create",
        subject=f"request:{request.id}",
    )
    session.flush()
    return request


def update_request(
    *,
    session: Session,
    actor: policy.Actor,
    request: CrisisRequest,
    data: dict[str, Any],
    today: date,
) -> CrisisRequest:
    if not policy.can_edit_request(actor, requester_id=request.requested_by_id):
        raise Forbidden(_("You may not edit this request."))
    if request.state not in workflow.EDITABLE_STATES:
        raise Conflict(_("Only a draft can be edited."))
    merged = {k: getattr(request, k) for k in SCALARS} | data
    _check(session, merged, actor, today, policy.staff_request_rank(actor, today))
    for key in SCALARS:
        if key in data:
            setattr(request, key, data[key])
    request.updated_at = utcnow()
    request.version += 1
    session.add(request)
    _replace_needs(session, request, data)
    session.flush()
    return request


def _replace_needs(session: Session, request: CrisisRequest, data: dict[str, Any]) -> None:
    if "topics" in data:
        session.exec(delete(RequestTopic).where(col(RequestTopic.request_id) == request.id))
        wanted = {t["code"]: t["min_level"] for t in data["topics"]}
        session.add_all(
            RequestTopic(request_id=request.id, topic_code=c, min_level=lv)
            for c, lv in wanted.items()
        )
    if "languages" in data:
        session.exec(delete(RequestLanguage).where(col(RequestLanguage.request_id) == request.id))
        wanted = {lang["code"]: lang["min_level"] for lang in data["languages"]}
        session.add_all(
            RequestLanguage(request_id=request.id, language_code=c, min_level=lv)
            for c, lv in wanted.items()
        )
    if "regions" in data:
        session.exec(delete(RequestRegion).where(col(RequestRegion.request_id) == request.id))
        session.add_all(
            RequestRegion(request_id=request.id, country_code=c)
            for c in dict.fromkeys(data["regions"])
        )


def check_action(
    *, actor: policy.Actor | None, request: CrisisRequest, action: str
) -> workflow.Transition:
    """The move `action` would make now, or NotFound, Forbidden or Conflict; callers ask this
    before reading a body, so who may act is decided first. `actor` None is the system."""
    role = "system" if actor is None else policy.request_workflow_role(actor)
    is_requester = actor is not None and actor.id == request.requested_by_id
    try:
        return workflow.plan_transition(request.state, action, role, is_requester=is_requester)
    except workflow.NotPermitted as exc:
        raise Forbidden(str(exc)) from exc
    except workflow.IllegalTransition as exc:
        raise Conflict(str(exc)) from exc
    except workflow.UnknownAction as exc:
        raise NotFound(str(exc)) from exc


def apply_action(
    *,
    session: Session,
    actor: policy.Actor | None,
    request: CrisisRequest,
    action: str,
    note: str = "",
) -> RequestEvent:
    """The one place a request's state changes: check the table and the policy, write history.
    `actor` None is the system (the offer service)."""
    move = check_action(actor=actor, request=request, action=action)
    now = utcnow()
    request.state = move.to_state
    request.updated_at = now
    request.version += 1
    if action == "submit":
        request.submitted_at = now
    if action == "triage":  # a new round of matching: its offers are timed from here
        request.triaged_at, request.first_offer_at = now, None
    if action == "staff":
        request.staffed_at = now
    session.add(request)
    event = RequestEvent(
        request_id=request.id,
        actor_id=actor.id if actor else None,
        action=action,
        from_state=move.from_state,
        to_state=move.to_state,
        note=note.strip(),
    )
    session.add(event)
    audit.record(
        session,
        actor=audit.actor_label(actor) if actor else "system",
        action=f"request.{action}",
        subject=f"request:{request.id}",
        from_state=move.from_state,
        to_state=move.to_state,
    )
    session.flush()
    alerts.request_moved(session, request=request, action=action, actor=actor)
    return event


def needs(session: Session, request: CrisisRequest) -> dict[str, Any]:
    rid = request.id
    return {
        "topics": [
            {"code": t.topic_code, "min_level": t.min_level}
            for t in session.exec(
                select(RequestTopic)
                .where(RequestTopic.request_id == rid)
                .order_by(RequestTopic.topic_code)
            )
        ],
        "languages": [
            {"code": lang.language_code, "min_level": lang.min_level}
            for lang in session.exec(
                select(RequestLanguage)
                .where(RequestLanguage.request_id == rid)
                .order_by(RequestLanguage.language_code)
            )
        ],
        "regions": [
            r.country_code
            for r in session.exec(
                select(RequestRegion)
                .where(RequestRegion.request_id == rid)
                .order_by(RequestRegion.country_code)
            )
        ],
    }


def history(session: Session, request: CrisisRequest) -> list[RequestEvent]:
    return list(
        session.exec(
            select(RequestEvent)
            .where(RequestEvent.request_id == request.id)
            .order_by(col(RequestEvent.at), col(RequestEvent.id))
        )
    )


def contact_shared(session: Session, user: policy.Actor | None, expert_id: int) -> bool:
    """Whether this LNO needs the expert's contact details: the expert accepted a seat on one
    of the LNO's own requests."""
    if user is None or not policy.may_get_shared_contact(user):
        return False
    seat = session.exec(
        select(Assignment.id)
        .join(CrisisRequest, col(CrisisRequest.id) == col(Assignment.request_id))
        .where(Assignment.expert_id == expert_id, CrisisRequest.requested_by_id == user.id)
    ).first()
    return seat is not None
