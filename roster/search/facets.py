"""Facet counts over the filtered set: topic, language, region, category and verified clearance."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from roster.db import table_of
from roster.experts.models import (
    ExpertCategory,
    ExpertLanguage,
    ExpertRegion,
    ExpertTopic,
)

FACET_NAMES = ("topic", "language", "region", "category", "clearance")

_FACET_COLUMNS = (
    ("topic", table_of(ExpertTopic).c.topic_code),
    ("language", table_of(ExpertLanguage).c.language_code),
    ("region", table_of(ExpertRegion).c.country_code),
    ("category", table_of(ExpertCategory).c.category),
)


def _label(name: str) -> ColumnElement[str]:
    return sa.literal_column(f"'{name}'", sa.String)  # a constant of ours, never user input


def facet_selects(hits: sa.CTE) -> list[sa.Select]:
    """One (facet, key, count) select per facet; each counts experts of `hits`, never rows twice
    (the child tables have one row per expert and key). The clearance facet reads the hits' own
    `clearance` column: the level of a clearance valid today, NULL if none."""
    selects = []
    for name, column in _FACET_COLUMNS:
        # Grouping on an expression, not the bare column, keeps SQLite from scanning the whole
        # child table through its (code) index just to skip a sort: the hits drive the join.
        key = column.op("||")(sa.literal_column("''"))
        selects.append(
            sa.select(_label(name), key, sa.func.count())
            .select_from(hits.join(column.table, hits.c.id == column.table.c.expert_id))
            .group_by(key)
        )
    selects.append(
        sa.select(_label("clearance"), hits.c.clearance, sa.func.count())
        .where(hits.c.clearance.is_not(None))
        .group_by(hits.c.clearance)
    )
    return selects
