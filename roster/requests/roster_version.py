"""The roster version: one row that changes, in the same transaction, with every committed change
to a table candidate matching reads, so that a pool built for one version is valid until the next.

Every session is watched (listeners on the Session class, installed on import): the unit of work
(objects added, changed or deleted) and bulk INSERT/UPDATE/DELETE run through `session.execute`.
The row is updated as the transaction's last statement before COMMIT, after a final flush: the
row lock it takes on PostgreSQL is held only for the commit itself, so it serializes commits that
change the roster without ever waiting on a lock while holding it (no deadlock).
"""

from __future__ import annotations

import secrets
from itertools import chain

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, SessionTransaction
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col

from roster.db import table_of, utcnow
from roster.experts.models import (
    AvailabilityWindow,
    Expert,
    ExpertLanguage,
    ExpertNationality,
    ExpertRegion,
    ExpertTopic,
)
from roster.requests.models import Assignment, RosterVersion

# What `candidate_loader.candidate_facts` reads: a change to any of these may change a candidate's
# eligibility or ranking. (Offers are not read: an accepted offer counts through its Assignment.
# The request's own needs and team are read afresh on every call, never cached.)
WATCHED_MODELS: tuple[type, ...] = (
    Expert,
    ExpertTopic,
    ExpertLanguage,
    ExpertRegion,
    ExpertNationality,
    AvailabilityWindow,
    Assignment,
)
WATCHED: frozenset[str] = frozenset(table_of(m).name for m in WATCHED_MODELS)
_CHANGED = "roster.roster_changed"


def current(session: Session) -> str | None:
    """The version's token, or None when the row is missing (nothing may then be cached)."""
    return session.execute(
        sa.select(col(RosterVersion.token)).where(col(RosterVersion.id) == 1)
    ).scalar_one_or_none()


def counter(session: Session) -> int:
    """How many changes the version has counted (0 when the row is missing)."""
    found = session.execute(
        sa.select(col(RosterVersion.counter)).where(col(RosterVersion.id) == 1)
    ).scalar_one_or_none()
    return int(found or 0)


def pending_change(session: OrmSession) -> bool:
    """Whether this session's open transaction changed the roster (flushed or not yet)."""
    return bool(session.info.get(_CHANGED)) or _touches(session)


def bump(session: OrmSession) -> None:
    """Move the version on, inside the session's transaction (recreating a missing row)."""
    token = secrets.token_hex(16)
    result = session.execute(
        sa.update(RosterVersion)
        .where(col(RosterVersion.id) == 1)
        .values(counter=col(RosterVersion.counter) + 1, token=token, changed_at=utcnow())
    )
    if isinstance(result, sa.CursorResult) and result.rowcount == 0:
        session.execute(
            sa.insert(RosterVersion).values(id=1, counter=1, token=token, changed_at=utcnow())
        )


def _touches(session: OrmSession) -> bool:
    return any(
        isinstance(obj, WATCHED_MODELS)
        for obj in chain(session.new, session.dirty, session.deleted)
    )


def _after_flush(session: OrmSession, _context: object) -> None:
    if not session.info.get(_CHANGED) and _touches(session):
        session.info[_CHANGED] = True


def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in WATCHED:
        state.session.info[_CHANGED] = True


def _before_commit(session: OrmSession) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction's commit bumps the version
    session.flush()  # the last writes first: the version row is the last lock taken
    if session.info.pop(_CHANGED, False):
        bump(session)


def _after_transaction_end(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)


def install() -> None:
    """Watch every session (idempotent; done on import)."""
    for name, listener in (
        ("after_flush", _after_flush),
        ("do_orm_execute", _on_execute),
        ("before_commit", _before_commit),
        ("after_transaction_end", _after_transaction_end),
    ):
        if not event.contains(OrmSession, name, listener):
            event.listen(OrmSession, name, listener)


install()
