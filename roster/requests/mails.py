"""Every mail about a crisis request, composed in one place, and who may be told of one. Mail
travels in the clear, so a request classified above NATO UNCLASSIFIED is never described in it:
no title, description, dates, mode or other request content, only what to do and a sign-in link."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from roster import locales, policy
from roster.accounts.models import User
from roster.notify import outbox
from roster.notify.models import OutboxMessage
from roster.requests.models import CrisisRequest

# kind -> ((subject, body) for an unclassified request, (subject, body) for a classified one).
# The classified texts get no request fields at all: naming one there fails loudly (KeyError).
# Each is translated in the recipient's language when composed (`compose(..., locale=)`).
TEXTS: dict[str, tuple[tuple[LazyString, LazyString], tuple[LazyString, LazyString]]] = {
    "offer": (
        (
            _l("An offer from the Roster: {title}"),
            _l(
                'Hello {name},\n\nYou are offered a seat on "{title}" ({mode}, '
                "{starts} to {ends}).\nPlease accept or decline by {respond_by}:\n\n"
                "{link}\n"
            ),
        ),
        (
            _l("An offer from the Roster"),
            _l(
                "Hello {name},\n\nYou are offered a seat on a request. Sign in to read "
                "it, and please accept or decline by {respond_by}:\n\n{link}\n"
            ),
        ),
    ),
    "reminder": (
        (
            _l("Reminder: your answer on {title}"),
            _l(
                'Hello {name},\n\nYour offer for "{title}" waits for your answer until '
                "{respond_by}. Please accept or decline:\n\n{link}\n"
            ),
        ),
        (
            _l("Reminder: an offer waits for your answer"),
            _l(
                "Hello {name},\n\nAn offer waits for your answer until {respond_by}. "
                "Sign in to accept or decline it:\n\n{link}\n"
            ),
        ),
    ),
    "withdrawal": (
        (
            _l("Offer withdrawn: {title}"),
            _l(
                'Hello {name},\n\nThe offer for "{title}" was withdrawn: {why}. Thank '
                "you for your time.\n"
            ),
        ),
        (
            _l("An offer was withdrawn"),
            _l(
                "Hello {name},\n\nAn offer you had was withdrawn: {why}. Thank you for "
                "your time. Sign in to see your offers.\n"
            ),
        ),
    ),
    "overdue": (
        (
            _l("Overdue request {id}"),
            _l(
                "Request {id} ({urgency}) has waited past its response target and is "
                "not staffed\nyet. Open the coordinator queue to act on it:\n\n{link}\n"
            ),
        ),
        (
            _l("Overdue request {id}"),
            _l(
                "Request {id} has waited past its response target and is not staffed "
                "yet. Open the\ncoordinator queue to act on it:\n\n{link}\n"
            ),
        ),
    ),
    "seat_flagged": (
        (
            _l("A seat needs your attention: {title}"),
            _l(
                'An expert who holds a seat on request {id} ("{title}") no longer '
                "meets its requirements ({reasons}). Sign in to review the team:\n\n"
                "{link}\n"
            ),
        ),
        (
            _l("A seat needs your attention: request {id}"),
            _l(
                "An expert who holds a seat on request {id} no longer meets its "
                "requirements ({reasons}). Sign in to review the team:\n\n{link}\n"
            ),
        ),
    ),
    "request_submitted": (
        (
            _l("New request {id} ({urgency}): {title}"),
            _l(
                'Hello {name},\n\nRequest {id} ("{title}", {urgency}) was submitted '
                "and waits for triage. Sign in to see it:\n\n{link}\n"
            ),
        ),
        (
            _l("New request {id}"),
            _l(
                "Hello {name},\n\nRequest {id} was submitted and waits for triage. "
                "Sign in to see it:\n\n{link}\n"
            ),
        ),
    ),
    "request_triaged": (
        (
            _l("Your request is being matched: {title}"),
            _l(
                'Hello {name},\n\nYour request "{title}" was triaged; coordinators are '
                "finding experts for it. Sign in to see it:\n\n{link}\n"
            ),
        ),
        (
            _l("Your request {id} is being matched"),
            _l(
                "Hello {name},\n\nYour request {id} was triaged; coordinators are "
                "finding experts for it. Sign in to see it:\n\n{link}\n"
            ),
        ),
    ),
    "request_returned": (
        (
            _l("Your request was returned: {title}"),
            _l(
                'Hello {name},\n\nYour request "{title}" was returned to you as a '
                "draft. Sign in to see it:\n\n{link}\n"
            ),
        ),
        (
            _l("Your request {id} was returned"),
            _l(
                "Hello {name},\n\nYour request {id} was returned to you as a draft. "
                "Sign in to see it:\n\n{link}\n"
            ),
        ),
    ),
    "request_rejected": (
        (
            _l("Your request was rejected: {title}"),
            _l(
                'Hello {name},\n\nYour request "{title}" was rejected. Sign in to see '
                "it:\n\n{link}\n"
            ),
        ),
        (
            _l("Your request {id} was rejected"),
            _l("Hello {name},\n\nYour request {id} was rejected. Sign in to see it:\n\n{link}\n"),
        ),
    ),
    "request_cancelled": (
        (
            _l("Your request was cancelled: {title}"),
            _l(
                'Hello {name},\n\nYour request "{title}" was cancelled. Sign in to see '
                "it:\n\n{link}\n"
            ),
        ),
        (
            _l("Your request {id} was cancelled"),
            _l("Hello {name},\n\nYour request {id} was cancelled. Sign in to see it:\n\n{link}\n"),
        ),
    ),
    "request_staffed": (
        (
            _l("Your request is staffed: {title}"),
            _l(
                'Hello {name},\n\nEvery seat on your request "{title}" is taken. Sign '
                "in to see it:\n\n{link}\n"
            ),
        ),
        (
            _l("Your request {id} is staffed"),
            _l(
                "Hello {name},\n\nEvery seat on your request {id} is taken. Sign in to "
                "see it:\n\n{link}\n"
            ),
        ),
    ),
    "offer_accepted": (
        (
            _l("Offer accepted on request {id}: {title}"),
            _l(
                "Hello {name},\n\nAn expert accepted a seat on request {id} "
                '("{title}"). Sign in to see it:\n\n{link}\n'
            ),
        ),
        (
            _l("Offer accepted on request {id}"),
            _l(
                "Hello {name},\n\nAn expert accepted a seat on request {id}. Sign in "
                "to see it:\n\n{link}\n"
            ),
        ),
    ),
    "offer_declined": (
        (
            _l("Offer declined on request {id}: {title}"),
            _l(
                "Hello {name},\n\nAn expert declined the offer on request {id} "
                '("{title}"). Sign in to see it:\n\n{link}\n'
            ),
        ),
        (
            _l("Offer declined on request {id}"),
            _l(
                "Hello {name},\n\nAn expert declined the offer on request {id}. Sign "
                "in to see it:\n\n{link}\n"
            ),
        ),
    ),
    "offer_expired": (
        (
            _l("Offers expired on request {id}: {title}"),
            _l(
                'Hello {name},\n\n{count} offer(s) on request {id} ("{title}") lapsed '
                "unanswered. Sign in to see it:\n\n{link}\n"
            ),
        ),
        (
            _l("Offers expired on request {id}"),
            _l(
                "Hello {name},\n\n{count} offer(s) on request {id} lapsed unanswered. "
                "Sign in to see it:\n\n{link}\n"
            ),
        ),
    ),
    "seats_short": (
        (
            _l("Seats short on request {id}: {title}"),
            _l(
                'Hello {name},\n\nRequest {id} ("{title}") is {short} seat(s) short '
                "and no open offer can fill them. Sign in to see the next candidates "
                "to ask:\n\n{link}\n"
            ),
        ),
        (
            _l("Seats short on request {id}"),
            _l(
                "Hello {name},\n\nRequest {id} is {short} seat(s) short and no open "
                "offer can fill them. Sign in to see the next candidates to ask:\n\n"
                "{link}\n"
            ),
        ),
    ),
}


def is_classified(request: CrisisRequest) -> bool:
    """Above NATO UNCLASSIFIED: mail may not carry anything of the request's content."""
    return policy.CLEARANCE_RANK[request.classification] > 0


def localized(values: dict[str, Any]) -> dict[str, Any]:
    """`values` ready for a text in the current locale: moments and days formatted by Babel
    (UTC, as on the site), lazy strings translated."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, datetime):
            out[key] = f"{locales.when(value)} UTC"
        elif isinstance(value, date):
            out[key] = locales.day(value)
        elif isinstance(value, LazyString):
            out[key] = str(value)
        else:
            out[key] = value
    return out


# How a mail words the request's urgency and mode inside a sentence (the codes are no words).
URGENCY_WORDS = {"routine": _l("routine"), "priority": _l("priority"), "immediate": _l("immediate")}
MODE_WORDS = {"remote": _l("remote"), "deployed": _l("deployed")}


def compose(
    kind: str, request: CrisisRequest, *, locale: str | None = None, **values: Any
) -> tuple[str, str]:
    """The subject and body of a `kind` mail about `request`, in `locale` (else the current
    one); `values` are the mail's own fields (a name, a deadline, a link), never request
    content."""
    with locales.in_locale_of(locale or locales.current()):
        plain, guarded = TEXTS[kind]
        fields: dict[str, Any] = {"id": request.id, **values}
        if is_classified(request):
            subject, body = guarded
        else:
            subject, body = plain
            fields |= {
                "title": request.title,
                "urgency": URGENCY_WORDS.get(request.urgency, request.urgency),
                "mode": MODE_WORDS.get(request.mode, request.mode),
                "starts": request.starts_on,
                "ends": request.ends_on,
            }
        fields = localized(fields)
        return str(subject).format(**fields), str(body).format(**fields)


def enqueue(
    session: Session,
    *,
    kind: str,
    request: CrisisRequest,
    to: str,
    locale: str | None = None,
    **values: Any,
) -> OutboxMessage:
    """Compose a request mail in the recipient's `locale` (None: English, the default) and put
    it in the outbox, in the caller's transaction."""
    subject, body = compose(kind, request, locale=locale or locales.DEFAULT_LOCALE, **values)
    return outbox.enqueue(session, kind=kind, to=to, subject=subject, body=body)


def expert_locale(session: Session, expert: Any) -> str:
    """The language an expert reads mail in: their account's setting, else the default."""
    user = session.get(User, expert.user_id) if expert.user_id is not None else None
    return locales.locale_of(user)


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
