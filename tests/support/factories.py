"""Factories for test data: users, experts, panel terms and focal points, requests, offers and
seats, built straight into the test database (fixtures return a function, plain functions take
the session first)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from roster.accounts.models import TWO_FACTOR_ROLES, User
from roster.accounts.passwords import hash_password
from roster.db import today, utcnow
from roster.experts.models import (
    AvailabilityWindow,
    CsapMembership,
    Expert,
    ExpertCategory,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
    FocalPoint,
)
from roster.reference.models import Command
from roster.requests.models import Assignment, CrisisRequest, Offer, RequestTopic
from roster.search.index import reindex_experts

PASSWORD = "correct horse battery staple 42"
# The authenticator secret of every enrolled test user (make_user enrols coordinators and admins).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
START, END = date(2027, 3, 1), date(2027, 3, 14)
TODAY = today()
VERIFIED = datetime(2026, 1, 1, tzinfo=UTC)


@functools.cache
def password_hash_of(password: str) -> str:
    """Hash each test password once per run; argon2id is slow on purpose."""
    return hash_password(password)


@pytest.fixture
def make_user(db_session: Session) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(
        role: str = "expert",
        *,
        email: str | None = None,
        password: str = PASSWORD,
        active: bool = True,
        clearance: str | None = None,
        clearance_expires_on: date | None = None,
        totp_enrolled: bool | None = None,
        full_name: str | None = None,
    ) -> User:
        """`totp_enrolled` defaults to what the role requires: on for coordinators and admins."""
        enrolled = role in TWO_FACTOR_ROLES if totp_enrolled is None else totp_enrolled
        user = User(
            email=email or f"{role}{next(counter)}@roster.example",
            full_name=full_name or f"Test {role.title()}",
            role=role,
            password_hash=password_hash_of(password) if password else None,
            active=active,
            clearance_level=clearance,
            clearance_expires_on=clearance_expires_on,
            totp_secret=TEST_TOTP_SECRET if enrolled else None,
            totp_enabled_at=utcnow() if enrolled else None,
        )
        db_session.add(user)
        db_session.commit()
        return user

    return make


@pytest.fixture
def make_expert(db_session: Session, make_user) -> Callable[..., Expert]:
    """Create an expert (vetted, with an account by default) and its child rows."""
    counter = iter(range(1, 10_000))

    def make(
        *,
        vetting: str = "vetted",
        valid_until: date | None = date(2030, 1, 1),
        topics: dict[str, int] | None = None,
        languages: dict[str, str] | None = None,
        regions: tuple[str, ...] = (),
        clearance: str | None = None,
        clearance_expires_on: date | None = date(2030, 1, 1),
        clearance_verified: bool = True,
        with_user: bool = True,
        active: bool = True,
        full_name: str | None = None,
        **fields: object,
    ) -> Expert:
        n = next(counter)
        user = make_user("expert", email=f"expert.{n}@roster.example") if with_user else None
        expert = Expert(
            user_id=user.id if user else None,
            full_name=full_name or f"Expert Number{n}",
            email=user.email if user else f"profile.{n}@roster.example",
            phone=f"+32 2 555 {n:04d}",
            vetting_status=vetting,
            vetting_valid_until=valid_until if vetting in {"vetted", "suspended"} else None,
            clearance_level=clearance,
            clearance_issued_by="BE" if clearance else None,
            clearance_expires_on=clearance_expires_on if clearance else None,
            clearance_verified_at=utcnow() if clearance and clearance_verified else None,
            active=active,
            **fields,
        )
        db_session.add(expert)
        db_session.flush()
        for code, level in (topics or {"crsv": 3}).items():
            db_session.add(
                ExpertTopic(
                    expert_id=expert.id, topic_code=code, level=level, years=5, verified=True
                )
            )
        for code, level in (languages or {"en": "C2"}).items():
            db_session.add(ExpertLanguage(expert_id=expert.id, language_code=code, level=level))
        for code in regions:
            db_session.add(ExpertRegion(expert_id=expert.id, country_code=code))
        db_session.commit()
        return expert

    return make


def add_expert(session: Session, name: str, **kw) -> Expert:
    """One indexed expert without an account; keyword `topics={"crsv": 3}`,
    `languages={"fr": "B2"}`, `regions=[...]`, `windows=[(from, to, kind)]`, `categories=[...]`,
    and any Expert column."""
    topics = kw.pop("topics", {"poc": 2})
    languages = kw.pop("languages", {"en": "C1"})
    regions = kw.pop("regions", [])
    categories = kw.pop("categories", [])
    windows = kw.pop("windows", [])
    kw.setdefault("vetting_status", "vetted")
    expert = Expert(full_name=name, **kw)
    session.add(expert)
    session.flush()
    eid = expert.id
    session.add_all(
        [ExpertTopic(expert_id=eid, topic_code=c, level=lv) for c, lv in topics.items()]
        + [ExpertLanguage(expert_id=eid, language_code=c, level=lv) for c, lv in languages.items()]
        + [ExpertRegion(expert_id=eid, country_code=c) for c in regions]
        + [ExpertCategory(expert_id=eid, category=c) for c in categories]
        + [AvailabilityWindow(expert_id=eid, starts_on=a, ends_on=b, kind=k) for a, b, k in windows]
    )
    session.flush()
    reindex_experts(session, [eid])
    session.commit()
    return expert


def cleared(level: str, **kw) -> dict:
    """Keyword arguments for a verified clearance of `level` that outlasts the tests."""
    return {
        "clearance_level": level,
        "clearance_issued_by": "BE",
        "clearance_expires_on": TODAY + timedelta(days=400),
        "clearance_verified_at": VERIFIED,
        **kw,
    }


@pytest.fixture
def roster(db_session: Session) -> Callable[..., Expert]:
    """`roster(name, nationalities=[...], windows=[...], **add_expert keywords)`."""

    def make(name: str, **kw) -> Expert:
        nationalities = kw.pop("nationalities", [])
        expert = add_expert(db_session, name, **kw)
        for code in nationalities:
            db_session.add(ExpertNationality(expert_id=expert.id, country_code=code))
        db_session.commit()
        return expert

    return make


@pytest.fixture
def add_member(db_session: Session) -> Callable[..., CsapMembership]:
    """A term on the CSAP panel for `expert`."""

    def add(expert: Expert, *, cohort: int = 2023, start: date, end: date | None = None):
        membership = CsapMembership(
            expert_id=expert.id, cohort=cohort, term_start=start, term_end=end
        )
        db_session.add(membership)
        db_session.commit()
        return membership

    return add


def command(session: Session, code: str) -> Command:
    """A reference command by its code."""
    return session.exec(select(Command).where(Command.code == code)).one()


@pytest.fixture
def add_focal_point(db_session: Session) -> Callable[..., FocalPoint]:
    """`expert` holds a focal-point role in the command `code`."""

    def add(expert: Expert, code: str, role: str = "gfp", topics: tuple[str, ...] = ()):
        fp = FocalPoint(
            expert_id=expert.id,
            command_id=command(db_session, code).id,
            role=role,
            topics=list(topics),
        )
        db_session.add(fp)
        db_session.commit()
        return fp

    return add


def make_request(
    session: Session,
    requester,
    *,
    state: str = "matching",
    seats: int = 1,
    classification: str = "NU",
    required: str = "NR",
    starts_on: date = START,
    ends_on: date = END,
    mode: str = "remote",
    topics: dict[str, int] | None = None,
    command_id: int | None = None,
    urgency: str = "priority",
) -> CrisisRequest:
    request = CrisisRequest(
        title=f"Request in {state}",
        description="Support to the mission",
        kind="crisis",
        classification=classification,
        required_clearance=required,
        urgency=urgency,
        starts_on=starts_on,
        ends_on=ends_on,
        mode=mode,
        seats=seats,
        state=state,
        requested_by_id=requester.id,
        command_id=command_id,
        submitted_at=None if state == "draft" else utcnow() - timedelta(hours=1),
    )
    session.add(request)
    session.flush()
    for code, level in (topics or {"crsv": 2}).items():
        session.add(RequestTopic(request_id=request.id, topic_code=code, min_level=level))
    session.commit()
    return request


def make_offer(session: Session, request: CrisisRequest, expert, *, hours: int = 48) -> Offer:
    offer = Offer(
        request_id=request.id, expert_id=expert.id, respond_by=utcnow() + timedelta(hours=hours)
    )
    session.add(offer)
    session.commit()
    return offer


def seat(session: Session, request: CrisisRequest, expert) -> Assignment:
    """The expert holds an accepted seat on the request (offer and assignment)."""
    offer = make_offer(session, request, expert)
    offer.state = "accepted"
    held = Assignment(
        request_id=request.id,
        expert_id=expert.id,
        offer_id=offer.id,
        starts_on=request.starts_on,
        ends_on=request.ends_on,
        mode=request.mode,
    )
    session.add_all([offer, held])
    session.commit()
    return held
