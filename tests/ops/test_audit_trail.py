"""The audit trail: append-only in the database, verify catches edits and deletions, denied
access is recorded, concurrent writers keep one chain, erasure keeps it, admins browse it."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlmodel import select

from roster import audit
from roster.experts import privacy
from tests.ops.tamper import around_the_guard


def _engine(app):
    return app.extensions["roster.engine"]


def _events(db_session, **where) -> list[audit.AuditEvent]:
    db_session.expire_all()
    query = select(audit.AuditEvent).order_by(audit.AuditEvent.id)
    for name, value in where.items():
        query = query.where(getattr(audit.AuditEvent, name) == value)
    return list(db_session.exec(query))


def _five_events(app) -> list[int]:
    for n in range(5):
        audit.record_separately(_engine(app), actor="system", action="test.step", step=n)
    with _engine(app).connect() as conn:
        return list(conn.execute(sa.select(audit.AuditEvent.id).order_by("id")).scalars())


def _verify(app):
    return app.test_cli_runner().invoke(args=["roster", "audit", "verify"])


def test_the_database_refuses_to_change_or_remove_events(app):
    ids = _five_events(app)
    table = audit.AuditEvent.__table__
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), _engine(app).begin() as conn:
        conn.execute(table.update().where(table.c.id == ids[0]).values(actor="user:999"))
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), _engine(app).begin() as conn:
        conn.execute(table.delete().where(table.c.id == ids[0]))
    assert _verify(app).exit_code == 0


def test_verify_names_the_first_edited_event(app):
    ids = _five_events(app)
    ok = _verify(app)
    assert ok.exit_code == 0, ok.output
    assert "intact: 5 events" in ok.output
    table = audit.AuditEvent.__table__
    with around_the_guard(_engine(app)) as conn:
        conn.execute(table.update().where(table.c.id == ids[2]).values(actor="user:999"))
    broken = _verify(app)
    assert broken.exit_code == 1
    assert f"broken at event id {ids[2]}" in broken.output


def test_verify_names_the_event_after_a_deleted_one(app):
    ids = _five_events(app)
    table = audit.AuditEvent.__table__
    with around_the_guard(_engine(app)) as conn:
        conn.execute(table.delete().where(table.c.id == ids[1]))
    broken = _verify(app)
    assert broken.exit_code == 1
    assert f"broken at event id {ids[2]}" in broken.output


def test_concurrent_writers_keep_one_chain(app, db_session):
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for n in range(8):
                audit.record_separately(
                    _engine(app), actor="system", action="test.race", worker=worker, n=n
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    events = _events(db_session, action="test.race")
    assert len(events) == 32
    assert len({e.prev_hash for e in events}) == 32  # no two events extend the same link
    assert audit.first_broken(db_session) is None


def test_forbidden_page_is_recorded_without_keeping_the_request(
    auth, client, make_user, db_session
):
    expert = make_user("expert")
    client = auth.page(expert)
    assert client.get("/admin/audit").status_code == 403
    [event] = _events(db_session, action="access.denied")
    assert event.actor == f"user:{expert.id}"
    assert event.subject == "route:/admin/audit"
    assert event.detail == {"reason": "forbidden", "method": "GET", "ids": {}}
    assert audit.first_broken(db_session) is None


def test_forbidden_and_bad_token_api_calls_are_recorded(auth, client, make_user, db_session):
    expert = make_user("expert")
    headers = auth.bearer(expert)
    assert client.get("/api/v1/audit", headers=headers).status_code == 403
    bad = {"Authorization": "Bearer not-a-real-token-at-all"}
    assert client.get("/api/v1/experts/5", headers=bad).status_code == 401
    assert client.get("/api/v1/me").status_code == 401  # no token: no attempt to record
    denied = _events(db_session, action="access.denied")
    assert [(e.actor, e.detail["reason"]) for e in denied] == [
        (f"user:{expert.id}", "forbidden"),
        ("anonymous", "bad_token"),
    ]
    assert denied[1].subject == "route:/api/v1/experts/<int:id>"
    assert denied[1].detail["ids"] == {"id": 5}
    assert "not-a-real-token" not in str([e.detail for e in denied])


def test_erasure_keeps_the_chain_and_names_nobody(app, db_session, make_user, make_expert):
    admin = make_user("admin")
    expert = make_expert(full_name="Zelda Quintessa-Marlowe")
    email = expert.email
    privacy.record_contact_read(session=db_session, actor=admin, expert=expert)
    privacy.export_expert(session=db_session, actor=admin, expert=expert)
    privacy.erase_expert(
        session=db_session, actor=admin, expert=expert, recently_authenticated=True
    )
    db_session.commit()
    events = _events(db_session, subject=f"expert:{expert.id}")
    assert [e.action for e in events] == ["expert.contact.read", "expert.export", "expert.erase"]
    assert audit.first_broken(db_session) is None
    trail = " ".join(audit.canonical(e) for e in _events(db_session))
    assert "Zelda" not in trail
    assert email not in trail


def test_admin_filters_and_pages_the_trail(auth, app, client, make_user, db_session):
    admin = make_user("admin")
    for n in range(60):
        audit.record_separately(
            _engine(app), actor="user:7", action="test.page", subject=f"expert:{n % 3}"
        )
    audit.record_separately(_engine(app), actor="system", action="test.other", subject="expert:1")
    headers = auth.bearer(admin)
    found = client.get("/api/v1/audit?action=test.page&per_page=25&page=2", headers=headers)
    assert found.status_code == 200
    body = found.get_json()
    assert (body["total"], body["pages"], body["page"], len(body["items"])) == (60, 3, 2, 25)
    first_page = client.get("/api/v1/audit?action=test.page&per_page=25", headers=headers)
    ids = [item["id"] for item in first_page.get_json()["items"]]
    assert ids == sorted(ids, reverse=True)
    by_subject = client.get("/api/v1/audit?subject=expert:1&actor=system", headers=headers)
    assert [i["action"] for i in by_subject.get_json()["items"]] == ["test.other"]
    today = db_session.exec(select(audit.AuditEvent.at)).first().date().isoformat()
    dated = client.get(f"/api/v1/audit?since={today}&until={today}", headers=headers)
    assert dated.get_json()["total"] >= 61
    empty = client.get("/api/v1/audit?until=2001-01-01", headers=headers)
    assert empty.get_json()["total"] == 0
    assert (
        client.get("/api/v1/audit?since=2026-02-02&until=2026-02-01", headers=headers).status_code
        == 422
    )
    assert client.get("/api/v1/audit?actor=%0Aroot", headers=headers).status_code == 422

    client = auth.page(admin)
    page = client.get("/admin/audit?action=test.other")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<caption>" in html and 'scope="col"' in html
    assert "test.other" in html and "1 events match" in html
    paged = client.get("/admin/audit?action=test.page&page=2").get_data(as_text=True)
    assert "page 2 of 2" in paged
    assert 'rel="prev"' in paged
    assert "until" in client.get("/admin/audit?since=2026-02-02&until=2026-02-01").get_data(
        as_text=True
    )
