"""What an attacker with write access to the database does: step around the guard triggers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa


@contextmanager
def around_the_guard(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A transaction in which audit_event can be changed; the guard is back afterwards."""
    with engine.begin() as conn:
        guards = []
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        else:
            guards = conn.execute(
                sa.text(
                    "SELECT name, sql FROM sqlite_master "
                    "WHERE type = 'trigger' AND tbl_name = 'audit_event'"
                )
            ).all()
            for name, _sql in guards:
                conn.execute(sa.text(f'DROP TRIGGER "{name}"'))
        yield conn
        for _name, sql in guards:
            conn.execute(sa.text(sql))
