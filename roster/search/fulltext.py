"""The full-text part of a search: SQLite FTS5 (bm25) or PostgreSQL tsvector (ts_rank)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from roster.db import table_of
from roster.search.models import FTS_TABLE, TSVECTOR_COLUMN, ExpertSearch

# Column weights: a word in the name counts most, then affiliation and topics, then the bio.
# FTS5 takes one weight per column in declaration order (name, affiliation, topics, bio); PostgreSQL
# gives name weight A, affiliation and topics B, bio D in the generated tsvector.
BM25_WEIGHTS = (10.0, 4.0, 4.0, 1.0)

_fts = sa.table(FTS_TABLE, sa.column("rowid", sa.Integer))
_search = table_of(ExpertSearch)


@dataclass(frozen=True)
class TextMatch:
    """How to join the text index to `expert`, the match condition, the relevance (higher first)."""

    join_target: sa.FromClause
    on: ColumnElement[bool]
    where: ColumnElement[bool]
    relevance: ColumnElement[float]


def fts5_query(terms: tuple[str, ...]) -> str:
    """Every word must appear: `"mediation" AND "iraq"`; `medi*` matches as a prefix. Words are
    [^\\W_]+ only. Whole words by default: prefix scans cost several times more."""
    return " AND ".join(f'"{t[:-1]}"*' if t.endswith("*") else f'"{t}"' for t in terms)


def tsquery_text(terms: tuple[str, ...]) -> str:
    """The same query for PostgreSQL's to_tsquery: `mediation & iraq`, `medi:*`."""
    return " & ".join(f"{t[:-1]}:*" if t.endswith("*") else t for t in terms)


def text_match(dialect: str, expert_id: ColumnElement[int]) -> TextMatch:
    """The match on the given engine; the words arrive as :fts_query or :ts_query."""
    if dialect == "sqlite":
        fts: sa.ColumnClause[Any] = sa.literal_column(FTS_TABLE)
        return TextMatch(
            join_target=_fts,
            on=_fts.c.rowid == expert_id,
            where=fts.op("MATCH")(sa.bindparam("fts_query", type_=sa.String)),
            relevance=-sa.func.bm25(fts, *BM25_WEIGHTS),
        )
    if dialect == "postgresql":
        document: sa.ColumnClause[Any] = sa.literal_column(f"{_search.name}.{TSVECTOR_COLUMN}")
        query = sa.func.to_tsquery(
            sa.literal_column("'simple'::regconfig"),
            sa.cast(sa.bindparam("ts_query", type_=sa.String), sa.Text),
        )
        return TextMatch(
            join_target=_search,
            on=_search.c.expert_id == expert_id,
            where=document.op("@@")(query),
            relevance=sa.func.ts_rank(document, query, type_=sa.Float),
        )
    raise NotImplementedError(f"full-text search is not built for {dialect}")


def next_day(dialect: str, day: ColumnElement) -> ColumnElement:
    """The day after a date column, in the engine's own date arithmetic."""
    if dialect == "sqlite":
        return sa.func.date(day, "+1 day", type_=sa.Date)
    return day + sa.literal(1)


def binary_order(dialect: str, column: ColumnElement[str]) -> ColumnElement[str]:
    """Order by code points on both engines (PostgreSQL's locale collation would differ)."""
    return column.collate("C") if dialect == "postgresql" else column
