"""The search answer built the fast way is the answer built the slow way: the compiled dump gives
the JSON marshmallow gives, byte for byte, and the cards kept per roster version are the cards
read afresh, trimmed for each viewer and renewed by any change."""

from __future__ import annotations

import json
from datetime import UTC, date, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, fields, post_dump

from roster.api.dump import NotCompilable, compile_dump
from roster.api.search import RESULT_SCHEMA, dump_result
from roster.db import table_of
from roster.experts.models import AvailabilityWindow, Expert, ExpertTopic
from roster.search import cards as cards_module
from roster.search.cards import load_cards
from roster.search.criteria import SearchCriteria
from roster.search.service import search_roster
from tests.search.conftest import search
from tests.search.test_fast_equivalence import criteria_st, expert_st, replace_roster
from tests.support.factories import TODAY, add_expert

D = timedelta(days=1)
CARD_FIELDS = list(RESULT_SCHEMA.fields["items"].inner.schema.fields)  # type: ignore[attr-defined]


def as_flask_sends(value: Any) -> str:
    """The app's JSON: sorted keys, ASCII, compact (Flask's provider outside debug)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


text = st.one_of(st.none(), st.text(max_size=12))
day = st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2200, 1, 1)))
moment = st.datetimes(timezones=st.sampled_from((UTC, timezone(timedelta(hours=-5)))))
number = st.one_of(st.none(), st.integers(-(2**40), 2**40), st.booleans())
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "id": st.integers(1, 2**31),
    "full_name": text,
    "email": text,
    "phone": text,
    "gender": text,
    "nationalities": st.lists(st.sampled_from(("UA", "IQ", "ML"))),
    "country_of_residence": text,
    "affiliation": st.one_of(
        st.none(), st.fixed_dictionaries({"name": text, "kind": st.sampled_from(("un", "ngo"))})
    ),
    "categories": st.lists(text),
    "topics": st.lists(
        st.fixed_dictionaries(
            {"code": text, "name": text, "level": number, "years": number},
            optional={"extra": text},
        )
    ),
    "languages": st.lists(st.fixed_dictionaries({"code": text, "level": text})),
    "regions": st.one_of(st.none(), st.lists(text)),
    "clearance": st.one_of(
        st.none(),
        st.fixed_dictionaries(
            {"level": text, "issued_by": text, "expires_on": day, "verified": st.booleans()}
        ),
    ),
    "vetting": st.fixed_dictionaries({"status": text, "valid_until": day}),
    "deployable": st.one_of(st.none(), st.booleans()),
    "max_concurrent": number,
    "bio": text,
    "availability": st.lists(
        st.fixed_dictionaries({"from": day, "to": day, "kind": text}, optional={"note": text})
    ),
    "active": st.booleans(),
    "updated_at": st.one_of(st.none(), moment),
    "version": number,
    "score": st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(0, 9)),
}


@st.composite
def card_st(draw) -> dict[str, Any]:
    shown = draw(st.lists(st.sampled_from(CARD_FIELDS), unique=True))
    card = {name: draw(VALUES[name]) for name in shown}
    if draw(st.booleans()):
        card["not_in_the_schema"] = "dropped"
    return card


payload_st = st.fixed_dictionaries(
    {
        "items": st.lists(card_st(), max_size=5),
        "total": st.integers(0, 10**6),
        "page": st.integers(1, 500),
        "per_page": st.integers(1, 100),
        "facets": st.dictionaries(
            st.sampled_from(("topic", "language", "region", "category", "clearance")),
            st.dictionaries(st.text(max_size=5), st.integers(0, 10**6), max_size=4),
        ),
    }
)


@settings(max_examples=300, deadline=None)
@given(payload=payload_st)
def test_the_compiled_dump_is_marshmallows_dump(payload):
    assert as_flask_sends(dump_result(payload)) == as_flask_sends(RESULT_SCHEMA.dump(payload))


def test_the_compiler_refuses_what_it_does_not_reproduce():
    class Hooked(Schema):
        a = fields.String()

        @post_dump
        def _shout(self, data, **_kw):
            return data

    class Computed(Schema):
        a = fields.Method("whatever")

        def whatever(self, obj):
            return obj

    class Money(Schema):
        a = fields.Decimal()

    class Defaulted(Schema):
        a = fields.String(dump_default="x")

    class Partial(Schema):
        a = fields.Nested(Money, only=("a",))

    for schema in (Hooked(), Computed(), Money(), Defaulted(), Partial(), Money(many=True)):
        with pytest.raises(NotCompilable):
            compile_dump(schema)


@pytest.fixture
def viewers(make_user) -> dict[str, Any]:
    return {
        "lno": make_user("lno", clearance="NS"),
        "coordinator": make_user("coordinator", clearance="NS"),
    }


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    experts=st.lists(expert_st, min_size=1, max_size=10),
    searches=st.lists(criteria_st, min_size=1, max_size=3),
)
def test_real_answers_dump_alike_and_kept_cards_are_fresh_cards(
    db_session, viewers, experts, searches
):
    replace_roster(db_session, experts)
    for criteria in searches:
        for viewer in viewers.values():
            for _twice in range(2):  # the second time the cards come from the cache
                found = search_roster(
                    session=db_session, viewer=viewer, criteria=criteria, today=TODAY
                )
                assert found.result.version is not None
                fresh = load_cards(db_session, found.result.ids, viewer=viewer, today=TODAY)
                db_session.rollback()
                assert [{k: v for k, v in c.items() if k != "score"} for c in found.cards] == fresh
                payload = {
                    "items": found.cards,
                    "total": found.result.total,
                    "page": criteria.page,
                    "per_page": criteria.per_page,
                    "facets": found.result.facets,
                }
                assert as_flask_sends(dump_result(payload)) == as_flask_sends(
                    RESULT_SCHEMA.dump(payload)
                )


def test_a_kept_card_is_trimmed_for_each_viewer(client, auth, viewers, db_session):
    cards_module.forget_cards()
    add_expert(db_session, "Nadia Haddad", email="nadia@x.example", phone="+1 555 0100")
    seen = search(client, auth.bearer(viewers["coordinator"]))["items"]
    assert seen[0]["email"] == "nadia@x.example" and seen[0]["phone"] == "+1 555 0100"
    shown = search(client, auth.bearer(viewers["lno"]))["items"]
    assert shown[0]["full_name"] == "Nadia Haddad"
    assert "email" not in shown[0] and "phone" not in shown[0]
    again = search(client, auth.bearer(viewers["coordinator"]))["items"]
    assert again == seen


def test_a_change_to_a_card_is_seen_by_the_next_search(client, auth, viewers, db_session):
    cards_module.forget_cards()
    expert = add_expert(db_session, "Nadia Haddad", topics={"crsv": 2}, bio="first")
    headers = auth.bearer(viewers["coordinator"])
    before = search(client, headers)["items"][0]
    assert before["bio"] == "first" and before["topics"][0]["level"] == 2
    assert before["availability"] == []
    for stmt in (
        sa.update(table_of(Expert)).values(bio="second").where(table_of(Expert).c.id == expert.id),
        sa.update(table_of(ExpertTopic)).values(level=3),
        sa.insert(table_of(AvailabilityWindow)).values(
            expert_id=expert.id, starts_on=TODAY + D, ends_on=TODAY + 2 * D, kind="unavailable"
        ),
    ):
        db_session.execute(stmt)
        db_session.commit()
        after = search(client, headers)["items"][0]
        assert after != before
        before = after
    assert after["bio"] == "second" and after["topics"][0]["level"] == 3
    assert after["availability"] == [
        {"from": (TODAY + D).isoformat(), "to": (TODAY + 2 * D).isoformat(), "kind": "unavailable"}
    ]


def test_a_kept_card_is_of_its_day(db_session, viewers):
    cards_module.forget_cards()
    add_expert(db_session, "Nadia Haddad", vetting_valid_until=TODAY + D)
    coordinator = viewers["coordinator"]
    today = search_roster(
        session=db_session, viewer=coordinator, criteria=SearchCriteria(), today=TODAY
    )
    db_session.rollback()
    assert today.cards[0]["vetting"]["status"] == "vetted"
    later = search_roster(
        session=db_session,
        viewer=coordinator,
        criteria=SearchCriteria(vetting=("expired",)),
        today=TODAY + 2 * D,
    )
    db_session.rollback()
    assert later.result.version == today.result.version
    assert later.cards[0]["vetting"]["status"] == "expired"


def test_an_answer_read_with_own_writes_keeps_no_card(db_session, viewers):
    cards_module.forget_cards()
    expert = add_expert(db_session, "Nadia Haddad", bio="committed")
    expert_t = table_of(Expert)
    db_session.execute(
        sa.update(expert_t).values(bio="uncommitted").where(expert_t.c.id == expert.id)
    )
    inside = search_roster(
        session=db_session, viewer=viewers["coordinator"], criteria=SearchCriteria(), today=TODAY
    )
    assert inside.result.version is None and inside.cards[0]["bio"] == "uncommitted"
    db_session.rollback()
    outside = search_roster(
        session=db_session, viewer=viewers["coordinator"], criteria=SearchCriteria(), today=TODAY
    )
    db_session.rollback()
    assert outside.cards[0]["bio"] == "committed"
