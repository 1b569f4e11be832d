"""Coverage counts on a hand-built roster: who counts, who does not, and that each cell equals
the roster search it links to."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from roster.reports.coverage import CoverageQuery, coverage, search_query_string
from tests.reports.conftest import unavailable_today
from tests.search.conftest import search
from tests.support.factories import TODAY, cleared


def _build(roster) -> None:
    roster("Ada", topics={"crsv": 3, "poc": 2}, regions=["UA", "SY"], languages={"fr": "C1"},
           **cleared("NS"))  # fmt: skip
    roster("Ben", topics={"crsv": 2}, regions=["UA"], languages={"fr": "B1"}, **cleared("NR"))
    roster("Cleo", topics={"crsv": 4}, regions=["UA"], languages={"en": "native"})  # no clearance
    roster("Low level", topics={"crsv": 1}, regions=["UA"], **cleared("NS"))
    roster("Pending", vetting_status="pending", topics={"crsv": 3}, regions=["UA"], **cleared("NS"))
    roster("Lapsed", vetting_valid_until=TODAY - timedelta(days=1), topics={"crsv": 3},
           regions=["UA"], **cleared("NS"))  # fmt: skip
    roster("Away", topics={"crsv": 3}, regions=["UA"], windows=unavailable_today(), **cleared("NS"))
    roster("Inactive", active=False, topics={"crsv": 3}, regions=["UA"], **cleared("NS"))
    roster("Unverified", topics={"crsv": 3}, regions=["UA"],
           **cleared("NS", clearance_verified_at=None))  # fmt: skip


def test_counts_listed_available_experts_by_topic_and_region(app, db_session: Session, roster):
    _build(roster)
    cov = coverage(db_session, CoverageQuery(), today=TODAY)
    # Ada, Ben, Cleo and Unverified (no clearance asked); not Low level, Pending, Lapsed, Away
    # (unavailable today) or Inactive.
    assert cov.count("crsv", "UA") == 4
    assert cov.count("crsv", "SY") == 1
    assert cov.count("poc", "SY") == 1
    assert cov.count("poc", "UA") == 1
    assert cov.topic_totals["crsv"] == 4
    assert ("UA", "Ukraine") in cov.columns
    assert {"SY", "AF"} <= {code for code, _ in cov.columns}  # conflict-affected always shown


def test_clearance_level_and_topic_level_narrow_the_count(app, db_session: Session, roster):
    _build(roster)
    at_ns = coverage(db_session, CoverageQuery(clearance="NS"), today=TODAY)
    assert at_ns.count("crsv", "UA") == 1  # Ada only
    at_nr = coverage(db_session, CoverageQuery(clearance="NR"), today=TODAY)
    assert at_nr.count("crsv", "UA") == 2  # Ada and Ben
    deep = coverage(db_session, CoverageQuery(topic_level=3), today=TODAY)
    assert deep.count("crsv", "UA") == 3  # Ada, Cleo and Unverified
    aware = coverage(db_session, CoverageQuery(topic_level=1), today=TODAY)
    assert aware.count("crsv", "UA") == 5  # plus Low level


def test_language_dimension_uses_the_minimum_level(app, db_session: Session, roster):
    _build(roster)
    cov = coverage(db_session, CoverageQuery(dimension="language"), today=TODAY)
    assert cov.count("crsv", "fr") == 1  # Ben's French is B1, under B2
    assert cov.count("crsv", "en") == 2  # Cleo (native) and Unverified (the factory's C1)
    assert "fr" in dict(cov.columns)


def test_gaps_list_empty_and_thin_cells(app, db_session: Session, roster):
    _build(roster)
    cov = coverage(db_session, CoverageQuery(), today=TODAY)
    gaps = {(t, c): n for t, c, n in cov.gaps()}
    assert gaps[("crsv", "SY")] == 1
    assert gaps[("cthb", "UA")] == 0
    assert ("crsv", "UA") not in gaps  # four experts: covered


def test_each_cell_equals_the_roster_search_it_links_to(
    auth, client, db_session, roster, make_user
):
    _build(roster)
    lno = make_user("lno", clearance="NS")
    token = auth.bearer(lno)
    for query in (CoverageQuery(), CoverageQuery(clearance="NR", topic_level=3)):
        cov = coverage(db_session, query, today=TODAY)
        for topic, column in (("crsv", "UA"), ("crsv", "SY"), ("poc", "UA"), ("cthb", "UA")):
            body = search(client, token, search_query_string(query, TODAY, topic, column))
            assert body["total"] == cov.count(topic, column), (query, topic, column)
