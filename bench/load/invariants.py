"""What must hold after any load: no seat over-filled, no expert double-booked or over capacity,
the audit chain intact, every outbox message delivered exactly once."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from sqlmodel import Session

from roster import audit


def problems(engine: sa.Engine, delivered: Counter[str]) -> list[str]:
    """Every broken invariant, described (empty when all hold). `delivered`: how many times each
    Message-ID reached the SMTP server."""
    found: list[str] = []
    with engine.connect() as conn:
        for request_id, seats, filled, held in conn.execute(
            sa.text(
                "SELECT r.id, r.seats, r.filled, count(a.id) FROM crisis_request r "
                "LEFT JOIN assignment a ON a.request_id = r.id GROUP BY r.id, r.seats, r.filled"
            )
        ):
            if held > seats or held != filled:
                found.append(
                    f"request {request_id}: {held} seats taken, {filled} of {seats} filled"
                )
        for first, second, expert in conn.execute(
            sa.text(
                "SELECT a.id, b.id, a.expert_id FROM assignment a JOIN assignment b "
                "ON a.expert_id = b.expert_id AND a.id < b.id "
                "AND a.starts_on <= b.ends_on AND b.starts_on <= a.ends_on "
                "AND (a.mode = 'deployed' OR b.mode = 'deployed')"
            )
        ):
            found.append(f"expert {expert} double-booked (deployed): seats {first} and {second}")
        for expert, day, active, most in conn.execute(
            sa.text(
                "SELECT a.expert_id, a.starts_on, count(b.id), e.max_concurrent FROM assignment a "
                "JOIN assignment b ON b.expert_id = a.expert_id "
                "AND b.starts_on <= a.starts_on AND a.starts_on <= b.ends_on "
                "JOIN expert e ON e.id = a.expert_id "
                "GROUP BY a.id, a.expert_id, a.starts_on, e.max_concurrent "
                "HAVING count(b.id) > e.max_concurrent"
            )
        ):
            found.append(f"expert {expert}: {active} engagements on {day}, at most {most}")
        outbox = dict(conn.execute(sa.text("SELECT id, state FROM outbox_message")).all())
    not_sent = sorted(i for i, state in outbox.items() if state != "sent")
    if not_sent:
        found.append(f"{len(not_sent)} outbox messages not sent (first ids {not_sent[:5]})")
    expected = {f"<outbox-{i}@roster.example>" for i in outbox}
    twice = sorted(m for m, n in delivered.items() if n > 1)
    if twice:
        found.append(f"{len(twice)} messages delivered more than once: {twice[:5]}")
    missing = sorted(expected - set(delivered))
    if missing:
        found.append(f"{len(missing)} messages never delivered: {missing[:5]}")
    stray = sorted(set(delivered) - expected)
    if stray:
        found.append(f"{len(stray)} deliveries of no outbox message: {stray[:5]}")
    with Session(engine) as session:
        broken = audit.first_broken(session)
    if broken is not None:
        found.append(f"audit chain broken at event {broken}")
    return found
