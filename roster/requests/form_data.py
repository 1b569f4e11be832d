"""Between the request pages and the services: fill and read the request form, put service errors
beside their fields, and the names and time figures the pages show."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session, col, select

from roster import db
from roster.accounts.models import User
from roster.errors import DomainError, NotFound
from roster.experts.models import Expert
from roster.reference.models import Topic
from roster.requests import services, settings, workflow
from roster.requests.forms import RequestForm
from roster.requests.models import CrisisRequest
from roster.requests.services import SCALARS

QUEUE_STATES = frozenset({"submitted", "matching"})
LANGUAGE_ROWS = 3


def visible_or_404(request_id: int) -> CrisisRequest:
    """The request if the current user may see it; 404 otherwise (never reveal it exists)."""
    session = db.session()
    try:
        return services.get_visible(
            session, services.viewer_for(session, current_user, db.today()), request_id
        )
    except NotFound:
        abort(404)


def topic_names(session: Session) -> dict[str, str]:
    """Topic code -> name, in the taxonomy's order."""
    rows = session.exec(select(Topic).order_by(col(Topic.position), Topic.code)).all()
    return {t.code: t.name for t in rows}


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.exec(select(User.id, User.full_name).where(col(User.id).in_(wanted))).all()
    return dict(rows)


def expert_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.exec(select(Expert.id, Expert.full_name).where(col(Expert.id).in_(wanted))).all()
    return dict(rows)


def fill(form: RequestForm, request: CrisisRequest, needs: dict[str, Any]) -> None:
    """Put a stored draft into a fresh (GET) form."""
    for name in SCALARS:
        getattr(form, name).data = getattr(request, name)
    levels = {t["code"]: t["min_level"] for t in needs["topics"]}
    for row in form.topics:
        row.level.data = levels.get(row.code.data, 0)
    while form.languages.entries:
        form.languages.pop_entry()
    for lang in needs["languages"]:
        form.languages.append_entry({"code": lang["code"], "level": lang["min_level"]})
    form.languages.append_entry({"code": "", "level": ""})
    form.regions.data = needs["regions"]


def prepare(form: RequestForm, topics: dict[str, str]) -> None:
    """One row per topic of the taxonomy, and room for a few more languages."""
    if not form.topics.entries:
        for code in topics:
            form.topics.append_entry({"code": code, "level": 0})
    while len(form.languages.entries) < LANGUAGE_ROWS:
        form.languages.append_entry({"code": "", "level": ""})


def read(form: RequestForm, known_topics: Iterable[str]) -> dict[str, Any]:
    """The plain data a submitted request form asks for, in the service's shape."""
    known = set(known_topics)
    data: dict[str, Any] = {name: getattr(form, name).data for name in SCALARS}
    data["title"] = data["title"].strip()
    data["description"] = (data["description"] or "").strip()
    data["topics"] = [
        {"code": row.code.data, "min_level": row.level.data}
        for row in form.topics
        if row.code.data in known and row.level.data
    ]
    data["languages"] = [
        {"code": row.code.data, "min_level": row.level.data}
        for row in form.languages
        if row.code.data and row.level.data
    ]
    data["regions"] = form.regions.data or []
    return data


def attach_errors(form: RequestForm, error: DomainError) -> dict[str, list[str]]:
    """Put a service error's messages beside their fields; the topic and language lists' errors
    and the rest come back grouped as {"topics": [...], "languages": [...], "form": [...]}."""
    groups: dict[str, list[str]] = {}
    if not error.fields:
        groups["form"] = [error.message]
    for name, messages in error.fields.items():
        head = name.split(".")[0]
        if head in ("topics", "languages"):
            groups.setdefault(head, []).extend(messages)
            continue
        target = getattr(form, head, None) if head in (*SCALARS, "regions") else None
        if target is None:
            groups.setdefault("form", []).extend(messages)
        else:
            target.errors = [*target.errors, *messages]
    return groups


def _span(delta: timedelta, in_days: bool) -> str:
    if in_days:
        return _("%(n)s d", n=round(delta / timedelta(days=1), 1))
    return _("%(n)s h", n=int(delta / timedelta(hours=1)))


def response_age(request: CrisisRequest, now: datetime) -> dict[str, Any] | None:
    """For a request waiting on coordinators: time used of its response target, and overdue."""
    if request.state not in QUEUE_STATES or request.submitted_at is None:
        return None
    targets = settings.response_targets()
    target = targets[request.urgency]
    used = workflow.age_against_target(request.submitted_at, request.urgency, now, targets)
    in_days = target > timedelta(days=3)
    return {
        "text": _(
            "%(used)s of %(target)s (%(percent)s%%)",
            used=_span(max(now - request.submitted_at, timedelta(0)), in_days),
            target=_span(target, in_days),
            percent=int(used * 100),
        ),
        "overdue": workflow.overdue(request.submitted_at, request.urgency, now, targets),
    }


def queue_order(
    requests: list[CrisisRequest], ages: dict[int, dict[str, Any] | None]
) -> list[CrisisRequest]:
    """Overdue first, then the oldest submitted waiting request, then the rest newest first."""

    def key(r: CrisisRequest) -> tuple[int, float]:
        age = ages.get(r.id)
        if age is None:
            return (2, -r.created_at.timestamp())
        return (0 if age["overdue"] else 1, r.submitted_at.timestamp())

    return sorted(requests, key=key)
