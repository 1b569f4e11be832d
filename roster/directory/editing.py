"""Coordinators' changes to the CSAP panel and the focal-point directory, each one audited.

Nothing here deletes: ending a term or a role sets its last day, and the row stays as history.
Functions validate the whole input first (unknown person, command or topic, dates out of order)
and raise one `ValidationFailed` naming every bad field, so a refused change writes nothing.
They flush and never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from roster import audit, policy
from roster.errors import Conflict, Forbidden, NotFound, ValidationFailed
from roster.experts.models import CSAP_ROLES, FOCAL_POINT_ROLES, CsapMembership, Expert, FocalPoint
from roster.inputs import PERSON_DATES, date_problem
from roster.reference import taxonomy
from roster.reference.models import Command

COHORTS = (1990, 2100)
# Ids are database integers: anything longer than nine digits names nothing (as in URLs).
MAX_ID = 999_999_999

Problems = dict[str, list[str]]


@dataclass(frozen=True)
class TermInput:
    """What a coordinator enters for a CSAP term."""

    expert_id: int | None
    cohort: int | None
    role: str
    term_start: date | None
    term_end: date | None = None


@dataclass(frozen=True)
class RoleInput:
    """What a coordinator enters for a focal-point role."""

    expert_id: int | None
    command_id: int | None
    role: str
    topics: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None


def person_choices(session: Session) -> list[tuple[int, str]]:
    """Every profile a term or role may name, by name: (expert id, "name (affiliation)")."""
    rows = session.exec(
        select(Expert.id, Expert.full_name, Expert.affiliation_name)
        .where(col(Expert.pseudonym).is_(None))
        .order_by(col(Expert.full_name), col(Expert.id))
    ).all()
    return [(i, f"{name} ({org})" if org else name) for i, name, org in rows]


def _check_may_edit(actor: policy.Actor | None) -> None:
    if not policy.can_edit_directory(actor):
        raise Forbidden(_("Only coordinators may change the panel and the directory."))


def _add(problems: Problems, name: str, message: str) -> None:
    problems.setdefault(name, []).append(message)


def _an_id(value: int | None) -> bool:
    return value is not None and 0 < value <= MAX_ID


def _check_person(session: Session, expert_id: int | None, problems: Problems) -> None:
    expert = session.get(Expert, expert_id) if _an_id(expert_id) else None
    if expert is None or expert.pseudonym is not None:  # an erased profile is nobody to list
        _add(problems, "expert_id", _("Choose a person from the roster's expert profiles."))


def _check_dates(
    first: date | None, last: date | None, names: tuple[str, str], problems: Problems
) -> None:
    for name, value in zip(names, (first, last), strict=True):
        problem = date_problem(value, PERSON_DATES) if value else None
        if problem:
            _add(problems, name, problem)
    if first and last and last < first:
        _add(problems, names[1], _("The end comes before the start (%(d)s).", d=first))


def _listed(code: str, allowed: tuple[str, ...]) -> bool:
    """Whether a panel or focal-point job title is one of the known codes (not an account role)."""
    return code in allowed


def _raise_if(problems: Problems) -> None:
    if problems:
        raise ValidationFailed(_("Please correct the marked fields."), problems)


def _validate_term(session: Session, term: TermInput) -> None:
    problems: Problems = {}
    _check_person(session, term.expert_id, problems)
    if term.cohort is None or not COHORTS[0] <= term.cohort <= COHORTS[1]:
        _add(problems, "cohort", _("Enter the cohort's year, such as 2023."))
    if not _listed(term.role, CSAP_ROLES):
        _add(problems, "role", _("Choose a role from the list."))
    if term.term_start is None:
        _add(problems, "term_start", _("Enter the day the term starts."))
    _check_dates(term.term_start, term.term_end, ("term_start", "term_end"), problems)
    _raise_if(problems)


def _validate_role(session: Session, role: RoleInput) -> None:
    problems: Problems = {}
    _check_person(session, role.expert_id, problems)
    if not _an_id(role.command_id) or session.get(Command, role.command_id) is None:
        _add(problems, "command_id", _("Choose a command or headquarters from the list."))
    if not _listed(role.role, FOCAL_POINT_ROLES):
        _add(problems, "role", _("Choose a role from the list."))
    known = taxonomy.topic_names(session)
    unknown = [code for code in role.topics if code not in known]
    if unknown:
        _add(problems, "topics", _("Unknown topic: %(codes)s.", codes=", ".join(unknown[:5])))
    _check_dates(role.since, role.until, ("since", "until"), problems)
    _raise_if(problems)


def _changes(row: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set `values` on `row`; what changed, as {field: [old, new]} fit for the audit detail."""
    changed: dict[str, list[Any]] = {}
    for name, new in values.items():
        old = getattr(row, name)
        if old != new:
            changed[name] = [_plain(old), _plain(new)]
            setattr(row, name, new)
    return changed


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _record(
    session: Session,
    actor: policy.Actor | None,
    action: str,
    row: CsapMembership | FocalPoint,
    **detail: Any,
) -> None:
    """Audit a change under the expert it is about (so their export and the trail's subject
    filter find it), naming the term or role by id."""
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action=action,
        subject=f"expert:{row.expert_id}",
        **{f"{row.__tablename__}_id": row.id},
        **detail,
    )


# --- CSAP terms ---------------------------------------------------------------------------------


def get_membership(session: Session, membership_id: int) -> CsapMembership:
    found = session.get(CsapMembership, membership_id)
    if found is None:
        raise NotFound(_("No such CSAP term."))
    return found


def _term_values(term: TermInput) -> dict[str, Any]:
    return {
        "expert_id": term.expert_id,
        "cohort": term.cohort,
        "role": term.role,
        "term_start": term.term_start,
        "term_end": term.term_end,
    }


def add_membership(
    *, session: Session, actor: policy.Actor | None, term: TermInput
) -> CsapMembership:
    _check_may_edit(actor)
    _validate_term(session, term)
    membership = CsapMembership(**_term_values(term))
    session.add(membership)
    session.flush()
    _record(
        session,
        actor,
        "csap.add",
        membership,
        expert_id=term.expert_id,
        cohort=term.cohort,
        role=term.role,
        term_start=_plain(term.term_start),
        term_end=_plain(term.term_end),
    )
    return membership


def update_membership(
    *, session: Session, actor: policy.Actor | None, membership_id: int, term: TermInput
) -> CsapMembership:
    """Correct a term (past ones too); the audit keeps each old value."""
    _check_may_edit(actor)
    membership = get_membership(session, membership_id)
    _validate_term(session, term)
    changed = _changes(membership, _term_values(term))
    session.add(membership)
    session.flush()
    if changed:
        _record(session, actor, "csap.update", membership, changed=changed)
    return membership


def end_membership(
    *, session: Session, actor: policy.Actor | None, membership_id: int, on: date
) -> CsapMembership:
    """End a term on `on` (its last day); the term stays on the panel's history."""
    _check_may_edit(actor)
    membership = get_membership(session, membership_id)
    if membership.term_end is not None and membership.term_end <= on:
        raise Conflict(_("This term already ended on %(d)s.", d=membership.term_end))
    if on < membership.term_start:
        raise ValidationFailed(
            _("A term cannot end before it starts."),
            {"term_end": [_("The end comes before the start (%(d)s).", d=membership.term_start)]},
        )
    changed = _changes(membership, {"term_end": on})
    session.add(membership)
    session.flush()
    _record(session, actor, "csap.end", membership, changed=changed)
    return membership


# --- Focal points ------------------------------------------------------------------------------


def get_focal_point(session: Session, focal_point_id: int) -> FocalPoint:
    found = session.get(FocalPoint, focal_point_id)
    if found is None:
        raise NotFound(_("No such focal point."))
    return found


def _role_values(role: RoleInput) -> dict[str, Any]:
    return {
        "expert_id": role.expert_id,
        "command_id": role.command_id,
        "role": role.role,
        "topics": list(dict.fromkeys(role.topics)),
        "since": role.since,
        "until": role.until,
    }


def add_focal_point(*, session: Session, actor: policy.Actor | None, role: RoleInput) -> FocalPoint:
    _check_may_edit(actor)
    _validate_role(session, role)
    values = _role_values(role)
    focal_point = FocalPoint(**values)
    session.add(focal_point)
    session.flush()
    _record(
        session,
        actor,
        "focal_point.add",
        focal_point,
        **{k: _plain(v) for k, v in values.items()},
    )
    return focal_point


def update_focal_point(
    *, session: Session, actor: policy.Actor | None, focal_point_id: int, role: RoleInput
) -> FocalPoint:
    _check_may_edit(actor)
    focal_point = get_focal_point(session, focal_point_id)
    _validate_role(session, role)
    changed = _changes(focal_point, _role_values(role))
    session.add(focal_point)
    session.flush()
    if changed:
        _record(session, actor, "focal_point.update", focal_point, changed=changed)
    return focal_point


def end_focal_point(
    *, session: Session, actor: policy.Actor | None, focal_point_id: int, on: date
) -> FocalPoint:
    """End a role on `on` (its last day); the entry stays in the directory's history."""
    _check_may_edit(actor)
    focal_point = get_focal_point(session, focal_point_id)
    if focal_point.until is not None and focal_point.until <= on:
        raise Conflict(_("This role already ended on %(d)s.", d=focal_point.until))
    if focal_point.since is not None and on < focal_point.since:
        raise ValidationFailed(
            _("A role cannot end before it starts."),
            {"until": [_("The end comes before the start (%(d)s).", d=focal_point.since)]},
        )
    changed = _changes(focal_point, {"until": on})
    session.add(focal_point)
    session.flush()
    _record(session, actor, "focal_point.end", focal_point, changed=changed)
    return focal_point
