"""After a change, a large roster's new read model is built in the background; the words
searched last are matched and scored for the new version there, before it is published, and the
answers stay exactly those of the SQL path."""

from __future__ import annotations

import sqlalchemy as sa

from roster.db import table_of
from roster.experts.models import Expert
from roster.search import fast, readmodel
from roster.search.criteria import SearchCriteria
from roster.search.fast import run_fast
from roster.search.query import run_search
from tests.support.factories import TODAY, add_expert


def answer(session, criteria):
    found = run_fast(session, criteria, scope="vetted", today=TODAY)
    session.rollback()
    return found


def test_recent_words_are_scored_for_the_new_version_before_it_is_published(
    db_session, monkeypatch
):
    monkeypatch.setattr(readmodel, "BACKGROUND_FROM", 0)
    readmodel.forget()
    fast._matches.clear()
    first = add_expert(db_session, "Nadia Haddad", bio="gender mediation")
    add_expert(db_session, "Omar Farouk", bio="gender gender")
    gender, mediation = SearchCriteria(q="gender"), SearchCriteria(q="mediation")
    assert answer(db_session, gender) is not None and answer(db_session, mediation) is not None
    old = {k[0] for k in fast._matches}
    assert len(old) == 1

    db_session.execute(
        sa.update(table_of(Expert)).values(active=False).where(table_of(Expert).c.id == first.id)
    )
    db_session.commit()
    add_expert(db_session, "Lena Park", bio="gender")
    assert answer(db_session, gender) is None  # the new model is being built
    readmodel.wait_for_rebuilds()
    new = {k[0] for k in fast._matches} - old
    assert len(new) == 1
    assert {k[3] for k in fast._matches if k[0] in new} == {
        fast._query_text(db_session.get_bind().dialect.name, c) for c in (gender, mediation)
    }

    calls = []
    monkeypatch.setattr(fast, "_score_matches", lambda *a: calls.append(a))  # must not run
    for criteria in (gender, mediation):
        found = answer(db_session, criteria)
        slow = run_search(db_session, criteria, scope="vetted", today=TODAY)
        db_session.rollback()
        assert found is not None and calls == []
        assert (found.ids, found.total, found.facets, found.scores) == (
            slow.ids,
            slow.total,
            slow.facets,
            slow.scores,
        )
    again = answer(db_session, gender)
    assert again is not None and again.total == 2


def test_a_failed_warm_still_publishes_the_model(db_session, monkeypatch):
    monkeypatch.setattr(readmodel, "BACKGROUND_FROM", 0)
    readmodel.forget()
    add_expert(db_session, "Nadia Haddad", bio="gender")
    assert answer(db_session, SearchCriteria(q="gender")) is not None

    def broken(*_a):
        raise RuntimeError("no")

    monkeypatch.setattr(fast, "warm_words", broken)
    add_expert(db_session, "Omar Farouk", bio="gender")
    assert answer(db_session, SearchCriteria()) is None
    readmodel.wait_for_rebuilds()
    found = answer(db_session, SearchCriteria(q="gender"))
    assert found is not None and found.total == 2
