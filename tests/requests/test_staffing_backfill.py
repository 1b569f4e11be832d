"""Migration 0012 backfills the time to staff of requests already past triage or offers: the
first triage in the history, the first offer sent."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session

from roster.cli import alembic_config
from roster.db import make_engine
from roster.seeding import load_reference
from tests.conftest import ENGINES, new_database

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
FILLERS = {
    sa.Boolean: False,
    sa.Integer: 0,
    sa.Date: date(2027, 1, 1),
    sa.DateTime: T0,
    sa.String: "x",
    sa.Text: "",
    sa.JSON: [],
}


def insert(conn: sa.Connection, name: str, **values: Any) -> int:
    """A row with `values`, and a filler in every other required column (the table as the
    database holds it at this revision, not as the models are now)."""
    table = sa.Table(name, sa.MetaData(), autoload_with=conn)
    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.primary_key:
            continue
        if column.server_default is None:
            fillers = (v for t, v in FILLERS.items() if isinstance(column.type, t))
            row[column.name] = next(fillers, None)
            assert row[column.name] is not None, (name, column.name, column.type)
    return conn.execute(table.insert().values(**row)).inserted_primary_key[0]


@pytest.mark.parametrize("engine_name", ENGINES)
def test_the_migration_backfills_triage_and_first_offer(engine_name, pg_server, tmp_path_factory):
    url, drop = new_database(engine_name, pg_server, tmp_path_factory)
    try:
        config = alembic_config(url)
        command.upgrade(config, "0010")
        engine = make_engine(url)
        with Session(engine) as session:
            load_reference(session)
            session.commit()
        with engine.begin() as conn:
            lno = insert(conn, "user_account", email="lno@roster.example", role="lno")
            expert = insert(
                conn,
                "expert",
                full_name="Backfilled Expert",
                vetting_status="vetted",
                gender="undisclosed",
                affiliation_kind="independent",
                max_concurrent=1,
            )
            common = {
                "title": "Old request",
                "kind": "crisis",
                "classification": "NU",
                "required_clearance": "NU",
                "urgency": "routine",
                "mode": "remote",
                "seats": 1,
                "filled": 0,
                "requested_by_id": lno,
                "submitted_at": T0,
            }
            offered = insert(conn, "crisis_request", state="matching", **common)
            waiting = insert(conn, "crisis_request", state="submitted", **common)
            for at in (datetime(2026, 11, 2, 9, 0, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC)):
                insert(
                    conn,
                    "request_event",
                    request_id=offered,
                    at=at,
                    action="triage",
                    from_state="submitted",
                    to_state="matching",
                )
            for sent in (
                datetime(2026, 11, 2, 11, 0, tzinfo=UTC),
                datetime(2026, 11, 4, tzinfo=UTC),
            ):
                insert(
                    conn,
                    "offer",
                    request_id=offered,
                    expert_id=expert,
                    state="open",
                    respond_by=datetime(2026, 11, 9, tzinfo=UTC),
                    created_at=sent,
                )
        engine.dispose()
        command.upgrade(config, "head")
        engine = make_engine(url)
        with engine.connect() as conn:
            rows = {
                r.id: r
                for r in conn.execute(
                    sa.text("SELECT id, triaged_at, first_offer_at FROM crisis_request")
                )
            }
        engine.dispose()
        assert str(rows[offered].triaged_at).startswith("2026-11-02 09:00")
        assert str(rows[offered].first_offer_at).startswith("2026-11-02 11:00")
        assert rows[waiting].triaged_at is None and rows[waiting].first_offer_at is None
    finally:
        drop()
