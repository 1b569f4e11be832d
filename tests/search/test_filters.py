"""Search filters over the API: topics AND/ANY, levels, clearance, availability, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.search.conftest import names, search
from tests.support.factories import TODAY, VERIFIED

D = timedelta(days=1)


def test_topics_all_is_the_default_and_any_widens(auth, client, make_expert, lno):
    make_expert("Both", topics={"crsv": 3, "poc": 3})
    make_expert("Only CRSV", topics={"crsv": 3})
    make_expert("Only PoC", topics={"poc": 4})
    both = search(client, auth.bearer(lno), "topic=crsv&topic=poc&sort=name")
    assert names(both) == ["Both"]
    either = search(client, auth.bearer(lno), "topic=crsv&topic=poc&topic_mode=any&sort=name")
    assert names(either) == ["Both", "Only CRSV", "Only PoC"]
    assert either["total"] == 3


def test_topic_and_language_levels_are_minimums(auth, client, make_expert, lno):
    make_expert("Level 2", topics={"crsv": 2}, languages={"fr": "B1"})
    make_expert("Level 3", topics={"crsv": 3}, languages={"fr": "B2"})
    make_expert("Level 4", topics={"crsv": 4}, languages={"fr": "native"})
    assert names(search(client, auth.bearer(lno), "topic=crsv:3&sort=name")) == [
        "Level 3",
        "Level 4",
    ]
    assert names(search(client, auth.bearer(lno), "topic=crsv:4")) == ["Level 4"]
    assert names(search(client, auth.bearer(lno), "language=fr:B2&sort=name")) == [
        "Level 3",
        "Level 4",
    ]
    assert names(search(client, auth.bearer(lno), "language=fr:C2")) == ["Level 4"]


def test_clearance_filter_ignores_unverified_and_expired(auth, client, make_expert, lno):
    make_expert("Verified NS", clearance_level="NS", clearance_verified_at=VERIFIED)
    make_expert("Verified NC", clearance_level="NC", clearance_verified_at=VERIFIED)
    make_expert("Unverified CTS", clearance_level="CTS")
    make_expert(
        "Expired NS",
        clearance_level="NS",
        clearance_verified_at=VERIFIED,
        clearance_expires_on=TODAY - D,
    )
    make_expert(
        "Expires today NS",
        clearance_level="NS",
        clearance_verified_at=VERIFIED,
        clearance_expires_on=TODAY,
    )
    body = search(client, auth.bearer(lno), "clearance=NS&sort=name")
    assert names(body) == ["Expires today NS", "Verified NS"]
    assert body["facets"]["clearance"] == {"NS": 2}
    assert names(search(client, auth.bearer(lno), "clearance=NC&sort=name")) == [
        "Expires today NS",
        "Verified NC",
        "Verified NS",
    ]


def test_availability_window_edges(auth, client, make_expert, lno):
    start, end = TODAY + 10 * D, TODAY + 20 * D
    make_expert(
        "Free", windows=[(TODAY, start - D, "unavailable"), (end + D, end + 9 * D, "unavailable")]
    )
    make_expert("Busy on last day", windows=[(end, end + 5 * D, "unavailable")])
    make_expert("Busy on first day", windows=[(start - 5 * D, start, "unavailable")])
    make_expert("Declared cover", windows=[(start, end, "available")])
    make_expert(
        "Declared in two touching parts",
        windows=[(start, start + 4 * D, "available"), (start + 5 * D, end, "available")],
    )
    make_expert(
        "Declared with a gap",
        windows=[(start, start + 4 * D, "available"), (start + 6 * D, end, "available")],
    )
    make_expert("Declared too short", windows=[(start + D, end, "available")])
    body = search(client, auth.bearer(lno), f"available_from={start}&available_to={end}&sort=name")
    assert names(body) == ["Declared cover", "Declared in two touching parts", "Free"]


BAD = [
    ("topic=crsv:9", "topic"),
    ("topic=no-such-topic", "topic"),
    ("topic=CRSV!", "topic"),
    ("language=fr:Z9", "language"),
    ("language=french", "language"),
    ("topic_mode=some", "topic_mode"),
    ("clearance=TOP", "clearance"),
    ("region=ZZ", "region"),
    ("nationality=XX", "nationality"),
    ("category=hero", "category"),
    ("available_from=2026-13-01&available_to=2026-12-01", "available_from"),
    ("available_from=2026-12-01", "available_to"),
    ("available_from=2026-12-10&available_to=2026-12-01", "available_to"),
    ("deployable=maybe", "deployable"),
    ("sort=random", "sort"),
    ("page=0", "page"),
    ("page=abc", "page"),
    ("per_page=101", "per_page"),
    ("per_page=-1", "per_page"),
    ("vetting=vetted", "vetting"),
    ("q=" + "x" * 201, "q"),
    ("colour=red", "colour"),
]


@pytest.mark.parametrize(("query", "field"), BAD)
def test_bad_parameters_are_422_with_fields(auth, client, lno, query, field):
    body = search(client, auth.bearer(lno), query, status=422)
    assert body["error"]["code"] == "validation_failed"
    assert field in {key.split(".")[0] for key in body["error"]["fields"]}


def test_text_query_operators_never_reach_the_engine(auth, client, make_expert, lno):
    make_expert("Amina Haddad", bio="Mediation in the Sahel.")
    for q in ['"', "NEAR(", "a OR", "*", "-", "mediation AND NOT", "(:)", "'"]:
        search(client, auth.bearer(lno), f"q={q}")
    assert names(search(client, auth.bearer(lno), "q=MÉDIATION")) == ["Amina Haddad"]
    assert names(search(client, auth.bearer(lno), "q=medi*")) == ["Amina Haddad"]
    assert names(search(client, auth.bearer(lno), "q=medi")) == []


def test_roles_outside_staff_cannot_search(auth, client, make_user):
    assert client.get("/api/v1/experts").status_code == 401
    expert = make_user("expert")
    search(client, auth.bearer(expert), "", status=403)


def test_search_page_access_and_narrowing(auth, client, make_expert, make_user):
    make_expert("Amina Haddad", topics={"crsv": 4}, bio="Mediation.")
    make_expert("Bo Berg", topics={"poc": 2})
    assert client.get("/search").status_code == 302
    expert = make_user("expert")
    assert auth.page(expert).get("/search").status_code == 403
    lno = make_user("lno")
    lno_client = auth.page(lno)
    page = lno_client.get("/search?q=mediation&topic=crsv:3&topic=&language=")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Amina Haddad" in html and "Bo Berg" not in html
    assert lno_client.get("/search?topic=crsv:9").status_code == 422
