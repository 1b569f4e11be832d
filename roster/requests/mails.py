"""Every mail about a crisis request, composed in one place, and who may be told of one. Mail
travels in the clear, so a request classified above NATO UNCLASSIFIED is never described in it:
no title, description, dates, mode or other request content, only what to do and a sign-in link."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from roster import policy
from roster.accounts.models import User
from roster.notify import outbox
from roster.notify.models import OutboxMessage
from roster.requests.models import CrisisRequest

# kind -> ((subject, body) for an unclassified request, (subject, body) for a classified one).
# The classified texts get no request fields at all: naming one there fails loudly (KeyError).
TEXTS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "offer": (
        (
            "An offer from the Roster: {title}",
            'Hello {name},\n\nYou are offered a seat on "{title}" ({mode}, {starts} to {ends}).\n'
            "Please accept or decline by {respond_by}:\n\n{link}\n",
        ),
        (
            "An offer from the Roster",
            "Hello {name},\n\nYou are offered a seat on a request. Sign in to read it, and "
            "please accept or decline by {respond_by}:\n\n{link}\n",
        ),
    ),
    "reminder": (
        (
            "Reminder: your answer on {title}",
            'Hello {name},\n\nYour offer for "{title}" waits for your answer until '
            "{respond_by}. Please accept or decline:\n\n{link}\n",
        ),
        (
            "Reminder: an offer waits for your answer",
            "Hello {name},\n\nAn offer waits for your answer until {respond_by}. Sign in to "
            "accept or decline it:\n\n{link}\n",
        ),
    ),
    "withdrawal": (
        (
            "Offer withdrawn: {title}",
            'Hello {name},\n\nThe offer for "{title}" was withdrawn: {why}. '
            "Thank you for your time.\n",
        ),
        (
            "An offer was withdrawn",
            "Hello {name},\n\nAn offer you had was withdrawn: {why}. Thank you for your time. "
            "Sign in to see your offers.\n",
        ),
    ),
    "overdue": (
        (
            "Overdue request {id}",
            "Request {id} ({urgency}) has waited past its response target and is not staffed\n"
            "yet. Open the coordinator queue to act on it:\n\n{link}\n",
        ),
        (
            "Overdue request {id}",
            "Request {id} has waited past its response target and is not staffed yet. Open the\n"
            "coordinator queue to act on it:\n\n{link}\n",
        ),
    ),
    "seat_flagged": (
        (
            "A seat needs your attention: {title}",
            'An expert who holds a seat on request {id} ("{title}") no longer meets its '
            "requirements ({reasons}). Sign in to review the team:\n\n{link}\n",
        ),
        (
            "A seat needs your attention: request {id}",
            "An expert who holds a seat on request {id} no longer meets its requirements "
            "({reasons}). Sign in to review the team:\n\n{link}\n",
        ),
    ),
}

# The notifications' mail (roster.requests.alerts), same rule: the second pair names nothing.
_SIGN_IN = "Sign in to see it:\n\n{link}\n"
TEXTS |= {
    "request_submitted": (
        (
            "New request {id} ({urgency}): {title}",
            "Hello {name},\n\nRequest {id} "
            '("{title}", {urgency}) was submitted and waits for triage. ' + _SIGN_IN,
        ),
        (
            "New request {id}",
            "Hello {name},\n\nRequest {id} was submitted and waits for triage. " + _SIGN_IN,
        ),
    ),
    "request_triaged": (
        (
            "Your request is being matched: {title}",
            'Hello {name},\n\nYour request "{title}" '
            "was triaged; coordinators are finding experts for it. " + _SIGN_IN,
        ),
        (
            "Your request {id} is being matched",
            "Hello {name},\n\nYour request {id} was "
            "triaged; coordinators are finding experts for it. " + _SIGN_IN,
        ),
    ),
    "request_returned": (
        (
            "Your request was returned: {title}",
            'Hello {name},\n\nYour request "{title}" was returned to you as a draft. ' + _SIGN_IN,
        ),
        (
            "Your request {id} was returned",
            "Hello {name},\n\nYour request {id} was returned to you as a draft. " + _SIGN_IN,
        ),
    ),
    "request_rejected": (
        (
            "Your request was rejected: {title}",
            'Hello {name},\n\nYour request "{title}" was rejected. ' + _SIGN_IN,
        ),
        (
            "Your request {id} was rejected",
            "Hello {name},\n\nYour request {id} was rejected. " + _SIGN_IN,
        ),
    ),
    "request_cancelled": (
        (
            "Your request was cancelled: {title}",
            'Hello {name},\n\nYour request "{title}" was cancelled. ' + _SIGN_IN,
        ),
        (
            "Your request {id} was cancelled",
            "Hello {name},\n\nYour request {id} was cancelled. " + _SIGN_IN,
        ),
    ),
    "request_staffed": (
        (
            "Your request is staffed: {title}",
            'Hello {name},\n\nEvery seat on your request "{title}" is taken. ' + _SIGN_IN,
        ),
        (
            "Your request {id} is staffed",
            "Hello {name},\n\nEvery seat on your request {id} is taken. " + _SIGN_IN,
        ),
    ),
    "offer_accepted": (
        (
            "Offer accepted on request {id}: {title}",
            'Hello {name},\n\nAn expert accepted a seat on request {id} ("{title}"). ' + _SIGN_IN,
        ),
        (
            "Offer accepted on request {id}",
            "Hello {name},\n\nAn expert accepted a seat on request {id}. " + _SIGN_IN,
        ),
    ),
    "offer_declined": (
        (
            "Offer declined on request {id}: {title}",
            "Hello {name},\n\nAn expert declined "
            'the offer on request {id} ("{title}"). ' + _SIGN_IN,
        ),
        (
            "Offer declined on request {id}",
            "Hello {name},\n\nAn expert declined the offer on request {id}. " + _SIGN_IN,
        ),
    ),
    "offer_expired": (
        (
            "Offers expired on request {id}: {title}",
            "Hello {name},\n\n{count} offer(s) on "
            'request {id} ("{title}") lapsed unanswered. ' + _SIGN_IN,
        ),
        (
            "Offers expired on request {id}",
            "Hello {name},\n\n{count} offer(s) on request {id} lapsed unanswered. " + _SIGN_IN,
        ),
    ),
    "seats_short": (
        (
            "Seats short on request {id}: {title}",
            "Hello {name},\n\nRequest {id} "
            '("{title}") is {short} seat(s) short and no open offer can fill them. Sign in to see '
            "the next candidates to ask:\n\n{link}\n",
        ),
        (
            "Seats short on request {id}",
            "Hello {name},\n\nRequest {id} is {short} seat(s) "
            "short and no open offer can fill them. Sign in to see the next candidates to "
            "ask:\n\n{link}\n",
        ),
    ),
}


def is_classified(request: CrisisRequest) -> bool:
    """Above NATO UNCLASSIFIED: mail may not carry anything of the request's content."""
    return policy.CLEARANCE_RANK[request.classification] > 0


def compose(kind: str, request: CrisisRequest, **values: Any) -> tuple[str, str]:
    """The subject and body of a `kind` mail about `request`; `values` are the mail's own
    fields (a name, a deadline, a link), never request content."""
    plain, guarded = TEXTS[kind]
    fields: dict[str, Any] = {"id": request.id, **values}
    if is_classified(request):
        subject, body = guarded
    else:
        subject, body = plain
        fields |= {
            "title": request.title,
            "urgency": request.urgency,
            "mode": request.mode,
            "starts": request.starts_on,
            "ends": request.ends_on,
        }
    return subject.format(**fields), body.format(**fields)


def enqueue(
    session: Session, *, kind: str, request: CrisisRequest, to: str, **values: Any
) -> OutboxMessage:
    """Compose a request mail and put it in the outbox, in the caller's transaction."""
    subject, body = compose(kind, request, **values)
    return outbox.enqueue(session, kind=kind, to=to, subject=subject, body=body)


def coordinators_cleared_for(session: Session, request: CrisisRequest, today: date) -> list[User]:
    """The active coordinators whose clearance reaches the request's classification today: no
    read-up in mail either, so only they may hear of it."""
    rank = policy.CLEARANCE_RANK[request.classification]
    coordinators = session.exec(
        select(User)
        .where(col(User.role).in_(policy.STAFFING_ROLES), User.active)
        .order_by(col(User.id))
    ).all()
    return [u for u in coordinators if (policy.staff_request_rank(u, today) or 0) >= rank]
