"""Upkeep of the search documents: `reindex_experts` after any change to experts, `reindex_all`.

The documents live in `expert_search`; on SQLite, triggers created by migration 0002 mirror every
insert and delete into the FTS5 table, and on PostgreSQL the tsvector is a generated column, so
keeping `expert_search` right keeps the engine's index right. Services call `reindex_experts`
after they flush a change to an expert's name, affiliation, bio or topics, or erase or delete one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

import sqlalchemy as sa
from sqlmodel import Session, col

from roster.db import table_of
from roster.experts.models import Expert, ExpertTopic
from roster.reference.models import Topic
from roster.search.criteria import fold
from roster.search.models import ExpertSearch

BATCH = 2000

_expert = table_of(Expert)
_search = table_of(ExpertSearch)


def _batches(ids: list[int], size: int = BATCH) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def documents(session: Session, expert_ids: list[int]) -> list[dict[str, object]]:
    """The search rows for these experts; erased experts (pseudonym set) get none."""
    experts = session.execute(
        sa.select(
            _expert.c.id,
            _expert.c.full_name,
            _expert.c.affiliation_name,
            _expert.c.bio,
        ).where(_expert.c.id.in_(expert_ids), _expert.c.pseudonym.is_(None))
    ).all()
    topic_words: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        sa.select(col(ExpertTopic.expert_id), col(Topic.code), col(Topic.name))
        .join(Topic, col(Topic.code) == col(ExpertTopic.topic_code))
        .where(col(ExpertTopic.expert_id).in_(expert_ids))
        .order_by(col(ExpertTopic.expert_id), col(Topic.position), Topic.code)
    ).all()
    for expert_id, code, name in rows:
        topic_words[expert_id].append(f"{name} {code}")
    return [
        {
            "expert_id": eid,
            "name": fold(full_name),
            "affiliation": fold(affiliation or ""),
            "topics": fold(" ".join(topic_words[eid])),
            "bio": fold(bio or ""),
            "sort_name": fold(full_name)[:200],
        }
        for eid, full_name, affiliation, bio in experts
    ]


def reindex_experts(session: Session, expert_ids: Iterable[int]) -> None:
    """Rebuild the search documents of these experts (flushes first; the caller commits).

    Safe for any id: a deleted or erased expert loses its document, a new one gains it."""
    ids = sorted({int(i) for i in expert_ids})
    if not ids:
        return
    session.flush()
    for chunk in _batches(ids):
        rows = documents(session, chunk)
        session.execute(sa.delete(_search).where(_search.c.expert_id.in_(chunk)))
        if rows:
            session.execute(sa.insert(_search), rows)


def reindex_all(session: Session, *, progress: Callable[[int], object] | None = None) -> int:
    """Rebuild every document (after a bulk load or a restore); returns how many were written.

    `progress`, if given, is called with the number of experts done after each batch."""
    session.flush()
    session.execute(sa.delete(_search))
    ids = list(session.execute(sa.select(_expert.c.id).order_by(_expert.c.id)).scalars())
    written = 0
    for chunk in _batches(ids):
        rows = documents(session, chunk)
        if rows:
            session.execute(sa.insert(_search), rows)
        written += len(rows)
        if progress is not None:
            progress(len(chunk))
    return written
