"""The fast path (read model) answers exactly what the SQL path answers: random rosters, random
searches, every scope, on both engines; and it sees a change at the next search."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from roster.accounts.models import User
from roster.db import table_of
from roster.experts.models import (
    AvailabilityWindow,
    Expert,
    ExpertCategory,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
)
from roster.reference.codes import CEFR_LEVELS
from roster.search import fast, readmodel
from roster.search.criteria import SORTS, VETTING_FILTERS, LanguageNeed, SearchCriteria, TopicNeed
from roster.search.fast import run_fast
from roster.search.index import reindex_experts
from roster.search.models import ExpertSearch
from roster.search.query import run_search
from tests.support.factories import TODAY, VERIFIED, add_expert

D = timedelta(days=1)
TOPICS = ("crsv", "poc", "cthb")
LANGUAGES = ("en", "fr", "ar")
COUNTRIES = ("UA", "IQ", "ML")
CATEGORIES = ("csap", "genad", "independent")
CLEARANCES = ("NR", "NC", "NS", "CTS")
WORDS = ("gender", "mediation", "iraq", "ethnography", "peace")
NAMES = ("Amina Berg", "amina berg", "Élise Novak", "Zoe Osei", "Amina Berg")
DAYS = (None, TODAY - D, TODAY, TODAY + D)
SCOPES = ("all", "vetted", "nobody")

maybe_day = st.sampled_from(DAYS)


@pytest.fixture(params=["row by row", "as bitsets"])
def counting(request, monkeypatch):
    """Both ways the fast path counts and sorts a selection (`fast.SPARSE`): every selection
    read row by row, or every non-empty one as bitsets over the precomputed orders."""
    monkeypatch.setattr(fast, "SPARSE", 1 if request.param == "row by row" else 10**9)
    return request.param


def subset(values: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), unique=True, max_size=len(values))


expert_st = st.fixed_dictionaries(
    {
        "full_name": st.sampled_from(NAMES),
        "bio": st.lists(st.sampled_from(WORDS), max_size=4).map(" ".join),
        "vetting_status": st.sampled_from(("vetted", "vetted", *VETTING_FILTERS)),
        "vetting_valid_until": maybe_day,
        "active": st.sampled_from((True, True, False)),
        "erased": st.sampled_from((False, False, True)),
        "account": st.sampled_from((None, True, False)),
        "clearance_level": st.sampled_from((None, *CLEARANCES)),
        "verified": st.booleans(),
        "clearance_expires_on": maybe_day,
        "deployable": st.booleans(),
        "last_engaged_on": st.sampled_from((None, TODAY - 30 * D, TODAY - 10 * D)),
        "topics": st.dictionaries(st.sampled_from(TOPICS), st.integers(1, 4), max_size=3),
        "languages": st.dictionaries(
            st.sampled_from(LANGUAGES), st.sampled_from(CEFR_LEVELS), max_size=3
        ),
        "regions": subset(COUNTRIES),
        "nationalities": subset(COUNTRIES),
        "categories": subset(CATEGORIES),
        "unavailable": st.booleans(),
    }
)

criteria_st = st.builds(
    SearchCriteria,
    q=st.lists(st.sampled_from((*WORDS, "gen*", "amina", "helene")), max_size=2).map(" ".join),
    topics=st.lists(
        st.builds(TopicNeed, st.sampled_from(TOPICS), st.integers(1, 4)), max_size=2
    ).map(tuple),
    topic_mode=st.sampled_from(("all", "any")),
    languages=st.lists(
        st.builds(LanguageNeed, st.sampled_from(LANGUAGES), st.sampled_from(CEFR_LEVELS)),
        max_size=2,
    ).map(tuple),
    regions=subset(COUNTRIES).map(tuple),
    nationalities=subset(COUNTRIES).map(tuple),
    categories=subset(CATEGORIES).map(tuple),
    clearance=st.sampled_from((None, *CLEARANCES)),
    available_from=st.sampled_from((None, TODAY + 5 * D)),
    available_to=st.just(TODAY + 9 * D),
    deployable=st.sampled_from((None, True, False)),
    vetting=subset(VETTING_FILTERS).map(tuple),
    sort=st.sampled_from(SORTS),
    page=st.integers(1, 3),
    per_page=st.integers(1, 4),
)

ROSTER_TABLES = (
    AvailabilityWindow,
    ExpertTopic,
    ExpertLanguage,
    ExpertRegion,
    ExpertNationality,
    ExpertCategory,
    ExpertSearch,
    Expert,
)


def replace_roster(session: Session, experts: list[dict[str, Any]]) -> None:
    """Delete every expert, then add these ones (indexed), and commit."""
    for model in ROSTER_TABLES:
        session.execute(sa.delete(table_of(model)))
    session.execute(sa.delete(table_of(User)).where(table_of(User).c.role == "expert"))
    session.expunge_all()  # ids come back on SQLite: no stale object may claim them
    for i, raw in enumerate(experts):
        raw = dict(raw)
        user_id = None
        if (account := raw.pop("account")) is not None:
            user = User(email=f"e{i}@prop.example", full_name="E", role="expert", active=account)
            session.add(user)
            session.flush()
            user_id = user.id
        children = {k: raw.pop(k) for k in ("topics", "languages", "regions", "nationalities")}
        categories, unavailable = raw.pop("categories"), raw.pop("unavailable")
        verified, erased = raw.pop("verified"), raw.pop("erased")
        expert = Expert(
            **raw,
            user_id=user_id,
            clearance_verified_at=VERIFIED if verified else None,
            pseudonym=f"erased-{i}" if erased else None,
        )
        session.add(expert)
        session.flush()
        eid = expert.id
        session.add_all(
            [
                ExpertTopic(expert_id=eid, topic_code=c, level=v)
                for c, v in children["topics"].items()
            ]
            + [
                ExpertLanguage(expert_id=eid, language_code=c, level=v)
                for c, v in children["languages"].items()
            ]
            + [ExpertRegion(expert_id=eid, country_code=c) for c in children["regions"]]
            + [ExpertNationality(expert_id=eid, country_code=c) for c in children["nationalities"]]
            + [ExpertCategory(expert_id=eid, category=c) for c in categories]
        )
        if unavailable:
            session.add(
                AvailabilityWindow(
                    expert_id=eid,
                    starts_on=TODAY + 7 * D,
                    ends_on=TODAY + 8 * D,
                    kind="unavailable",
                )
            )
        session.flush()
    reindex_experts(session, session.execute(sa.select(table_of(Expert).c.id)).scalars())
    session.commit()


def assert_same(session: Session, criteria: SearchCriteria, scope: str | None) -> None:
    fast = run_fast(session, criteria, scope=scope, today=TODAY)
    session.rollback()
    slow = run_search(session, criteria, scope=scope, today=TODAY)
    session.rollback()
    assert fast is not None, "the fast path declined a committed roster"
    assert (fast.ids, fast.total, fast.facets, fast.scores) == (
        slow.ids,
        slow.total,
        slow.facets,
        slow.scores,
    ), criteria


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    experts=st.lists(expert_st, min_size=2, max_size=14),
    searches=st.lists(criteria_st, min_size=1, max_size=6),
)
def test_fast_path_equals_sql_path(db_session, experts, searches, counting):
    replace_roster(db_session, experts)
    for criteria in searches:
        for scope in SCOPES:
            assert_same(db_session, criteria, scope)


def boundary_roster() -> list[dict[str, Any]]:
    """One expert per edge of the dated rules: every status and expiry around today, every
    clearance level and expiry, accounts active, inactive and absent, erased or not."""
    experts = []
    for i, (status, until) in enumerate((s, d) for s in VETTING_FILTERS for d in DAYS):
        level = (None, *CLEARANCES)[i % 5]
        experts.append(
            {
                "full_name": NAMES[i % len(NAMES)],
                "bio": WORDS[i % len(WORDS)] + (" gender" if i % 2 else ""),
                "vetting_status": status,
                "vetting_valid_until": until,
                "active": i % 7 != 3,
                "erased": i % 11 == 5,
                "account": (None, True, False)[i % 3],
                "clearance_level": level,
                "verified": i % 4 != 1,
                "clearance_expires_on": DAYS[(i // 2) % 4],
                "deployable": i % 2 == 0,
                "last_engaged_on": (None, TODAY - 30 * D, TODAY - 10 * D)[i % 3],
                "topics": {TOPICS[i % 3]: 1 + i % 4, TOPICS[(i + 1) % 3]: 1 + (i // 3) % 4},
                "languages": {LANGUAGES[i % 3]: CEFR_LEVELS[i % len(CEFR_LEVELS)]},
                "regions": [COUNTRIES[i % 3]],
                "nationalities": [COUNTRIES[(i + 1) % 3]],
                "categories": [CATEGORIES[i % 3]],
                "unavailable": i % 5 == 2,
            }
        )
    return experts


BOUNDARY_SEARCHES = [
    SearchCriteria(),
    SearchCriteria(q="gender", sort="relevance", per_page=7),
    SearchCriteria(q="gender peace", page=2, per_page=2),
    SearchCriteria(sort="last_engaged", per_page=50),
    SearchCriteria(sort="name", page=3, per_page=3),
    *(SearchCriteria(clearance=c, per_page=50) for c in CLEARANCES),
    *(SearchCriteria(vetting=(v,), per_page=50) for v in VETTING_FILTERS),
    SearchCriteria(vetting=("vetted", "expired"), per_page=50),
    SearchCriteria(topics=(TopicNeed("crsv", 2), TopicNeed("poc", 3)), topic_mode="any"),
    SearchCriteria(topics=(TopicNeed("crsv", 2), TopicNeed("poc", 1)), topic_mode="all"),
    SearchCriteria(languages=(LanguageNeed("fr", "B2"),), regions=("UA", "IQ")),
    SearchCriteria(nationalities=("ML",), categories=("genad",), deployable=True),
    SearchCriteria(available_from=TODAY + 5 * D, available_to=TODAY + 9 * D, deployable=False),
]


def test_fast_path_equals_sql_path_at_every_edge(db_session, counting):
    replace_roster(db_session, boundary_roster())
    for criteria in BOUNDARY_SEARCHES:
        for scope in SCOPES:
            assert_same(db_session, criteria, scope)


def test_a_change_is_seen_by_the_next_search(db_session):
    replace_roster(db_session, [])
    first = add_expert(db_session, "Nadia Haddad", topics={"crsv": 3})
    criteria = SearchCriteria(topics=(TopicNeed("crsv", 3),))
    before = run_fast(db_session, criteria, scope="vetted", today=TODAY)
    db_session.rollback()
    assert before is not None and before.ids == [first.id]
    db_session.execute(
        sa.update(table_of(ExpertTopic))
        .values(level=2)
        .where(table_of(ExpertTopic).c.expert_id == first.id)
    )
    db_session.commit()
    after = run_fast(db_session, criteria, scope="vetted", today=TODAY)
    db_session.rollback()
    assert after is not None and after.ids == [] and after.total == 0
    db_session.execute(
        sa.update(table_of(Expert))
        .values(vetting_status="suspended")
        .where(table_of(Expert).c.id == first.id)
    )
    db_session.commit()
    found = run_fast(db_session, SearchCriteria(), scope="vetted", today=TODAY)
    db_session.rollback()
    assert found is not None and found.total == 0


def test_uncommitted_writes_take_the_sql_path(db_session):
    add_expert(db_session, "Nadia Haddad")
    db_session.execute(sa.update(table_of(Expert)).values(active=False))
    assert run_fast(db_session, SearchCriteria(), scope="vetted", today=TODAY) is None
    db_session.rollback()
    found = run_fast(db_session, SearchCriteria(), scope="vetted", today=TODAY)
    assert found is not None and found.total == 1


def test_a_search_inside_a_read_transaction_takes_the_fast_path(db_session):
    """A request has read (its viewer, say) before it searches: the version is read in the same
    transaction, and the answer is the committed roster's."""
    add_expert(db_session, "Nadia Haddad")
    db_session.execute(sa.select(table_of(Expert).c.id)).all()
    assert db_session.in_transaction()
    found = run_fast(db_session, SearchCriteria(), scope="vetted", today=TODAY)
    assert found is not None and found.total == 1


def test_reading_the_version_outside_a_transaction_leaves_the_pool_transactional(db_session):
    """The version of a session that has not begun is read on a pooled connection in autocommit;
    the connection goes back to the pool transactional, so a later write can still roll back."""
    first = add_expert(db_session, "Nadia Haddad")
    assert run_fast(db_session, SearchCriteria(), scope="vetted", today=TODAY) is not None
    db_session.rollback()  # the first search built the model inside a transaction
    found = run_fast(db_session, SearchCriteria(), scope="vetted", today=TODAY)
    assert found is not None and found.total == 1
    assert not db_session.in_transaction()  # no BEGIN: the version was read outside
    db_session.execute(
        sa.update(table_of(Expert)).values(active=False).where(table_of(Expert).c.id == first.id)
    )
    db_session.rollback()
    active = db_session.execute(
        sa.select(table_of(Expert).c.active).where(table_of(Expert).c.id == first.id)
    ).scalar_one()
    assert active is True


def test_no_scope_finds_nothing(db_session):
    add_expert(db_session, "Nadia Haddad")
    found = run_fast(db_session, SearchCriteria(), scope=None, today=TODAY)
    assert found is not None and found.total == 0 and found.ids == []


def test_a_large_roster_is_rebuilt_in_the_background(db_session, monkeypatch):
    """After a change, the SQL path answers while the new model is built; then the fast path."""
    monkeypatch.setattr(readmodel, "BACKGROUND_FROM", 0)
    readmodel.forget()
    first = add_expert(db_session, "Nadia Haddad")
    before = run_fast(db_session, SearchCriteria(), scope="vetted", today=TODAY)
    db_session.rollback()
    assert before is not None and before.total == 1
    db_session.execute(
        sa.update(table_of(Expert)).values(active=False).where(table_of(Expert).c.id == first.id)
    )
    db_session.commit()
    assert run_fast(db_session, SearchCriteria(), scope="vetted", today=TODAY) is None
    db_session.rollback()
    readmodel.wait_for_rebuilds()
    after = run_fast(db_session, SearchCriteria(), scope="vetted", today=TODAY)
    assert after is not None and after.total == 0
