"""The demo tells the workflow's story: requests in every state over two years and the coming
weeks, consistent with the rules, dated from the seeding day, loaded once however often seeded."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from roster.accounts.models import User
from roster.audit import AuditEvent, first_broken
from roster.demo.dates import ANCHOR
from roster.experts.models import Expert
from roster.reports import dashboard
from roster.reports.period import Period
from roster.requests.models import (
    MODES,
    OFFER_STATES,
    REQUEST_KINDS,
    URGENCIES,
    Assignment,
    CrisisRequest,
    EngagementEntry,
    Feedback,
    Offer,
    RequestEvent,
)
from roster.requests.services import viewer_for, visible_clause
from roster.requests.workflow import STATES, TRANSITIONS
from roster.seeding import load_demo

NOW = datetime(2027, 3, 2, 10, 0, tzinfo=UTC)  # a seeding day 99 days after the files' anchor


def _load(db_session, now=NOW):
    counts = load_demo(db_session, now=now)
    db_session.commit()
    return counts


def _user(db_session, email):
    return db_session.exec(select(User).where(User.email == email)).one()


def test_every_state_kind_urgency_and_classification(app, db_session):
    _load(db_session)
    requests = db_session.exec(select(CrisisRequest)).all()
    assert len(requests) >= 40
    assert {r.state for r in requests} == set(STATES)
    assert {r.kind for r in requests} == set(REQUEST_KINDS)
    assert {r.urgency for r in requests} == set(URGENCIES)
    assert {r.classification for r in requests} == {"NU", "NR", "NC", "NS", "CTS"}
    assert {r.mode for r in requests} == set(MODES)
    assert len({r.requested_by_id for r in requests}) >= 5
    assert len({r.command_id for r in requests}) >= 5
    created = [r.created_at for r in requests]
    assert min(created) < NOW - timedelta(days=600) and max(created) < NOW
    assert any(r.starts_on > NOW.date() for r in requests)
    offers = db_session.exec(select(Offer)).all()
    assert {o.state for o in offers} == set(OFFER_STATES)
    assert all(o.decline_reason for o in offers if o.state == "declined")
    open_offers = [o for o in offers if o.state == "open"]
    assert all(o.respond_by > NOW for o in open_offers)
    assert any(o.respond_by < NOW + timedelta(days=1) for o in open_offers)
    kinds = {e.kind for e in db_session.exec(select(EngagementEntry)).all()}
    assert {"deliverable", "consultation", "exercise"} <= kinds
    directions = {f.direction for f in db_session.exec(select(Feedback)).all()}
    assert directions == {"lno_on_expert", "expert_on_request"}


def test_rows_keep_the_workflow_rules(app, db_session):
    _load(db_session)
    events: dict[int, list[RequestEvent]] = {}
    for e in db_session.exec(select(RequestEvent).order_by(col(RequestEvent.id))).all():
        events.setdefault(e.request_id, []).append(e)
    accepted = Counter(
        db_session.exec(select(Offer.request_id).where(Offer.state == "accepted")).all()
    )
    seated = Counter(db_session.exec(select(Assignment.request_id)).all())
    feedback = set(db_session.exec(select(Feedback.request_id)).all())
    for r in db_session.exec(select(CrisisRequest)).all():
        steps = events[r.id]
        assert steps[0].action == "create" and steps[0].to_state == "draft"
        for before, after in zip(steps, steps[1:], strict=False):
            assert before.at <= after.at, r.title
            move = TRANSITIONS[(after.from_state, after.action)]
            assert after.from_state == before.to_state and move.to_state == after.to_state
        assert steps[-1].to_state == r.state and r.version == len(steps)
        assert r.filled == accepted[r.id] == seated[r.id], r.title
        if r.state in ("staffed", "active", "completed"):
            assert r.filled == r.seats and r.staffed_at is not None
        assert (r.id in feedback) == (r.state == "completed")
    assert first_broken(db_session) is None


def test_no_expert_is_booked_twice_at_once(app, db_session):
    _load(db_session)
    by_expert: dict[int, list[tuple]] = {}
    for a in db_session.exec(select(Assignment)).all():
        by_expert.setdefault(a.expert_id, []).append((a.starts_on, a.ends_on))
    for windows in by_expert.values():
        windows.sort()
        for (_s1, e1), (s2, _e2) in zip(windows, windows[1:], strict=False):
            assert e1 < s2


def test_every_demo_expert_has_an_account(app, db_session):
    _load(db_session)
    experts = db_session.exec(select(Expert)).all()
    assert experts and all(e.user_id is not None for e in experts)
    accounts = {u.id: u for u in db_session.exec(select(User).where(User.role == "expert"))}
    assert {e.user_id for e in experts} == set(accounts)
    leila = db_session.exec(select(Expert).where(Expert.email == "expert@roster.example")).one()
    assert accounts[leila.user_id].full_name == "Leila Marchetti"
    # One hash for all: the demo password, hashed once.
    assert len({u.password_hash for u in accounts.values()}) == 1


def test_dates_follow_the_seeding_day(app, db_session):
    _load(db_session)
    leila = db_session.exec(select(Expert).where(Expert.email == "expert@roster.example")).one()
    # Written as 2028-06-30 for the anchor day; seeded 99 days later it moves by 99 days.
    assert (NOW.date() - ANCHOR).days == 99
    assert leila.vetting_valid_until == datetime(2028, 6, 30).date() + timedelta(days=99)
    names = {e.full_name for e in db_session.exec(select(Expert)).all()}
    assert {"Lotte van Dijk", "Tarek Ben Salah", "Asma Ben Youssef"} <= names
    assert not {"Lotte van", "Tarek Ben", "Asma Ben"} & names


def test_a_second_load_changes_nothing(app, db_session):
    _load(db_session)

    def snapshot():
        return {
            model.__name__: sorted(
                tuple(str(v) for v in row)
                for row in db_session.execute(sa.select(*sa.inspect(model).columns)).all()
            )
            for model in (CrisisRequest, Offer, Assignment, RequestEvent, User, Expert, AuditEvent)
        }

    before = snapshot()
    counts = _load(db_session, now=NOW + timedelta(days=3))
    assert set(counts.values()) == {0}
    db_session.expire_all()
    assert snapshot() == before


def test_no_read_up_for_the_restricted_lno(app, db_session):
    _load(db_session)
    restricted = _user(db_session, "lno.restricted@roster.example")
    viewer = viewer_for(db_session, restricted, NOW.date())
    seen = db_session.exec(select(CrisisRequest).where(visible_clause(viewer))).all()
    assert seen and all(r.classification in ("NU", "NR") for r in seen)
    # Their own command raised requests above their clearance; they see none of them.
    hidden = db_session.exec(
        select(CrisisRequest).where(
            CrisisRequest.command_id == restricted.command_id,
            col(CrisisRequest.classification).in_(("NC", "NS")),
        )
    ).all()
    assert hidden and not {r.id for r in hidden} & {r.id for r in seen}


def test_reports_show_the_demo(app, db_session):
    now = datetime.now(UTC)
    _load(db_session, now=now)
    coordinator = _user(db_session, "coordinator@roster.example")
    period = Period(now.date() - timedelta(days=365), now.date())
    with app.app_context():
        perf = dashboard.requests_report(db_session, coordinator, period=period, now=now)
        parts = dashboard.participation_report(
            db_session, coordinator, period=period, today=now.date()
        )
    assert perf.total > 10 and perf.offers["sent"] > 10 and perf.offers["accepted"] > 5
    assert any(t.count for t in perf.staffing) and perf.overdue
    assert parts["gender"].total and parts["gender"].total >= 10
    assert any(row.count for row in parts["gender"].rows)
