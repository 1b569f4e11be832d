"""The tuple-query loader, the column loader (`pool_loader`) and the cached pool give exactly what
the ORM loader gave: the same facts for every expert (put back together from the columns), the
same full matches, and the same ranking, scores, reasons and excluded reasons, on random rosters
and requests, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from itertools import count

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from roster.experts.models import (
    AFFILIATION_KINDS,
    GENDERS,
    AvailabilityWindow,
    Expert,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
)
from roster.requests import pool_cache
from roster.requests.candidate_facts import CandidateFacts, RequestSpec, TeamSoFar
from roster.requests.candidate_loader import candidate_facts
from roster.requests.matching import rank
from roster.requests.models import Assignment, CrisisRequest, Offer, RequestTopic
from roster.requests.pool_loader import load_pool
from roster.requests.reasons import meets_asked, shortfalls
from tests.support.factories import make_request
from tests.support.legacy_loader import candidate_facts as legacy_facts

TODAY = date(2026, 11, 23)
TOPICS = ("crsv", "poc", "cthb", "cpp")
LANGUAGES = ("en", "fr", "ar", "uk")
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
COUNTRIES = ("ML", "UA", "SD", "CO")
CLEARANCES = (None, "NU", "NR", "NC", "NS", "CTS")
OWNERS = count()

days = st.integers(min_value=-400, max_value=400).map(lambda n: TODAY + timedelta(days=n))
maybe_day = st.none() | days
span = st.tuples(days, st.integers(0, 60), st.sampled_from(("unavailable", "available")))

expert_specs = st.fixed_dictionaries(
    {
        "vetting_status": st.sampled_from(
            ("pending", "vetted", "rejected", "suspended", "expired")
        ),
        "vetting_valid_until": maybe_day,
        "clearance_level": st.sampled_from(CLEARANCES),
        "verified": st.booleans(),
        "clearance_expires_on": maybe_day,
        "active": st.booleans(),
        "erased": st.booleans(),
        "gender": st.sampled_from(GENDERS),
        "affiliation_kind": st.sampled_from(AFFILIATION_KINDS),
        "deployable": st.booleans(),
        "notice_days": st.integers(0, 30),
        "max_concurrent": st.integers(1, 3),
        "last_engaged_on": maybe_day,
        "topics": st.dictionaries(st.sampled_from(TOPICS), st.integers(1, 4), max_size=3),
        "languages": st.dictionaries(
            st.sampled_from(LANGUAGES), st.sampled_from(LEVELS), max_size=3
        ),
        "regions": st.sets(st.sampled_from(COUNTRIES), max_size=2),
        "nationalities": st.sets(st.sampled_from(COUNTRIES), max_size=2),
        "windows": st.lists(span, max_size=3),
        # per request (by position): a seat with these dates and mode, or none
        "seats": st.lists(
            st.none()
            | st.tuples(days, st.integers(0, 90), st.sampled_from(("remote", "deployed"))),
            min_size=2,
            max_size=2,
        ),
    }
)

request_specs = st.fixed_dictionaries(
    {
        "starts_in": st.integers(0, 120),
        "length": st.integers(0, 60),
        "required": st.sampled_from(CLEARANCES),
        "topics": st.dictionaries(st.sampled_from(TOPICS), st.integers(1, 4), max_size=3),
        "languages": st.dictionaries(
            st.sampled_from(LANGUAGES), st.sampled_from(LEVELS[:-1]), max_size=2
        ),
        "regions": st.frozensets(st.sampled_from(COUNTRIES), max_size=2),
        "mode": st.sampled_from(("remote", "deployed")),
        "on_request": st.integers(0, 1),
        "team": st.integers(0, 3),
    }
)


def _wipe(session: Session) -> None:
    for model in (
        Assignment,
        Offer,
        RequestTopic,
        CrisisRequest,
        AvailabilityWindow,
        ExpertTopic,
        ExpertLanguage,
        ExpertRegion,
        ExpertNationality,
        Expert,
    ):
        session.execute(sa.delete(model))
    session.commit()


def _add_roster(session: Session, specs: list[dict], requests: list[CrisisRequest]) -> None:
    for n, spec in enumerate(specs):
        expert = Expert(
            full_name=f"Random Expert{n}",
            vetting_status=spec["vetting_status"],
            vetting_valid_until=spec["vetting_valid_until"],
            clearance_level=spec["clearance_level"],
            clearance_verified_at=datetime(2026, 1, 1, tzinfo=UTC) if spec["verified"] else None,
            clearance_expires_on=spec["clearance_expires_on"],
            active=spec["active"],
            pseudonym=f"erased-{n}" if spec["erased"] else None,
            gender=spec["gender"],
            affiliation_kind=spec["affiliation_kind"],
            deployable=spec["deployable"],
            notice_days=spec["notice_days"],
            max_concurrent=spec["max_concurrent"],
            last_engaged_on=spec["last_engaged_on"],
        )
        session.add(expert)
        session.flush()
        eid = expert.id
        session.add_all(
            [ExpertTopic(expert_id=eid, topic_code=c, level=lv) for c, lv in spec["topics"].items()]
            + [
                ExpertLanguage(expert_id=eid, language_code=c, level=lv)
                for c, lv in spec["languages"].items()
            ]
            + [ExpertRegion(expert_id=eid, country_code=c) for c in spec["regions"]]
            + [ExpertNationality(expert_id=eid, country_code=c) for c in spec["nationalities"]]
            + [
                AvailabilityWindow(
                    expert_id=eid, starts_on=a, ends_on=a + timedelta(days=n), kind=k
                )
                for a, n, k in spec["windows"]
            ]
        )
        for request, held in zip(requests, spec["seats"], strict=True):
            if held is None:
                continue
            starts, length, mode = held
            offer = Offer(
                request_id=request.id,
                expert_id=eid,
                state="accepted",
                respond_by=datetime(2026, 12, 1, tzinfo=UTC),
            )
            session.add(offer)
            session.flush()
            session.add(
                Assignment(
                    request_id=request.id,
                    expert_id=eid,
                    offer_id=offer.id,
                    starts_on=starts,
                    ends_on=starts + timedelta(days=length),
                    mode=mode,
                )
            )
    session.commit()


def _normal(facts: list[CandidateFacts]) -> list[tuple]:
    """Facts comparable whatever order the rows of a child table came in."""
    return [
        (
            f.expert_id,
            f.vetting_status,
            f.vetting_valid_until,
            f.clearance_level,
            f.clearance_verified_at,
            f.clearance_expires_on,
            sorted(f.windows),
            dict(f.topics),
            dict(f.languages),
            f.regions,
            f.nationalities,
            f.gender,
            f.affiliation_kind,
            f.deployable,
            f.notice_days,
            f.max_concurrent,
            sorted(f.engagements),
            f.recent_engagements,
            f.last_engaged_on,
        )
        for f in facts
    ]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    roster=st.lists(expert_specs, min_size=0, max_size=12),
    asked=request_specs,
    subset=st.lists(st.integers(0, 11), max_size=4),
)
def test_new_loader_and_cached_pool_equal_the_orm_loader(
    db_session, make_user, roster, asked, subset
):
    _wipe(db_session)
    owner = make_user("coordinator", email=f"owner.{next(OWNERS)}@roster.example")
    requests = [make_request(db_session, owner), make_request(db_session, owner)]
    _add_roster(db_session, roster, requests)

    for vetted_only in (True, False):
        assert _normal(candidate_facts(db_session, today=TODAY, vetted_only=vetted_only)) == (
            _normal(legacy_facts(db_session, today=TODAY, vetted_only=vetted_only))
        )
    columns = load_pool(db_session, today=TODAY)
    assert _normal([columns.fact(i) for i in range(columns.size)]) == _normal(
        legacy_facts(db_session, today=TODAY, vetted_only=False)
    )
    ids = [e.id for e in db_session.execute(sa.select(Expert).order_by(Expert.id)).scalars().all()]
    chosen = [ids[i] for i in subset if i < len(ids)] + [10**9]
    assert _normal(
        candidate_facts(db_session, today=TODAY, expert_ids=chosen, vetted_only=False)
    ) == _normal(legacy_facts(db_session, today=TODAY, expert_ids=chosen, vetted_only=False))

    starts = TODAY + timedelta(days=asked["starts_in"])
    spec = RequestSpec(
        id=requests[asked["on_request"]].id,
        starts_on=starts,
        ends_on=starts + timedelta(days=asked["length"]),
        required_clearance=asked["required"],
        topics=asked["topics"],
        languages=asked["languages"],
        regions=asked["regions"],
        mode=asked["mode"],
    )
    old_all = legacy_facts(db_session, today=TODAY, vetted_only=False)
    team = TeamSoFar.of(old_all[: asked["team"]])
    pool = pool_cache.candidate_pool(db_session, today=TODAY)
    assert meets_asked(spec, pool).tolist() == [not shortfalls(f, spec) for f in old_all]
    for limit in (None, 3):
        before = rank(
            spec,
            legacy_facts(db_session, today=TODAY, vetted_only=True),
            today=TODAY,
            team=team,
            limit=limit,
        )
        after = rank(spec, pool, today=TODAY, team=team, limit=limit)
        assert after == before
        explained_before = rank(spec, old_all, today=TODAY, team=team, limit=limit, explain=True)
        explained_after = rank(spec, pool, today=TODAY, team=team, limit=limit, explain=True)
        assert explained_after == explained_before


def test_the_column_loader_keeps_edge_days_and_timestamps(db_session):
    """The first and last day a date column holds, a verification time to the microsecond taken
    in another time zone, and no child rows at all come back as the ORM loader reads them."""
    _wipe(db_session)
    east = timezone(timedelta(hours=5, minutes=30))
    db_session.add_all(
        [
            Expert(
                full_name="Edge Expert",
                vetting_status="vetted",
                vetting_valid_until=date.max,
                clearance_level="NS",
                clearance_verified_at=datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=east),
                clearance_expires_on=date(1, 1, 1),
                last_engaged_on=date(1, 1, 1),
            ),
            Expert(full_name="Bare Expert", vetting_status="rejected"),
        ]
    )
    db_session.commit()
    pool = load_pool(db_session, today=TODAY)
    assert _normal([pool.fact(i) for i in range(pool.size)]) == _normal(
        legacy_facts(db_session, today=TODAY, vetted_only=False)
    )
    assert pool.fact(0).clearance_verified_at == datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=east)
    _wipe(db_session)
    assert load_pool(db_session, today=TODAY).size == 0
