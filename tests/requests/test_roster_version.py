"""The roster version moves on, in the committing transaction, with every change to what candidate
matching reads, and the cached pool follows it: a change is seen by the next candidates call."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, delete, select

from roster.accounts.models import User
from roster.db import table_of
from roster.experts.models import AvailabilityWindow, Expert, ExpertLanguage, ExpertRegion
from roster.requests import candidate_loader, pool_cache, pool_loader, roster_version
from roster.requests.models import RosterVersion
from tests.support.factories import make_request


def _version(session: Session) -> tuple[int, str | None]:
    """The committed version, read by a session of its own."""
    with Session(session.get_bind()) as other:
        return roster_version.counter(other), roster_version.current(other)


def test_every_table_the_loader_reads_is_watched(db_session):
    read: set[str] = set()

    def note(_conn, _cursor, statement, _params, _context, _many) -> None:
        read.update(t.name for t in table_of_statement(statement))

    def table_of_statement(statement: str) -> list[sa.Table]:
        return [
            table
            for table in RosterVersion.metadata.sorted_tables
            if f" {table.name} " in f" {statement} ".replace("\n", " ").replace(",", " ")
        ]

    engine = db_session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        db_session.add(Expert(full_name="Watched Expert", vetting_status="vetted"))
        db_session.commit()
        read.clear()
        candidate_loader.candidate_facts(db_session, today=date(2026, 11, 23), vetted_only=False)
        pool_loader.load_pool(db_session, today=date(2026, 11, 23))
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    assert read, "the loader read no table"
    assert read <= roster_version.WATCHED, read - roster_version.WATCHED


def test_orm_bulk_and_core_writes_move_the_version_and_others_do_not(db_session):
    expert = Expert(full_name="Versioned Expert", vetting_status="vetted")
    db_session.add(expert)
    db_session.commit()
    seen = [_version(db_session)]

    def moved() -> bool:
        now = _version(db_session)
        changed = now != seen[-1]
        seen.append(now)
        return changed

    db_session.add(ExpertLanguage(expert_id=expert.id, language_code="fr", level="B2"))
    db_session.commit()
    assert moved(), "unit of work insert"
    db_session.execute(sa.update(Expert).where(Expert.id == expert.id).values(notice_days=3))
    db_session.commit()
    assert moved(), "bulk UPDATE"
    db_session.exec(delete(ExpertLanguage).where(ExpertLanguage.expert_id == expert.id))
    db_session.commit()
    assert moved(), "bulk DELETE"
    db_session.execute(
        sa.insert(table_of(ExpertRegion)), [{"expert_id": expert.id, "country_code": "ML"}]
    )
    db_session.commit()
    assert moved(), "Core INSERT on the table"
    db_session.add(
        AvailabilityWindow(
            expert_id=expert.id, starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 9)
        )
    )
    db_session.rollback()
    assert not moved(), "a rolled-back change"
    db_session.add(User(email="unrelated@roster.example", full_name="U", role="lno"))
    db_session.commit()
    assert not moved(), "a table matching does not read"
    with db_session.begin_nested():
        found = db_session.get_one(Expert, expert.id)
        found.deployable = True
    assert not moved(), "a savepoint alone commits nothing"
    db_session.commit()
    assert moved(), "the outer commit of a savepoint's change"
    counters = [c for c, _ in seen]
    assert counters == sorted(counters)


def test_a_change_is_seen_by_the_next_candidates_call(auth, client, make_user, db_session):
    pool_cache.clear()
    coordinator = make_user("coordinator", clearance="NS")
    found = make_request(db_session, coordinator, required="NU")
    first = auth.bearer(coordinator)
    url = f"/api/v1/requests/{found.id}/candidates"
    experts = [
        Expert(full_name=f"Cached Expert{n}", vetting_status="vetted", notice_days=0)
        for n in range(3)
    ]
    db_session.add_all(experts)
    db_session.commit()

    def ranked() -> list[int]:
        response = client.get(url, headers=first)
        assert response.status_code == 200, response.get_json()
        return [c["expert_id"] for c in response.get_json()]

    assert ranked() == [e.id for e in experts]
    assert ranked() == [e.id for e in experts]  # from the cached pool
    # Straight through a session, as the CLI or an import would.
    experts[1].vetting_status = "suspended"
    db_session.add(experts[1])
    db_session.commit()
    assert ranked() == [experts[0].id, experts[2].id]
    # Through the API's own write path (another request, another session).
    vetted = client.post(
        f"/api/v1/experts/{experts[1].id}/vetting",
        json={"status": "vetted", "valid_until": "2030-01-01", "note": "renewed"},
        headers=first,
    )
    assert vetted.status_code in {200, 201}, vetted.get_json()
    assert ranked() == [e.id for e in experts]
    unavailable = client.put(
        f"/api/v1/experts/{experts[0].id}/availability",
        json=[
            {
                "from": found.starts_on.isoformat(),
                "to": found.ends_on.isoformat(),
                "kind": "unavailable",
            }
        ],
        headers=first,
    )
    assert unavailable.status_code == 200, unavailable.get_json()
    assert ranked() == [experts[1].id, experts[2].id]
    db_session.rollback()
    assert db_session.exec(select(RosterVersion)).one().counter >= 3
