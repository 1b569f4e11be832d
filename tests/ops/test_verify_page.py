"""The audit page's "Verify the chain": the same check and words as `flask roster audit verify`."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from roster import audit
from tests.conftest import csrf_token
from tests.ops.tamper import around_the_guard


def _engine(app):
    return app.extensions["roster.engine"]


def _cli_output(app) -> str:
    result = app.test_cli_runner().invoke(args=["roster", "audit", "verify"])
    return result.output


def _verify_on_page(client) -> str:
    token = csrf_token(client, "/admin/audit")
    response = client.post("/admin/audit/verify", data={"csrf_token": token})
    assert response.status_code == 302
    return html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))


def test_the_page_shows_the_commands_verdict_intact_then_broken(app, auth, make_user):
    for n in range(3):
        audit.record_separately(_engine(app), actor="system", action="test.step", step=n)
    client = auth.page(make_user("admin"))
    intact = _cli_output(app).strip()
    assert intact.startswith("Audit trail intact:")
    assert intact in _verify_on_page(client)

    table = audit.AuditEvent.__table__
    with _engine(app).connect() as conn:
        first = conn.execute(sa.select(table.c.id).order_by(table.c.id)).scalars().first()
    with around_the_guard(_engine(app)) as conn:
        conn.execute(table.update().where(table.c.id == first).values(actor="user:999"))
    broken = _cli_output(app).strip().removeprefix("Error: ")
    assert broken.startswith(f"Audit trail broken at event id {first}")
    page = _verify_on_page(client)
    assert broken in page
    assert "Audit trail intact" not in page


@pytest.mark.parametrize("role", ["coordinator", "lno"])
def test_only_admins_verify(auth, make_user, role):
    client = auth.page(make_user(role))
    token = csrf_token(client, "/")
    assert client.post("/admin/audit/verify", data={"csrf_token": token}).status_code == 403


def test_verify_needs_the_csrf_token(auth, make_user):
    client = auth.page(make_user("admin"))
    assert client.post("/admin/audit/verify").status_code == 400
