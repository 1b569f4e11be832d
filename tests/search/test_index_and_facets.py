"""Index upkeep on insert, update, erasure and deactivation; facets equal the filtered counts;
the same roster gives the same results on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, delete

from roster.cli import alembic_config
from roster.db import make_engine
from roster.experts.models import Expert, ExpertTopic
from roster.search.criteria import SearchCriteria, TopicNeed
from roster.search.index import reindex_experts
from roster.search.query import run_search
from roster.seeding import load_reference
from tests.conftest import ENGINES, new_database
from tests.search.conftest import names, search
from tests.support.factories import TODAY, add_expert


def test_index_follows_insert_update_erasure_and_deactivation(
    auth, client, make_expert, db_session, lno, coordinator
):
    amina = make_expert("Amina Haddad", bio="Mediation in the Sahel.")
    assert names(search(client, auth.bearer(lno), "q=haddad")) == ["Amina Haddad"]
    amina.full_name, amina.bio = "Amina Osei", "Forensics."
    db_session.add(amina)
    db_session.add(ExpertTopic(expert_id=amina.id, topic_code="cpp", level=3))
    db_session.flush()
    reindex_experts(db_session, [amina.id])
    db_session.commit()
    assert names(search(client, auth.bearer(lno), "q=haddad")) == []
    assert names(search(client, auth.bearer(lno), "q=forensics osei")) == ["Amina Osei"]
    assert names(search(client, auth.bearer(lno), "q=cultural")) == ["Amina Osei"]
    amina.active = False
    db_session.add(amina)
    db_session.commit()
    assert search(client, auth.bearer(lno), "q=osei")["total"] == 0
    assert names(search(client, auth.bearer(coordinator), "q=osei")) == ["Amina Osei"]
    amina.full_name, amina.pseudonym, amina.bio = "Erased expert", "erased-7", ""
    db_session.add(amina)
    db_session.flush()
    reindex_experts(db_session, [amina.id])
    db_session.commit()
    for token in (auth.bearer(lno), auth.bearer(coordinator)):
        assert search(client, token, "q=osei")["total"] == 0
        assert search(client, token, "q=erased")["total"] == 0


TOPICS = ("poc", "crsv", "cthb", "sea")
LANGS = ("en", "fr", "ar")
expert_spec = st.fixed_dictionaries(
    {
        "topics": st.dictionaries(st.sampled_from(TOPICS), st.integers(1, 4), min_size=1),
        "languages": st.dictionaries(st.sampled_from(LANGS), st.sampled_from(("B1", "C1"))),
        "regions": st.lists(st.sampled_from(("UA", "ML", "IQ")), unique=True, max_size=2),
        "vetting_status": st.sampled_from(("vetted", "vetted", "pending")),
        "deployable": st.booleans(),
    }
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    roster=st.lists(expert_spec, min_size=1, max_size=8),
    wanted=st.lists(st.sampled_from(TOPICS), unique=True, max_size=2),
    mode=st.sampled_from(("all", "any")),
    deployable=st.sampled_from((None, True)),
)
def test_facets_equal_counts_of_the_filtered_results(db_session, roster, wanted, mode, deployable):
    db_session.exec(delete(Expert))
    db_session.commit()
    for i, spec in enumerate(roster):
        add_expert(db_session, f"Expert {i}", **spec)
    criteria = SearchCriteria(
        topics=tuple(TopicNeed(code) for code in wanted),
        topic_mode=mode,
        deployable=deployable,
        per_page=100,
    )
    result = run_search(db_session, criteria, scope="vetted", today=TODAY)
    listed = [
        spec
        for spec in roster
        if spec["vetting_status"] == "vetted"
        and (deployable is None or spec["deployable"] == deployable)
        and (
            not wanted or (all if mode == "all" else any)(code in spec["topics"] for code in wanted)
        )
    ]
    assert result.total == len(listed) == len(result.ids)
    expected = {"topic": {}, "language": {}, "region": {}}
    for spec in listed:
        for facet, keys in (("topic", spec["topics"]), ("language", spec["languages"])):
            for key in keys:
                expected[facet][key] = expected[facet].get(key, 0) + 1
        for key in spec["regions"]:
            expected["region"][key] = expected["region"].get(key, 0) + 1
    assert {k: result.facets[k] for k in expected} == expected


CASES = [
    SearchCriteria(sort="name"),
    SearchCriteria(q="mediation", sort="name"),
    SearchCriteria(q="sahel mediation"),
    SearchCriteria(topics=(TopicNeed("crsv", 3),), sort="last_engaged"),
    SearchCriteria(topics=(TopicNeed("crsv", 3), TopicNeed("poc")), topic_mode="any"),
    SearchCriteria(q="haddad"),
]


def _run_on(engine_name: str, pg_server, tmp_path_factory) -> list:
    url, drop = new_database(engine_name, pg_server, tmp_path_factory)
    try:
        command.upgrade(alembic_config(url), "head")
        engine = make_engine(url)
        with Session(engine) as session:
            load_reference(session)
            add_expert(session, "Amina Haddad", bio="Mediation in the Sahel.", topics={"crsv": 4})
            add_expert(session, "Émile Zola", bio="Sahel field work.", topics={"poc": 2})
            add_expert(session, "Zoë Haddad", bio="Mediation, mediation.", topics={"crsv": 3})
            add_expert(session, "bo Berg", bio="Trafficking.", topics={"cthb": 2})
            add_expert(session, "Pending One", bio="Mediation.", vetting_status="pending")
            out = []
            for criteria in CASES:
                found = run_search(session, criteria, scope="vetted", today=TODAY)
                # Relevance scores differ by engine (bm25 vs ts_rank): same set, order may differ.
                ids = sorted(found.ids) if criteria.sort == "relevance" else found.ids
                out.append((ids, found.total, found.facets))
        engine.dispose()
        return out
    finally:
        drop()


def test_same_results_on_sqlite_and_postgresql(pg_server, tmp_path_factory):
    results = [_run_on(name, pg_server, tmp_path_factory) for name in ENGINES]
    assert results[0] == results[1]
