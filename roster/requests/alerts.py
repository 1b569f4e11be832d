"""Who is told of what happens to a crisis request and its offers, and in what words: each event's
notification (roster.notify.notifications), sent only to users the policy lets see the request.
In-app subjects may name the request (every recipient may see it); mail uses `mails.compose`, so
mail about a request above NATO UNCLASSIFIED names nothing of it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from roster import locales, policy
from roster.accounts.models import User
from roster.db import today as utc_today
from roster.experts.models import Expert
from roster.notify.models import NotificationKind
from roster.notify.notifications import Mail, notify, site_url
from roster.requests import mails
from roster.requests.models import Assignment, CrisisRequest, Offer
from roster.requests.viewers import viewer_for

# request action -> (kind, who hears of it). The requester hears how their request moves on;
# coordinators hear of a new request. An actor is never told of their own act.
MOVES: dict[str, tuple[NotificationKind, str]] = {
    "submit": ("request_submitted", "coordinators"),
    "triage": ("request_triaged", "requester"),
    "return": ("request_returned", "requester"),
    "reject": ("request_rejected", "requester"),
    "cancel": ("request_cancelled", "requester"),
    "staff": ("request_staffed", "requester"),
}
# Composed in each recipient's language when the notification is made (and stored so).
SUBJECTS: dict[str, LazyString] = {
    "request_submitted": _l("New request {id} ({urgency}): {title}"),
    "request_triaged": _l('Your request "{title}" is being matched'),
    "request_returned": _l('Your request "{title}" was returned to you as a draft'),
    "request_rejected": _l('Your request "{title}" was rejected'),
    "request_cancelled": _l('Your request "{title}" was cancelled'),
    "request_staffed": _l('Every seat on your request "{title}" is taken'),
    "offer_received": _l('You are offered a seat on "{title}": please reply by {respond_by}'),
    "offer_withdrawn": _l('The offer for "{title}" was withdrawn: {why}'),
    "offer_accepted": _l('{expert} accepted a seat on request {id} "{title}"'),
    "offer_declined": _l('{expert} declined the offer on request {id} "{title}"'),
    "offer_expired": _l('{count} offer(s) on request {id} "{title}" lapsed unanswered'),
    "seats_short": _l('Request {id} "{title}" is {short} seat(s) short; next to ask: {candidates}'),
}
# The outbox kinds the offer mails had before notifications, kept for whoever reads the outbox.
MAIL_KINDS = {"offer_received": "offer", "offer_withdrawn": "withdrawal"}


def may_see(session: Session, user: User, request: CrisisRequest, today: date) -> bool:
    """`policy.can_view_request` for this user today: the rule the request's page obeys."""
    viewer = viewer_for(session, user, today)
    involved = viewer.expert_id is not None and _involved(session, viewer.expert_id, request.id)
    return policy.can_view_request(
        user,
        classification=request.classification,
        requester_id=request.requested_by_id,
        command_id=request.command_id,
        user_command_id=user.command_id,
        viewer_rank=viewer.rank,
        involved=involved,
    )


def _involved(session: Session, expert_id: int, request_id: int) -> bool:
    offered = session.exec(
        select(Offer.id).where(Offer.expert_id == expert_id, Offer.request_id == request_id)
    ).first()
    seated = session.exec(
        select(Assignment.id).where(
            Assignment.expert_id == expert_id, Assignment.request_id == request_id
        )
    ).first()
    return offered is not None or seated is not None


def tell(
    session: Session,
    *,
    users: Iterable[User],
    kind: NotificationKind,
    request: CrisisRequest,
    link: str,
    base_url: str | None = None,
    to: str | None = None,
    today: date | None = None,
    **values: Any,
) -> int:
    """Notify those of `users` who may see the request now; how many were told."""
    day = today or utc_today()
    allowed = [u for u in users if may_see(session, u, request, day)]
    fields = {"id": request.id, "title": request.title, "urgency": request.urgency, **values}
    address = site_url(link, base_url)

    mail_kind = MAIL_KINDS.get(kind, kind)

    def mail(user: User) -> Mail:
        subject, body = mails.compose(
            mail_kind, request, name=user.full_name, link=address, **values
        )
        return Mail(mail_kind, subject, body, to)

    def subject(user: User) -> str:  # called in the user's locale (notify's doing)
        return str(SUBJECTS[kind]).format(**mails.localized(fields))

    made = notify(
        session,
        users=allowed,
        kind=kind,
        subject=subject,
        link=link,
        request_id=request.id,
        mail=mail,
        base_url=base_url,
    )
    return len(made)


def coordinators(session: Session, request: CrisisRequest, today: date | None = None) -> list[User]:
    return mails.coordinators_cleared_for(session, request, today or utc_today())


def request_moved(
    session: Session, *, request: CrisisRequest, action: str, actor: policy.Actor | None
) -> None:
    """After a transition: tell whom `MOVES` names, never the actor."""
    if action not in MOVES:
        return
    kind, audience = MOVES[action]
    if audience == "coordinators":
        users = coordinators(session, request)
    else:
        requester = session.get(User, request.requested_by_id)
        users = [requester] if requester is not None else []
    others = [u for u in users if actor is None or u.id != actor.id]
    tell(session, users=others, kind=kind, request=request, link=f"/requests/{request.id}")


def _account_of(session: Session, expert: Expert) -> User | None:
    return session.get(User, expert.user_id) if expert.user_id is not None else None


def offer_received(
    session: Session,
    *,
    request: CrisisRequest,
    expert: Expert,
    respond_by: datetime,
    base_url: str | None = None,
) -> None:
    """Tell the expert of a new offer; one with no account of their own is mailed as before."""
    _to_expert(session, "offer_received", request, expert, base_url, respond_by=respond_by)


def offer_withdrawn(session: Session, *, request: CrisisRequest, expert: Expert, why: str) -> None:
    _to_expert(session, "offer_withdrawn", request, expert, None, why=why)


def _to_expert(
    session: Session,
    kind: NotificationKind,
    request: CrisisRequest,
    expert: Expert,
    base_url: str | None,
    **values: Any,
) -> None:
    account = _account_of(session, expert)
    if account is not None and may_see(session, account, request, utc_today()):
        tell(
            session,
            users=[account],
            kind=kind,
            request=request,
            link="/offers",
            base_url=base_url,
            to=expert.email,
            **values,
        )
    elif expert.email and (account is None or account.notify_by_email):
        # No account, or one that may no longer see the request (a lowered clearance): mail
        # only, which names nothing of a classified request.
        mails.enqueue(
            session,
            kind=MAIL_KINDS[kind],
            request=request,
            to=expert.email,
            locale=locales.locale_of(account),
            name=expert.full_name,
            link=site_url("/offers", base_url),
            **values,
        )


def offer_answered(
    session: Session, *, request: CrisisRequest, expert: Expert, kind: NotificationKind
) -> None:
    """`offer_accepted` or `offer_declined`: the coordinators cleared for the request."""
    tell(
        session,
        users=coordinators(session, request),
        kind=kind,
        request=request,
        link=f"/requests/{request.id}",
        expert=expert.full_name,
    )


def offers_expired(session: Session, *, request: CrisisRequest, count: int) -> None:
    tell(
        session,
        users=coordinators(session, request),
        kind="offer_expired",
        request=request,
        link=f"/requests/{request.id}",
        count=count,
    )
