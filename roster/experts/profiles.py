"""Creating and editing expert profiles: code checks, optimistic locking, re-verification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, delete, select

from roster import audit, policy
from roster.accounts import services as accounts
from roster.db import affected_rows, table_of, utcnow
from roster.errors import Conflict, Forbidden, NotFound, ValidationFailed
from roster.experts import standing
from roster.experts.models import (
    CATEGORIES,
    AvailabilityWindow,
    Expert,
    ExpertCategory,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
)
from roster.reference.codes import CEFR_LEVELS, is_country, is_language
from roster.reference.models import Topic
from roster.search.index import reindex_experts

SCALARS = (
    "full_name",
    "phone",
    "gender",
    "country_of_residence",
    "deployable",
    "notice_days",
    "max_concurrent",
    "bio",
    "links",
)
CONSENT_VERSION = "2026-01"


@dataclass
class Loaded:
    """An expert with its child rows, as services and schemas need them."""

    expert: Expert
    topics: list[ExpertTopic]
    languages: list[ExpertLanguage]
    regions: list[str]
    nationalities: list[str]
    categories: list[str]
    windows: list[AvailabilityWindow]


def get_expert(session: Session, expert_id: int) -> Expert:
    expert = session.get(Expert, expert_id)
    if expert is None:
        raise NotFound("No such expert.")
    return expert


def load(session: Session, expert: Expert) -> Loaded:
    eid = expert.id

    def rows(model: type[SQLModel], *order: Any) -> list:
        found = select(model).where(table_of(model).c.expert_id == eid).order_by(*order)
        return list(session.exec(found))

    return Loaded(
        expert=expert,
        topics=rows(ExpertTopic, col(ExpertTopic.level).desc(), ExpertTopic.topic_code),
        languages=rows(ExpertLanguage, ExpertLanguage.language_code),
        regions=[r.country_code for r in rows(ExpertRegion, ExpertRegion.country_code)],
        nationalities=[
            n.country_code for n in rows(ExpertNationality, ExpertNationality.country_code)
        ],
        categories=[c.category for c in rows(ExpertCategory, ExpertCategory.category)],
        windows=rows(AvailabilityWindow, AvailabilityWindow.starts_on),
    )


def listed_today(expert: Expert, today: date) -> bool:
    """Whether LNOs may see this expert: vetted, unexpired, active and not erased."""
    return (
        expert.active
        and expert.pseudonym is None
        and expert.vetting_status == "vetted"
        and (expert.vetting_valid_until is None or expert.vetting_valid_until >= today)
    )


def check_codes(session: Session, data: dict[str, Any], today: date) -> None:
    """Refuse unknown countries, languages, topics and a clearance already expired."""
    errors: dict[str, list[str]] = {}

    def bad(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field in ("nationalities", "regions"):
        for code in data.get(field) or []:
            if not is_country(code):
                bad(field, _("Unknown country code: %(code)s.", code=code))
    residence = data.get("country_of_residence")
    if residence and not is_country(residence):
        bad("country_of_residence", _("Unknown country code: %(code)s.", code=residence))
    known_topics = set(session.exec(select(Topic.code)).all())
    for item in data.get("topics") or []:
        if item["code"] not in known_topics:
            bad("topics", _("Unknown topic: %(code)s.", code=item["code"]))
        if not 1 <= item["level"] <= 4:
            bad("topics", _("A topic level is 1 to 4."))
    for item in data.get("languages") or []:
        if not is_language(item["code"]):
            bad("languages", _("Unknown language code: %(code)s.", code=item["code"]))
        if item["level"] not in CEFR_LEVELS:
            bad("languages", _("Unknown language level: %(level)s.", level=item["level"]))
    for category in data.get("categories") or []:
        if category not in CATEGORIES:
            bad("categories", _("Unknown category: %(code)s.", code=category))
    clearance = data.get("clearance")
    if clearance:
        if clearance.get("issued_by") and not is_country(clearance["issued_by"]):
            bad(
                "clearance.issued_by",
                _("Unknown country code: %(code)s.", code=clearance["issued_by"]),
            )
        expires = clearance.get("expires_on")
        if expires is not None and expires < today:
            bad("clearance.expires_on", _("The expiry date is in the past."))
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), errors)


def create_expert(
    *,
    session: Session,
    actor: policy.Actor,
    data: dict[str, Any],
    today: date,
    invitation_days: int = 7,
    base_url: str = "",
) -> tuple[Expert, str]:
    """A coordinator creates a profile and its expert account, and invites its owner."""
    if not policy.can_create_expert(actor):
        raise Forbidden(_("Only coordinators and admins create expert profiles."))
    check_codes(session, data, today)
    address = accounts.normalize_email(data["email"])
    if _profile_email_taken(session, address):
        raise _email_clash()
    expert = Expert(email=address, full_name=data["full_name"], affiliation_kind="independent")
    session.add(expert)
    try:
        session.flush()
    except IntegrityError as exc:  # a profile with this e-mail appeared since the check
        raise _email_clash() from exc
    # The new account is linked to this profile: it holds the account's e-mail.
    new = accounts.create_user(
        session=session,
        actor=actor,
        email=address,
        full_name=data["full_name"],
        role="expert",
        invitation_days=invitation_days,
        base_url=base_url,
    )
    _apply_changes(session, expert, data, by_owner=False)
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="expert.create",
        subject=f"expert:{expert.id}",
    )
    reindex_experts(session, [expert.id])
    return expert, new.invitation_url or ""


def _profile_email_taken(session: Session, address: str) -> bool:
    """Whether a profile (with or without an account) already holds this e-mail."""
    found = select(Expert.id).where(sa.func.lower(Expert.email) == address)
    return session.exec(found).first() is not None


def _email_clash() -> Conflict:
    return Conflict(
        _("A profile with this email already exists."),
        {"email": [_("A profile already has this address; invite its owner from that profile.")]},
    )


def update_expert(
    *,
    session: Session,
    actor: policy.Actor,
    expert: Expert,
    data: dict[str, Any],
    version: int,
    today: date,
) -> Expert:
    """Apply a partial edit if `version` is still current; 409 when someone saved in between."""
    if not policy.can_edit_expert(actor, expert_user_id=expert.user_id):
        raise Forbidden(_("You may not edit this profile."))
    if "email" in data and data["email"] != expert.email:
        raise ValidationFailed(
            _("The email is the account's sign-in address."),
            {"email": [_("Change it in the account settings.")]},
        )
    check_codes(session, data, today)
    by_owner = policy.edits_as_owner(actor, expert.user_id)
    before = _clearance_of(expert)
    _apply_changes(session, expert, data, by_owner=by_owner)
    _bump_version(session, expert, version)
    if _clearance_of(expert) != before:
        standing.changed(session, expert, today)
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="expert.update",
        subject=f"expert:{expert.id}",
        fields=sorted(data),
    )
    reindex_experts(session, [expert.id])
    return expert


def _clearance_of(expert: Expert) -> tuple[Any, ...]:
    return (expert.clearance_level, expert.clearance_expires_on, expert.clearance_verified_at)


def _bump_version(session: Session, expert: Expert, version: int) -> None:
    """Compare-and-set on the version column, so two concurrent saves cannot both win."""
    session.flush()
    result = session.execute(
        sa.update(Expert)
        .where(col(Expert.id) == expert.id, col(Expert.version) == version)
        .values(version=version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if affected_rows(result) != 1:
        raise Conflict(
            _(
                "Someone else saved this profile after you opened it. "
                "Reload it to see their changes; nothing was saved."
            ),
            {"version": [_("This version is stale.")]},
        )
    session.refresh(expert)


def _apply_changes(
    session: Session, expert: Expert, data: dict[str, Any], *, by_owner: bool
) -> None:
    for field in SCALARS:
        if field in data:
            setattr(expert, field, data[field])
    if "affiliation" in data:
        affiliation = data["affiliation"] or {}
        expert.affiliation_name = affiliation.get("name")
        expert.affiliation_kind = affiliation.get("kind") or "independent"
    if "clearance" in data:
        _set_clearance(expert, data["clearance"])
    if data.get("consent"):
        expert.consent_at = utcnow()
        expert.consent_version = CONSENT_VERSION
    session.add(expert)
    if "topics" in data:
        _set_topics(session, expert, data["topics"], by_owner=by_owner)
    for field, model, column in (
        ("regions", ExpertRegion, "country_code"),
        ("nationalities", ExpertNationality, "country_code"),
        ("categories", ExpertCategory, "category"),
    ):
        if field in data:
            session.exec(delete(model).where(table_of(model).c.expert_id == expert.id))
            session.add_all(
                model(expert_id=expert.id, **{column: value})
                for value in dict.fromkeys(data[field])
            )
    if "languages" in data:
        session.exec(delete(ExpertLanguage).where(col(ExpertLanguage.expert_id) == expert.id))
        seen = {item["code"]: item["level"] for item in data["languages"]}
        session.add_all(
            ExpertLanguage(expert_id=expert.id, language_code=code, level=level)
            for code, level in seen.items()
        )


def _set_clearance(expert: Expert, clearance: dict[str, Any] | None) -> None:
    before = (expert.clearance_level, expert.clearance_issued_by, expert.clearance_expires_on)
    if clearance is None:
        after = (None, None, None)
    else:
        after = (clearance["level"], clearance.get("issued_by"), clearance.get("expires_on"))
    if after == before:
        return
    expert.clearance_level, expert.clearance_issued_by, expert.clearance_expires_on = after
    # Any change to a clearance waits for a coordinator to verify it again; coordinators
    # verify through the verify action, never by editing.
    expert.clearance_verified_at = None
    expert.clearance_verified_by_id = None


def _set_topics(
    session: Session, expert: Expert, topics: list[dict[str, Any]], *, by_owner: bool
) -> None:
    existing = {
        row.topic_code: row
        for row in session.exec(select(ExpertTopic).where(ExpertTopic.expert_id == expert.id))
    }
    wanted = {item["code"]: item for item in topics}
    for code, stale in existing.items():
        if code not in wanted:
            session.delete(stale)
    for code, item in wanted.items():
        row = existing.get(code)
        level, years = item["level"], item.get("years") or 0
        if row is None:
            row = ExpertTopic(
                expert_id=expert.id,
                topic_code=code,
                level=level,
                years=years,
                verified=not (by_owner and level >= 3),
            )
        else:
            if by_owner and level >= 3 and level > row.level:
                row.verified = False  # a raised high level waits for a coordinator
            elif not by_owner or level < 3:
                row.verified = True  # a coordinator's entry is itself a confirmation
            row.level, row.years = level, years
        session.add(row)


def set_availability(
    *, session: Session, actor: policy.Actor, expert: Expert, windows: list[dict[str, Any]]
) -> list[AvailabilityWindow]:
    """Replace the expert's availability windows."""
    if not policy.can_edit_expert(actor, expert_user_id=expert.user_id):
        raise Forbidden(_("You may not edit this profile."))
    problems = [
        _("Window %(num)d ends before it starts.", num=i + 1)
        for i, w in enumerate(windows)
        if w["to"] < w["from"]
    ]
    if problems:
        raise ValidationFailed(_("Some windows are not valid."), {"windows": problems})
    session.exec(delete(AvailabilityWindow).where(col(AvailabilityWindow.expert_id) == expert.id))
    rows = [
        AvailabilityWindow(
            expert_id=expert.id,
            starts_on=w["from"],
            ends_on=w["to"],
            kind=w.get("kind", "unavailable"),
        )
        for w in windows
    ]
    session.add_all(rows)
    expert.updated_at = utcnow()
    session.add(expert)
    audit.record(
        session,
        actor=audit.actor_label(actor),
        action="expert.availability",
        subject=f"expert:{expert.id}",
        windows=len(rows),
    )
    session.flush()
    return rows
