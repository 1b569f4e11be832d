"""Queries behind the CSAP panel and the focal-point directory, and command changes.

Visibility follows `roster.policy`: LNOs get only experts listed for them. Functions that change
data flush and never commit; they raise `roster.errors` exceptions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from roster import audit, policy
from roster.accounts.models import User
from roster.errors import Conflict, Forbidden, NotFound, ValidationFailed
from roster.experts.models import (
    CsapMembership,
    Expert,
    ExpertNationality,
    ExpertTopic,
    FocalPoint,
)
from roster.experts.rules import effective_vetting_status, is_vetted_on
from roster.reference.models import COMMAND_KINDS, Command


@dataclass(frozen=True)
class Person:
    """What the panel and the directory show of an expert: never contact details."""

    expert_id: int
    full_name: str
    affiliation: str | None
    nationalities: tuple[str, ...]
    residence: str | None
    vetting_status: str
    active: bool
    listed: bool


@dataclass(frozen=True)
class PanelMember:
    id: int  # the term's id: one person may serve several terms
    person: Person
    cohort: int
    role: str
    term_start: date
    term_end: date | None
    topics: tuple[tuple[str, int], ...]  # (topic code, level 1-4), deepest first


@dataclass(frozen=True)
class FocalPointEntry:
    id: int
    person: Person
    command: Command
    role: str
    topics: tuple[str, ...]
    since: date | None = None
    until: date | None = None

    def ended_by(self, today: date) -> bool:
        return self.until is not None and self.until < today


@dataclass(frozen=True)
class CommandUsage:
    command: Command
    focal_points: int
    users: int

    @property
    def in_use(self) -> bool:
        return bool(self.focal_points or self.users)


def _people(session: Session, rows: Iterable[Expert], today: date) -> dict[int, Person]:
    experts = list(rows)
    ids = [e.id for e in experts if e.id is not None]
    nationalities: dict[int, list[str]] = defaultdict(list)
    if ids:
        found = session.exec(
            select(ExpertNationality)
            .where(col(ExpertNationality.expert_id).in_(ids))
            .order_by(col(ExpertNationality.country_code))
        ).all()
        for row in found:
            nationalities[row.expert_id].append(row.country_code)
    people: dict[int, Person] = {}
    for e in experts:
        assert e.id is not None
        people[e.id] = Person(
            expert_id=e.id,
            full_name=e.full_name,
            affiliation=e.affiliation_name,
            nationalities=tuple(nationalities[e.id]),
            residence=e.country_of_residence,
            vetting_status=effective_vetting_status(e, today),
            active=e.active,
            listed=policy.is_listed(
                vetted_today=is_vetted_on(e, today), active=e.active, pseudonym=e.pseudonym
            ),
        )
    return people


def _topics_of(session: Session, expert_ids: list[int]) -> dict[int, tuple[tuple[str, int], ...]]:
    if not expert_ids:
        return {}
    rows = session.exec(
        select(ExpertTopic)
        .where(col(ExpertTopic.expert_id).in_(expert_ids))
        .order_by(col(ExpertTopic.level).desc(), col(ExpertTopic.topic_code))
    ).all()
    topics: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for row in rows:
        topics[row.expert_id].append((row.topic_code, row.level))
    return {eid: tuple(t) for eid, t in topics.items()}


def _members(
    session: Session, viewer: policy.Actor | None, today: date, where: sa.ColumnElement[bool]
) -> list[PanelMember]:
    rows = session.exec(
        select(CsapMembership, Expert)
        .join(Expert, col(Expert.id) == col(CsapMembership.expert_id))
        .where(where)
        .order_by(col(CsapMembership.cohort).desc(), col(Expert.full_name), col(CsapMembership.id))
    ).all()
    people = _people(session, (e for _m, e in rows), today)
    visible = [
        (m, e) for m, e in rows if policy.can_see_listing(viewer, listed=people[e.id].listed)
    ]
    topics = _topics_of(session, [e.id for _m, e in visible])
    return [
        PanelMember(
            id=m.id,
            person=people[e.id],
            cohort=m.cohort,
            role=m.role,
            term_start=m.term_start,
            term_end=m.term_end,
            topics=topics.get(e.id, ()),
        )
        for m, e in visible
    ]


def current_csap_members(
    session: Session, today: date, *, viewer: policy.Actor | None
) -> list[PanelMember]:
    """Members whose term has started and not ended on `today`, newest cohort first."""
    return _members(
        session,
        viewer,
        today,
        sa.and_(
            col(CsapMembership.term_start) <= today,
            sa.or_(col(CsapMembership.term_end).is_(None), col(CsapMembership.term_end) >= today),
        ),
    )


def upcoming_csap_members(
    session: Session, today: date, *, viewer: policy.Actor | None
) -> list[PanelMember]:
    """Terms recorded ahead of their first day."""
    return _members(session, viewer, today, col(CsapMembership.term_start) > today)


def past_csap_members(
    session: Session, today: date, *, viewer: policy.Actor | None
) -> list[PanelMember]:
    """Terms that ended before `today`, kept as the panel's history."""
    return _members(session, viewer, today, col(CsapMembership.term_end) < today)


def focal_points(
    session: Session,
    *,
    today: date,
    viewer: policy.Actor | None,
    command_code: str | None = None,
    command_id: int | None = None,
    topic: str | None = None,
    role: str | None = None,
    include_ended: bool = False,
) -> list[FocalPointEntry]:
    """Focal points by command, then role and name; each filter applies only when given. A role
    whose last day is before `today` shows only with `include_ended` (the directory's history)."""
    query = (
        select(FocalPoint, Expert, Command)
        .join(Expert, col(Expert.id) == col(FocalPoint.expert_id))
        .join(Command, col(Command.id) == col(FocalPoint.command_id))
        .order_by(col(Command.code), col(FocalPoint.role), col(Expert.full_name))
    )
    if command_code:
        query = query.where(col(Command.code) == command_code)
    if command_id is not None:
        query = query.where(col(FocalPoint.command_id) == command_id)
    if not include_ended:
        query = query.where(sa.or_(col(FocalPoint.until).is_(None), col(FocalPoint.until) >= today))
    if role:
        query = query.where(col(FocalPoint.role) == role)
    rows = session.exec(query).all()
    # Topics are a JSON list; matching in Python keeps one behaviour on SQLite and PostgreSQL.
    if topic:
        rows = [(fp, e, c) for fp, e, c in rows if topic in (fp.topics or [])]
    people = _people(session, (e for _fp, e, _c in rows), today)
    entries = []
    for fp, e, c in rows:
        if not policy.can_see_listing(viewer, listed=people[e.id].listed):
            continue
        assert fp.id is not None
        entries.append(
            FocalPointEntry(
                id=fp.id,
                person=people[e.id],
                command=c,
                role=fp.role,
                topics=tuple(fp.topics),
                since=fp.since,
                until=fp.until,
            )
        )
    return entries


def focal_points_for_command(
    session: Session, command_id: int, today: date, *, viewer: policy.Actor | None = None
) -> list[FocalPointEntry]:
    """The focal points serving `command_id` on `today` (begun, not ended), for a request's page,
    as `viewer` may see them (LNOs: listed experts only). No viewer sees none: deny by default."""
    return [
        entry
        for entry in focal_points(session, today=today, viewer=viewer, command_id=command_id)
        if entry.since is None or entry.since <= today
    ]


# --- Commands ---------------------------------------------------------------------------------


def list_commands(session: Session) -> list[Command]:
    return list(session.exec(select(Command).order_by(col(Command.code))).all())


def command_usage(session: Session) -> list[CommandUsage]:
    """Every command with how many focal points and user accounts belong to it."""
    fps = dict(
        session.exec(
            select(FocalPoint.command_id, sa.func.count()).group_by(col(FocalPoint.command_id))
        ).all()
    )
    users = dict(
        session.exec(
            select(User.command_id, sa.func.count())
            .where(col(User.command_id).is_not(None))
            .group_by(col(User.command_id))
        ).all()
    )
    return [CommandUsage(c, fps.get(c.id, 0), users.get(c.id, 0)) for c in list_commands(session)]


def _usage_of(session: Session, command: Command) -> CommandUsage:
    fps = session.exec(
        select(sa.func.count()).select_from(FocalPoint).where(FocalPoint.command_id == command.id)
    ).one()
    users = session.exec(
        select(sa.func.count()).select_from(User).where(User.command_id == command.id)
    ).one()
    return CommandUsage(command, fps, users)


def get_command(session: Session, command_id: int) -> Command:
    command = session.get(Command, command_id)
    if command is None:
        raise NotFound(_("No such command."))
    return command


def _check_may_manage(actor: policy.Actor | None) -> None:
    if not policy.can_manage_commands(actor):
        raise Forbidden(_("Only administrators may change the list of commands."))


def _clean(name: str, kind: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("A name is required."), {"name": [_("Enter a name.")]})
    if kind not in COMMAND_KINDS:
        raise ValidationFailed(_("Unknown kind."), {"kind": [_("Choose a kind from the list.")]})
    return name, kind


def create_command(
    *, session: Session, actor: policy.Actor | None, code: str, name: str, kind: str
) -> Command:
    _check_may_manage(actor)
    code = (code or "").strip().upper()
    if not code:
        raise ValidationFailed(_("A code is required."), {"code": [_("Enter a code.")]})
    name, kind = _clean(name, kind)
    if session.exec(select(Command).where(col(Command.code) == code)).first() is not None:
        raise Conflict(
            _("A command with this code already exists."),
            {"code": [_("The code %(code)s is already in use.", code=code)]},
        )
    command = Command(code=code, name=name, kind=kind)
    session.add(command)
    session.flush()
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="command.create",
        subject=f"command:{command.id}",
        code=code,
        kind=kind,
    )
    return command


def update_command(
    *, session: Session, actor: policy.Actor | None, command_id: int, name: str, kind: str
) -> Command:
    """Rename a command or change its kind; its code stays, as seeds and links rely on it."""
    _check_may_manage(actor)
    command = get_command(session, command_id)
    name, kind = _clean(name, kind)
    changed = [f for f, v in (("name", name), ("kind", kind)) if getattr(command, f) != v]
    command.name, command.kind = name, kind
    session.add(command)
    session.flush()
    if changed:
        audit.record(
            session,
            actor=audit.actor_label(actor),
            action="command.update",
            subject=f"command:{command.id}",
            changed=changed,
        )
    return command


def delete_command(*, session: Session, actor: policy.Actor | None, command_id: int) -> str:
    """Delete an unused command and return its code; refuse while focal points or users use it."""
    _check_may_manage(actor)
    command = get_command(session, command_id)
    usage = _usage_of(session, command)
    if usage.in_use:
        raise Conflict(
            _(
                "%(code)s cannot be deleted: %(fps)d focal point(s) and %(users)d user(s) "
                "still belong to it. Move them to another command first.",
                code=command.code,
                fps=usage.focal_points,
                users=usage.users,
            )
        )
    code = command.code
    session.delete(command)
    session.flush()
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="command.delete",
        subject=f"command:{command_id}",
        code=code,
    )
    return code
